import { describe, expect, it } from "vitest";
import {
  createMemoryStore,
  createSealer,
  type EventStore,
  type IntegrityRecord,
  isIntegrityUnavailableError,
  verifyStore,
  verifyStream,
} from "../../src/index.js";
import { type History, records, writeHistory } from "./fixtures.js";

/**
 * The memory store as a damaged database would answer: `readIntegrity` serves `damage` applied
 * to the true records (ranges honoured), `streamInfo` may be overridden. The verifier is tested
 * here against every kind of damage; the SQL tests then damage real rows.
 */
async function damaged(
  damage: (records: IntegrityRecord[], h: History) => IntegrityRecord[],
  info: (streamId: string, version: number | undefined) => number | undefined = (_, v) => v,
) {
  const store = createMemoryStore();
  const h = await writeHistory(store);
  const served = damage(await records(store), h);
  const view: EventStore = {
    ...store,
    async streamInfo(streamId) {
      const real = await store.streamInfo(streamId);
      const version = info(streamId, real?.version);
      return version === undefined ? undefined : { ...real!, version };
    },
    async readIntegrity(range) {
      const limit = range.limit ?? 1000;
      if (range.streamId === undefined)
        return served.filter((r) => r.position > (range.after ?? 0)).slice(0, limit);
      return served
        .filter((r) => r.streamId === range.streamId && r.version >= (range.fromVersion ?? 1))
        .sort((x, y) => x.version - y.version)
        .slice(0, limit);
    },
  };
  const truth = await verifyStore(store);
  return { h, view, original: await records(store), head: truth.ok ? truth.head! : undefined };
}

const edit = (r: IntegrityRecord, envelope: Record<string, unknown>): IntegrityRecord => ({
  ...r,
  envelope: { ...(r.envelope as object), ...envelope },
});

describe("verifyStream and verifyStore report the first broken link", () => {
  it("an untouched history verifies, with its head", async () => {
    const { h, view } = await damaged((rs) => rs);
    const whole = await verifyStore(view, { batchSize: 3 });
    expect(whole).toMatchObject({ ok: true, events: 8, head: { position: 8, streamId: h.b, version: 3 } });
    expect(await verifyStream(view, h.a, { batchSize: 1 })).toMatchObject({ ok: true, events: 3 });
  });

  it("an edited event: its content no longer matches its hash", async () => {
    const { h, view, original } = await damaged((rs) =>
      rs.map((r) => (r.position === 3 ? edit(r, { occurredAt: "2026-03-01T00:00:00.000Z" }) : r)),
    );
    const expected = {
      ok: false,
      events: 2,
      broken: {
        kind: "content",
        streamId: h.a,
        version: 2,
        position: 3,
        found: original[2]!.hash,
        expected: expect.not.stringMatching(original[2]!.hash!),
      },
    };
    expect(await verifyStore(view)).toMatchObject(expected);
    expect(await verifyStream(view, h.a)).toMatchObject({ ...expected, events: 1 });
    expect(await verifyStream(view, h.b)).toMatchObject({ ok: true, events: 3 });
  });

  it("an edited event whose hash was recomputed: the next link breaks", async () => {
    const { h, view, original } = await damaged((rs) =>
      rs.map((r) => {
        if (r.position !== 3) return r;
        const forged = edit(r, { data: { message: "改过的", channel: "phone" } });
        const sealer = createSealer();
        for (const earlier of rs.slice(0, 2)) sealer.seal(earlier.streamId, earlier.envelope);
        return { ...forged, ...sealer.seal(forged.streamId, forged.envelope) };
      }),
    );
    expect(await verifyStream(view, h.a)).toMatchObject({
      ok: false,
      broken: {
        kind: "stream-link",
        streamId: h.a,
        version: 3,
        expected: expect.any(String),
        found: original[2]!.hash,
      },
    });
    // The forger recomputed the chain digest too; the next event's digest still names the old one.
    expect(await verifyStore(view)).toMatchObject({ ok: false, broken: { kind: "log-chain", position: 4 } });
  });

  it("a removed event: a gap in its stream, a break in the log", async () => {
    const { h, view } = await damaged((rs) => rs.filter((r) => r.position !== 3));
    expect(await verifyStream(view, h.a)).toMatchObject({
      ok: false,
      broken: { kind: "version-gap", streamId: h.a, version: 3, expected: "version 2", found: "version 3" },
    });
    expect(await verifyStore(view)).toMatchObject({
      ok: false,
      events: 2,
      broken: { kind: "log-chain", streamId: h.c, position: 4 },
    });
  });

  it("reordered events: the log chain breaks where the order changed", async () => {
    const { view, h } = await damaged((rs) =>
      rs.map((r) =>
        r.position === 2 ? { ...rs[3]!, position: 2 } : r.position === 4 ? { ...rs[1]!, position: 4 } : r,
      ),
    );
    expect(await verifyStream(view, h.b)).toMatchObject({ ok: true });
    expect(await verifyStore(view)).toMatchObject({
      ok: false,
      events: 1,
      broken: { kind: "log-chain", position: 2 },
    });
  });

  it("a row nobody sealed", async () => {
    const { view, h } = await damaged((rs) =>
      rs.map((r) => (r.position === 5 ? { ...r, hash: null, prevHash: null, chain: null } : r)),
    );
    expect(await verifyStore(view)).toMatchObject({
      ok: false,
      broken: { kind: "unsealed", streamId: h.b, version: 2, position: 5, expected: "a seal", found: "none" },
    });
  });

  it("the newest events of a stream removed: its metadata still counts them", async () => {
    const { view, h } = await damaged((rs) => rs.filter((r) => r.position !== 8));
    const cut = {
      ok: false,
      broken: { kind: "stream-info", streamId: h.b, expected: "version 3", found: "version 2" },
    };
    expect(await verifyStream(view, h.b)).toMatchObject(cut);
    expect(await verifyStore(view)).toMatchObject(cut);
    expect(await verifyStore(view, { checkStreamInfo: false })).toMatchObject({ ok: true, events: 7 });
  });

  it("the log cut short and the metadata rewound: only an anchor kept elsewhere tells", async () => {
    let b: string | undefined;
    const { view, head } = await damaged(
      (rs, h) => {
        b = h.b;
        return rs.filter((r) => r.position !== 8);
      },
      (id, v) => (id === b && v !== undefined ? v - 1 : v),
    );
    expect(await verifyStore(view)).toMatchObject({ ok: true, events: 7 });
    expect(await verifyStore(view, { anchors: [head!] })).toMatchObject({
      ok: false,
      broken: { kind: "anchor", position: 8, expected: head!.chain, found: "no event at this position" },
    });
    // An anchor the log passes through, but with another digest: the history before it was rewritten.
    expect(await verifyStore(view, { anchors: [{ position: 4, chain: head!.chain }] })).toMatchObject({
      ok: false,
      events: 3,
      broken: { kind: "anchor", position: 4, expected: head!.chain },
    });
  });

  it("metadata that names fewer events than are stored", async () => {
    const { view, h } = await damaged(
      (rs) => rs,
      (id, v) => (id === h.c ? undefined : v),
    );
    expect(await verifyStream(view, h.c)).toMatchObject({
      ok: false,
      broken: { kind: "stream-info", streamId: h.c, expected: "stream metadata", found: "version 2" },
    });
  });

  it("a store without readIntegrity cannot be verified, and says so", async () => {
    const { readIntegrity: _, ...plain } = createMemoryStore();
    const error = await verifyStore(plain).catch((e: unknown) => e);
    expect(isIntegrityUnavailableError(error)).toBe(true);
    expect(error).toMatchObject({ code: "store/integrity-unavailable" });
  });

  it("events appended while verifying are not mistaken for damage", async () => {
    const store = createMemoryStore();
    const h = await writeHistory(store);
    const more = await store.readStream(h.a);
    const extra = more.slice(-1).map((e) => ({
      ...e,
      id: "01KESV0000000000000000000Z",
      metadata: { ...e.metadata, commandId: "later" },
    }));
    const racing: EventStore = {
      ...store,
      async streamInfo(id) {
        // The append lands between the verifier's event reads and its metadata read.
        if (id === h.a && (await store.readStream(h.a)).length === 3)
          await store.appendToStream(h.a, extra, { expectedVersion: 3 });
        return store.streamInfo(id);
      },
    };
    expect(await verifyStream(racing, h.a)).toMatchObject({ ok: true, events: 4 });
  });
});
