import { describe, expect, it } from "vitest";
import { type CommandOf, calendars, matchSeverityRule } from "../../src/index.js";
import { MAJOR_INCIDENTS, property, tagCollective } from "../../src/presets/index.js";
import { deciderSpec } from "../../src/testing/index.js";
import { complaintCase, sh } from "./harness.js";

const cn = calendars.chinaMainland();
const desk = { id: "cs-1", role: "customer-service", unit: "customer-service" };

describe("property preset", () => {
  it("R-18 R-26 a lift entrapment is major: reported to the manager within 30 minutes, answered in 7 working days", async () => {
    const c = complaintCase(property, cn, desk);
    // Saturday 2026-02-14 20:00: a 调休 working day before the Spring Festival, in the evening.
    await c.run(sh("2026-02-14T20:00"), {
      type: "ReceiveComplaint",
      channel: "hotline",
      complainant: { id: "owner-3-1201" },
      personalData: { name: "3栋1201 业主", phone: "13700000000" },
      description: "3号楼2号电梯困人20分钟,无人应答",
      tags: ["lift-entrapment"],
    });
    const s = await c.run(sh("2026-02-14T20:05"), {
      type: "ClassifyComplaint",
      kind: "complaint",
      category: "lifts",
    });
    expect(s.stage === "classified" && s.classification).toMatchObject({
      severity: "major",
      routedTo: "engineering",
    });
    // report (002:66 马上报告): 30 minutes from 20:00 → 20:30; at 20:20, 2/3 used → at risk.
    const risk = await c.clock("report", sh("2026-02-14T20:20"));
    expect(risk).toMatchObject({ status: "at-risk", dueAt: sh("2026-02-14T20:30") });
    // Reporting to the department manager is the escalation to level 2.
    await c.run(sh("2026-02-14T20:25"), {
      type: "EscalateComplaint",
      toLevel: 2,
      reason: "重大投诉,报告部门经理和中心领导",
    });
    await c.run(sh("2026-02-14T20:40"), {
      type: "AcknowledgeReceipt",
      handler: { unit: "engineering", id: "eng-he" },
      expectedResponseBy: sh("2026-02-24T18:00"),
      channel: "phone",
    });
    const sla = await c.sla(sh("2026-02-14T21:00"));
    expect(sla.clocks.find((k) => k.clockId === "report")?.status).toBe("met");
    expect(sla.clocks.find((k) => k.clockId === "first-reply")).toMatchObject({
      status: "met",
      dueAt: sh("2026-02-14T22:00"),
    });
    // handling, major: 7 working days from Sat 02-14, not counting it; 02-15..02-23 off:
    // 02-24 (1), 25 (2), 26 (3), 27 (4), Sat 02-28 — 调休 (5), Mon 03-02 (6), Tue 03-03 (7).
    expect(sla.clocks.find((k) => k.clockId === "handling")?.dueAt).toBe(sh("2026-03-03T18:00"));

    await c.run(sh("2026-02-24T10:00"), {
      type: "RecordInvestigation",
      findings: {
        facts: "电梯门锁回路故障,维保单位响应超时",
        rootCause: "维保巡检漏检门锁",
        responsible: { unit: "lift-contractor" },
        validity: "valid",
      },
    });
    await c.run(sh("2026-02-26T15:00"), {
      type: "ProposeResolution",
      remedy: {
        kinds: ["apology", "compensation"],
        description: "书面致歉,减免一个月物业费",
        value: { amount: 320, currency: "CNY" },
      },
    });
    await c.run(sh("2026-02-26T16:00"), { type: "AcceptResolution" });
    // 002:71 回访 and 002:65 由客户确认: both before closing.
    expect((await c.reject(sh("2026-02-26T17:00"), { type: "CloseComplaint" })).code).toBe(
      "close/revisit-required",
    );
    await c.run(sh("2026-02-27T10:00"), { type: "RecordRevisit", satisfaction: 80 });
    expect((await c.reject(sh("2026-02-27T10:30"), { type: "CloseComplaint" })).code).toBe(
      "close/confirmation-required",
    );
    await c.run(sh("2026-02-27T11:00"), {
      type: "RecordRevisit",
      satisfaction: 80,
      complainantConfirmed: true,
    });
    // No five-gate closure in this preset.
    const closed = await c.run(sh("2026-02-27T11:30"), { type: "CloseComplaint" });
    expect(closed.stage).toBe("closed");
    expect((await c.clock("handling", sh("2026-03-04T09:00"))).status).toBe("met");
  });

  it("R-18 every major incident of 002:69 makes the case major", () => {
    expect(MAJOR_INCIDENTS).toHaveLength(9);
    for (const { tag } of MAJOR_INCIDENTS)
      expect(
        matchSeverityRule(property, { category: "other", tags: [tag], channel: "phone", kind: "complaint" })
          ?.severity,
        tag,
      ).toBe("major");
  });

  it("R-18 a complaint by three or more households is collective, hence major (002:69)", () => {
    const receive: CommandOf<"ReceiveComplaint"> = {
      type: "ReceiveComplaint",
      channel: "walk-in",
      complainant: { id: "owners-committee", anonymous: false },
      personalData: null,
      subject: {},
      description: "多户业主反映物业费上涨未公示",
      tags: [],
    };
    expect(tagCollective(receive, 2)).toBe(receive);
    const five = tagCollective(receive, 5);
    expect(five.tags).toEqual(["collective"]);
    expect(receive.tags).toEqual([]); // not changed
    expect(tagCollective(five, 7).tags).toEqual(["collective"]);
    const then = deciderSpec({ policy: property, actor: desk })
      .given(five)
      .when({ type: "ClassifyComplaint", kind: "complaint", category: "fees" });
    expect(then.state.stage === "classified" && then.state.classification.severity).toBe("major");
  });

  it("R-04 a general complaint is settled on the spot, which meets every clock", async () => {
    const c = complaintCase(property, cn, desk);
    await c.run(sh("2026-03-02T09:00"), {
      type: "ReceiveComplaint",
      channel: "walk-in",
      complainant: { id: "tenant-8" },
      description: "报纸连续两天未收到",
    });
    await c.run(sh("2026-03-02T09:10"), {
      type: "ResolveOnTheSpot",
      category: "mail",
      remedy: { kinds: ["apology"], description: "查找并补送报纸" },
    });
    const sla = await c.sla(sh("2026-03-02T10:00"));
    expect(sla.clocks.map((k) => [k.clockId, k.status])).toEqual([
      ["first-reply", "met"],
      ["report", "met"],
      ["handling", "met"],
    ]);
  });
});
