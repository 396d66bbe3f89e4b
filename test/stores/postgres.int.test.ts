import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  type ComplaintId,
  defaultPolicy,
  type EventStore,
  fixedClock,
  type HandleContext,
  handle,
  isConcurrencyError,
  type RecordedEvent,
  ulidGenerator,
  verifyStore,
} from "../../src/index.js";
import {
  backend,
  newStreamId,
  onServer,
  openTestDatabase,
  progressEvents,
  type TestDatabase,
} from "../support/postgres.js";

let db: TestDatabase;
beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(() => db?.close());

const ctx: HandleContext = {
  clock: fixedClock("2026-03-02T01:00:00.000Z"),
  ids: ulidGenerator(),
  actor: { id: "staff-1", role: "staff", unit: "service" },
  policy: defaultPolicy,
  maxRetries: 200,
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Counts the conflicts a store throws and widens the read-decide-append window a little. */
function racy(store: EventStore) {
  const counted = { conflicts: 0 };
  const wrapped: EventStore = {
    ...store,
    subscribe: store.subscribe.bind(store),
    async readStream(streamId, options) {
      const events = await store.readStream(streamId, options);
      await sleep(Math.random() * 3);
      return events;
    },
    async appendToStream(streamId, events, options) {
      try {
        return await store.appendToStream(streamId, events, options);
      } catch (error) {
        if (isConcurrencyError(error)) counted.conflicts += 1;
        throw error;
      }
    },
  };
  return Object.assign(counted, { store: wrapped });
}

// On PGlite every store shares one in-process connection: transactions never overlap, so these
// tests still check the results but cannot create real database-level races.
const many = onServer ? "separate connections" : "one shared PGlite connection, transactions serialised";

describe(`PostgreSQL store under concurrency on ${backend}`, () => {
  it(`8 writers on one stream (${many}): every version once, conflicts retried, nothing lost`, async () => {
    const schema = db.newSchema();
    const id = newStreamId();
    const setup = db.openStore({ schema });
    const received = await handle(
      setup,
      id,
      { type: "ReceiveComplaint", channel: "phone", complainant: { id: "c-1" }, description: "少两支" },
      ctx,
    );
    expect(received.ok).toBe(true);

    const writers = Array.from({ length: 8 }, () => racy(db.openStore({ schema })));
    const perWriter = onServer ? 8 : 4; // PGlite runs in this process: keep it short
    const results = await Promise.all(
      writers.map(async ({ store }, w) => {
        const accepted: string[] = [];
        for (let i = 0; i < perWriter; i++) {
          const message = `writer ${w} update ${i}`;
          const result = await handle(store, id, { type: "ReportProgress", message, channel: "phone" }, ctx);
          if (result.ok && !result.alreadyHandled) accepted.push(message);
        }
        return accepted;
      }),
    );
    const accepted = results.flat();
    expect(accepted).toHaveLength(8 * perWriter);
    expect(writers.reduce((sum, w) => sum + w.conflicts, 0)).toBeGreaterThan(0);

    const stream = await setup.readStream(id);
    expect(stream.map((e) => e.version)).toEqual(
      Array.from({ length: 1 + accepted.length }, (_, i) => i + 1),
    );
    const messages = stream.flatMap((e) => (e.type === "ProgressReported" ? [e.data.message] : []));
    expect([...messages].sort()).toEqual([...accepted].sort());
    expect((await setup.streamInfo(id))?.version).toBe(1 + accepted.length);
  });

  it(`20 concurrent creates of one stream (${many}): exactly one wins`, async () => {
    const schema = db.newSchema();
    await db.openStore({ schema }).migrate();
    const stores = Array.from({ length: 20 }, () => db.openStore({ schema }));
    const id = newStreamId();
    const outcomes = await Promise.allSettled(
      stores.map((store) =>
        store.appendToStream(id, progressEvents(id, 2), { expectedVersion: "no-stream" }),
      ),
    );
    const winners = outcomes.filter((o) => o.status === "fulfilled");
    const losers = outcomes.flatMap((o) => (o.status === "rejected" ? [o.reason as unknown] : []));
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(19);
    for (const error of losers) expect(error).toMatchObject({ name: "ConcurrencyError", actual: 2 });
    const stream = await stores[0]!.readStream(id);
    expect(stream.map((e) => e.id)).toEqual(winners[0]!.value.events.map((e) => e.id));
  });

  it(`a reader following readAll positions sees every event exactly once while writers commit out of order (${many})`, async () => {
    const schema = db.newSchema();
    await db.openStore({ schema }).migrate();
    const streams = Array.from({ length: 30 }, () => newStreamId());
    const writers = Array.from({ length: onServer ? 8 : 3 }, () => db.openStore({ schema }));
    const reader = db.openStore({ schema });
    const follower = db.openStore({ schema, pollIntervalMs: 50 });

    const followed: RecordedEvent[] = [];
    const subscription = follower.subscribe({
      batchSize: 7,
      onEvents: (events) => void followed.push(...events),
    });

    let writing = true;
    const seen: RecordedEvent[] = [];
    const reading = (async () => {
      let after = 0;
      for (;;) {
        const done = !writing; // decided before the read, so the last read comes after the last commit
        const batch = await reader.readAll({ after, limit: 25 });
        seen.push(...batch);
        if (batch.length > 0) after = batch[batch.length - 1]!.position;
        else if (done) return;
      }
    })();
    await Promise.all(
      writers.map(async (store) => {
        for (let i = 0; i < 40; i++) {
          const id = streams[Math.floor(Math.random() * streams.length)]!;
          const count = 1 + Math.floor(Math.random() * 3);
          await store.appendToStream(id, progressEvents(id, count), { expectedVersion: "any" });
        }
      }),
    );
    writing = false;
    await reading;
    await subscription.caughtUp();
    await subscription.close();

    const all = await reader.readAll({ limit: 100_000 });
    expect(all.length).toBeGreaterThanOrEqual(writers.length * 40);
    const positions = (events: readonly RecordedEvent[]) => events.map((e) => e.position);
    expect(positions(seen)).toEqual(positions(all)); // in order, none skipped, none twice
    expect(positions(followed)).toEqual(positions(all));
    for (const id of streams) {
      const versions = all.filter((e) => e.streamId === id).map((e) => e.version);
      expect(versions).toEqual(versions.map((_, i) => i + 1));
    }
    // The log chain, computed under the append lock, follows the same commit order.
    expect(await verifyStore(reader)).toMatchObject({ ok: true, events: all.length });
  });

  it.skipIf(!onServer)(
    "a connection killed during a large append commits nothing and the store carries on (needs a server: skipped on PGlite)",
    async () => {
      const schema = db.newSchema();
      const application_name = `kesu_drop_${randomBytes(4).toString("hex")}`;
      const store = db.openStore({ schema, pool: db.newPool({ max: 4, application_name }) });
      await store.migrate();
      const id: ComplaintId = newStreamId();
      const batch = progressEvents(id, 20_000);

      const appending = store.appendToStream(id, batch, { expectedVersion: "no-stream" });
      const outcome = appending.then(
        () => "committed",
        (error: unknown) => error,
      );
      let killed = false;
      while (!killed) {
        const rows = await db.sql<{ pid: number }>(
          `SELECT pid FROM pg_stat_activity
           WHERE application_name = $1 AND state = 'active' AND query LIKE '%append_to_stream%'`,
          [application_name],
        );
        if (rows[0]) {
          await db.sql("SELECT pg_terminate_backend($1)", [rows[0].pid]);
          killed = true;
        } else if ((await Promise.race([outcome, sleep(2).then(() => "pending")])) !== "pending") {
          throw new Error("the append finished before it could be interrupted");
        }
      }
      expect(await outcome).toBeInstanceOf(Error);

      const count = await db.sql<{ n: number }>(`SELECT count(*)::int AS n FROM "${schema}".events`);
      expect(count[0]!.n).toBe(0);
      expect(await db.sql(`SELECT * FROM "${schema}".streams`)).toEqual([]);
      expect(await db.sql(`SELECT * FROM "${schema}".commands`)).toEqual([]);

      const retried = await store.appendToStream(id, progressEvents(id, 3), { expectedVersion: "no-stream" });
      expect(retried.nextExpectedVersion).toBe(3);
      expect(await store.readStream(id)).toHaveLength(3);
    },
  );

  it.skipIf(!onServer)(
    "a subscription keeps receiving after its LISTEN connection is killed (needs a server: skipped on PGlite)",
    async () => {
      const schema = db.newSchema();
      const application_name = `kesu_listen_${randomBytes(4).toString("hex")}`;
      const reader = db.openStore({ schema, pollIntervalMs: 60_000, pool: db.newPool({ application_name }) });
      const writer = db.openStore({ schema });
      await reader.migrate();
      const seen: string[] = [];
      const subscription = reader.subscribe({
        onEvents: (events) => void seen.push(...events.map((e) => e.id)),
      });
      await subscription.caughtUp();

      const listening = async () =>
        db.sql<{ pid: number }>(
          "SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND query LIKE 'LISTEN%'",
          [application_name],
        );
      await vi.waitFor(async () => expect(await listening()).toHaveLength(1), { timeout: 5_000 });
      const [{ pid }] = (await listening()) as [{ pid: number }];
      await db.sql("SELECT pg_terminate_backend($1)", [pid]);

      const id = newStreamId();
      const appended = await writer.appendToStream(id, progressEvents(id, 2), {
        expectedVersion: "no-stream",
      });
      // Listening again takes about a second; the poll alone would take a minute.
      await vi.waitFor(() => expect(seen).toEqual(appended.events.map((e) => e.id)), { timeout: 5_000 });
      await vi.waitFor(async () => expect((await listening())[0]?.pid).not.toBe(pid), { timeout: 5_000 });

      const more = await writer.appendToStream(id, progressEvents(id, 1), { expectedVersion: 2 });
      await vi.waitFor(() => expect(seen).toHaveLength(3), { timeout: 5_000 });
      expect(seen[2]).toBe(more.events[0]!.id);
      await subscription.close();
    },
  );
});
