import { describe, expect, it } from "vitest";
import { calendars } from "../../src/index.js";
import { manufacturing, reviewMeetingCandidates } from "../../src/presets/index.js";
import { complaintCase, sh } from "./harness.js";

const cn = calendars.chinaMainland();
const sales = { id: "sales-wang", role: "sales", unit: "sales" };
const qa = { id: "qa-li", role: "qa-engineer", unit: "qa" };
const viceGm = { id: "vgm-zhou", role: "vice-gm", unit: "gm-office" };

describe("manufacturing preset", () => {
  it("R-01 R-05 R-27 R-10 R-11 R-30 R-31 a quality complaint across the Spring Festival, end to end", async () => {
    const c = complaintCase(manufacturing, cn, sales);
    // Friday 2026-02-13 10:00, the last working day but one before the Spring Festival
    // (02-15..02-23 off; Saturday 02-14 is worked).
    const received = await c.run(sh("2026-02-13T10:00"), {
      type: "ReceiveComplaint",
      channel: "email",
      complainant: { id: "cust-huaxin" },
      personalData: { name: "华鑫电子 采购部 陈工", email: "chen@example.com" },
      subject: {
        product: "LED驱动电源 40W",
        orderNumber: "SO-2026-0113",
        itemNumber: "PS-40-24",
        quantity: 500,
        defectQuantity: 12,
        deliveryDate: "2026-02-06",
      },
      description: "来料抽检12台输出电压偏低",
      request: "更换不良品并承担停线损失",
    });
    // R-01, 001:140 年度-月份-流水编号: the first case of February 2026.
    expect(received.stage !== "none" && received.caseNumber).toBe("2026-02-0001");

    // R-05, 001:431: quality issues go to QA.
    const classified = await c.run(sh("2026-02-13T11:00"), {
      type: "ClassifyComplaint",
      kind: "complaint",
      category: "quality",
      causeClass: "quality",
    });
    expect(classified.stage === "classified" && classified.classification.routedTo).toBe("qa");
    await c.run(sh("2026-02-13T11:10"), { type: "AssignComplaint", assignee: { id: "qa-li", unit: "qa" } });
    await c.run(sh("2026-02-13T11:20"), { type: "AcceptAssignment" }, qa);
    await c.run(sh("2026-02-14T09:30"), {
      type: "AcknowledgeReceipt",
      handler: { id: "qa-li", unit: "qa" },
      expectedResponseBy: sh("2026-02-24T18:00"),
      channel: "email",
    });

    const before = await c.sla(sh("2026-02-24T09:00"));
    const at = (id: string) => before.clocks.find((k) => k.clockId === id);
    // accept: 24 calendar hours → Sat 02-14 10:00; acknowledged 09:30 on the 调休 Saturday.
    expect(at("accept")).toMatchObject({ status: "met", dueAt: sh("2026-02-14T10:00") });
    // cause-analysis (001:56): 3 working days from the notice, Fri 11:00. Not counting Friday:
    // Sat 02-14 (1), then the holiday, Tue 02-24 (2), Wed 02-25 (3) → 02-25 18:00.
    // Used by Tue 09:00: Fri 11-12, 13-18 (6 h) + Sat (8 h) = 14 of 30 h → running.
    expect(at("cause-analysis")).toMatchObject({ status: "running", dueAt: sh("2026-02-25T18:00") });
    // reply (001:32, 496): 7 calendar days → day 7 is Fri 02-20, inside the holiday, so the period
    // ends on the next working day, Tue 02-24, at close of business. 263 of 272 h used → at risk.
    expect(at("reply")).toMatchObject({ status: "at-risk", dueAt: sh("2026-02-24T18:00") });
    // completion (001:228): 5 working days → 02-14, 02-24, 02-25, 02-26, 02-27 → Fri 02-27 18:00.
    expect(at("completion")).toMatchObject({ status: "running", dueAt: sh("2026-02-27T18:00") });

    await c.run(
      sh("2026-02-24T16:00"),
      {
        type: "RecordInvestigation",
        findings: {
          facts: "12台输出电压22.1V,低于规格23.5V",
          evidence: ["检验报告 QA-2026-021"],
          rootCause: "反馈电阻批次阻值偏差",
          responsible: { unit: "production-line-3" },
          validity: "valid",
          inspectionReport: {
            background: "客户来料抽检不良",
            itemsInspected: "输出电压、纹波、温升",
            analysis: "反馈电阻阻值偏高2%",
            correctiveAction: "更换电阻供应商批次,增加来料检验",
            verification: "复测50台全部合格",
          },
        },
      },
      qa,
    );
    // R-27, 001:502, 001:89: sales may not promise a cost on its own; the QA manager cannot
    // approve it either; the vice GM can.
    const remedy = {
      kinds: ["exchange", "compensation"] as const,
      description: "更换12台并补偿停线损失",
      value: { amount: 8_000, currency: "CNY" },
    };
    const alone = await c.reject(sh("2026-02-24T17:00"), {
      type: "ProposeResolution",
      remedy: { ...remedy, kinds: [...remedy.kinds] },
    });
    expect(alone.code).toBe("policy/authority-exceeded");
    const byQa = await c.reject(sh("2026-02-24T17:00"), {
      type: "ProposeResolution",
      remedy: { ...remedy, kinds: [...remedy.kinds] },
      approvedBy: { id: "qa-mgr", role: "qa-manager", unit: "qa" },
    });
    expect(byQa.code).toBe("policy/authority-exceeded");
    await c.run(sh("2026-02-24T17:00"), {
      type: "ProposeResolution",
      remedy: { ...remedy, kinds: [...remedy.kinds] },
      approvedBy: viceGm,
    });
    await c.run(sh("2026-02-26T10:00"), { type: "AcceptResolution" });

    // revisit first; R-11: the complainant confirms; R-30: then the five gates.
    expect((await c.reject(sh("2026-02-26T11:00"), { type: "CloseComplaint" })).code).toBe(
      "close/revisit-required",
    );
    await c.run(sh("2026-02-26T14:00"), { type: "RecordRevisit", satisfaction: 80 });
    expect((await c.reject(sh("2026-02-26T15:00"), { type: "CloseComplaint" })).code).toBe(
      "close/confirmation-required",
    );
    await c.run(sh("2026-02-27T10:00"), {
      type: "RecordRevisit",
      satisfaction: 90,
      complainantConfirmed: true,
    });
    const gate = await c.reject(sh("2026-02-27T11:00"), { type: "CloseComplaint" });
    expect(gate.code).toBe("close/gate");
    expect(gate.message).toContain("measuresInPlace, accountable, educated");

    // R-31 corrective action planned, implemented, verified; R-29 accountability.
    await c.run(
      sh("2026-02-27T11:00"),
      {
        type: "PlanCorrectiveAction",
        actionId: "CA-1",
        description: "电阻来料增加阻值抽检",
        owner: { unit: "qa" },
        preventive: true,
      },
      qa,
    );
    await c.run(sh("2026-03-04T10:00"), { type: "RecordCorrectiveActionImplemented", actionId: "CA-1" }, qa);
    await c.run(
      sh("2026-03-11T10:00"),
      { type: "VerifyCorrectiveAction", actionId: "CA-1", effective: true },
      qa,
    );
    await c.run(sh("2026-03-11T11:00"), {
      type: "RecordAccountability",
      responsible: { unit: "production-line-3" },
      measure: "通报批评,扣减当月质量奖金",
    });
    const closed = await c.run(sh("2026-03-11T15:00"), { type: "CloseComplaint", staffEducated: true });
    expect(closed.stage === "closed" && closed.closure.outcome).toBe("resolved");

    const after = await c.sla(sh("2026-03-12T09:00"));
    expect(after.clocks.map((k) => [k.clockId, k.status])).toEqual([
      ["accept", "met"],
      ["cause-analysis", "met"], // investigated Tue 02-24 16:00, due Wed 02-25 18:00
      ["reply", "met"], // proposed Tue 02-24 17:00, due 18:00
      ["completion", "met"], // accepted Thu 02-26 10:00, due Fri 02-27 18:00
    ]);
  });

  it("R-18 a complaint that went to the media is serious (004:135)", async () => {
    const c = complaintCase(manufacturing, cn, sales);
    await c.run(sh("2026-03-02T09:00"), {
      type: "ReceiveComplaint",
      channel: "media",
      complainant: { id: "reporter-1" },
      description: "媒体报道产品起火",
    });
    const s = await c.run(sh("2026-03-02T09:30"), {
      type: "ClassifyComplaint",
      kind: "complaint",
      category: "quality",
    });
    expect(s.stage === "classified" && s.classification.severity).toBe("serious");
  });

  it("R-21 the review meeting takes the frequent or urgent categories (004:123), most pressing first", () => {
    const candidates = reviewMeetingCandidates([
      { category: "quality", count: 5, previousCount: 2, urgency: "medium" },
      { category: "delivery", count: 1, urgency: "high" },
      { category: "price", count: 2, previousCount: 1, urgency: "low" },
      { category: "packaging", count: 3, previousCount: 4, urgency: "low" },
      { category: "transport-damage", count: 0, urgency: "high" },
      { category: "power-supply", count: 3, urgency: "high" },
    ]);
    expect(candidates).toEqual([
      { category: "power-supply", count: 3, urgency: "high", reasons: ["frequent", "urgent"], rising: false },
      { category: "delivery", count: 1, urgency: "high", reasons: ["urgent"], rising: false },
      { category: "quality", count: 5, urgency: "medium", reasons: ["frequent"], rising: true },
      { category: "packaging", count: 3, urgency: "low", reasons: ["frequent"], rising: false },
    ]);
    // A lower threshold makes two complaints a month frequent.
    expect(
      reviewMeetingCandidates([{ category: "price", count: 2, urgency: "low" }], { frequentAt: 2 }).map(
        (r) => r.category,
      ),
    ).toEqual(["price"]);
    expect(reviewMeetingCandidates([])).toEqual([]);
  });
});
