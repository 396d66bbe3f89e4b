import { randomBytes } from "node:crypto";
import { PGlite } from "@electric-sql/pglite";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as kesu from "../../src/index.js";
import { createMemoryComplaintList, createProjectionRunner, type EventStore } from "../../src/index.js";
import * as kesuPostgres from "../../src/stores/postgres/index.js";
import {
  createPostgresComplaintList,
  createPostgresStore,
  isSchemaTooNewError,
  type PostgresComplaintList,
  type PostgresEventStore,
} from "../../src/stores/postgres/index.js";
import { runDocBlock } from "../support/docs.js";
import { backend, onServer, openTestDatabase, type TestDatabase } from "../support/postgres.js";
import {
  appendPlan,
  crashingOnce,
  docExamples,
  expectVersionsOfStreams,
  historyPlan,
  listQueries,
  listSla,
  listSnapshot,
} from "./listHistory.js";

/**
 * Stores and lists on one database: the server (`KESU_PG_URL`), each list on a pool of its own
 * named by `application_name` so a test can find and kill its connections; or one PGlite
 * instance shared by everything (the test database helper keeps its PGlite to itself, so this
 * file opens its own).
 */
interface Backend {
  sql<R>(text: string, params?: unknown[]): Promise<R[]>;
  newSchema(): string;
  store(schema: string, pollIntervalMs?: number): PostgresEventStore;
  list(schema: string, applicationName?: string): PostgresComplaintList;
  close(): Promise<void>;
}

async function openBackend(): Promise<Backend> {
  const lists: PostgresComplaintList[] = [];
  const stores: PostgresEventStore[] = [];
  const sla = { sla: listSla };
  const poll = (ms: number | undefined) => (ms === undefined ? {} : { pollIntervalMs: ms });
  if (onServer) {
    const server: TestDatabase = await openTestDatabase("server");
    return {
      sql: (text, params) => server.sql(text, params),
      newSchema: () => server.newSchema(),
      store: (schema, ms) => server.openStore({ schema, ...poll(ms) }),
      list(schema, applicationName = "kesu-list") {
        const pool = server.newPool({ max: 4, application_name: applicationName });
        const list = createPostgresComplaintList({ pool, schema }, sla);
        lists.push(list);
        return list;
      },
      async close() {
        await Promise.all(lists.map((l) => l.close()));
        await server.close();
      },
    };
  }
  const pglite = new PGlite();
  return {
    sql: async (text, params = []) => (await pglite.query(text, params)).rows as never[],
    newSchema: () => `kesu_test_${randomBytes(6).toString("hex")}`,
    store(schema, ms) {
      const store = createPostgresStore({ pglite, schema, ...poll(ms) });
      stores.push(store);
      return store;
    },
    list(schema) {
      const list = createPostgresComplaintList({ pglite, schema }, sla);
      lists.push(list);
      return list;
    },
    async close() {
      await Promise.all([...lists, ...stores].map((x) => x.close()));
      await pglite.close();
    },
  };
}

let db: Backend;
beforeAll(async () => {
  db = await openBackend();
});
afterAll(() => db?.close());

const plan = historyPlan(40, 2026);
const total = plan.reduce((n, a) => n + a.events.length, 0);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const tableOf = (schema: string) => db.sql(`SELECT * FROM ${schema}.complaint_list ORDER BY stream_id`);
const checkpointIn = async (schema: string) =>
  Number(
    (await db.sql<{ position: string }>(`SELECT position FROM ${schema}.projection_checkpoints`))[0]
      ?.position,
  );

/** The oracle: the in-memory list fed from the same store, from zero. */
async function memoryOf(store: EventStore) {
  const memory = createMemoryComplaintList({ sla: listSla });
  await createProjectionRunner({ store, ...memory }).catchUp();
  return memory;
}

/** A schema holding the whole seeded history, with its store and a list. */
async function seeded() {
  const schema = db.newSchema();
  const store = db.store(schema);
  await appendPlan(store, plan);
  return { schema, store, list: db.list(schema) };
}

// PGlite runs in this process, on a machine that may be busy with other test files.
describe(`complaint list on ${backend}`, { timeout: 120_000 }, () => {
  it("R-33 R-24 answers every query (filters, paging, breachedAt) as the in-memory list does", async () => {
    const { store, list } = await seeded();
    const result = await createProjectionRunner({ store, ...list, batchSize: 50 }).catchUp();
    expect(result).toEqual({ position: total, applied: total });

    const memory = await memoryOf(store);
    const everything = await listSnapshot(memory);
    expect(await listSnapshot(list)).toStrictEqual(everything);
    const totals: number[] = [];
    for (const q of listQueries(everything.rows)) {
      const expected = await memory.query(q);
      expect(await list.query(q), JSON.stringify(q)).toStrictEqual(expected);
      totals.push(expected.total);
    }
    expect(new Set(everything.rows.map((r) => r.stage)).size).toBeGreaterThanOrEqual(5);
    expect(totals.filter((n) => n > 0 && n < 40).length).toBeGreaterThanOrEqual(12);
    await expectVersionsOfStreams(store, everything.rows);
  });

  it("a rebuild from zero equals the model built incrementally", async () => {
    const schema = db.newSchema();
    const store = db.store(schema);
    const list = db.list(schema);
    const runner = createProjectionRunner({ store, ...list, batchSize: 7 });
    const half = Math.floor(plan.length / 2);
    await appendPlan(store, plan.slice(0, half));
    await runner.catchUp();
    await appendPlan(store, plan.slice(half));
    await runner.catchUp();
    const incremental = { model: await listSnapshot(list), table: await tableOf(schema) };
    expect(await checkpointIn(schema)).toBe(total);

    expect(await runner.rebuild()).toEqual({ position: total, applied: total });
    expect(await listSnapshot(list)).toStrictEqual(incremental.model);
    expect(await tableOf(schema)).toStrictEqual(incremental.table);
    await expectVersionsOfStreams(store, incremental.model.rows);
  });

  it("resumes after a crash mid-batch from its checkpoint, applying every event once", async () => {
    const { schema, store, list } = await seeded();
    const failAt = 137;
    const crashing = crashingOnce(list.projection, failAt);
    const runner = () =>
      createProjectionRunner({ store, target: list.target, projection: crashing.projection, batchSize: 10 });

    await expect(runner().catchUp()).rejects.toThrow(`crash in the batch of position ${failAt}`);
    expect(await checkpointIn(schema)).toBe(130);
    const events = await store.readAll({ limit: total });
    for (const row of await tableOf(schema))
      expect((row as { version: number }).version).toBe(
        events.filter((e) => e.streamId === (row as { stream_id: string }).stream_id && e.position <= 130)
          .length,
      );

    expect(await runner().catchUp()).toEqual({ position: total, applied: total - 130 });
    expect(crashing.applied).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    const resumed = await listSnapshot(list);
    expect(resumed).toStrictEqual(await listSnapshot(await memoryOf(store)));
    await expectVersionsOfStreams(store, resumed.rows);
    await createProjectionRunner({ store, ...list }).rebuild();
    expect(await listSnapshot(list)).toStrictEqual(resumed);
  });

  it("a read-model write that fails rolls back the whole batch and its checkpoint", async () => {
    const schema = db.newSchema();
    const store = db.store(schema);
    const list = db.list(schema);
    const half = Math.floor(plan.length / 2);
    await appendPlan(store, plan.slice(0, half));
    const runner = createProjectionRunner({ store, ...list, batchSize: 10_000 });
    await runner.catchUp();
    const before = { table: await tableOf(schema), checkpoint: await checkpointIn(schema) };

    await appendPlan(store, plan.slice(half));
    // A stream the new batch updates late in its order, so earlier writes of the batch precede it.
    const victim = plan[plan.length - 1]!.streamId;
    await db.sql(`CREATE FUNCTION ${schema}.refuse() RETURNS trigger LANGUAGE plpgsql
                  AS $$ BEGIN RAISE EXCEPTION 'disk says no'; END $$`);
    await db.sql(`CREATE TRIGGER refuse BEFORE INSERT OR UPDATE ON ${schema}.complaint_list
                  FOR EACH ROW WHEN (NEW.stream_id = '${victim}') EXECUTE FUNCTION ${schema}.refuse()`);
    await expect(runner.catchUp()).rejects.toThrow("disk says no");
    expect(await checkpointIn(schema)).toBe(before.checkpoint);
    expect(await tableOf(schema)).toStrictEqual(before.table);

    await db.sql(`DROP TRIGGER refuse ON ${schema}.complaint_list`);
    expect((await runner.catchUp()).position).toBe(total);
    expect(await listSnapshot(list)).toStrictEqual(await listSnapshot(await memoryOf(store)));
  });

  it("follows events appended through another store instance (LISTEN/NOTIFY)", async () => {
    const schema = db.newSchema();
    const writer = db.store(schema);
    // Polling once a minute: within the test only a notification can wake the reader.
    const reader = db.store(schema, 60_000);
    const list = db.list(schema);
    const half = Math.floor(plan.length / 2);
    await appendPlan(writer, plan.slice(0, half));
    const runner = createProjectionRunner({ store: reader, ...list, batchSize: 25 });
    await runner.start();
    try {
      await appendPlan(writer, plan.slice(half));
      await vi.waitFor(async () => expect(await list.target.checkpoint("complaint-list")).toBe(total), {
        timeout: 20_000,
        interval: 50,
      });
    } finally {
      await runner.stop();
    }
    expect(await listSnapshot(list)).toStrictEqual(await listSnapshot(await memoryOf(writer)));
  });

  it("two runners on one schema take turns and still apply each event once", async () => {
    const { schema, store } = await seeded();
    const lists = [db.list(schema), db.list(schema)];
    await Promise.all(
      lists.map((list, i) => createProjectionRunner({ store, ...list, batchSize: 5 + i * 3 }).catchUp()),
    );
    const model = await listSnapshot(lists[0]!);
    expect(model).toStrictEqual(await listSnapshot(await memoryOf(store)));
    await expectVersionsOfStreams(store, model.rows);
  });

  it("migrates the list's tables once when several start together, and refuses tables from a newer kesu", async () => {
    const schema = db.newSchema();
    await Promise.all([db.list(schema).migrate(), db.list(schema).migrate(), db.store(schema).migrate()]);
    expect(await db.sql(`SELECT version FROM ${schema}.projection_migrations`)).toEqual([{ version: 1 }]);
    await db.sql(
      `INSERT INTO ${schema}.projection_migrations (version, name) VALUES (99, 'from the future')`,
    );
    const error = await db
      .list(schema)
      .migrate()
      .catch((e: unknown) => e);
    expect(isSchemaTooNewError(error) && error.found).toBe(99);
    await db.store(schema).migrate(); // the store's own schema is untouched
  });
});

describe.runIf(onServer)(
  "complaint list on a PostgreSQL server whose connections are killed",
  { timeout: 120_000 },
  () => {
    it("a connection terminated while committing rolls the batch back; the next run resumes", async () => {
      const { schema, store } = await seeded();
      const name = `kesu-list-${randomBytes(4).toString("hex")}`;
      const list = db.list(schema, name);
      await list.migrate();
      // Holds the COMMIT of the first batch past position 100 inside a deferred trigger.
      await db.sql(`CREATE FUNCTION ${schema}.slow_commit() RETURNS trigger LANGUAGE plpgsql
                  AS $$ BEGIN PERFORM pg_sleep(30); RETURN NULL; END $$`);
      await db.sql(`CREATE CONSTRAINT TRIGGER slow_commit AFTER UPDATE ON ${schema}.projection_checkpoints
                  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.position > 100)
                  EXECUTE FUNCTION ${schema}.slow_commit()`);
      const run = createProjectionRunner({ store, ...list, batchSize: 20 }).catchUp();
      const outcome = run.catch((error: unknown) => error);
      let killed = 0;
      await vi.waitFor(
        async () => {
          // Inside the trigger's sleep, not a fast COMMIT that may already have gone through.
          const rows = await db.sql<{ ok: boolean }>(
            `SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity
             WHERE application_name = $1 AND query = 'COMMIT' AND wait_event = 'PgSleep'`,
            [name],
          );
          killed += rows.length;
          expect(killed).toBe(1);
        },
        { timeout: 20_000, interval: 50 },
      );
      expect(await outcome).toBeInstanceOf(Error);
      expect(await checkpointIn(schema)).toBe(100);
      await db.sql(`DROP TRIGGER slow_commit ON ${schema}.projection_checkpoints`);

      expect(await createProjectionRunner({ store, ...list, batchSize: 20 }).catchUp()).toEqual({
        position: total,
        applied: total - 100,
      });
      const model = await listSnapshot(list);
      expect(model).toStrictEqual(await listSnapshot(await memoryOf(store)));
      await expectVersionsOfStreams(store, model.rows);
    });

    it("connections killed again and again between and during batches: the model still equals a fresh build", async () => {
      const { schema, store } = await seeded();
      const name = `kesu-list-${randomBytes(4).toString("hex")}`;
      const list = db.list(schema, name);
      await list.migrate();
      const reached = () => list.target.checkpoint("complaint-list").catch(() => 0);
      let kills = 0;
      let stop = false;
      const killer = (async () => {
        while (!stop) {
          const rows = await db.sql(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1",
            [name],
          );
          kills += rows.length;
          await sleep(10 + Math.random() * 50);
        }
      })();
      const runner = createProjectionRunner({ store, ...list, batchSize: 3 });
      let failures = 0;
      const deadline = Date.now() + 60_000;
      try {
        // Until 25 connections died with some batches committed in between (or all were applied).
        for (let at = await reached(); at < total && (kills < 25 || at === 0); at = await reached()) {
          if (Date.now() > deadline) break;
          await runner.catchUp().catch(() => {
            failures += 1;
          });
        }
      } finally {
        stop = true;
        await killer;
      }
      expect(failures).toBeGreaterThan(0);
      expect(await checkpointIn(schema)).toBeGreaterThan(0);
      await runner.catchUp();
      const model = await listSnapshot(list);
      expect(model).toStrictEqual(await listSnapshot(await memoryOf(store)));
      await expectVersionsOfStreams(store, model.rows);
    });
  },
);

describe("docs/stores.md", () => {
  it("the PostgreSQL complaint-list example runs (on PGlite)", async () => {
    const [code] = docExamples("Keep a complaint list in PostgreSQL");
    const opened: PGlite[] = [];
    class ClosedAfterwards extends PGlite {
      constructor() {
        super();
        opened.push(this);
      }
    }
    try {
      const checks = await runDocBlock(code!, {
        "@electric-sql/pglite": { PGlite: ClosedAfterwards },
        kesu,
        "kesu/postgres": kesuPostgres,
      });
      expect(checks).toBe(1);
    } finally {
      await Promise.all(opened.map((db) => db.close()));
    }
  });
});
