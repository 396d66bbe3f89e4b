import type { Database } from "better-sqlite3";
import { sealUnsealedRows } from "./integrity.js";
import { runMigrations, type SqliteMigration } from "./migrations.js";

// Never edit a published migration: add the next one. Positions are INTEGER PRIMARY KEY (the
// rowid): events are never deleted, so max + 1 only grows, and SQLite's single writer makes
// commit order equal position order, which the polling subscriptions rely on.
const MIGRATIONS: readonly SqliteMigration[] = [
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

/**
 * Brings the schema up to {@link SQLITE_SCHEMA_VERSION}, recording it in `kesu_migrations`;
 * two processes opening the same new file at once apply each migration exactly once.
 * @throws SchemaVersionError when the database is newer than this release.
 */
export function migrate(db: Database): void {
  runMigrations(db, { table: "kesu_migrations", migrations: MIGRATIONS });
}
