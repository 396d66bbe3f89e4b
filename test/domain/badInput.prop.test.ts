import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  complaintId,
  createMemoryStore,
  defaultPolicy,
  fold,
  handle,
  initialState,
  parseCommand,
  REJECTIONS,
  ulidGenerator,
} from "../../src/index.js";
import {
  arbJsonish,
  arbMangledCommand,
  arbValidStream,
  checkStream,
  createSteppingClock,
  defaultTestActor,
} from "../../src/testing/index.js";

const arbHostile = fc.oneof(arbJsonish(), arbMangledCommand(), arbMangledCommand());

describe("bad input at the boundary", () => {
  it("parseCommand never throws and names a field for every malformed input", () => {
    fc.assert(
      fc.property(arbHostile, (input) => {
        const parsed = parseCommand(input);
        if (!parsed.ok) {
          expect(parsed.rejection.code).toBe("command/invalid");
          expect(parsed.rejection.fields?.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("handle only ever answers a known rejection or a valid append, whatever it is given", async () => {
    const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort();
    await fc.assert(
      fc.asyncProperty(
        arbValidStream(defaultPolicy, { maxLength: 12 }),
        fc.array(arbHostile, { minLength: 1, maxLength: 8 }),
        fc.nat(),
        async ({ commands }, hostile, seed) => {
          const store = createMemoryStore();
          const clock = createSteppingClock("2026-03-02T01:00:00.000Z");
          const ids = ulidGenerator({ clock, seed });
          const streamId = complaintId(ids.next());
          const ctx = { clock, ids, actor: defaultTestActor, policy: defaultPolicy };
          for (const input of commands) {
            clock.advance();
            await handle(store, streamId, input, ctx);
          }
          for (const input of hostile) {
            clock.advance();
            const result = await handle(store, streamId, input, ctx);
            if (!result.ok) expect(REJECTIONS).toHaveProperty([result.rejection.code]);
          }
          const events = await store.readStream(streamId);
          expect(checkStream(events)).toEqual([]);
          fold(initialState(streamId), events);
          for (const event of events) expect(JSON.parse(JSON.stringify(event))).toStrictEqual(event);
          await store.close();
        },
      ),
      { numRuns: 150 },
    );
    // `__proto__` and `constructor` keys must never reach a prototype.
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeKeys);
  });

  it("hostile values the schemas must refuse: NaN, negative and infinite amounts, impossible dates, oversize text", async () => {
    const store = createMemoryStore();
    const clock = createSteppingClock("2026-03-02T01:00:00.000Z");
    const ids = ulidGenerator({ clock, seed: 1 });
    const streamId = complaintId(ids.next());
    const ctx = { clock, ids, actor: defaultTestActor, policy: defaultPolicy };
    const receive = {
      type: "ReceiveComplaint",
      channel: "phone",
      complainant: { id: "c-1" },
      description: "少了一条",
    };
    const propose = (amount: number) => ({
      type: "ProposeResolution",
      remedy: { kinds: ["compensation"], description: "赔偿", value: { amount, currency: "CNY" } },
    });
    const refused = [
      propose(Number.NaN),
      propose(-1),
      propose(Number.POSITIVE_INFINITY),
      { ...receive, occurredAt: "2026-02-30T00:00:00.000Z" },
      { ...receive, occurredAt: "not a date" },
      { ...receive, description: "长".repeat(20_001) },
      { ...receive, subject: { quantity: -3 } },
      JSON.parse('{"type":"ReceiveComplaint","__proto__":{"polluted":true},"channel":"phone"}'),
    ];
    for (const input of refused) {
      const result = await handle(store, streamId, input, ctx);
      expect(result.ok ? "accepted" : result.rejection.code, JSON.stringify(input).slice(0, 120)).toBe(
        "command/invalid",
      );
    }
    expect(await store.readStream(streamId)).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
