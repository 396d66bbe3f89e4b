import Database from "better-sqlite3";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  type CorruptEventError,
  type EventStore,
  handle,
  isConcurrencyError,
  isCorruptEventError,
  isStoreBusyError,
  type RecordedEvent,
  type StoreBusyError,
} from "../../src/index.js";
import {
  createSqliteStore,
  isSchemaVersionError,
  type SchemaVersionError,
  SQLITE_SCHEMA_VERSION,
} from "../../src/stores/sqlite/index.js";
import { contractScenario } from "../../src/testing/contractScenario.js";
import { tempDb } from "./fixtures/tempDb.js";

const open: { close(): unknown }[] = [];
const temps: { remove(): void }[] = [];
afterEach(async () => {
  for (const x of open.splice(0).reverse()) await x.close();
  for (const t of temps.splice(0)) t.remove();
});

function newPath() {
  const db = tempDb();
  temps.push(db);
  return db.path;
}
function store(path: string, tuning: { pollMs?: number } = {}): EventStore {
  const s = createSqliteStore({ path, ...tuning });
  open.push(s);
  return s;
}
function raw(path: string): Database.Database {
  const db = new Database(path);
  open.push(db);
  return db;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection");
}

/** A store holding one received and classified complaint. */
async function withComplaint(path: string) {
  const s = contractScenario();
  const st = store(path);
  const id = s.streamId();
  const ctx = s.handleContext();
  await handle(st, id, s.receive(), ctx);
  await handle(st, id, { type: "ClassifyComplaint", kind: "complaint", category: "packaging" }, ctx);
  return { store: st, id, s };
}

describe("SQLite schema", () => {
  it("is created on first use, recorded in kesu_migrations, in WAL mode, and kept on reopen", async () => {
    const path = newPath();
    const { store: first, id } = await withComplaint(path);
    await first.close();
    const db = raw(path);
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .pluck()
      .all();
    expect(tables).toEqual([
      "kesu_commands",
      "kesu_events",
      "kesu_migrations",
      "kesu_serials",
      "kesu_streams",
    ]);
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    const again = store(path);
    expect((await again.readStream(id)).map((e) => e.type)).toEqual([
      "ComplaintReceived",
      "ComplaintClassified",
    ]);
    expect(db.prepare("SELECT version, name FROM kesu_migrations").all()).toEqual([
      { version: 1, name: "events, streams, commands, serials" },
      { version: SQLITE_SCHEMA_VERSION, name: "event seals: hash, prev_hash, chain" },
    ]);
  });

  it("refuses a file migrated by a newer release, naming both versions", () => {
    const path = newPath();
    store(path);
    raw(path).prepare("INSERT INTO kesu_migrations VALUES (99, 'from the future', '2030-01-01')").run();
    let error: unknown;
    try {
      createSqliteStore({ path });
    } catch (e) {
      error = e;
    }
    expect(isSchemaVersionError(error)).toBe(true);
    expect(error).toMatchObject({
      code: "store/schema-too-new",
      found: 99,
      supported: SQLITE_SCHEMA_VERSION,
    });
    expect((error as SchemaVersionError).message).toContain("99");
  });

  it("enforces versions and command ids with constraints, not only with the check", async () => {
    const path = newPath();
    const { store: st, id, s } = await withComplaint(path);
    const db = raw(path);
    const row = db.prepare("SELECT event FROM kesu_events WHERE stream_id = ? AND version = 2").get(id);
    const dupe = db.prepare("INSERT INTO kesu_events (stream_id, version, event) VALUES (?, ?, ?)");
    expect(() => dupe.run(id, 2, (row as { event: string }).event)).toThrow(/UNIQUE/);
    const command = db.prepare("SELECT * FROM kesu_commands LIMIT 1").get() as Record<string, unknown>;
    expect(() =>
      db.prepare("INSERT INTO kesu_commands VALUES (?, ?, 1, 1, 0)").run(command.command_id, s.streamId()),
    ).toThrow(/UNIQUE|PRIMARY/);
    // A foreign writer that skipped the streams table: the unique key still stops the append.
    dupe.run(id, 3, (row as { event: string }).event);
    const events = await s.decideNow(st, id, s.progress("after a foreign write"));
    const error = await rejection(st.appendToStream(id, events, { expectedVersion: 2 }));
    expect(isConcurrencyError(error)).toBe(true);
    expect(error).toMatchObject({ expected: 2, actual: 3 });
  });
});

describe("SQLite rows are parsed at the boundary", () => {
  async function corrupt(path: string, id: string, version: number, sql: string) {
    raw(path)
      .prepare(`UPDATE kesu_events SET event = ${sql} WHERE stream_id = ? AND version = ?`)
      .run(id, version);
  }
  const corruptError = async (promise: Promise<unknown>) => {
    const error = await rejection(promise);
    expect(isCorruptEventError(error)).toBe(true);
    return error as CorruptEventError;
  };

  it("a row that no longer matches its schema names stream, version and the schema error", async () => {
    const path = newPath();
    const { store: st, id, s } = await withComplaint(path);
    await corrupt(path, id, 2, "json_set(event, '$.data.kind', 'grumble')");
    const error = await corruptError(st.readStream(id));
    expect(error).toMatchObject({ code: "store/corrupt-event", streamId: id, version: 2 });
    expect(error.issues).toContain("data.kind");
    expect(error.message).toContain(id);
    expect(error.message).toContain("version 2");
    // Every read path reports it; none skips the row.
    await corruptError(st.readAll());
    await corruptError(st.readStream(id, { direction: "backward", maxCount: 1 }));
    expect(await st.readStream(id, { maxCount: 1 })).toHaveLength(1);
    await corruptError(handle(st, id, s.progress("on a corrupt stream"), s.handleContext()));
    const seen: RecordedEvent[] = [];
    const sub = st.subscribe({ onEvents: (batch) => void seen.push(...batch) });
    await corruptError(sub.caughtUp());
    expect(seen).toEqual([]);
  });

  it("a row that is not JSON, or lost a field, is reported too", async () => {
    const path = newPath();
    const { store: st, id } = await withComplaint(path);
    await corrupt(path, id, 1, "'{\"truncated\": '");
    expect((await corruptError(st.readStream(id))).issues).toMatch(/not JSON/);
    await corrupt(path, id, 1, "'[]'");
    expect((await corruptError(st.readStream(id))).issues).toMatch(/JSON object/);
    const classifyCommand = raw(path)
      .prepare("SELECT command_id FROM kesu_commands WHERE first_version = 2")
      .pluck()
      .get() as string;
    await corrupt(path, id, 2, "json_remove(event, '$.occurredAt')");
    const error = await corruptError(st.findCommand(classifyCommand));
    expect([error.version, error.issues]).toEqual([2, expect.stringContaining("occurredAt")]);
  });
});

describe("SQLite store lifecycle", () => {
  it("subscriptions see other connections' appends by polling", async () => {
    const path = newPath();
    const reader = store(path, { pollMs: 20 });
    const seen: RecordedEvent[] = [];
    reader.subscribe({ onEvents: (batch) => void seen.push(...batch) });
    const { store: writer } = await withComplaint(path);
    await vi.waitFor(() => expect(seen).toHaveLength(2), { timeout: 2_000 });
    expect(seen).toStrictEqual(await writer.readAll());
  });

  it("a database you pass stays yours: migrated, used, left open on close", async () => {
    const db = raw(newPath());
    const st = createSqliteStore({ database: db });
    expect(await st.nextSerial("scope")).toBe(1);
    await st.close();
    expect(db.open).toBe(true);
    expect(db.prepare("SELECT last FROM kesu_serials").pluck().get()).toBe(1);
  });

  it("a write lock held past busyTimeoutMs is a StoreBusyError naming the stream, and nothing is written", async () => {
    const path = newPath();
    const { id, s } = await withComplaint(path);
    const impatient = createSqliteStore({ path, busyTimeoutMs: 50 });
    open.push(impatient);
    const other = raw(path);
    other.prepare("BEGIN IMMEDIATE").run();
    const classified = (await impatient.readStream(id))[1]!;
    const event = {
      ...classified,
      id: s.streamId(),
      metadata: { ...classified.metadata, commandId: "busy-1" },
    };
    const busy = await rejection(impatient.appendToStream(id, [event], { expectedVersion: 2 }));
    expect(isStoreBusyError(busy)).toBe(true);
    expect(busy).toMatchObject({ code: "store/busy", resource: `stream ${id}`, waitedMs: 50 });
    expect((busy as StoreBusyError).message).toMatch(/nothing was written/);
    const serial = await rejection(impatient.nextSerial("case"));
    expect(serial).toMatchObject({ code: "store/busy", resource: "serial case" });
    other.prepare("COMMIT").run();
    expect((await impatient.streamInfo(id))?.version ?? 0).toBe(2);
    // Once the lock is free the same append goes through.
    const result = await impatient.appendToStream(id, [event], { expectedVersion: 2 });
    expect(result).toMatchObject({ nextExpectedVersion: 3, alreadyAppended: false });
  });

  it("close stops subscriptions and refuses further calls", async () => {
    const st = createSqliteStore({ path: newPath() });
    const sub = st.subscribe({ onEvents: () => {} });
    await st.close();
    await st.close();
    await sub.close();
    expect(String(await rejection(st.readAll()))).toMatch(/closed/);
    expect(String(await rejection(st.nextSerial("x")))).toMatch(/closed/);
  });
});
