/**
 * PostgreSQL for the benchmarks: two databases of their own on the server, one per library,
 * emptied before each timed run. kesu keeps its tables in schema `bench`; Emmett keeps its
 * own in `public` (it has no schema option), hence a database of its own.
 */
import pg from "pg";

export const KESU_DB = "kesu_bench";
export const EMMETT_DB = "kesu_bench_emmett";
export const KESU_SCHEMA = "bench";

/** The URL of `database` on the server of `url`. */
export function databaseUrl(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** Runs `work` on a new client of `url`, ended afterwards. */
export async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Is a server there? Creates the two databases when missing. */
export async function preparePostgres(url: string): Promise<boolean> {
  try {
    await withClient(url, async (client) => {
      for (const db of [KESU_DB, EMMETT_DB]) {
        const { rows } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [db]);
        if (rows.length === 0) await client.query(`CREATE DATABASE ${db}`);
      }
    });
    return true;
  } catch {
    return false;
  }
}

/** The server's version and the settings that matter for write throughput. */
export async function postgresSettings(url: string): Promise<Record<string, string>> {
  return withClient(url, async (client) => {
    const out: Record<string, string> = {};
    const { rows } = await client.query<{ version: string }>("SELECT version()");
    out.version = rows[0]?.version ?? "";
    for (const name of ["synchronous_commit", "fsync", "shared_buffers", "max_connections"]) {
      const r = await client.query<Record<string, string>>(`SHOW ${name}`);
      out[name] = Object.values(r.rows[0] ?? {})[0] ?? "";
    }
    return out;
  });
}

/** Drops kesu's benchmark schema (the next store re-creates it). */
export async function resetKesu(url: string): Promise<void> {
  await withClient(databaseUrl(url, KESU_DB), async (client) => {
    await client.query(`DROP SCHEMA IF EXISTS ${KESU_SCHEMA} CASCADE`);
  });
}

/** Empties Emmett's benchmark database (the next store re-creates its tables and functions). */
export async function resetEmmett(url: string): Promise<void> {
  await withClient(databaseUrl(url, EMMETT_DB), async (client) => {
    await client.query("DROP SCHEMA IF EXISTS public CASCADE");
    await client.query("CREATE SCHEMA public");
  });
}

/** Runs one statement on a benchmark database. */
export async function query<R extends pg.QueryResultRow>(
  url: string,
  database: string,
  text: string,
  params: unknown[] = [],
): Promise<R[]> {
  return withClient(databaseUrl(url, database), async (client) => (await client.query<R>(text, params)).rows);
}
