import fc from "fast-check";
import { expect } from "vitest";
import {
  type ComplaintId,
  complaintId,
  defaultPolicy,
  type EventStore,
  fold,
  handle,
  initialState,
  REJECTIONS,
  ulidGenerator,
  verifyStore,
  verifyStream,
} from "../../src/index.js";
import {
  arbJsonish,
  arbMangledCommand,
  arbValidStream,
  checkStream,
  createSteppingClock,
  defaultTestActor,
} from "../../src/testing/index.js";

/** Text no schema limit refuses but a database may: NUL, lone surrogates, BOM, bidi overrides. */
const arbAwkwardText = fc.oneof(
  fc.constantFrom(
    "a\u0000b",
    "\u0000",
    "x\ud800",
    "\udfff y",
    "\ufeff开头",
    "\u202e反向",
    "😀\u200d",
    "\\u0000",
  ),
  fc.string({ unit: "binary", minLength: 1, maxLength: 40 }),
);

/** JSON nested thousands of levels deep: parsers and serialisers must not overflow. */
const arbDeep = fc.integer({ min: 200, max: 20_000 }).map((depth) => {
  let value: unknown = "底";
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { nested: value };
  return value;
});

/** Commands a schema accepts or refuses by a hair: extreme dates, awkward ids and text, negative money. */
const arbEdgeCommand: fc.Arbitrary<unknown> = fc.oneof(
  arbAwkwardText.map((message) => ({ type: "ReportProgress", message, channel: "phone" })),
  arbAwkwardText.map((commandId) => ({
    type: "ReportProgress",
    message: "进展",
    channel: "phone",
    commandId,
  })),
  fc
    .constantFrom(
      "0000-01-01T00:00:00.000Z",
      "0001-01-01T00:00:00.000Z",
      "1969-12-31T23:59:59.999Z",
      "9999-12-31T23:59:59.999Z",
      "2026-02-30T00:00:00.000Z",
      "2026-03-02T01:00:00Z",
    )
    .map((occurredAt) => ({ type: "ReportProgress", message: "时间", channel: "phone", occurredAt })),
  fc.double({ noNaN: false }).map((amount) => ({
    type: "ProposeResolution",
    remedy: {
      kinds: ["compensation"],
      description: "赔偿",
      value: { amount: -Math.abs(amount), currency: "CNY" },
    },
  })),
  arbDeep.map((deep) => ({ type: "ReportProgress", message: deep, channel: "phone" })),
  arbDeep.map((deep) => ({ type: "ClassifyComplaint", kind: "complaint", category: "quality", extra: deep })),
  fc.string({ minLength: 20_001, maxLength: 20_050 }).map((s) => ({
    type: "ReportProgress",
    message: `长${s}`,
    channel: "phone",
  })),
);

/** Everything the fuzz throws at `handle`. */
export const arbHostileInput: fc.Arbitrary<unknown> = fc.oneof(
  arbJsonish(),
  arbMangledCommand(),
  arbEdgeCommand,
);

/** A fresh intake with one hostile field: the registration path (serials, case numbers, stream creation). */
const arbHostileIntake: fc.Arbitrary<unknown> = fc
  .tuple(
    fc.constantFrom("caseNumber", "commandId", "description", "occurredAt", "externalRef", "tags"),
    fc.oneof(arbAwkwardText, arbJsonish(), fc.constant("0000-01-01T00:00:00.000Z")),
  )
  .map(([key, value]) => ({
    type: "ReceiveComplaint",
    channel: "hotline",
    complainant: { id: "c-fuzz" },
    description: "烟支空头",
    [key]: value,
  }));

/** What one fuzz run found, for the summary line. */
export interface FuzzTally {
  runs: number;
  inputs: number;
  accepted: number;
  rejected: Map<string, number>;
}

/**
 * Fuzzes `handle` on one store: each run builds a valid stream, then feeds it hostile inputs
 * and a hostile intake on a new stream. Every answer must be an append or a known rejection;
 * every touched stream must pass the stream laws, fold, and verify; the whole store verifies
 * at the end, and no prototype was polluted.
 */
export async function fuzzHandle(store: EventStore, numRuns: number, seed?: number): Promise<FuzzTally> {
  const tally: FuzzTally = { runs: 0, inputs: 0, accepted: 0, rejected: new Map() };
  const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort();
  const count = (result: Awaited<ReturnType<typeof handle>>) => {
    tally.inputs += 1;
    if (result.ok) tally.accepted += 1;
    else {
      expect(REJECTIONS).toHaveProperty([result.rejection.code]);
      tally.rejected.set(result.rejection.code, (tally.rejected.get(result.rejection.code) ?? 0) + 1);
    }
  };
  await fc.assert(
    fc.asyncProperty(
      arbValidStream(defaultPolicy, { maxLength: 8 }),
      fc.array(arbHostileInput, { minLength: 1, maxLength: 6 }),
      arbHostileIntake,
      fc.nat(),
      async ({ commands }, hostile, intake, idSeed) => {
        tally.runs += 1;
        const clock = createSteppingClock("2026-03-02T01:00:00.000Z");
        const ids = ulidGenerator({ clock, seed: idSeed });
        const ctx = { clock, ids, actor: defaultTestActor, policy: defaultPolicy };
        const streams: ComplaintId[] = [complaintId(ids.next()), complaintId(ids.next())];
        for (const input of commands) {
          clock.advance();
          await handle(store, streams[0]!, input, ctx);
        }
        for (const input of hostile) {
          clock.advance();
          count(await handle(store, streams[0]!, input, ctx));
        }
        count(await handle(store, streams[1]!, intake, ctx));
        for (const id of streams) {
          const events = await store.readStream(id);
          expect(checkStream(events)).toEqual([]);
          fold(initialState(id), events);
          expect(await verifyStream(store, id)).toMatchObject({ ok: true, events: events.length });
        }
      },
    ),
    { numRuns, ...(seed === undefined ? {} : { seed }) },
  );
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeKeys);
  expect(await verifyStore(store)).toMatchObject({ ok: true });
  return tally;
}

/** One line for the test log: runs, inputs, appends and the rejection codes seen. */
export function describeTally(store: string, tally: FuzzTally): string {
  const codes = [...tally.rejected].sort((a, b) => b[1] - a[1]).map(([code, n]) => `${code} ${n}`);
  return `${store}: ${tally.runs} runs, ${tally.inputs} hostile inputs, ${tally.accepted} accepted; rejected: ${codes.join(", ")}`;
}

/**
 * Inputs every store must answer alike: text PostgreSQL cannot keep and year 0000 are
 * `command/invalid` naming the field (they once appended on memory and SQLite and crashed the
 * append on PostgreSQL); the first and last years that can be stored are appended and verify.
 */
export async function checkStoreEdges(store: EventStore): Promise<void> {
  const clock = createSteppingClock("2026-03-02T01:00:00.000Z");
  const ids = ulidGenerator({ clock, seed: 99 });
  const ctx = { clock, ids, actor: defaultTestActor, policy: defaultPolicy };
  const intake = {
    type: "ReceiveComplaint",
    channel: "hotline",
    complainant: { id: "c-edge" },
    description: "边界",
  };
  const refused: [string, Record<string, unknown>][] = [
    ["description", { description: "烟支\u0000空头" }],
    ["commandId", { commandId: "mail-\u0000" }],
    ["tags.0", { tags: ["\ud83d"] }],
    ["caseNumber", { caseNumber: "\udc00-1" }],
    ["personalData.name", { personalData: { name: "李\u0000四" } }],
    ["occurredAt", { occurredAt: "0000-06-01T00:00:00.000Z" }],
  ];
  for (const [field, change] of refused) {
    const id = complaintId(ids.next());
    const result = await handle(store, id, { ...intake, ...change }, ctx);
    expect(result, field).toMatchObject({ ok: false, rejection: { code: "command/invalid" } });
    expect(!result.ok && result.rejection.fields?.map((f) => f.path)).toEqual([field]);
    expect(await store.readStream(id)).toEqual([]);
  }
  for (const occurredAt of ["0001-01-01T00:00:00.000Z", "9999-12-31T23:59:59.999Z"]) {
    const id = complaintId(ids.next());
    const result = await handle(
      store,
      id,
      { ...intake, occurredAt, description: "😀 paired \ud83d\ude00" },
      ctx,
    );
    expect(result).toMatchObject({ ok: true });
    const [event] = await store.readStream(id);
    expect(event?.occurredAt).toBe(occurredAt);
    expect(await verifyStream(store, id)).toMatchObject({ ok: true, events: 1 });
  }
}
