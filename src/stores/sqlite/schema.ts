import type { Database } from "better-sqlite3";
import { sealUnsealedRows } from "./integrity.js";

/** One schema step. Applied once, in order, and recorded in `kesu_migrations`. */
interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
  /** Work on the rows after `sql`, in the same transaction. */
  readonly backfill?: ((db: Database) => void) | undefined;
}

// Never edit a published migration: add the next one. Positions are INTEGER PRIMARY KEY (the
// rowid): events are never deleted, so max + 1 only grows, and SQLite's single writer makes
// commit order equal position order, which the polling subscriptions rely on.
const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "events, streams, commands, serials",
    sql: `
      CREATE TABLE kesu_events (
        position INTEGER PRIMARY KEY,
        stream_id TEXT NOT NULL,
        version INTEGER NOT NULL CHECK (version >= 1),
        event TEXT NOT NULL,
        UNIQUE (stream_id, version)
      );
      CREATE TABLE kesu_streams (
        stream_id TEXT PRIMARY KEY,
        version INTEGER NOT NULL CHECK (version >= 1),
        case_number TEXT,
        stage TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) WITHOUT ROWID;
      CREATE INDEX kesu_streams_case_number ON kesu_streams (case_number);
      CREATE TABLE kesu_commands (
        command_id TEXT PRIMARY KEY,
        stream_id TEXT NOT NULL,
        first_version INTEGER NOT NULL,
        last_version INTEGER NOT NULL,
        created_stream INTEGER NOT NULL CHECK (created_stream IN (0, 1))
      ) WITHOUT ROWID;
      CREATE TABLE kesu_serials (
        scope TEXT PRIMARY KEY,
        last INTEGER NOT NULL CHECK (last >= 1)
      ) WITHOUT ROWID;
    `,
  },
  {
    // Tamper evidence: a content hash chained per stream and a digest chained over the log.
    // Rows already there are sealed in position order by `backfill`.
    version: 2,
    name: "event seals: hash, prev_hash, chain",
    sql: `
      ALTER TABLE kesu_events ADD COLUMN hash TEXT;
      ALTER TABLE kesu_events ADD COLUMN prev_hash TEXT;
      ALTER TABLE kesu_events ADD COLUMN chain TEXT;
    `,
    backfill: sealUnsealedRows,
  },
];

/** The schema version this release writes and reads. */
export const SQLITE_SCHEMA_VERSION: number = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/** Thrown when a database was migrated by a newer kesu than the one opening it. */
export class SchemaVersionError extends Error {
  /** Always `"SchemaVersionError"`. */
  override readonly name = "SchemaVersionError" as const;
  /** Stable code to match on. */
  readonly code = "store/schema-too-new" as const;
  constructor(
    /** The highest migration recorded in the database. */
    readonly found: number,
    /** The highest migration this release knows. */
    readonly supported: number,
  ) {
    super(`the database schema is at version ${found}; this kesu supports up to ${supported}`);
  }
}

/** Is `error` a {@link SchemaVersionError}? */
export function isSchemaVersionError(error: unknown): error is SchemaVersionError {
  return error instanceof Error && error.name === "SchemaVersionError";
}

function appliedVersion(db: Database): number {
  const table = db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'kesu_migrations'")
    .get();
  if (table === undefined) return 0;
  const row = db.prepare("SELECT MAX(version) AS version FROM kesu_migrations").get() as {
    version: number | null;
  };
  return row.version ?? 0;
}

/**
 * Brings the schema up to {@link SQLITE_SCHEMA_VERSION}. Pending migrations run in one
 * `BEGIN IMMEDIATE` transaction that re-reads the applied version after taking the write lock,
 * so two processes opening the same new file at once apply each migration exactly once.
 * @throws SchemaVersionError when the database is newer than this release.
 */
export function migrate(db: Database): void {
  const check = (found: number) => {
    if (found > SQLITE_SCHEMA_VERSION) throw new SchemaVersionError(found, SQLITE_SCHEMA_VERSION);
    return found === SQLITE_SCHEMA_VERSION;
  };
  // The common case (an up-to-date file) needs no write lock.
  if (check(appliedVersion(db))) return;
  db.transaction(() => {
    db.exec(`CREATE TABLE IF NOT EXISTS kesu_migrations (
      version INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      applied_at TEXT NOT NULL
    )`);
    const found = appliedVersion(db);
    if (check(found)) return;
    const record = db.prepare(
      "INSERT INTO kesu_migrations (version, name, applied_at) VALUES (?, ?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))",
    );
    for (const migration of MIGRATIONS) {
      if (migration.version <= found) continue;
      db.exec(migration.sql);
      migration.backfill?.(db);
      record.run(migration.version, migration.name);
    }
  }).immediate();
}
