/**
 * Group commit in the PostgreSQL store: appends made while another is on its way share one
 * transaction, and each is still answered, and fails, as if it had been made alone.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type AppendResult,
  type ComplaintEvent,
  ConcurrencyError,
  type ExpectedVersion,
  verifyStore,
} from "../../src/index.js";
import type { PostgresEventStore } from "../../src/stores/postgres/index.js";
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

/** The transaction that wrote each event, by event id. */
async function writers(store: PostgresEventStore): Promise<Map<string, string>> {
  const rows = await db.sql<{ event_id: string; xid: string }>(
    `SELECT event_id, xmin::text AS xid FROM "${store.schema}".events`,
  );
  return new Map(rows.map((row) => [row.event_id, row.xid]));
}

describe(`PostgreSQL store group commit on ${backend}`, () => {
  it("concurrent appends of one store share commits, and each result is what was stored", async () => {
    const store = db.openStore();
    await store.migrate();
    const streams = Array.from({ length: 6 }, () => newStreamId());
    const appends = Array.from({ length: 30 }, (_, i) => {
      const id = streams[i % streams.length]!;
      return { id, events: progressEvents(id, 1 + (i % 3)) };
    });
    const results = await Promise.all(
      appends.map(({ id, events }) => store.appendToStream(id, events, { expectedVersion: "any" })),
    );

    for (const [i, result] of results.entries()) {
      expect(result.events.map((e) => e.id)).toEqual(appends[i]!.events.map((e) => e.id));
      const stored = await store.readStream(result.streamId, {
        fromVersion: result.events[0]!.version,
        maxCount: result.events.length,
      });
      expect(result.events).toEqual(stored);
    }
    for (const id of streams) {
      const versions = (await store.readStream(id)).map((e) => e.version);
      expect(versions).toEqual(versions.map((_, i) => i + 1));
    }
    const positions = (await store.readAll({ limit: 10_000 })).map((e) => e.position);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(new Set(positions).size).toBe(appends.reduce((n, a) => n + a.events.length, 0));
    // Thirty appends, far fewer transactions: they waited for each other and went together.
    expect(new Set((await writers(store)).values()).size).toBeLessThan(appends.length / 2);
    expect(await verifyStore(store)).toMatchObject({ ok: true });
  });

  it("a conflict inside a group fails that append alone; the others commit together", async () => {
    const store = db.openStore();
    const x = newStreamId();
    const y = newStreamId();
    await store.appendToStream(x, progressEvents(x, 1), { expectedVersion: "no-stream" });
    // The first append goes alone; the next three wait for it and go as one group.
    const leader = newStreamId();
    const [, first, second, other] = await Promise.allSettled([
      store.appendToStream(leader, progressEvents(leader, 1), { expectedVersion: "no-stream" }),
      store.appendToStream(x, progressEvents(x, 2), { expectedVersion: 1 }),
      store.appendToStream(x, progressEvents(x, 1), { expectedVersion: 1 }),
      store.appendToStream(y, progressEvents(y, 1), { expectedVersion: "no-stream" }),
    ]);
    expect(first).toMatchObject({ status: "fulfilled", value: { nextExpectedVersion: 3 } });
    expect(second).toMatchObject({ status: "rejected", reason: { streamId: x, expected: 1, actual: 3 } });
    expect(second?.status === "rejected" && second.reason).toBeInstanceOf(ConcurrencyError);
    expect(other).toMatchObject({
      status: "fulfilled",
      value: { createdStream: true, nextExpectedVersion: 1 },
    });
    const tx = await writers(store);
    const firstEvents = first?.status === "fulfilled" ? first.value.events : [];
    const otherEvents = other?.status === "fulfilled" ? other.value.events : [];
    expect(tx.get(firstEvents[0]!.id)).toBe(tx.get(otherEvents[0]!.id));
    expect(await store.readStream(x)).toHaveLength(3);
  });

  it("an append the database rejects fails alone; the rest of its group lands", async () => {
    const store = db.openStore();
    const ids = [newStreamId(), newStreamId(), newStreamId(), newStreamId()];
    const bad = ids[2]!;
    const events = ids.map((id) => progressEvents(id, 2));
    // jsonb has no NUL character: the database rejects the text, after the group was sent.
    events[2] = events[2]!.map(
      (e) => ({ ...e, data: { message: "nul \u0000 here", channel: "phone" } }) as ComplaintEvent,
    );
    const outcomes = await Promise.allSettled(
      ids.map((id, i) => store.appendToStream(id, events[i]!, { expectedVersion: "no-stream" })),
    );
    expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "fulfilled", "rejected", "fulfilled"]);
    expect(await store.readStream(bad)).toEqual([]);
    expect(await store.streamInfo(bad)).toBeUndefined();
    expect(await store.findCommand(events[2]![0]!.metadata.commandId)).toBeUndefined();
    for (const i of [0, 1, 3]) expect(await store.readStream(ids[i]!)).toHaveLength(2);
    expect(await verifyStore(store)).toMatchObject({ ok: true });
  });

  it("a command repeated inside one group is answered with the events of the append that won", async () => {
    const store = db.openStore();
    const leader = newStreamId();
    const [a, b] = [newStreamId(), newStreamId()];
    const batch = progressEvents(a, 2, "cmd-twice");
    const [, first, again, moved] = await Promise.all([
      store.appendToStream(leader, progressEvents(leader, 1), { expectedVersion: "no-stream" }),
      store.appendToStream(a, batch, { expectedVersion: "no-stream" }),
      store.appendToStream(a, batch, { expectedVersion: "no-stream" }),
      store.appendToStream(b, progressEvents(b, 1, "cmd-twice"), { expectedVersion: "any" }),
    ]);
    // One append of the command wrote; every other one is answered with what it wrote.
    const results = [first, again, moved];
    const winners = results.filter((r) => !r.alreadyAppended);
    expect(winners).toHaveLength(1);
    for (const r of results) expect(r).toEqual({ ...winners[0]!, alreadyAppended: r.alreadyAppended });
    expect(await store.readStream(winners[0]!.streamId)).toEqual(winners[0]!.events);
    const loser = winners[0]!.streamId === a ? b : a;
    expect(await store.streamInfo(loser)).toBeUndefined();
  });

  it("appends from several stores on one schema (as several processes), grouped at once: each lands once, in order", async () => {
    const schema = db.newSchema();
    const stores = [0, 1, 2].map(() => db.openStore({ schema }));
    await Promise.all(stores.map((store) => store.migrate()));
    const streams = Array.from({ length: 8 }, () => newStreamId());
    // Each store appends to every stream, in its own order, many appends in flight at once:
    // groups lock rows of overlapping streams at the same time.
    const work = stores.flatMap((store, k) =>
      Array.from({ length: 40 }, (_, i) => {
        const id = streams[(i * (k + 1) + k) % streams.length]!;
        return store.appendToStream(id, progressEvents(id, 1 + (i % 2)), { expectedVersion: "any" });
      }),
    );
    const results = await Promise.all(work);
    const written = results.reduce((n, r) => n + r.events.length, 0);
    const all = await stores[0]!.readAll({ limit: 10_000 });
    expect(all).toHaveLength(written);
    expect(new Set(all.map((e) => e.id)).size).toBe(written);
    for (const id of streams) {
      const versions = all.filter((e) => e.streamId === id).map((e) => e.version);
      expect(versions).toEqual(versions.map((_, i) => i + 1));
    }
    expect(await verifyStore(stores[0]!)).toMatchObject({ ok: true, events: written });
  });

  it("any mix of concurrent appends: each stream numbered 1…n, results match the rows, the log verifies", async () => {
    const store = db.openStore();
    await store.migrate();
    const streams = Array.from({ length: 3 }, () => newStreamId());
    const expected = fc.oneof(
      fc.constantFrom<ExpectedVersion>("any", "no-stream", "stream-exists"),
      fc.integer({ min: 0, max: 6 }),
    );
    // `reuse`: the command id of an earlier append of the same round (a retried command).
    const append = fc.record({
      stream: fc.nat({ max: 2 }),
      count: fc.integer({ min: 1, max: 3 }),
      expected,
      reuse: fc.option(fc.nat({ max: 11 }), { nil: undefined }),
    });
    let round = 0;
    // Each round appends on top of the previous rounds: the streams grow through the run.
    await fc.assert(
      fc.asyncProperty(fc.array(append, { minLength: 1, maxLength: 12 }), async (plan) => {
        round += 1;
        const before = await Promise.all(
          streams.map(async (id) => (await store.streamInfo(id))?.version ?? 0),
        );
        const made = plan.map((a, i) => {
          const command = `cmd-${round}-${a.reuse !== undefined && a.reuse < i ? a.reuse : i}`;
          return {
            ...a,
            command,
            id: streams[a.stream]!,
            events: progressEvents(streams[a.stream]!, a.count, command),
          };
        });
        const outcomes = await Promise.allSettled(
          made.map((a) => store.appendToStream(a.id, a.events, { expectedVersion: a.expected })),
        );
        const landed: AppendResult[] = [];
        for (const [i, outcome] of outcomes.entries()) {
          if (outcome.status === "fulfilled" && !outcome.value.alreadyAppended) {
            landed.push(outcome.value);
            // The expectation held against the version the append was numbered after.
            const after = outcome.value.events[0]!.version - 1;
            const wanted = made[i]!.expected;
            if (typeof wanted === "number") expect(after).toBe(wanted);
            if (wanted === "no-stream") expect(after).toBe(0);
            if (wanted === "stream-exists") expect(after).toBeGreaterThan(0);
            expect(outcome.value.events.map((e) => e.id)).toEqual(made[i]!.events.map((e) => e.id));
          } else if (outcome.status === "rejected") {
            expect(outcome.reason).toBeInstanceOf(ConcurrencyError);
            expect(made[i]!.expected).not.toBe("any");
          }
        }
        // A command writes once; its repeats are answered with what it wrote.
        for (const [i, outcome] of outcomes.entries()) {
          if (outcome.status === "rejected" || !outcome.value.alreadyAppended) continue;
          const first = landed.filter((r) => r.events[0]!.metadata.commandId === made[i]!.command);
          expect(first).toHaveLength(1);
          expect(outcome.value).toEqual({ ...first[0]!, alreadyAppended: true });
        }
        for (const [s, id] of streams.entries()) {
          const stored = await store.readStream(id);
          expect(stored.map((e) => e.version)).toEqual(stored.map((_, i) => i + 1));
          const mine = landed.filter((r) => r.streamId === id).flatMap((r) => r.events);
          expect(stored.slice(before[s]!)).toEqual(mine.sort((a, b) => a.version - b.version));
          // Exactly one append created a stream that had no events before the round.
          const creators = landed.filter((r) => r.streamId === id && r.createdStream);
          expect(creators.length).toBe(before[s] === 0 && stored.length > 0 ? 1 : 0);
        }
      }),
      { numRuns: 25 },
    );
    expect(await verifyStore(store)).toMatchObject({ ok: true });
  });
});
