import * as pglite from "@electric-sql/pglite";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as kesu from "../../src/index.js";
import {
  type ComplaintEvent,
  ConcurrencyError,
  CorruptEventError,
  isCorruptEventError,
} from "../../src/index.js";
import * as kesuPostgres from "../../src/stores/postgres/index.js";
import {
  createPostgresStore,
  isSchemaTooNewError,
  SCHEMA_VERSION,
  SchemaTooNewError,
} from "../../src/stores/postgres/index.js";
import { type DocModules, docSection, readDoc, runDocBlock, tsBlocks } from "../support/docs.js";
import {
  backend,
  newStreamId,
  openTestDatabase,
  progressEvents,
  type TestDatabase,
} from "../support/postgres.js";

let db: TestDatabase;
beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(() => db?.close());

describe(`PostgreSQL store on ${backend}`, () => {
  it("creates its schema on first use, once, even when several stores start together", async () => {
    const schema = db.newSchema();
    const stores = [0, 1, 2].map(() => db.openStore({ schema }));
    await Promise.all(stores.map((store) => store.migrate()));
    const applied = await db.sql<{ version: number }>(`SELECT version FROM "${schema}".migrations`);
    expect(applied.map((row) => row.version)).toEqual([1, 2, 3, 4, SCHEMA_VERSION]);
    const tables = await db.sql<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name",
      [schema],
    );
    expect(tables.map((row) => row.table_name)).toEqual([
      "commands",
      "events",
      "migrations",
      "serials",
      "streams",
    ]);
  });

  it("refuses a database migrated by a newer kesu instead of writing to it", async () => {
    const schema = db.newSchema();
    await db.openStore({ schema }).migrate();
    await db.sql(`INSERT INTO "${schema}".migrations (version, name) VALUES (99, 'from the future')`);
    const failure = await db
      .openStore({ schema })
      .migrate()
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(SchemaTooNewError);
    expect(isSchemaTooNewError(failure) && [failure.found, failure.known]).toEqual([99, SCHEMA_VERSION]);
  });

  it("refuses a schema name that is not a plain lower-case identifier", () => {
    for (const schema of ["Kesu", "kesu; drop table x", "1kesu", "a".repeat(41), ""])
      expect(() => createPostgresStore({ connectionString: "postgres://unused", schema })).toThrow(TypeError);
  });

  it("numbers events after the current version and returns them exactly as read back", async () => {
    const store = db.openStore();
    const id = newStreamId();
    const first = await store.appendToStream(id, progressEvents(id, 3), { expectedVersion: "no-stream" });
    const second = await store.appendToStream(id, progressEvents(id, 2), { expectedVersion: 3 });
    expect(first.createdStream).toBe(true);
    expect(second.nextExpectedVersion).toBe(5);
    const stored = await store.readStream(id);
    expect(stored.map((e) => e.version)).toEqual([1, 2, 3, 4, 5]);
    expect(stored).toEqual([...first.events, ...second.events]);
    const positions = stored.map((e) => e.position);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(await store.readAll()).toEqual(stored);
    expect(await store.readStream(id, { direction: "backward", maxCount: 2 })).toEqual([
      stored[4],
      stored[3],
    ]);
  });

  it("hashes in the database exactly the bytes verifyStream hashes, versions past 9 included", async () => {
    const store = db.openStore();
    const id = newStreamId();
    const tricky = '卷烟😡 «q» "é" \\ \u2028 \t </script> \u007f';
    const events = progressEvents(id, 5).map((event, i) => ({
      ...event,
      data: { message: `${tricky} ${i}`, channel: "phone" },
    })) as ComplaintEvent[];
    await store.appendToStream(id, events, { expectedVersion: "no-stream" });
    await store.appendToStream(id, progressEvents(id, 7), { expectedVersion: 5 });
    const records = await store.readIntegrity!({ streamId: id });
    for (const record of records) expect(record.hash).toBe(kesu.eventHash(record.prevHash!, record.envelope));
    expect(await kesu.verifyStream(store, id)).toMatchObject({ ok: true, events: 12 });
  });

  it("reports the real version in a ConcurrencyError", async () => {
    const store = db.openStore();
    const id = newStreamId();
    await store.appendToStream(id, progressEvents(id, 2), { expectedVersion: "no-stream" });
    const failure = await store
      .appendToStream(id, progressEvents(id, 1), { expectedVersion: 1 })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ConcurrencyError);
    expect(failure).toMatchObject({ streamId: id, expected: 1, actual: 2 });
    await expect(
      store.appendToStream(newStreamId(), progressEvents(id, 1), { expectedVersion: "stream-exists" }),
    ).rejects.toMatchObject({ actual: 0 });
  });

  it("answers a repeated command id with the first append's events, writing nothing", async () => {
    const store = db.openStore();
    const id = newStreamId();
    const batch = progressEvents(id, 2, "msg-42");
    const first = await store.appendToStream(id, batch, { expectedVersion: "no-stream" });
    const again = await store.appendToStream(id, batch, { expectedVersion: "no-stream" });
    expect(again).toEqual({ ...first, alreadyAppended: true });
    expect(await store.findCommand("msg-42")).toEqual(again);
    expect(await store.readStream(id)).toHaveLength(2);
  });

  it("writes nothing of a batch that fails halfway, and keeps working (all or none)", async () => {
    const store = db.openStore();
    const id = newStreamId();
    const batch = progressEvents(id, 50);
    const broken = [...batch.slice(0, 49), { ...batch[49]!, occurredAt: "not an instant" } as ComplaintEvent];
    await expect(store.appendToStream(id, broken, { expectedVersion: "no-stream" })).rejects.toThrow();
    expect(await store.readStream(id)).toEqual([]);
    expect(await store.streamInfo(id)).toBeUndefined();
    expect(await store.findCommand(batch[0]!.metadata.commandId)).toBeUndefined();
    const ok = await store.appendToStream(id, batch, { expectedVersion: "no-stream" });
    expect(ok.nextExpectedVersion).toBe(50);
  });

  it("reports a row that no longer matches the event schema with its stream, version and error", async () => {
    const store = db.openStore();
    const id = newStreamId();
    await store.appendToStream(id, progressEvents(id, 3), { expectedVersion: "no-stream" });
    await db.sql(
      `UPDATE "${store.schema}".events SET data = '{"message": "x", "channel": "carrier-pigeon"}' WHERE version = 2`,
    );
    const failure = await store.readStream(id).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(CorruptEventError);
    expect(failure).toMatchObject({
      streamId: id,
      version: 2,
      issues: expect.stringContaining("data.channel"),
    });
    await expect(store.readAll()).rejects.toSatisfy(isCorruptEventError);

    const seen: number[] = [];
    const errors: unknown[] = [];
    const subscription = store.subscribe({
      onEvents: (events) => void seen.push(...events.map((e) => e.version)),
      onError: (error) => void errors.push(error),
    });
    await subscription.caughtUp();
    await subscription.close();
    expect(seen).toEqual([]); // the whole batch is refused, not delivered around the bad row
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(CorruptEventError);
  });

  it("wakes a subscription through NOTIFY when another store appends", async () => {
    const schema = db.newSchema();
    const reader = db.openStore({ schema, pollIntervalMs: 60_000 });
    const writer = db.openStore({ schema });
    await reader.migrate();
    const seen: string[] = [];
    const subscription = reader.subscribe({
      onEvents: (events) => void seen.push(...events.map((e) => e.id)),
    });
    await subscription.caughtUp();
    // Give the LISTEN a moment to be in place; any notification before it is caught by its first read.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const id = newStreamId();
    const appended = await writer.appendToStream(id, progressEvents(id, 2), { expectedVersion: "no-stream" });
    await vi.waitFor(() => expect(seen).toEqual(appended.events.map((e) => e.id)), { timeout: 5_000 });
    await subscription.close();
  });

  it("stops its subscriptions and refuses work once closed", async () => {
    const store = db.openStore();
    const subscription = store.subscribe({ onEvents: () => {} });
    await subscription.caughtUp();
    await store.close();
    await expect(store.readAll()).rejects.toThrow(/closed/);
    expect(() => store.subscribe({ onEvents: () => {} })).toThrow(/closed/);
  });

  it("hands out serials per scope without duplicates", async () => {
    const store = db.openStore();
    const serials = await Promise.all(Array.from({ length: 10 }, () => store.nextSerial("2026-03-")));
    expect([...serials].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(await store.nextSerial("2026-04-")).toBe(1);
  });
});

// Runs the ```ts blocks of the PostgreSQL section of docs/stores.md on PGlite (DATABASE_URL is
// hidden from them). Imports are bound to the sources; `expr; // → json` is checked.
describe("docs/stores.md, PostgreSQL section", () => {
  const blocks = tsBlocks(docSection(readDoc("stores.md"), "PostgreSQL"));
  const modules: DocModules = {
    kesu,
    "kesu/postgres": kesuPostgres,
    "@electric-sql/pglite": pglite,
  };

  it.each(blocks.map((code, i) => [i + 1, code]))("example %i runs", { timeout: 60_000 }, async (_, code) => {
    const checks = await runDocBlock(code, modules, { process: { env: {} } });
    expect(checks).toBeGreaterThan(0);
  });
});
