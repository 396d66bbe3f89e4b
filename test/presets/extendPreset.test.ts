import { describe, expect, it } from "vitest";
import { calendars, isPolicyError, type Policy } from "../../src/index.js";
import { extendPreset, type PresetOverrides, tobacco } from "../../src/presets/index.js";
import { complaintCase, sh } from "./harness.js";

const cn = calendars.chinaMainland();

/** A bureau that also takes e-cigarette complaints (major) and answers faster than the preset. */
const guizhou = extendPreset(tobacco, {
  id: "tobacco-guizhou",
  version: "1",
  name: "Tobacco bureau, Guizhou variant",
  categories: [{ id: "e-cigarette", label: "E-cigarettes 电子烟", routeTo: "monopoly-administration" }],
  severityRules: [{ id: "e-cigarette-is-major", severity: "major", when: { categories: ["e-cigarette"] } }],
  clocks: [
    {
      id: "handling",
      targets: [
        { severity: "major", target: { amount: 2, unit: "working-days" } },
        { target: { amount: 5, unit: "working-days" } },
      ],
    },
  ],
});

function policyErrorOf(overrides: PresetOverrides, base: Policy = tobacco): string {
  try {
    extendPreset(base, overrides);
  } catch (error) {
    if (isPolicyError(error)) return error.issues;
    throw error;
  }
  throw new Error("expected a PolicyError");
}

describe("extendPreset", () => {
  it("adds a category and a rule, tightens a clock, keeps the rest of the base", () => {
    expect(guizhou.id).toBe("tobacco-guizhou");
    expect(guizhou.categories.map((c) => c.id)).toEqual([
      ...tobacco.categories.map((c) => c.id),
      "e-cigarette",
    ]);
    expect(guizhou.severityRules.map((r) => r.id)).toEqual([
      ...tobacco.severityRules.map((r) => r.id),
      "e-cigarette-is-major",
    ]);
    const handling = guizhou.clocks.find((c) => c.id === "handling");
    const base = tobacco.clocks.find((c) => c.id === "handling");
    // The fields not given are the base's; `targets` is replaced as a whole.
    expect(handling).toMatchObject({
      start: base?.start,
      stop: base?.stop,
      pause: base?.pause,
      source: base?.source,
    });
    expect(handling?.targets).toHaveLength(2);
    expect(guizhou.closure).toEqual(tobacco.closure);
    expect(guizhou.authority).toEqual(tobacco.authority);
    // The base is not changed.
    expect(base?.targets).toHaveLength(4);
    expect(tobacco.categories.some((c) => c.id === "e-cigarette")).toBe(false);
  });

  it("R-18 R-05 R-24 a custom tobacco preset classifies and times an e-cigarette complaint", async () => {
    const c = complaintCase(guizhou, cn, { id: "clerk-1", role: "staff", unit: "marketing" });
    await c.run(sh("2025-09-30T16:00"), {
      type: "ReceiveComplaint",
      channel: "walk-in",
      complainant: { id: "consumer-9" },
      description: "零售户无证销售电子烟",
    });
    const s = await c.run(sh("2025-09-30T16:10"), {
      type: "ClassifyComplaint",
      kind: "complaint",
      category: "e-cigarette",
    });
    expect(s.stage === "classified" && s.classification).toMatchObject({
      severity: "major",
      routedTo: "monopoly-administration",
    });
    const events = await c.store.readStream(c.streamId);
    const classified = events.find((e) => e.type === "ComplaintClassified");
    expect(classified?.type === "ComplaintClassified" && classified.data.severityRule).toBe(
      "e-cigarette-is-major",
    );
    // handling, major, now 2 working days from Tue 09-30: Thu 10-09 (1), Fri 10-10 (2) → 10-10 18:00
    // (the base preset would allow until Sat 10-11 18:00).
    const handling = await c.clock("handling", sh("2025-10-09T09:00"));
    expect(handling.dueAt).toBe(sh("2025-10-10T18:00"));
    // The stream records the extension's identity.
    expect((await c.sla(sh("2025-10-09T09:00"))).policy).toMatchObject({
      id: "tobacco-guizhou",
      version: "1",
    });
  });

  it("merges closure and escalation roles field by field, and removes entries by id", () => {
    const lenient = extendPreset(tobacco, {
      id: "tobacco-lenient",
      version: "1",
      closure: { requireComplainantConfirmation: false },
      escalationRoles: { 3: "bureau-chief" },
      authority: [
        { role: "leader-in-charge", maxRemedyValue: 50_000 },
        { role: "bureau-chief", maxRemedyValue: 200_000 },
      ],
      remove: { clocks: ["revisit"] },
    });
    expect(lenient.closure).toEqual({
      requireComplainantConfirmation: false,
      requireRevisit: true,
      gate: "five",
    });
    expect(lenient.escalationRoles).toEqual({ 1: "staff", 2: "inspection-office", 3: "bureau-chief" });
    expect(lenient.authority).toEqual([
      { role: "staff", maxRemedyValue: 200 },
      { role: "inspection-office", maxRemedyValue: 2_000 },
      { role: "leader-in-charge", maxRemedyValue: 50_000 },
      { role: "bureau-chief", maxRemedyValue: 200_000 },
    ]);
    expect(lenient.clocks.map((c) => c.id)).toEqual(["acceptance", "ownership", "handling"]);
    // A field given as undefined keeps the base's value.
    expect(extendPreset(tobacco, { id: "t2", version: "1", currency: undefined }).currency).toBe("CNY");
  });

  it("bad overrides are a PolicyError naming the field, entries by their id", () => {
    expect(policyErrorOf({ id: "tobacco", version: "1" })).toMatch(/^id: tobacco@1 is the base's identity/);
    expect(extendPreset(tobacco, { id: "tobacco", version: "2" }).version).toBe("2");

    const incomplete = policyErrorOf({ id: "t", version: "1", clocks: [{ id: "reply", label: "Reply" }] });
    expect(incomplete).toContain("clocks[reply].stop");
    expect(incomplete).toContain("clocks[reply].targets");

    const unknownSeverity = policyErrorOf({
      id: "t",
      version: "1",
      clocks: [
        { id: "handling", targets: [{ severity: "urgent", target: { amount: 1, unit: "working-days" } }] },
      ],
    });
    expect(unknownSeverity).toContain("clocks[handling].targets.0.severity: unknown severity urgent");
    expect(unknownSeverity).toContain(
      "clocks[handling].targets: no target for severity general and kind complaint",
    );

    expect(
      policyErrorOf({
        id: "t",
        version: "1",
        severityRules: [{ id: "nope-is-major", severity: "major", when: { categories: ["nope"] } }],
      }),
    ).toBe("severityRules[nope-is-major].when.categories.0: unknown category nope");
    expect(policyErrorOf({ id: "t", version: "1", remove: { clocks: ["nope"] } })).toBe(
      "remove.clocks.0: the base has no clocks entry nope",
    );
    // Removing a clock another one is chained to breaks the chain.
    expect(policyErrorOf({ id: "t", version: "1", remove: { clocks: ["handling"] } })).toBe(
      "clocks[revisit].after: chained after unknown clock handling",
    );
    expect(policyErrorOf({ id: "t", version: "1", defaultSeverity: "urgent" })).toBe(
      "defaultSeverity: must be one of severities",
    );
    expect(policyErrorOf({ id: "t", version: "1", caseNumberFormat: "{yyyy}-{week}" })).toMatch(
      /^caseNumberFormat: /,
    );
  });
});
