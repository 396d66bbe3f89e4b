import { quoteIdent, type SqlDriver, type SqlRunner } from "./driver.js";
import { sealUnsealedRows } from "./integrity.js";

/** One schema change: statements run in order, in the migration transaction. */
interface Migration {
  readonly version: number;
  readonly name: string;
  readonly statements: (schema: string) => readonly string[];
  /** Work on the rows after the statements, in the same transaction (`schema` unquoted). */
  readonly backfill?: ((tx: SqlRunner, schema: string) => Promise<void>) | undefined;
}

/**
 * The schema, as an append-only list: released migrations are never edited, a change is a new
 * entry. Positions come from an identity column with the default sequence cache of 1 (a
 * larger cache hands blocks of positions to sessions and breaks position-ordered reading).
 */
const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "streams, events, commands, serials",
    statements: (s) => [
      `CREATE TABLE ${s}.streams (
        stream_id text PRIMARY KEY,
        version integer NOT NULL CHECK (version >= 0),
        case_number text,
        stage text,
        created_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL
      )`,
      `CREATE INDEX streams_case_number ON ${s}.streams (case_number)`,
      `CREATE TABLE ${s}.events (
        position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        stream_id text NOT NULL REFERENCES ${s}.streams (stream_id),
        version integer NOT NULL CHECK (version > 0),
        event_id text NOT NULL UNIQUE,
        type text NOT NULL,
        schema_version integer NOT NULL,
        occurred_at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL,
        actor jsonb NOT NULL,
        metadata jsonb NOT NULL,
        data jsonb NOT NULL,
        CONSTRAINT events_stream_version UNIQUE (stream_id, version)
      )`,
      `CREATE TABLE ${s}.commands (
        command_id text PRIMARY KEY,
        stream_id text NOT NULL REFERENCES ${s}.streams (stream_id),
        from_version integer NOT NULL,
        to_version integer NOT NULL,
        created_stream boolean NOT NULL
      )`,
      `CREATE TABLE ${s}.serials (
        scope text PRIMARY KEY,
        value bigint NOT NULL
      )`,
    ],
  },
  {
    // Tamper evidence: a content hash chained per stream and a digest chained over the log,
    // computed by the append under the append lock. Rows already there are sealed in position
    // order; then the columns become NOT NULL, so a writer that does not seal (an older kesu
    // still running during the upgrade) fails instead of leaving a gap in the chain.
    version: 2,
    name: "event seals: hash, prev_hash, chain",
    statements: (s) => [
      `ALTER TABLE ${s}.events ADD COLUMN hash text, ADD COLUMN prev_hash text, ADD COLUMN chain text`,
    ],
    backfill: async (tx, schema) => {
      await sealUnsealedRows(tx, schema);
      const s = quoteIdent(schema);
      await tx.query(
        `ALTER TABLE ${s}.events ALTER COLUMN hash SET NOT NULL, ALTER COLUMN prev_hash SET NOT NULL,
           ALTER COLUMN chain SET NOT NULL`,
      );
    },
  },
  {
    // The part of an append that runs under the append lock, as one function so that it costs
    // one round trip: take the lock, read the log's last digest, chain the batch's hashes (the
    // append computes them before, from the stream's locked head) and insert the events. Each
    // statement of a VOLATILE function takes a new snapshot, so the read after the lock sees the
    // previous holder's commit; in one plain statement it would not (its snapshot predates the
    // wait). The digest is `chainDigest` of integrity/seal.ts: the same bytes, hashed in SQL.
    version: 3,
    name: "append_events: lock, chain and insert in one call",
    statements: (s) => [
      `CREATE FUNCTION ${s}.append_events(
        lock_key text, stream text, after_version integer, docs jsonb, hashes text[], prev_hashes text[]
      ) RETURNS bigint[] LANGUAGE plpgsql VOLATILE AS $fn$
      DECLARE
        head text;
        chains text[] := '{}';
        link text;
        positions bigint[];
      BEGIN
        PERFORM pg_advisory_xact_lock(hashtextextended(lock_key, 0));
        SELECT e.chain INTO head FROM ${s}.events AS e ORDER BY e.position DESC LIMIT 1;
        head := coalesce(head, repeat('0', 64));
        FOREACH link IN ARRAY hashes LOOP
          head := encode(sha256(convert_to('kesu/log/v1' || chr(10) || head || chr(10) || link, 'UTF8')), 'hex');
          chains := chains || head;
        END LOOP;
        WITH inserted AS (
          INSERT INTO ${s}.events
            (stream_id, version, event_id, type, schema_version, occurred_at, recorded_at, actor, metadata,
             data, hash, prev_hash, chain)
          SELECT stream, after_version + e.i::integer, e.doc->>'id', e.doc->>'type',
            (e.doc->>'schemaVersion')::integer, (e.doc->>'occurredAt')::timestamptz,
            (e.doc->>'recordedAt')::timestamptz, e.doc->'actor', e.doc->'metadata', e.doc->'data',
            e.hash, e.prev_hash, e.chain
          FROM ROWS FROM (jsonb_array_elements(docs), unnest(hashes), unnest(prev_hashes), unnest(chains))
            WITH ORDINALITY AS e(doc, hash, prev_hash, chain, i)
          ORDER BY e.i
          RETURNING position, version
        )
        SELECT array_agg(inserted.position ORDER BY inserted.version) INTO positions FROM inserted;
        RETURN positions;
      END
      $fn$`,
    ],
  },
];

/** The schema version this release of kesu writes. */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/** Thrown when the database schema is newer than this release of kesu understands. */
export class SchemaTooNewError extends Error {
  /** Always `"SchemaTooNewError"`. */
  override readonly name = "SchemaTooNewError" as const;
  /** Stable code to match on. */
  readonly code = "store/schema-too-new" as const;
  constructor(
    /** The PostgreSQL schema holding the tables. */
    readonly schema: string,
    /** The highest migration recorded in it. */
    readonly found: number,
    /** The highest migration this release knows. */
    readonly known: number,
  ) {
    super(`schema ${schema} is at version ${found}; this kesu knows up to ${known}: upgrade kesu`);
  }
}

/** Is `error` a {@link SchemaTooNewError}? */
export function isSchemaTooNewError(error: unknown): error is SchemaTooNewError {
  return error instanceof Error && error.name === "SchemaTooNewError";
}

/**
 * Creates the schema or brings it up to date, in one transaction under an advisory lock keyed
 * on the schema name: processes that start together wait for each other instead of racing on
 * `CREATE`, and the second one finds nothing left to do.
 */
export async function migrate(driver: SqlDriver, schema: string): Promise<void> {
  const s = quoteIdent(schema);
  await driver.transaction(async (tx) => {
    await tx.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [`kesu:migrate:${schema}`]);
    await tx.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
    await tx.query(`CREATE TABLE IF NOT EXISTS ${s}.migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const { rows } = await tx.query<{ version: number }>(`SELECT version FROM ${s}.migrations`);
    const applied = new Set(rows.map((row) => Number(row.version)));
    const newest = Math.max(0, ...applied);
    if (newest > SCHEMA_VERSION) throw new SchemaTooNewError(schema, newest, SCHEMA_VERSION);
    for (const migration of MIGRATIONS) {
      if (applied.has(migration.version)) continue;
      for (const statement of migration.statements(s)) await tx.query(statement);
      await migration.backfill?.(tx, schema);
      await tx.query(`INSERT INTO ${s}.migrations (version, name) VALUES ($1, $2)`, [
        migration.version,
        migration.name,
      ]);
    }
  });
}
