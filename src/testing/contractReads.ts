import { describe, expect } from "vitest";
import type { ComplaintEvent, RecordedEvent } from "../domain/events.js";
import { type EventStore, readAllBatches } from "../stores/eventStore.js";
import { handle, handleOrThrow } from "../stores/handle.js";
import { type ContractTest, increasing, positions, streamOf, versions } from "./contractScenario.js";

/**
 * The reading half of the event-store contract: streams, the global log, metadata, round
 * trips, subscriptions, serials and `handle` end to end. Registered by `eventStoreContract`.
 */
export function contractReads(test: ContractTest): void {
  describe("reads", () => {
    test("a stream forward, backward, from a version, with maxCount", async (h) => {
      const id = await streamOf(h, 5);
      const read = async (o: Parameters<EventStore["readStream"]>[1]) =>
        versions(await h.store.readStream(id, o));
      expect(await read({})).toEqual([1, 2, 3, 4, 5]);
      expect(await read({ fromVersion: 3 })).toEqual([3, 4, 5]);
      expect(await read({ fromVersion: 2, maxCount: 2 })).toEqual([2, 3]);
      expect(await read({ fromVersion: 6 })).toEqual([]);
      expect(await read({ maxCount: 0 })).toEqual([]);
      expect(await read({ direction: "backward" })).toEqual([5, 4, 3, 2, 1]);
      expect(await read({ direction: "backward", fromVersion: 4, maxCount: 2 })).toEqual([4, 3]);
      expect(await read({ direction: "backward", maxCount: 1 })).toEqual([5]);
      expect(await read({ direction: "backward", fromVersion: 9 })).toEqual([5, 4, 3, 2, 1]);
      expect(await h.store.readStream(h.s.streamId())).toEqual([]);
    });

    test("the global log from a position, in batches", async (h) => {
      const ids = [h.s.streamId(), h.s.streamId(), h.s.streamId()];
      for (const id of ids) await streamOf(h, 1, id);
      for (const id of [ids[0]!, ids[2]!, ids[0]!, ids[1]!]) {
        const events = await h.s.decideNow(h.store, id, h.s.progress("交错"));
        await h.store.appendToStream(id, events, { expectedVersion: "stream-exists" });
      }
      const all = await h.store.readAll();
      expect(all.map((e) => e.streamId)).toEqual([ids[0], ids[1], ids[2], ids[0], ids[2], ids[0], ids[1]]);
      expect(increasing(positions(all))).toBe(true);
      const cut = all[2]!.position;
      expect(await h.store.readAll({ after: cut })).toStrictEqual(all.slice(3));
      expect(await h.store.readAll({ after: cut, limit: 2 })).toStrictEqual(all.slice(3, 5));
      expect(await h.store.readAll({ after: all[6]!.position })).toEqual([]);
      const batches: RecordedEvent[][] = [];
      for await (const batch of readAllBatches(h.store, { batchSize: 3 })) batches.push([...batch]);
      expect(batches.map((b) => b.length)).toEqual([3, 3, 1]);
      expect(batches.flat()).toStrictEqual(all);
      const rest: RecordedEvent[] = [];
      for await (const batch of readAllBatches(h.other, { after: cut, batchSize: 2 })) rest.push(...batch);
      expect(rest).toStrictEqual(all.slice(3));
    });

    test("stream metadata without folding", async (h) => {
      const id = h.s.streamId();
      const ctx = h.s.handleContext();
      const received = await handleOrThrow(h.store, id, h.s.receive({ caseNumber: undefined }), ctx);
      const caseNumber = received.state.stage === "none" ? undefined : received.state.caseNumber;
      expect(caseNumber).toBe("2026-03-0001");
      const createdAt = received.events[0]!.recordedAt;
      const info = await h.other.streamInfo(id);
      expect(info).toMatchObject({ streamId: id, version: 1, caseNumber, stage: "received", createdAt });
      expect(info?.updatedAt).toBe(createdAt);
      h.s.advance(90);
      const classified = await handleOrThrow(
        h.store,
        id,
        { type: "ClassifyComplaint", kind: "complaint", category: "quality" },
        ctx,
      );
      const later = await h.store.streamInfo(id);
      expect(later).toMatchObject({ version: 2, caseNumber, stage: "classified", createdAt });
      expect(later?.updatedAt).toBe(classified.events[0]!.recordedAt);
      expect(later?.updatedAt).not.toBe(createdAt);
      // Metadata a caller leaves out is kept, not erased.
      h.s.advance(5);
      const more = await h.s.decideNow(h.store, id, h.s.progress("无元数据"));
      await h.store.appendToStream(id, more, { expectedVersion: 2 });
      expect(await h.store.streamInfo(id)).toMatchObject({ version: 3, caseNumber, stage: "classified" });
      expect(await h.store.streamInfo(h.s.streamId())).toBeUndefined();
    });

    test("events round-trip exactly: ISO dates, unicode, emoji, a ~1 MB event", async (h) => {
      const id = h.s.streamId();
      const text = '卷烟质量问题：烟支空头、爆口，包装破损😡🚬 — «quoted» "é" \\ \u2028 ';
      // The schema caps one text at 20 000 characters; many tags carry the rest of the megabyte.
      const description = text
        .repeat(Math.ceil(20_000 / text.length))
        .slice(0, 20_000)
        .trim();
      const tags = Array.from({ length: 1_700 }, (_, i) => `${i}-${"质".repeat(195)}`);
      const events = h.s.decideOn(id, [], {
        ...h.s.receive({ description, tags }),
        subject: { product: "中华（硬）", purchaseDate: "2026-02-28", quantity: 2 },
        personalData: { name: "李四 👩‍🔧", address: "北京市东城区 1 号 🏠" },
        occurredAt: "2026-03-01T23:59:59.999Z",
      });
      expect(Buffer.byteLength(JSON.stringify(events[0]))).toBeGreaterThan(1_000_000);
      const appended = await h.store.appendToStream(id, events, { expectedVersion: "no-stream" });
      const expected = [{ ...events[0]!, position: appended.events[0]!.position }];
      expect(appended.events).toStrictEqual(expected);
      expect(await h.store.readStream(id)).toStrictEqual(expected);
      expect(await h.other.readAll()).toStrictEqual(expected);
      expect((await h.store.findCommand(events[0]!.metadata.commandId))?.events).toStrictEqual(expected);
      const read = (await h.store.readStream(id))[0]!;
      expect(typeof read.occurredAt).toBe("string");
      expect(read.occurredAt).toBe("2026-03-01T23:59:59.999Z");
      expect(JSON.parse(JSON.stringify(read))).toStrictEqual(read);
    });
  });

  describe("subscriptions", () => {
    test("catch up, then follow new appends, each event once and in order", async (h) => {
      await streamOf(h, 3);
      const seen: RecordedEvent[] = [];
      const sub = h.store.subscribe({ onEvents: (batch) => void seen.push(...batch), batchSize: 2 });
      await sub.caughtUp();
      expect(versions(seen)).toEqual([1, 2, 3]);
      const b = await streamOf(h, 2);
      const late = await h.s.decideNow(h.other, b, h.s.progress("from the other connection"));
      await h.other.appendToStream(b, late, { expectedVersion: 2 });
      await sub.caughtUp();
      expect(seen).toStrictEqual(await h.store.readAll());
      await sub.close();
      await streamOf(h, 1);
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(seen).toHaveLength(6);
    });

    test("concurrent appends while subscribed are delivered exactly once, in position order", async (h) => {
      const seen: RecordedEvent[] = [];
      const sub = h.store.subscribe({
        onEvents: async (batch) => {
          seen.push(...batch);
          await new Promise((resolve) => setTimeout(resolve, 1));
        },
      });
      const ids = Array.from({ length: 12 }, () => h.s.streamId());
      await Promise.all(
        ids.map((id, i) =>
          (i % 2 ? h.other : h.store).appendToStream(id, h.s.decideOn(id, [], h.s.receive()), {
            expectedVersion: "no-stream",
          }),
        ),
      );
      await sub.caughtUp();
      await sub.close();
      expect(seen).toStrictEqual(await h.store.readAll());
      expect(new Set(positions(seen)).size).toBe(12);
    });

    test("start after a position", async (h) => {
      await streamOf(h, 4);
      const all = await h.store.readAll();
      const seen: RecordedEvent[] = [];
      const sub = h.store.subscribe({ after: all[1]!.position, onEvents: (b) => void seen.push(...b) });
      await sub.caughtUp();
      await sub.close();
      expect(seen).toStrictEqual(all.slice(2));
    });
  });

  describe("serials", () => {
    test("1, 2, 3 per scope, never the same number twice under concurrency", async (h) => {
      expect([await h.store.nextSerial("2026-03-"), await h.other.nextSerial("2026-03-")]).toEqual([1, 2]);
      expect(await h.store.nextSerial("2026-03-")).toBe(3);
      expect(await h.store.nextSerial("2026-04-")).toBe(1);
      const many = await Promise.all(
        Array.from({ length: 30 }, (_, i) => (i % 2 ? h.other : h.store).nextSerial("2026-05-")),
      );
      expect(new Set(many).size).toBe(30);
    });
  });

  describe("handle on this store", () => {
    test("a complaint from intake to closure", async (h) => {
      const id = h.s.streamId();
      const ctx = h.s.handleContext();
      const step = async (command: Parameters<typeof handle>[2]) => {
        h.s.advance(30);
        return handleOrThrow(h.store, id, command, ctx);
      };
      const intake = h.s.receive({ caseNumber: undefined, commandId: "hotline-call-1" });
      await step(intake);
      await step({
        type: "AcknowledgeReceipt",
        handler: { id: "staff-1", unit: "service" },
        expectedResponseBy: "2026-03-03T01:00:00.000Z",
        channel: "phone",
      });
      await step({ type: "ClassifyComplaint", kind: "complaint", category: "service-attitude" });
      await step({
        type: "RecordInvestigation",
        findings: { facts: "营业员态度生硬", validity: "valid", rootCause: "培训不足" },
      });
      await step({ type: "ProposeResolution", remedy: { kinds: ["apology"], description: "书面道歉" } });
      await step({ type: "AcceptResolution" });
      const closed = await step({ type: "CloseComplaint", summary: "已道歉并培训" });
      expect(closed.state.stage).toBe("closed");
      const again = await handle(h.other, id, intake, ctx);
      expect(again).toMatchObject({ ok: true, alreadyHandled: true, streamId: id });
      const elsewhere = h.s.streamId();
      expect((await handle(h.other, elsewhere, intake, ctx)).ok).toBe(false);
      expect(await h.store.readStream(elsewhere)).toEqual([]);
      const stream = await h.store.readStream(id);
      expect(stream.map((e: ComplaintEvent) => e.type)).toEqual([
        "ComplaintReceived",
        "ReceiptAcknowledged",
        "ComplaintClassified",
        "ComplaintInvestigated",
        "ComplaintResolved",
        "ResolutionAccepted",
        "ComplaintClosed",
      ]);
      expect(await h.store.streamInfo(id)).toMatchObject({ version: 7, stage: "closed" });
      const rejected = await handle(h.store, id, { type: "AcceptResolution" }, ctx);
      expect(rejected).toMatchObject({ ok: false, rejection: { code: "complaint/closed" } });
      expect(await h.store.readStream(id)).toHaveLength(7);
    });
  });
}
