import type { Database } from "better-sqlite3";

/** One schema step. Applied once, in order, and recorded in its runner's table. */
export interface SqliteMigration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
  /** Work on the rows after `sql`, in the same transaction. */
  readonly backfill?: ((db: Database) => void) | undefined;
}

/** What {@link runMigrations} brings up to date. */
export interface SqliteMigrations {
  /** Where the applied versions are recorded. */
  readonly table: string;
  /** Every step, oldest first; the last one's version is the version this release writes. */
  readonly migrations: readonly SqliteMigration[];
}

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

function appliedVersion(db: Database, table: string): number {
  const exists = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table);
  if (exists === undefined) return 0;
  const row = db.prepare(`SELECT MAX(version) AS version FROM ${table}`).get() as {
    version: number | null;
  };
  return row.version ?? 0;
}

/**
 * Brings `migrations` up to their last version. Pending migrations run in one `BEGIN IMMEDIATE`
 * transaction that re-reads the applied version after taking the write lock, so two processes
 * opening the same new file at once apply each migration exactly once.
 * @throws SchemaVersionError when the database is newer than the last migration.
 */
export function runMigrations(db: Database, { table, migrations }: SqliteMigrations): void {
  const latest = migrations[migrations.length - 1]!.version;
  const check = (found: number) => {
    if (found > latest) throw new SchemaVersionError(found, latest);
    return found === latest;
  };
  // The common case (an up-to-date file) needs no write lock.
  if (check(appliedVersion(db, table))) return;
  db.transaction(() => {
    db.exec(`CREATE TABLE IF NOT EXISTS ${table} (
      version INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      applied_at TEXT NOT NULL
    )`);
    const found = appliedVersion(db, table);
    if (check(found)) return;
    const record = db.prepare(
      `INSERT INTO ${table} (version, name, applied_at) VALUES (?, ?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`,
    );
    for (const migration of migrations) {
      if (migration.version <= found) continue;
      db.exec(migration.sql);
      migration.backfill?.(db);
      record.run(migration.version, migration.name);
    }
  }).immediate();
}
