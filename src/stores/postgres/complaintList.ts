import { type ComplaintEvent, parseComplaintEvent } from "../../domain/events.js";
import { fold } from "../../domain/evolve.js";
import type { ComplaintId } from "../../domain/ids.js";
import { initialState } from "../../domain/state.js";
import {
  type ComplaintListDoc,
  type ComplaintListPage,
  type ComplaintListQuery,
  type ComplaintListRow,
  type ComplaintListSla,
  complaintListProjection,
} from "../../projections/complaintList.js";
import type { Projection, ProjectionTarget } from "../../projections/projection.js";
import { CorruptEventError } from "../eventStore.js";
import { pgDriver, pgliteDriver, pgPoolFor, quoteIdent, type SqlDriver } from "./driver.js";
import { type PostgresMigration, runMigrations } from "./migrationRunner.js";
import type { PostgresConnection } from "./postgresStore.js";

/**
 * Where the PostgreSQL complaint list lives: the store's connection (a `pg` pool, a connection
 * string or a PGlite instance) and its `schema` (default `kesu`). The store's options object fits
 * as it is, so the list's tables sit beside the events.
 */
export type PostgresComplaintListConnection = PostgresConnection & {
  readonly schema?: string | undefined;
};

/** Options of {@link createPostgresComplaintList}. */
export interface PostgresComplaintListOptions {
  /** With SLA settings, rows carry `slaDueAt`, `slaLate` and `slaStatus`. */
  readonly sla?: ComplaintListSla | undefined;
}

/** The PostgreSQL list's transaction: statements on the one connection inside BEGIN … COMMIT. */
export interface PostgresListTx {
  /** Runs one statement with `$1`-style parameters on the transaction's connection. */
  query<R>(text: string, params?: readonly unknown[]): Promise<{ readonly rows: R[] }>;
}

/** A complaint list in the store's PostgreSQL schema: the projection, its target and queries. */
export interface PostgresComplaintList {
  /** The projection that keeps the list; give it to a projection runner. */
  readonly projection: Projection<PostgresListTx>;
  /** Where the list and its checkpoint are written; give it to a projection runner. */
  readonly target: ProjectionTarget<PostgresListTx>;
  /** A page of rows in list order (receipt, then case number) and the total matching. */
  query(query?: ComplaintListQuery): Promise<ComplaintListPage>;
  /** One complaint's document: its row, its state (folded from the events) and its events. */
  get(streamId: ComplaintId): Promise<ComplaintListDoc | undefined>;
  /**
   * Creates the list's tables or brings them up to date; every other method does this on first
   * use. Safe from several processes at once.
   * @throws SchemaTooNewError when they were migrated by a newer kesu.
   */
  migrate(): Promise<void>;
  /** Ends the pool the list created from a connection string (never yours). */
  close(): Promise<void>;
}

// Never edit a released migration: add the next one. Recorded in `projection_migrations`, apart
// from the store's `migrations`, so neither refuses the other's versions.
const MIGRATIONS: readonly PostgresMigration[] = [
  {
    version: 1,
    name: "complaint list, projection checkpoints",
    statements: (s) => [
      `CREATE TABLE ${s}.complaint_list (
        stream_id text PRIMARY KEY,
        case_number text COLLATE "C" NOT NULL,
        stage text NOT NULL,
        kind text,
        severity text,
        category text,
        channel text NOT NULL,
        unit text NOT NULL,
        owner text,
        received_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        closed_at timestamptz,
        sla_due_at timestamptz,
        sla_late boolean NOT NULL,
        version integer NOT NULL CHECK (version >= 1),
        list_row jsonb NOT NULL,
        state jsonb NOT NULL,
        events jsonb NOT NULL
      )`,
      `CREATE INDEX complaint_list_received ON ${s}.complaint_list (received_at, case_number)`,
      `CREATE INDEX complaint_list_stage ON ${s}.complaint_list (stage, received_at)`,
      `CREATE INDEX complaint_list_severity ON ${s}.complaint_list (severity, received_at)`,
      `CREATE INDEX complaint_list_category ON ${s}.complaint_list (category, received_at)`,
      `CREATE INDEX complaint_list_unit ON ${s}.complaint_list (unit, received_at)`,
      `CREATE INDEX complaint_list_sla_due ON ${s}.complaint_list (sla_due_at)`,
      `CREATE TABLE ${s}.projection_checkpoints (
        name text PRIMARY KEY,
        position bigint NOT NULL CHECK (position >= 0),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`,
    ],
  },
];

/** The schema version of the PostgreSQL complaint list this release writes. */
export const POSTGRES_LIST_SCHEMA_VERSION: number = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/** Under the store's migration lock: a store and a list starting together take turns. */
async function migrate(driver: SqlDriver, schema: string): Promise<void> {
  await runMigrations(driver, schema, { table: "projection_migrations", migrations: MIGRATIONS });
}

interface DocRow {
  readonly stream_id: string;
  readonly version: number;
  readonly list_row: unknown;
  readonly events: unknown;
}

/**
 * A stored document, checked at the boundary: the events must parse with the event schema, and
 * the state is folded from them (never trusted from JSON) and must reach the row's version.
 * @throws CorruptEventError naming the stream and what is wrong.
 */
function decodeDoc(row: DocRow): ComplaintListDoc {
  const fail = (version: number, issues: string): never => {
    throw new CorruptEventError(row.stream_id, version, `complaint list: ${issues}`);
  };
  if (!Array.isArray(row.events)) return fail(row.version, "events are not a JSON array");
  const events: ComplaintEvent[] = row.events.map((value: unknown, i) => {
    const parsed = parseComplaintEvent(value);
    if (!parsed.ok) return fail(i + 1, parsed.issues);
    if (parsed.event.streamId !== row.stream_id) return fail(i + 1, "an event of another stream");
    return parsed.event;
  });
  const state = fold(initialState(row.stream_id as ComplaintId), events);
  if (state.version !== row.version) fail(row.version, `the events fold to version ${state.version}`);
  return { row: row.list_row as ComplaintListRow, state, events };
}

/** `WHERE …` of a query, with `$n` parameters; shared by the count and the page. */
function whereOf(q: ComplaintListQuery): { readonly sql: string; readonly params: unknown[] } {
  const terms: string[] = [];
  const params: unknown[] = [];
  const param = (value: unknown, cast = "") => {
    params.push(value);
    return `$${params.length}${cast}`;
  };
  const equal = (column: string, value: string | undefined) => {
    if (value !== undefined) terms.push(`${column} = ${param(value)}`);
  };
  if (q.stage !== undefined) {
    const stages = typeof q.stage === "string" ? [q.stage] : q.stage;
    terms.push(`stage = ANY(${param([...stages], "::text[]")})`);
  }
  equal("kind", q.kind);
  equal("severity", q.severity);
  equal("category", q.category);
  equal("channel", q.channel);
  equal("unit", q.unit);
  equal("owner", q.owner);
  if (q.open !== undefined) terms.push(q.open ? "stage <> 'closed'" : "stage = 'closed'");
  if (q.receivedFrom !== undefined)
    terms.push(`received_at >= ${param(q.receivedFrom.toISOString(), "::timestamptz")}`);
  if (q.receivedTo !== undefined)
    terms.push(`received_at < ${param(q.receivedTo.toISOString(), "::timestamptz")}`);
  // A clock already late at its last event, or a running one due before the instant.
  if (q.breachedAt !== undefined)
    terms.push(`(sla_late OR sla_due_at < ${param(q.breachedAt.toISOString(), "::timestamptz")})`);
  return { sql: terms.length === 0 ? "" : `WHERE ${terms.join(" AND ")}`, params };
}

/** A LIMIT or OFFSET: a whole number from 0 (NaN reads as 0, infinity as no limit). */
const count = (value: number | undefined, fallback: number) =>
  Math.min(Number.MAX_SAFE_INTEGER, Math.max(0, Math.trunc(value ?? fallback))) || 0;

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,39}$/;

/**
 * The complaint list in the store's PostgreSQL schema (server or PGlite), for
 * `createProjectionRunner` with a PostgreSQL store. Rows have real columns for everything a
 * query filters or sorts on, so `query` runs in SQL; each document keeps its state and events as
 * `jsonb`. `target.commit` runs a batch and the checkpoint update on one connection between
 * BEGIN and COMMIT: a crash or a dropped connection rolls both back, and the runner resumes from
 * the checkpoint without applying anything twice.
 *
 * A commit locks its checkpoint row first, so several runners of the list take turns; a batch
 * at or below the checkpoint was already applied by another runner and is skipped. The tables
 * are created on first use by the list's own migration, under the store's migration lock.
 * @example
 * import { calendars, createProjectionRunner } from "kesu";
 * import { createPostgresComplaintList, createPostgresStore } from "kesu/postgres";
 *
 * const where = { pool, schema: "complaints" };
 * const store = createPostgresStore(where);
 * const list = createPostgresComplaintList(where, { sla: { policy, calendar: calendars.chinaMainland() } });
 * const runner = createProjectionRunner({ store, ...list });
 * await runner.start(); // catches up, then follows LISTEN/NOTIFY
 * const { rows, total } = await list.query({ open: true, breachedAt: new Date(), limit: 20 });
 */
export function createPostgresComplaintList(
  connection: PostgresComplaintListConnection,
  options: PostgresComplaintListOptions = {},
): PostgresComplaintList {
  const schema = connection.schema ?? "kesu";
  if (!SCHEMA_NAME.test(schema))
    throw new TypeError(
      `createPostgresComplaintList: schema ${JSON.stringify(schema)} must be lower-case letters, digits and _ (at most 40)`,
    );
  const s = quoteIdent(schema);
  const list = `${s}.complaint_list`;
  const checkpoints = `${s}.projection_checkpoints`;
  let closed = false;
  let connected: Promise<SqlDriver> | undefined;
  let migrated: Promise<void> | undefined;

  /** The driver, with the tables migrated; retried on the next call when it failed. */
  async function ready(): Promise<SqlDriver> {
    if (closed) throw new Error("the PostgreSQL complaint list is closed");
    connected ??= (async () =>
      "pool" in connection
        ? pgDriver(connection.pool, false)
        : "pglite" in connection
          ? pgliteDriver(connection.pglite)
          : pgDriver(await pgPoolFor(connection.connectionString), true))().catch((error: unknown) => {
      connected = undefined;
      throw error;
    });
    const driver = await connected;
    migrated ??= migrate(driver, schema).catch((error: unknown) => {
      migrated = undefined;
      throw error;
    });
    await migrated;
    return driver;
  }

  const selectDoc = `SELECT stream_id, version, list_row, events FROM ${list} WHERE stream_id = $1`;
  const selectDocs = `SELECT stream_id, version, list_row, events FROM ${list} WHERE stream_id = ANY($1::text[])`;
  // One statement writes a batch's documents: one JSON array, one record per complaint.
  const upsertDocs = `INSERT INTO ${list} (stream_id, case_number, stage, kind, severity, category, channel,
       unit, owner, received_at, updated_at, closed_at, sla_due_at, sla_late, version, list_row, state, events)
     SELECT * FROM jsonb_to_recordset($1::jsonb) AS d(stream_id text, case_number text, stage text, kind text,
       severity text, category text, channel text, unit text, owner text, received_at timestamptz,
       updated_at timestamptz, closed_at timestamptz, sla_due_at timestamptz, sla_late boolean,
       version integer, list_row jsonb, state jsonb, events jsonb)
     ON CONFLICT (stream_id) DO UPDATE SET case_number = excluded.case_number, stage = excluded.stage,
       kind = excluded.kind, severity = excluded.severity, category = excluded.category,
       channel = excluded.channel, unit = excluded.unit, owner = excluded.owner,
       received_at = excluded.received_at, updated_at = excluded.updated_at,
       closed_at = excluded.closed_at, sla_due_at = excluded.sla_due_at, sla_late = excluded.sla_late,
       version = excluded.version, list_row = excluded.list_row, state = excluded.state,
       events = excluded.events`;
  /** A document as the record `upsertDocs` reads: its row's columns, then the three documents. */
  const record = ({ row, state, events }: ComplaintListDoc) => ({
    stream_id: row.streamId,
    case_number: row.caseNumber,
    stage: row.stage,
    kind: row.kind,
    severity: row.severity,
    category: row.category,
    channel: row.channel,
    unit: row.unit,
    owner: row.owner,
    received_at: row.receivedAt,
    updated_at: row.updatedAt,
    closed_at: row.closedAt,
    sla_due_at: row.slaDueAt,
    sla_late: row.slaLate.length > 0,
    version: row.version,
    list_row: row,
    state,
    events,
  });
  const projection = complaintListProjection<PostgresListTx>(
    {
      async get(tx, id) {
        const { rows } = await tx.query<DocRow>(selectDoc, [id]);
        return rows[0] && decodeDoc(rows[0]);
      },
      async getMany(tx, ids) {
        const { rows } = await tx.query<DocRow>(selectDocs, [ids]);
        return new Map(rows.map((row) => [row.stream_id as ComplaintId, decodeDoc(row)]));
      },
      async put(tx, doc) {
        await tx.query(upsertDocs, [JSON.stringify([record(doc)])]);
      },
      async putMany(tx, docs) {
        await tx.query(upsertDocs, [JSON.stringify(docs.map(record))]);
      },
      async clear(tx) {
        await tx.query(`DELETE FROM ${list}`);
      },
    },
    { sla: options.sla },
  );

  return {
    projection,
    target: {
      async checkpoint(name) {
        const driver = await ready();
        const { rows } = await driver.query<{ position: number | string }>(
          `SELECT position FROM ${checkpoints} WHERE name = $1`,
          [name],
        );
        return Number(rows[0]?.position ?? 0);
      },
      async commit(name, position, work) {
        const driver = await ready();
        await driver.transaction(async (tx) => {
          // Creates or locks the checkpoint row (the no-op update takes the lock) and reads it:
          // a second runner waits here, then sees what the first one committed.
          const { rows } = await tx.query<{ position: number | string }>(
            `INSERT INTO ${checkpoints} AS c (name, position) VALUES ($1, 0)
             ON CONFLICT (name) DO UPDATE SET name = c.name RETURNING c.position`,
            [name],
          );
          const seen = Number(rows[0]!.position);
          // Position 0 is a reset (a rebuild); any other batch at or below the checkpoint is in.
          if (position !== 0 && position <= seen) return;
          await work(tx);
          await tx.query(`UPDATE ${checkpoints} SET position = $2, updated_at = now() WHERE name = $1`, [
            name,
            position,
          ]);
        });
      },
    },
    async query(q = {}) {
      const driver = await ready();
      const where = whereOf(q);
      const limit = `$${where.params.length + 1}`;
      const offset = `$${where.params.length + 2}`;
      // One statement, so the total and the page come from one snapshot; the lateral page is
      // empty past the end, and the count still comes back.
      const { rows } = await driver.query<{ total: number | string; list_row: unknown }>(
        `SELECT c.total, p.list_row
         FROM (SELECT COUNT(*) AS total FROM ${list} ${where.sql}) AS c
         LEFT JOIN LATERAL (
           SELECT list_row, received_at, case_number, stream_id FROM ${list} ${where.sql}
           ORDER BY received_at, case_number, stream_id LIMIT ${limit}::bigint OFFSET ${offset}::bigint
         ) AS p ON true
         ORDER BY p.received_at, p.case_number, p.stream_id`,
        [...where.params, count(q.limit, 50), count(q.offset, 0)],
      );
      return {
        rows: rows.flatMap((r) => (r.list_row === null ? [] : [r.list_row as ComplaintListRow])),
        total: Number(rows[0]?.total ?? 0),
      };
    },
    async get(streamId) {
      const driver = await ready();
      const { rows } = await driver.query<DocRow>(selectDoc, [streamId]);
      return rows[0] && decodeDoc(rows[0]);
    },
    async migrate() {
      await ready();
    },
    async close() {
      if (closed) return;
      closed = true;
      const driver = await connected?.catch(() => undefined);
      await driver?.close();
    },
  };
}
