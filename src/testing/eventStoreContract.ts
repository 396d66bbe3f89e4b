import { describe, expect, it } from "vitest";
import { type EventStore, isConcurrencyError } from "../stores/eventStore.js";
import { handleOrThrow } from "../stores/handle.js";
import { contractReads } from "./contractReads.js";
import {
  type ContractTest,
  conflict,
  contractScenario,
  increasing,
  positions,
  streamOf,
  versions,
} from "./contractScenario.js";
import { contractIntegrity } from "./eventStoreContractIntegrity.js";

/** What a contract factory returns: a new, empty store. */
export interface ContractStore {
  /** A new, empty store for one test. */
  readonly store: EventStore;
  /** Runs after the suite has closed every store of the test (delete a temp file, drop a schema). */
  readonly cleanup?: (() => Promise<void>) | undefined;
  /**
   * Opens another store on the same storage: a second connection, as another process would
   * have. When given, idempotency, races and serials are also checked across connections.
   */
  readonly connect?: (() => Promise<EventStore>) | undefined;
}

/** Options of {@link eventStoreContract}. */
export interface EventStoreContractOptions {
  /** Timeout of each test in ms (default 30 000). */
  readonly timeout?: number | undefined;
  /** How many writers race to create one stream (default 20). */
  readonly racers?: number | undefined;
  /**
   * Check tamper evidence: the store implements `readIntegrity` and an untampered store
   * verifies (default true). Pass false only for an adapter that does not seal its events yet.
   */
  readonly integrity?: boolean | undefined;
}

/**
 * The behaviour every {@link EventStore} must have, as a vitest suite: expected versions,
 * races, atomic batches, idempotent appends, reads, metadata, exact round trips,
 * subscriptions, serials, `handle` end to end, and tamper evidence (sealed events verify).
 * Call it at the top level of a test file; `factory` runs once per test and must return an
 * empty store.
 * @example
 * // test/myStore.test.ts
 * import { eventStoreContract } from "kesu/testing";
 * eventStoreContract("my store", async () => {
 *   const store = await openMyStore();
 *   return { store, cleanup: () => dropMyDatabase() };
 * });
 */
export function eventStoreContract(
  name: string,
  factory: () => Promise<ContractStore>,
  options: EventStoreContractOptions = {},
): void {
  const timeout = options.timeout ?? 30_000;
  const racers = options.racers ?? 20;

  const test: ContractTest = (title, body) => {
    it(
      title,
      async () => {
        const opened = await factory();
        const extra = opened.connect ? await opened.connect() : undefined;
        try {
          await body({ store: opened.store, other: extra ?? opened.store, s: contractScenario() });
        } finally {
          await extra?.close();
          await opened.store.close();
          await opened.cleanup?.();
        }
      },
      timeout,
    );
  };

  describe(`event store contract: ${name}`, () => {
    describe("append", () => {
      test("assigns versions after the current one and increasing global positions", async (h) => {
        const a = h.s.streamId();
        const b = h.s.streamId();
        const received = h.s.decideOn(a, [], h.s.receive());
        const first = await h.store.appendToStream(a, received, { expectedVersion: "no-stream" });
        expect(first).toMatchObject({ streamId: a, nextExpectedVersion: 1, createdStream: true });
        expect(first.alreadyAppended).toBe(false);
        expect(first.events).toStrictEqual([{ ...received[0]!, position: first.events[0]!.position }]);
        await h.store.appendToStream(b, h.s.decideOn(b, [], h.s.receive()), { expectedVersion: "no-stream" });
        // Both decided as version 2 of the same history: the store numbers them, not the caller.
        const stale1 = h.s.decideOn(a, received, h.s.progress("一"));
        const stale2 = h.s.decideOn(a, received, h.s.progress("二"));
        const r1 = await h.store.appendToStream(a, stale1, { expectedVersion: "any" });
        const r2 = await h.store.appendToStream(a, stale2, { expectedVersion: "any" });
        expect(versions(r1.events)).toEqual([2]);
        expect(versions(r2.events)).toEqual([3]);
        expect(r2).toMatchObject({ nextExpectedVersion: 3, createdStream: false, alreadyAppended: false });
        const stream = await h.store.readStream(a);
        expect(versions(stream)).toEqual([1, 2, 3]);
        expect(stream.every((e) => e.streamId === a)).toBe(true);
        expect(stream).toStrictEqual([...first.events, ...r1.events, ...r2.events]);
        const all = await h.store.readAll();
        expect(all).toHaveLength(4);
        expect(increasing(positions(all))).toBe(true);
        expect(all.map((e) => e.streamId)).toEqual([a, b, a, a]);
      });

      test("an exact expected version is checked; the error carries the real version", async (h) => {
        const id = await streamOf(h, 3);
        const next = await h.s.decideNow(h.store, id, h.s.progress("ok"));
        expect((await h.store.appendToStream(id, next, { expectedVersion: 3 })).nextExpectedVersion).toBe(4);
        const late = await h.s.decideNow(h.store, id, h.s.progress("late"));
        for (const expected of [3, 5, 1]) {
          const error = await conflict(h.store.appendToStream(id, late, { expectedVersion: expected }));
          expect(error).toMatchObject({ code: "store/concurrency", streamId: id, expected, actual: 4 });
          expect(error).toBeInstanceOf(Error);
        }
        expect(versions(await h.store.readStream(id))).toEqual([1, 2, 3, 4]);
      });

      test('"no-stream" creates a stream once; "stream-exists" never creates one', async (h) => {
        const id = h.s.streamId();
        const missing = await conflict(
          h.store.appendToStream(id, h.s.decideOn(id, [], h.s.receive()), {
            expectedVersion: "stream-exists",
          }),
        );
        expect(missing).toMatchObject({ expected: "stream-exists", actual: 0 });
        expect(await h.store.readStream(id)).toEqual([]);
        expect(await h.store.streamInfo(id)).toBeUndefined();
        await streamOf(h, 2, id);
        const again = await conflict(
          h.store.appendToStream(id, h.s.decideOn(id, [], h.s.receive()), { expectedVersion: "no-stream" }),
        );
        expect(again).toMatchObject({ expected: "no-stream", actual: 2 });
        const more = await h.s.decideNow(h.store, id, h.s.progress("exists"));
        const r = await h.store.appendToStream(id, more, { expectedVersion: "stream-exists" });
        expect(r).toMatchObject({ nextExpectedVersion: 3, createdStream: false });
      });

      test('"any" appends to a new or an existing stream', async (h) => {
        const id = h.s.streamId();
        const created = await h.store.appendToStream(id, h.s.decideOn(id, [], h.s.receive()), {
          expectedVersion: "any",
        });
        expect(created).toMatchObject({ createdStream: true, nextExpectedVersion: 1 });
        const more = await h.s.decideNow(h.store, id, h.s.progress("any"));
        const r = await h.store.appendToStream(id, more, { expectedVersion: "any" });
        expect(r).toMatchObject({ createdStream: false, nextExpectedVersion: 2 });
      });

      test(`${racers} concurrent creates of one stream: exactly one wins`, async (h) => {
        const id = h.s.streamId();
        const batches = Array.from({ length: racers }, () => h.s.decideOn(id, [], h.s.receive()));
        const outcomes = await Promise.allSettled(
          batches.map((events, i) =>
            (i % 2 ? h.other : h.store).appendToStream(id, events, { expectedVersion: "no-stream" }),
          ),
        );
        const won = outcomes.flatMap((o) => (o.status === "fulfilled" ? [o.value] : []));
        const lost = outcomes.flatMap((o) => (o.status === "rejected" ? [o.reason as unknown] : []));
        expect(won).toHaveLength(1);
        expect(won[0]!.createdStream).toBe(true);
        expect(lost).toHaveLength(racers - 1);
        for (const error of lost) {
          expect(isConcurrencyError(error)).toBe(true);
          expect(error).toMatchObject({ expected: "no-stream", actual: 1 });
        }
        expect(await h.store.readStream(id)).toStrictEqual(won[0]!.events);
      });

      test("a batch is atomic: all its events or none, consecutive versions, no gaps", async (h) => {
        const id = await streamOf(h, 1);
        const history = await h.store.readStream(id);
        const onTheSpot = h.s.decideOn(id, history, {
          type: "ResolveOnTheSpot",
          category: "service-attitude",
          remedy: { kinds: ["apology"], description: "当面道歉" },
        });
        const n = onTheSpot.length;
        expect(n).toBeGreaterThan(2);
        const stale = await conflict(h.store.appendToStream(id, onTheSpot, { expectedVersion: 0 }));
        expect(stale.actual).toBe(1);
        expect(await h.store.readAll()).toHaveLength(1);
        const r = await h.store.appendToStream(id, onTheSpot, { expectedVersion: 1 });
        expect(versions(r.events)).toEqual(Array.from({ length: n }, (_, i) => i + 2));
        // Ten writers append three-event batches to another stream at once: no interleaving.
        const busy = await streamOf(h, 1);
        const start = await h.store.readStream(busy);
        const batches = Array.from({ length: 10 }, (_, k) =>
          [0, 1, 2].flatMap((j) => h.s.decideOn(busy, start, h.s.progress(`${k}.${j}`, `batch-${k}`))),
        );
        await Promise.all(
          batches.map((events, k) =>
            (k % 2 ? h.other : h.store).appendToStream(busy, events, { expectedVersion: "any" }),
          ),
        );
        const stream = await h.store.readStream(busy);
        expect(versions(stream)).toEqual(Array.from({ length: 31 }, (_, i) => i + 1));
        for (let k = 0; k < 10; k++) {
          const at = stream.flatMap((e, i) => (e.metadata.commandId === `batch-${k}` ? [i] : []));
          expect(at).toHaveLength(3);
          expect(at[2]! - at[0]!).toBe(2);
        }
        expect(increasing(positions(stream))).toBe(true);
      });
    });

    describe("idempotency by command id", () => {
      test("a retried intake reports the first append and never creates a second complaint", async (h) => {
        const first = h.s.streamId();
        const intake = h.s.receive({ commandId: "mail-<20260302.1@example.cn>" });
        const events = h.s.decideOn(first, [], intake);
        const original = await h.store.appendToStream(first, events, { expectedVersion: "no-stream" });
        const retry = await h.store.appendToStream(first, events, { expectedVersion: "no-stream" });
        expect(retry).toStrictEqual({ ...original, alreadyAppended: true });
        // The retry of a webhook that decided again under a fresh stream id, on another connection.
        const second = h.s.streamId();
        const redecided = h.s.decideOn(second, [], intake);
        const elsewhere = await h.other.appendToStream(second, redecided, { expectedVersion: "no-stream" });
        expect(elsewhere).toStrictEqual({ ...original, alreadyAppended: true });
        expect(await h.store.readStream(second)).toEqual([]);
        expect(await h.store.streamInfo(second)).toBeUndefined();
        expect(await h.store.readAll()).toHaveLength(1);
        expect(await h.other.findCommand(intake.commandId!)).toStrictEqual({
          ...original,
          alreadyAppended: true,
        });
        expect(await h.store.findCommand("never-seen")).toBeUndefined();
        const handled = await handleOrThrow(h.other, first, intake, h.s.handleContext());
        expect(handled).toMatchObject({ alreadyHandled: true, streamId: first, events: original.events });
      });

      test("concurrent intakes with one command id append once", async (h) => {
        const intake = h.s.receive({ commandId: "webhook-delivery-7" });
        const tries = Array.from({ length: 6 }, () => {
          const id = h.s.streamId();
          return { id, events: h.s.decideOn(id, [], intake) };
        });
        const results = await Promise.all(
          tries.map((t, i) =>
            (i % 2 ? h.other : h.store).appendToStream(t.id, t.events, { expectedVersion: "no-stream" }),
          ),
        );
        const fresh = results.filter((r) => !r.alreadyAppended);
        expect(fresh).toHaveLength(1);
        for (const r of results) expect(r.events).toStrictEqual(fresh[0]!.events);
        expect(await h.store.readAll()).toStrictEqual(fresh[0]!.events);
      });
    });

    contractReads(test);
    if (options.integrity ?? true) contractIntegrity(test);
  });
}
