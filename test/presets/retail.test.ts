import { describe, expect, it } from "vitest";
import { calendars, isCalendarInputError, matchSeverityRule } from "../../src/index.js";
import {
  FOOD_SAFETY_HAZARDS,
  hazardsOf,
  requiresUnconditionalReturn,
  retail,
  withinReportingWindow,
} from "../../src/presets/index.js";
import { complaintCase, sh } from "./harness.js";

const cn = calendars.chinaMainland(); // 09:00-12:00, 13:00-18:00 Asia/Shanghai
const clerk = { id: "clerk-1", role: "staff", unit: "service-desk" };

describe("retail preset", () => {
  it("R-22 R-18 a food-safety hazard makes the case crisis, with an unconditional return and a 4-hour clock", async () => {
    const c = complaintCase(retail, cn, clerk);
    // Tuesday 2025-09-30, 19:00, the evening before National Day.
    await c.run(sh("2025-09-30T19:00"), {
      type: "ReceiveComplaint",
      channel: "walk-in",
      complainant: { id: "cust-1" },
      personalData: { name: "王女士", phone: "13800000000" },
      subject: { product: "原味酸奶 200g", purchaseDate: "2025-09-29" },
      description: "昨天买的酸奶已过保质期",
      request: "退货并赔偿",
      tags: ["food-safety:expired"],
    });
    // not settled at the counter — a hazard is recorded, investigated and reported.
    const spot = await c.reject(sh("2025-09-30T19:05"), {
      type: "ResolveOnTheSpot",
      category: "food-safety",
      severity: "simple",
      remedy: { kinds: ["return"], description: "退货" },
    });
    expect(spot.code).toBe("on-the-spot/not-allowed");
    // The clerk asks for "simple"; the hazard rule sets the floor at crisis.
    const state = await c.run(sh("2025-09-30T19:10"), {
      type: "ClassifyComplaint",
      kind: "complaint",
      category: "food-safety",
      severity: "simple",
    });
    expect(state.stage === "classified" && state.classification).toMatchObject({
      severity: "crisis",
      routedTo: "quality-control",
    });
    expect(requiresUnconditionalReturn(state)).toBe(true);
    expect(hazardsOf(state)).toEqual(["food-safety:expired"]);
    const lower = await c.reject(sh("2025-09-30T19:20"), {
      type: "ChangeSeverity",
      severity: "major",
      reason: "只有一盒",
    });
    expect(lower.code).toBe("policy/severity-below-rule");

    // resolution, crisis: 4 calendar hours from 19:00 → 23:00 the same evening, holiday or not.
    const early = await c.clock("resolution", sh("2025-09-30T21:00"));
    expect(early.dueAt).toBe(sh("2025-09-30T23:00"));
    expect(early.status).toBe("running"); // 2 of 4 hours
    expect((await c.clock("resolution", sh("2025-09-30T22:30"))).status).toBe("at-risk"); // 3.5 of 4
    expect((await c.clock("resolution", sh("2025-09-30T23:30"))).status).toBe("breached");
    // acknowledge: 24 calendar hours (000:329) → Wednesday 10-01 19:00, a holiday.
    expect((await c.clock("acknowledge", sh("2025-09-30T21:00"))).dueAt).toBe(sh("2025-10-01T19:00"));

    await c.run(sh("2025-09-30T20:30"), {
      type: "RecordInvestigation",
      findings: {
        facts: "货架上同批次酸奶6盒超过保质期",
        rootCause: "临期商品未按时下架",
        validity: "valid",
      },
    });
    await c.run(sh("2025-09-30T21:30"), {
      type: "ProposeResolution",
      remedy: {
        kinds: ["return", "compensation"],
        description: "无条件退货并按价款十倍赔偿",
        value: { amount: 150, currency: "CNY" },
      },
    });
    const met = await c.clock("resolution", sh("2025-10-01T12:00"));
    expect(met.status).toBe("met");
    expect(met.stoppedAt).toBe(sh("2025-09-30T21:30"));
  });

  it("R-22 every hazard of 003:41-59 maps to crisis; other tags do not", () => {
    expect(FOOD_SAFETY_HAZARDS).toHaveLength(9);
    for (const { tag } of FOOD_SAFETY_HAZARDS) {
      const rule = matchSeverityRule(retail, {
        category: "product-quality",
        tags: [tag],
        channel: "phone",
        kind: "complaint",
      });
      expect(rule?.severity, tag).toBe("crisis");
      expect(requiresUnconditionalReturn([tag])).toBe(true);
    }
    expect(requiresUnconditionalReturn(["fragile", "vip"])).toBe(false);
    expect(
      matchSeverityRule(retail, {
        category: "product-quality",
        tags: [],
        channel: "phone",
        kind: "complaint",
      }),
    ).toBeUndefined();
  });

  it("R-18 000:403 a complex complaint gets its first opinion in 3 working days, across National Day", async () => {
    const c = complaintCase(retail, cn, clerk);
    await c.run(sh("2025-09-30T10:00"), {
      type: "ReceiveComplaint",
      channel: "phone",
      complainant: { id: "cust-2" },
      description: "电饭煲使用一周后无法加热",
    });
    await c.run(sh("2025-09-30T10:30"), {
      type: "ClassifyComplaint",
      kind: "complaint",
      category: "product-quality",
      severity: "complex",
    });
    // 3 working days from Tue 09-30: the receipt day is not counted; 10-01..10-08 are off;
    // Thu 10-09 (1), Fri 10-10 (2), Sat 10-11, a 调休 working day (3) → 10-11 18:00.
    const c1 = await c.clock("resolution", sh("2025-10-10T12:00"));
    expect(c1.dueAt).toBe(sh("2025-10-11T18:00"));
    // Used: 09-30 10-12, 13-18 (7 h) + 10-09 (8 h) + 10-10 09-12 (3 h) = 18 of 31 h → running.
    expect(c1.status).toBe("running");
    // By Saturday 12:00: 26 of 31 h ≥ 75 % → at risk, although it is a Saturday.
    expect((await c.clock("resolution", sh("2025-10-11T12:00"))).status).toBe("at-risk");

    // R-25 raised to major: 7 working days → 10-09, 10, 11 (Sat), 13, 14, 15, 16 → Thu 10-16 18:00.
    await c.run(sh("2025-10-09T09:30"), {
      type: "ChangeSeverity",
      severity: "major",
      reason: "同型号多名顾客反映",
    });
    const c2 = await c.clock("resolution", sh("2025-10-11T12:00"));
    expect(c2.dueAt).toBe(sh("2025-10-16T18:00"));
    expect(c2.status).toBe("running");
  });

  it("R-04 a simple matter is settled on the spot, within the clerk's authority (R-27)", async () => {
    const c = complaintCase(retail, cn, clerk);
    await c.run(sh("2026-02-14T11:00"), {
      type: "ReceiveComplaint",
      channel: "walk-in",
      complainant: { id: "anon-1", anonymous: true },
      description: "价签与收银价格不一致",
    });
    const tooMuch = await c.reject(sh("2026-02-14T11:05"), {
      type: "ResolveOnTheSpot",
      category: "price",
      remedy: { kinds: ["compensation"], description: "补偿", value: { amount: 500, currency: "CNY" } },
    });
    expect(tooMuch.code).toBe("policy/authority-exceeded");
    const state = await c.run(sh("2026-02-14T11:05"), {
      type: "ResolveOnTheSpot",
      category: "price",
      remedy: {
        kinds: ["price-reduction"],
        description: "退还差价",
        value: { amount: 12.5, currency: "CNY" },
      },
    });
    expect(state.stage).toBe("closed");
    const sla = await c.sla(sh("2026-02-14T12:00"));
    expect(sla.clocks.map((k) => [k.clockId, k.status])).toEqual([
      ["acknowledge", "met"],
      ["resolution", "met"],
    ]);
  });

  it("000:497 a quality problem is reported within 7 days of purchase, by the calendar", () => {
    // Bought Fri 2025-09-26: days 09-27..10-03 count; 10-03 is a National Day holiday, so the
    // period ends on the next working day, Thu 10-09, at close of business (Civil Code art. 203).
    expect(withinReportingWindow("2025-09-26", new Date(sh("2025-10-08T12:00")), cn)).toBe(true);
    expect(withinReportingWindow("2025-09-26", new Date(sh("2025-10-09T18:00")), cn)).toBe(true);
    expect(withinReportingWindow("2025-09-26", new Date(sh("2025-10-09T18:01")), cn)).toBe(false);
    // Bought Wed 2025-09-10: day 7 is Wed 09-17, a working day.
    expect(withinReportingWindow("2025-09-10", new Date(sh("2025-09-17T17:59")), cn)).toBe(true);
    expect(withinReportingWindow("2025-09-10", new Date(sh("2025-09-18T09:00")), cn)).toBe(false);
    // The purchase day itself is inside the window.
    expect(withinReportingWindow("2025-09-10", new Date(sh("2025-09-10T20:00")), cn)).toBe(true);
    const errorOf = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e;
      }
      return undefined;
    };
    const after = errorOf(() => withinReportingWindow("2025-09-11", new Date(sh("2025-09-10T20:00")), cn));
    expect(isCalendarInputError(after) && after.argument).toBe("purchaseDate");
    const bad = errorOf(() => withinReportingWindow("2025-02-30", new Date(sh("2025-03-01T10:00")), cn));
    expect(isCalendarInputError(bad) && bad.argument).toBe("purchaseDate");
  });
});
