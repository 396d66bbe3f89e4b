import { describe, expect } from "vitest";
import type { ComplaintId } from "../domain/ids.js";
import { canonicalJson } from "../integrity/canonicalJson.js";
import { GENESIS_HASH, type IntegrityRecord } from "../integrity/seal.js";
import { verifyStore, verifyStream } from "../integrity/verify.js";
import type { EventStore } from "../stores/eventStore.js";
import { handleOrThrow } from "../stores/handle.js";
import { type ContractHarness, type ContractTest, positions, streamOf } from "./contractScenario.js";

/** Every record of the global log, through `readIntegrity`, in small batches. */
async function allRecords(store: EventStore): Promise<IntegrityRecord[]> {
  const records: IntegrityRecord[] = [];
  for (;;) {
    const batch = await store.readIntegrity!({ after: records.at(-1)?.position ?? 0, limit: 4 });
    records.push(...batch);
    if (batch.length < 4) return records;
  }
}

/** Streams written every way a store is written: handle, batches, races, retries, two connections. */
async function busyHistory(h: ContractHarness): Promise<ComplaintId[]> {
  const ctx = h.s.handleContext();
  const handled = h.s.streamId();
  const intake = h.s.receive({ caseNumber: undefined, commandId: "integrity-intake" });
  await handleOrThrow(h.store, handled, intake, ctx);
  await handleOrThrow(h.other, handled, intake, ctx); // a retry appends nothing
  h.s.advance(10);
  await handleOrThrow(
    h.store,
    handled,
    { type: "ClassifyComplaint", kind: "complaint", category: "quality" },
    ctx,
  );
  const long = await streamOf(h, 4);
  const busy = await streamOf(h, 1);
  const start = await h.store.readStream(busy);
  await Promise.all(
    Array.from({ length: 6 }, (_, k) =>
      (k % 2 ? h.other : h.store).appendToStream(
        busy,
        [0, 1].flatMap((j) => h.s.decideOn(busy, start, h.s.progress(`${k}.${j}`, `seal-${k}`))),
        { expectedVersion: "any" },
      ),
    ),
  );
  const raced = h.s.streamId();
  await Promise.allSettled(
    Array.from({ length: 4 }, (_, i) =>
      (i % 2 ? h.other : h.store).appendToStream(raced, h.s.decideOn(raced, [], h.s.receive()), {
        expectedVersion: "no-stream",
      }),
    ),
  );
  return [handled, long, busy, raced];
}

/**
 * The tamper-evidence half of the event-store contract: the store seals what it appends and
 * an untampered store verifies, stream by stream and as a whole, from either connection.
 * Registered by `eventStoreContract` unless `integrity: false`.
 */
export function contractIntegrity(test: ContractTest): void {
  describe("tamper evidence", () => {
    test("an untampered store verifies: every stream, and the whole log from either connection", async (h) => {
      expect(typeof h.store.readIntegrity, "the store must implement readIntegrity").toBe("function");
      const streams = await busyHistory(h);
      const all = await h.store.readAll({ limit: 10_000 });
      const whole = await verifyStore(h.store);
      expect(whole).toMatchObject({ ok: true, events: all.length });
      expect(whole.ok && whole.head?.position).toBe(all.at(-1)!.position);
      expect(
        await verifyStore(h.other, { batchSize: 3, anchors: whole.ok && whole.head ? [whole.head] : [] }),
      ).toEqual(whole);
      for (const id of streams) {
        const events = await h.store.readStream(id);
        const report = await verifyStream(h.other, id, { batchSize: 2 });
        expect(report).toMatchObject({ ok: true, events: events.length });
        expect(report.ok && report.head).toMatchObject({
          version: events.length,
          position: events.at(-1)!.position,
        });
      }
      expect(await verifyStream(h.store, h.s.streamId())).toEqual({ ok: true, events: 0, head: undefined });
    });

    test("seals cover the events as stored, chained per stream and over the log in position order", async (h) => {
      const streams = await busyHistory(h);
      const records = await allRecords(h.store);
      const all = await h.store.readAll({ limit: 10_000 });
      expect(records.map((r) => r.position)).toEqual(positions(all));
      // The envelope is the event itself (every field but the position), not a digest of part of it.
      for (const [i, event] of all.entries()) {
        const { position: _position, ...stored } = event;
        expect(canonicalJson(records[i]!.envelope)).toBe(canonicalJson(stored));
      }
      expect(new Set(records.map((r) => r.hash)).size).toBe(records.length);
      expect(new Set(records.map((r) => r.chain)).size).toBe(records.length);
      for (const id of streams) {
        const chain = await h.other.readIntegrity!({ streamId: id, fromVersion: 1, limit: 100 });
        expect(chain.map((r) => r.version)).toEqual(chain.map((_, i) => i + 1));
        expect(chain.map((r) => r.prevHash)).toEqual([
          GENESIS_HASH,
          ...chain.slice(0, -1).map((r) => r.hash),
        ]);
        const tail = await h.store.readIntegrity!({ streamId: id, fromVersion: 2, limit: 1 });
        expect(tail).toEqual(chain.slice(1, 2));
      }
    });
  });
}
