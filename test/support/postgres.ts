import { randomBytes } from "node:crypto";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import type { ComplaintEvent, ComplaintId } from "../../src/index.js";
import { ulidGenerator } from "../../src/index.js";
import {
  createPostgresStore,
  type PostgresComplaintListConnection,
  type PostgresEventStore,
} from "../../src/stores/postgres/index.js";

/**
 * PostgreSQL for tests. With `KESU_PG_URL` set, tests use that server, each in schemas of its
 * own (`kesu_test_<random>`, dropped afterwards); without it they run the same SQL on PGlite,
 * in memory, so `npm test` passes on any machine.
 */
export const serverUrl = process.env.KESU_PG_URL || undefined;
/** True when the tests talk to a real server (several connections, real concurrency). */
export const onServer = serverUrl !== undefined;
/** A label for test titles. */
export const backend = onServer ? "PostgreSQL server" : "PGlite";

/** Options of {@link TestDatabase.openStore}. */
export interface TestStoreOptions {
  /** Default: a new schema. */
  readonly schema?: string | undefined;
  readonly pollIntervalMs?: number | undefined;
  /** Server only: the pool the store uses (default: a new pool, ended with the database). */
  readonly pool?: pg.Pool | undefined;
  /** Server only: let the store create its pool from the URL and end it on `close()`. */
  readonly ownPool?: boolean | undefined;
}

/** One test file's database. */
export interface TestDatabase {
  readonly onServer: boolean;
  /** Runs SQL with full rights (tests use it to inspect and to damage rows). */
  sql<R>(text: string, params?: unknown[]): Promise<R[]>;
  /** A new schema name, dropped by `close()`. */
  newSchema(): string;
  /** A store on its own connections (server) or on the shared PGlite instance. */
  openStore(options?: TestStoreOptions): PostgresEventStore;
  /** Server only: a new pool, ended by `close()`. */
  newPool(config?: pg.PoolConfig): pg.Pool;
  /**
   * Where code that opens its own store and list should connect: the shared PGlite instance, or
   * a new pool on the server (ended by `close()`), with `schema` (default: a new one).
   */
  connectionFor(schema?: string): PostgresComplaintListConnection & { readonly schema: string };
  /** Closes the stores and pools opened here and drops the schemas. */
  close(): Promise<void>;
}

/**
 * Opens the database of one test file: the server when `KESU_PG_URL` is set, else PGlite
 * (`backend` forces one). PGlite takes seconds to start: call this in `beforeAll`.
 */
export async function openTestDatabase(
  backend: "server" | "pglite" = onServer ? "server" : "pglite",
): Promise<TestDatabase> {
  if (backend === "server" && !serverUrl) throw new Error("the server backend needs KESU_PG_URL");
  const url = backend === "server" ? serverUrl : undefined;
  const schemas: string[] = [];
  const stores: PostgresEventStore[] = [];
  const pools: pg.Pool[] = [];
  const lite = url ? undefined : new PGlite();
  const admin = url ? new pg.Pool({ connectionString: url, max: 2 }) : undefined;
  admin?.on("error", () => {}); // tests kill connections on purpose

  const newPool = (config: pg.PoolConfig = {}) => {
    if (!url) throw new Error("newPool needs the server");
    const pool = new pg.Pool({ connectionString: url, ...config });
    pool.on("error", () => {});
    pools.push(pool);
    return pool;
  };

  const db: TestDatabase = {
    onServer: url !== undefined,
    async sql<R>(text: string, params: unknown[] = []) {
      if (lite) return (await lite.query<R>(text, params)).rows;
      return (await admin!.query(text, params)).rows as R[];
    },
    newSchema() {
      const schema = `kesu_test_${randomBytes(6).toString("hex")}`;
      schemas.push(schema);
      return schema;
    },
    openStore(options = {}) {
      const schema = options.schema ?? db.newSchema();
      const connection = lite
        ? { pglite: lite }
        : options.ownPool
          ? { connectionString: url! }
          : { pool: options.pool ?? newPool({ max: 10 }) };
      const store = createPostgresStore({
        ...connection,
        schema,
        ...(options.pollIntervalMs === undefined ? {} : { pollIntervalMs: options.pollIntervalMs }),
      });
      stores.push(store);
      return store;
    },
    newPool,
    connectionFor(schema = db.newSchema()) {
      return lite ? { pglite: lite, schema } : { pool: newPool({ max: 10 }), schema };
    },
    async close() {
      await Promise.all(stores.map((store) => store.close()));
      for (const schema of schemas) await db.sql(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await Promise.all(pools.map((pool) => pool.end()));
      await admin?.end();
      await lite?.close();
    },
  };
  await db.sql("SELECT 1"); // start PGlite here, not in the first test
  return db;
}

const ids = ulidGenerator();
const staff = { id: "staff-1", role: "staff", unit: "service" };

/** A new stream id. */
export function newStreamId(): ComplaintId {
  return ids.next() as ComplaintId;
}

/**
 * `count` valid `ProgressReported` events for `streamId`, one batch sharing `commandId`
 * (default: a new one). The store numbers them; the versions here are placeholders.
 */
export function progressEvents(
  streamId: ComplaintId,
  count: number,
  commandId: string = ids.next(),
  at = "2026-03-02T01:00:00.000Z",
): ComplaintEvent[] {
  return Array.from({ length: count }, (_, i) => ({
    id: ids.next(),
    streamId,
    version: i + 1,
    type: "ProgressReported",
    occurredAt: at,
    recordedAt: at,
    actor: staff,
    metadata: { correlationId: commandId, causationId: commandId, commandId },
    schemaVersion: 1,
    data: { message: `update ${i + 1}`, channel: "phone" },
  }));
}
