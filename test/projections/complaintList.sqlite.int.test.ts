import Database from "better-sqlite3";
import { afterEach, describe, expect, it, vi } from "vitest";
import * as kesu from "../../src/index.js";
import { createMemoryComplaintList, createProjectionRunner, type EventStore } from "../../src/index.js";
import * as kesuPresets from "../../src/presets/index.js";
import * as kesuSqlite from "../../src/stores/sqlite/index.js";
import {
  createSqliteComplaintList,
  createSqliteStore,
  isSchemaVersionError,
  type SqliteComplaintList,
} from "../../src/stores/sqlite/index.js";
import { tempDb } from "../stores/fixtures/tempDb.js";
import { runDocBlock } from "../support/docs.js";
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

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

function newPath(): string {
  const temp = tempDb();
  cleanup.push(() => temp.remove());
  return temp.path;
}
function openStore(path: string, pollMs?: number): EventStore {
  const store = createSqliteStore({ path, ...(pollMs === undefined ? {} : { pollMs }) });
  cleanup.push(() => store.close());
  return store;
}
function openList(path: string): SqliteComplaintList {
  const list = createSqliteComplaintList({ path }, { sla: listSla });
  cleanup.push(() => list.close());
  return list;
}
function raw(path: string): Database.Database {
  const db = new Database(path);
  cleanup.push(() => db.close());
  return db;
}
/** The list's table as stored, column by column. */
const tableOf = (db: Database.Database) =>
  db.prepare("SELECT * FROM kesu_complaint_list ORDER BY stream_id").all();
const checkpointIn = (db: Database.Database) =>
  (db.prepare("SELECT position FROM kesu_projection_checkpoints").get() as { position: number } | undefined)
    ?.position;

/** The oracle: the in-memory list fed from the same store, from zero. */
async function memoryOf(store: EventStore) {
  const memory = createMemoryComplaintList({ sla: listSla });
  await createProjectionRunner({ store, ...memory }).catchUp();
  return memory;
}

const plan = historyPlan(40, 2026);
const total = plan.reduce((n, a) => n + a.events.length, 0);

describe("complaint list on SQLite", () => {
  it("R-33 R-24 answers every query (filters, paging, breachedAt) as the in-memory list does", async () => {
    const path = newPath();
    const store = openStore(path);
    await appendPlan(store, plan);
    const list = openList(path);
    const result = await createProjectionRunner({ store, ...list, batchSize: 50 }).catchUp();
    expect(result).toEqual({ position: total, applied: total });

    const memory = await memoryOf(store);
    const everything = await listSnapshot(memory);
    expect(await listSnapshot(list)).toStrictEqual(everything);
    const queries = listQueries(everything.rows);
    const totals: number[] = [];
    for (const q of queries) {
      const expected = await memory.query(q);
      expect(await list.query(q), JSON.stringify(q)).toStrictEqual(expected);
      totals.push(expected.total);
    }
    // The history is rich enough for the comparison to mean something.
    expect(new Set(everything.rows.map((r) => r.stage)).size).toBeGreaterThanOrEqual(5);
    expect(totals.filter((n) => n > 0 && n < 40).length).toBeGreaterThanOrEqual(12);
    expect(everything.rows.some((r) => r.slaLate.length > 0)).toBe(true);
    await expectVersionsOfStreams(store, everything.rows);
  });

  it("a rebuild from zero equals the model built incrementally (store and list on one connection)", async () => {
    const db = raw(newPath());
    db.pragma("journal_mode = WAL"); // a database passed in keeps the pragmas its owner set
    const store = createSqliteStore({ database: db });
    const list = createSqliteComplaintList({ database: db }, { sla: listSla });
    const runner = createProjectionRunner({ store, ...list, batchSize: 7 });
    const half = Math.floor(plan.length / 2);
    await appendPlan(store, plan.slice(0, half));
    await runner.catchUp();
    await appendPlan(store, plan.slice(half));
    await runner.catchUp();
    const incremental = { model: await listSnapshot(list), table: tableOf(db) };
    expect(checkpointIn(db)).toBe(total);

    expect(await runner.rebuild()).toEqual({ position: total, applied: total });
    expect(await listSnapshot(list)).toStrictEqual(incremental.model);
    expect(tableOf(db)).toStrictEqual(incremental.table);
    await expectVersionsOfStreams(store, incremental.model.rows);
    await list.close();
    await store.close();
    expect(db.open).toBe(true); // a database passed in stays the caller's
  });

  it("resumes after a crash mid-batch from its checkpoint, applying every event once", async () => {
    const path = newPath();
    const store = openStore(path);
    await appendPlan(store, plan);
    const db = raw(path);
    const list = openList(path);
    const failAt = 137;
    const crashing = crashingOnce(list.projection, failAt);
    const runner = () =>
      createProjectionRunner({ store, target: list.target, projection: crashing.projection, batchSize: 10 });

    await expect(runner().catchUp()).rejects.toThrow(`crash in the batch of position ${failAt}`);
    expect(checkpointIn(db)).toBe(130);
    const atCheckpoint = tableOf(db);
    // Nothing of the failed batch was written: every stored version is from events up to 130.
    const events = await store.readAll({ limit: total });
    for (const row of atCheckpoint as { stream_id: string; version: number }[])
      expect(row.version).toBe(
        events.filter((e) => e.streamId === row.stream_id && e.position <= 130).length,
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
    const path = newPath();
    const store = openStore(path);
    const half = Math.floor(plan.length / 2);
    await appendPlan(store, plan.slice(0, half));
    const list = openList(path);
    const runner = createProjectionRunner({ store, ...list, batchSize: 10_000 });
    await runner.catchUp();
    const db = raw(path);
    const before = { table: tableOf(db), checkpoint: checkpointIn(db) };

    await appendPlan(store, plan.slice(half));
    // A stream the new batch updates late in its order, so earlier writes of the batch precede it.
    const victim = plan[plan.length - 1]!.streamId;
    for (const when of ["INSERT", "UPDATE"])
      db.exec(`CREATE TRIGGER refuse_${when} BEFORE ${when} ON kesu_complaint_list
               WHEN NEW.stream_id = '${victim}' BEGIN SELECT RAISE(ABORT, 'disk says no'); END`);
    await expect(runner.catchUp()).rejects.toThrow("disk says no");
    expect(checkpointIn(db)).toBe(before.checkpoint);
    expect(tableOf(db)).toStrictEqual(before.table);

    db.exec("DROP TRIGGER refuse_INSERT; DROP TRIGGER refuse_UPDATE");
    expect((await runner.catchUp()).position).toBe(total);
    expect(await listSnapshot(list)).toStrictEqual(await listSnapshot(await memoryOf(store)));
  });

  it("follows events appended by another store on the same file", async () => {
    const path = newPath();
    const writer = openStore(path);
    const reader = openStore(path, 20);
    const list = openList(path);
    const half = Math.floor(plan.length / 2);
    await appendPlan(writer, plan.slice(0, half));
    const runner = createProjectionRunner({ store: reader, ...list, batchSize: 25 });
    await runner.start();
    cleanup.push(() => runner.stop());
    await appendPlan(writer, plan.slice(half));
    // No idle(): only the reader's polling can bring the writer's events in.
    await vi.waitFor(async () => expect(await list.target.checkpoint("complaint-list")).toBe(total), {
      timeout: 10_000,
    });
    expect(await listSnapshot(list)).toStrictEqual(await listSnapshot(await memoryOf(writer)));
  });

  it("two runners on one file (two connections) interleave their batches and still apply each event once", async () => {
    const path = newPath();
    const store = openStore(path);
    await appendPlan(store, plan);
    const lists = [openList(path), openList(path)];
    await Promise.all(
      lists.map((list, i) => createProjectionRunner({ store, ...list, batchSize: 5 + i * 3 }).catchUp()),
    );
    const model = await listSnapshot(lists[0]!);
    expect(model).toStrictEqual(await listSnapshot(await memoryOf(store)));
    expect(await listSnapshot(lists[1]!)).toStrictEqual(model);
    await expectVersionsOfStreams(store, model.rows);
  });

  it("migrates the list's tables once, beside the store's, and refuses tables from a newer kesu", async () => {
    const path = newPath();
    openList(path);
    openList(path);
    openStore(path);
    const db = raw(path);
    expect(db.prepare("SELECT version FROM kesu_projection_migrations").all()).toEqual([{ version: 1 }]);
    expect(db.prepare("SELECT MAX(version) AS v FROM kesu_migrations").get()).toEqual({
      v: kesuSqlite.SQLITE_SCHEMA_VERSION,
    });
    db.prepare("INSERT INTO kesu_projection_migrations VALUES (99, 'from the future', 'now')").run();
    let error: unknown;
    try {
      createSqliteComplaintList({ path });
    } catch (e) {
      error = e;
    }
    expect(isSchemaVersionError(error) && error.found).toBe(99);
    openStore(path); // the store's own schema is untouched
  });

  it("docs/stores.md: the SQLite complaint-list example runs", async () => {
    const [code] = docExamples("Keep a complaint list in SQLite");
    const path = newPath(); // the example names a file in the working directory
    const checks = await runDocBlock(code!.replaceAll('"complaints.db"', JSON.stringify(path)), {
      kesu,
      "kesu/presets": kesuPresets,
      "kesu/sqlite": kesuSqlite,
    });
    expect(checks).toBe(5);
  });
});
