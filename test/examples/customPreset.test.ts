import { describe, expect, it } from "vitest";
import { cityBureau, handleUnder } from "../../examples/customPreset.js";
import {
  type ComplaintId,
  calendars,
  createMemoryStore,
  evaluateSla,
  fixedClock,
  handleOrThrow,
  SlaPolicyMismatchError,
  ulidGenerator,
} from "../../src/index.js";
import { tobacco } from "../../src/presets/index.js";
import { runExample } from "./runExample.js";

// The same complaint, received Thursday 2025-09-25 10:00 in Shanghai, under tobacco and under the
// example's city-bureau preset derived from it.

describe("examples/customPreset.ts", () => {
  it("R-20 the extra category is accepted and routed to its unit (R-05); tobacco refuses it", async () => {
    const derived = await handleUnder(cityBureau, "ordering-platform");
    expect(derived.rejection).toBeUndefined();
    expect(derived).toMatchObject({ routedTo: "information-centre", severity: "general" });
    const base = await handleUnder(tobacco, "ordering-platform");
    expect(base.rejection).toMatchObject({ code: "policy/unknown-category", rule: "R-20" });
    // The base preset is left as it was.
    expect(tobacco.categories.map((c) => c.id)).not.toContain("ordering-platform");
    expect(cityBureau.categories.map((c) => c.id)).toEqual([
      ...tobacco.categories.map((c) => c.id),
      "ordering-platform",
    ]);
  });

  it("R-18 the stricter clock answers a general complaint two working days sooner than tobacco", async () => {
    const base = await handleUnder(tobacco, "ordering");
    const derived = await handleUnder(cityBureau, "ordering");
    expect([base.severity, derived.severity]).toEqual(["general", "general"]);
    // Tobacco, 7 working days: 09-26, the 调休 Sunday 09-28, 09-29, 09-30, then after the National
    // Day holiday (10-01..10-08) 10-09, 10-10 and the 调休 Saturday 10-11, to 18:00.
    expect(base.handlingDueAt).toBe("2025-10-11T10:00:00.000Z");
    // The city bureau, 5 working days: the same days up to Thursday 10-09, 18:00.
    expect(derived.handlingDueAt).toBe("2025-10-09T10:00:00.000Z");
    expect(Date.parse(derived.handlingDueAt!)).toBeLessThan(Date.parse(base.handlingDueAt!));
  });

  it("R-18 a major complaint keeps tobacco's 3 working days", async () => {
    const base = await handleUnder(tobacco, "cigarette-quality");
    const derived = await handleUnder(cityBureau, "cigarette-quality");
    expect([base.severity, derived.severity]).toEqual(["major", "major"]);
    // 09-26, the 调休 Sunday 09-28 and Monday 09-29, to 18:00.
    expect(derived.handlingDueAt).toBe("2025-09-29T10:00:00.000Z");
    expect(base.handlingDueAt).toBe(derived.handlingDueAt);
  });

  it("has an identity of its own: a case handled under it is not judged by plain tobacco", async () => {
    const clock = fixedClock("2025-09-25T02:00:00.000Z");
    const ids = ulidGenerator({ clock, seed: 2 });
    const store = createMemoryStore();
    const id = ids.next() as ComplaintId;
    const actor = { id: "wang.li", role: "staff", unit: "service-desk" };
    const received = await handleOrThrow(
      store,
      id,
      { type: "ReceiveComplaint", channel: "hotline", complainant: { id: "r-1" }, description: "订单丢失" },
      { clock, ids, actor, policy: cityBureau },
    );
    expect(received.events[0]).toMatchObject({
      data: { policy: { id: "tobacco-city-bureau", version: "1" } },
    });
    const events = await store.readStream(id);
    expect(() => evaluateSla(events, tobacco, calendars.chinaMainland(), clock.now())).toThrow(
      SlaPolicyMismatchError,
    );
  });

  it("runs as a script and prints both due dates in Shanghai time", async () => {
    const output = await runExample("customPreset.ts");
    expect(output).toMatch(/^tobacco +ordering-platform +refused: policy\/unknown-category R-20 /m);
    expect(output).toMatch(
      /^tobacco-city-bureau +ordering-platform +general, routed to information-centre, answer due 2025-10-09 18:00$/m,
    );
    expect(output).toMatch(/^tobacco +ordering +general, routed to marketing, answer due 2025-10-11 18:00$/m);
  });
});
