import { quoteIdent, type SqlDriver, type SqlRunner } from "./driver.js";

/** One schema change: statements run in order, in the migration transaction. */
export interface PostgresMigration {
  readonly version: number;
  readonly name: string;
  /** The statements, given the quoted schema name. */
  readonly statements: (schema: string) => readonly string[];
  /** Work on the rows after the statements, in the same transaction (`schema` unquoted). */
  readonly backfill?: ((tx: SqlRunner, schema: string) => Promise<void>) | undefined;
}

/** What {@link runMigrations} brings up to date. */
export interface PostgresMigrations {
  /** The table, in the schema, where the applied versions are recorded. */
  readonly table: string;
  /** Every change, oldest first; the last one's version is the version this release writes. */
  readonly migrations: readonly PostgresMigration[];
}

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
 * Creates `schema` or brings `migrations` in it up to date, in one transaction under an advisory
 * lock keyed on the schema name (the same for every table of migrations): processes that start
 * together wait for each other instead of racing on `CREATE`, and the second one finds nothing
 * left to do.
 * @throws SchemaTooNewError when the table records a version newer than the last migration.
 */
export async function runMigrations(
  driver: SqlDriver,
  schema: string,
  { table, migrations }: PostgresMigrations,
): Promise<void> {
  const s = quoteIdent(schema);
  const latest = migrations[migrations.length - 1]!.version;
  await driver.transaction(async (tx) => {
    await tx.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [`kesu:migrate:${schema}`]);
    await tx.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
    await tx.query(`CREATE TABLE IF NOT EXISTS ${s}.${table} (
      version integer PRIMARY KEY,
      name text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const { rows } = await tx.query<{ version: number }>(`SELECT version FROM ${s}.${table}`);
    const applied = new Set(rows.map((row) => Number(row.version)));
    const newest = Math.max(0, ...applied);
    if (newest > latest) throw new SchemaTooNewError(schema, newest, latest);
    for (const migration of migrations) {
      if (applied.has(migration.version)) continue;
      for (const statement of migration.statements(s)) await tx.query(statement);
      await migration.backfill?.(tx, schema);
      await tx.query(`INSERT INTO ${s}.${table} (version, name) VALUES ($1, $2)`, [
        migration.version,
        migration.name,
      ]);
    }
  });
}
