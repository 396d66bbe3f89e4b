import type { ComplaintId } from "../domain/ids.js";
import { createProjectionRunner } from "../projections/runner.js";
import {
  createPostgresComplaintList,
  createPostgresStore,
  type PostgresComplaintList,
} from "../stores/postgres/index.js";
import { type Backend, type CliSettings, redactUrl } from "./backend.js";
import { CliError, EXIT } from "./io.js";
import { parseSettings } from "./settings.js";

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,39}$/;

/** The PostgreSQL database at `url` (tables in `schema`, default `kesu`) as a {@link Backend}. */
export async function openPostgresBackend(
  url: string,
  schemaOption: string | undefined,
  options: { create: boolean },
): Promise<Backend> {
  const schema = schemaOption ?? "kesu";
  if (!SCHEMA_NAME.test(schema))
    throw new CliError(`schema ${JSON.stringify(schema)} must be lower-case letters, digits and _`);
  let pg: typeof import("pg").default;
  try {
    pg = (await import("pg")).default;
  } catch {
    throw new CliError("--pg needs the pg package (npm install pg)", EXIT.database);
  }
  const where = `PostgreSQL ${redactUrl(url)} schema ${schema}`;
  const pool = new pg.Pool({ connectionString: url, max: 4, connectionTimeoutMillis: 10_000 });
  pool.on("error", () => {}); // an idle connection that drops is simply replaced
  try {
    await pool.query("SELECT 1");
  } catch (error) {
    await pool.end().catch(() => {});
    const e = error as Error & { code?: string };
    const reason = e.message || e.code || e.name;
    throw new CliError(`database unreachable: ${where}: ${reason.replace(/\s+/g, " ")}`, EXIT.database);
  }
  const settingsTable = `"${schema}".cli_settings`;
  const hasSettings = async () => {
    const { rows } = await pool.query<{ t: string | null }>("SELECT to_regclass($1) AS t", [
      `"${schema}".cli_settings`,
    ]);
    return rows[0]?.t != null;
  };
  if (!options.create && !(await hasSettings())) {
    await pool.end();
    throw new CliError(`${where} is not initialised: run kesu init first`, EXIT.database);
  }
  const store = createPostgresStore({ pool, schema });
  const lists: PostgresComplaintList[] = [];

  return {
    label: where,
    store,
    async readSettings() {
      if (!(await hasSettings())) return undefined;
      const { rows } = await pool.query<{ key: string; value: string }>(
        `SELECT key, value FROM ${settingsTable}`,
      );
      return parseSettings(rows, where);
    },
    async writeSettings(settings: CliSettings) {
      await store.migrate();
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        await client.query(
          `CREATE TABLE IF NOT EXISTS ${settingsTable} (key text PRIMARY KEY, value text NOT NULL)`,
        );
        for (const [key, value] of Object.entries(settings))
          await client.query(
            `INSERT INTO ${settingsTable} (key, value) VALUES ($1, $2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
            [key, String(value)],
          );
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK").catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    async findCase(caseNumber: string) {
      await store.migrate();
      const { rows } = await pool.query<{ stream_id: string }>(
        `SELECT stream_id FROM "${schema}".streams WHERE case_number = $1`,
        [caseNumber],
      );
      return rows[0]?.stream_id as ComplaintId | undefined;
    },
    async lastPosition() {
      await store.migrate();
      const { rows } = await pool.query<{ last: string | null }>(
        `SELECT max(position) AS last FROM "${schema}".events`,
      );
      return Number(rows[0]?.last ?? 0);
    },
    async complaintList({ sla, onProgress }) {
      // The read model's tables live in the store's schema, on the same pool.
      const list = createPostgresComplaintList({ pool, schema }, { sla });
      lists.push(list);
      const runner = createProjectionRunner({ store, ...list, batchSize: 1000, onProgress });
      return { runner, query: (q) => list.query(q) };
    },
    async close() {
      for (const list of lists) await list.close();
      await store.close();
      await pool.end();
    },
  };
}
