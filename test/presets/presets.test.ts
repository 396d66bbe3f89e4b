import { describe, expect, it } from "vitest";
import { createPolicy, findClockTraps, formatCaseNumber } from "../../src/index.js";
import {
  generic,
  manufacturing,
  presets,
  property,
  retail,
  tobacco,
  usCfpb,
} from "../../src/presets/index.js";

const all = Object.entries(presets);

describe("presets", () => {
  it.each(all)("R-18 R-20 R-24 R-27 %s validates and carries its sources", (_, policy) => {
    // Parsing a preset again gives the same policy: it is a fixed point of the schema.
    expect(createPolicy(policy)).toEqual(policy);
    expect(findClockTraps(policy.clocks, policy.severities, policy.kinds)).toEqual([]);
    expect(policy.version).toBe("1");
    expect(policy.categories.length).toBeGreaterThan(3);
    expect(policy.categories.every((c) => c.routeTo !== undefined)).toBe(true);
    expect(policy.authority.length).toBeGreaterThan(0);
    expect(policy.clocks.length).toBeGreaterThan(0);
    for (const clock of policy.clocks) expect(clock.source, clock.id).toMatch(/\S/);
    for (const rule of policy.severityRules) expect(rule.source, rule.id).toMatch(/\S/);
    // Every clock escalates to a rung of the ladder, or does nothing.
    for (const clock of policy.clocks)
      for (const e of clock.escalations) expect(policy.escalationRoles[e.toLevel]).toMatch(/\S/);
    // Extension approvers and escalation roles are known to the authority table.
    const roles = new Set(policy.authority.map((a) => a.role));
    for (const role of policy.extensionApproverRoles) expect(roles.has(role), role).toBe(true);
  });

  it("each preset has its own id, and the record holds the named exports", () => {
    const ids = all.map(([, p]) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(presets).toEqual({ retail, manufacturing, tobacco, property, usCfpb, generic });
  });

  it("R-01 case numbers follow each preset's format", () => {
    // Monday 2026-03-02 09:00 in Shanghai is Sunday 2026-03-01 20:00 in New York.
    const at = new Date("2026-03-02T01:00:00.000Z");
    expect(formatCaseNumber(manufacturing, at, 42)).toBe("2026-03-0042"); // 001:140 年度-月份-流水编号
    expect(formatCaseNumber(retail, at, 7)).toBe("RT20260302-007");
    expect(formatCaseNumber(tobacco, at, 7)).toBe("YC20260302-007");
    expect(formatCaseNumber(property, at, 7)).toBe("WY202603-0007");
    expect(formatCaseNumber(usCfpb, at, 4_577_632)).toBe("260301-4577632");
    expect(formatCaseNumber(generic, at, 7)).toBe("20260302-0007");
  });

  it("R-18 severities are ordered from least to most severe", () => {
    expect(retail.severities).toEqual(["simple", "complex", "major", "crisis"]);
    expect(tobacco.severities).toEqual(["general", "major"]);
    expect(property.severities).toEqual(["general", "major"]);
    expect(manufacturing.severities).toEqual(["general", "serious"]);
  });

  it("R-30 closure: gates and revisits per preset", () => {
    expect(tobacco.closure).toEqual({
      requireComplainantConfirmation: true,
      requireRevisit: true,
      gate: "five",
    });
    expect(manufacturing.closure).toEqual({
      requireComplainantConfirmation: true,
      requireRevisit: true,
      gate: "five",
    });
    expect(property.closure).toEqual({
      requireComplainantConfirmation: true,
      requireRevisit: true,
      gate: "none",
    });
    expect(generic.closure.gate).toBe("none");
    expect(usCfpb.closure.gate).toBe("none");
  });
});
