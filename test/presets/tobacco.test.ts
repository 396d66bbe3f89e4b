import { describe, expect, it } from "vitest";
import { type CommandInput, calendars } from "../../src/index.js";
import { tobacco } from "../../src/presets/index.js";
import { deciderSpec } from "../../src/testing/index.js";
import { complaintCase, sh } from "./harness.js";

const cn = calendars.chinaMainland();
const clerk = { id: "clerk-1", role: "staff", unit: "marketing" }; // the first responder
const finance = { id: "fin-zhao", role: "staff", unit: "finance" };
const leader = { id: "leader-1", role: "leader-in-charge", unit: "management" };

describe("tobacco preset", () => {
  it("R-18 R-06 R-10 R-11 R-30 a payment complaint is major: accepted and owned within the hour, closed through five gates", async () => {
    const c = complaintCase(tobacco, cn, clerk);
    // Tuesday 2025-09-30 16:00, the last working day before National Day (10-01..10-08).
    await c.run(sh("2025-09-30T16:00"), {
      type: "ReceiveComplaint",
      channel: "phone",
      complainant: { id: "retailer-0571" },
      personalData: { name: "李记烟酒店", phone: "13900000000" },
      description: "9月卷烟货款被重复扣款两次",
      request: "退还重复扣款",
    });
    // Before classification the default severity, general, applies: acceptance in 24 h.
    expect((await c.clock("acceptance", sh("2025-09-30T16:05"))).dueAt).toBe(sh("2025-10-01T16:00"));

    // 002:430 款项 → major, whatever the clerk asks; routed to finance.
    const classified = await c.run(sh("2025-09-30T16:10"), {
      type: "ClassifyComplaint",
      kind: "complaint",
      category: "payment",
    });
    expect(classified.stage === "classified" && classified.classification).toMatchObject({
      severity: "major",
      routedTo: "finance",
    });
    // acceptance and ownership are re-judged as major: 1 calendar hour from 16:00 → 17:00.
    // At 16:40, 40 of 60 minutes are used, past the 50 % warning.
    const early = await c.sla(sh("2025-09-30T16:40"));
    for (const id of ["acceptance", "ownership"])
      expect(early.clocks.find((k) => k.clockId === id)).toMatchObject({
        status: "at-risk",
        dueAt: sh("2025-09-30T17:00"),
      });

    await c.run(sh("2025-09-30T16:45"), {
      type: "AcknowledgeReceipt",
      handler: { id: "fin-zhao", unit: "finance" },
      expectedResponseBy: sh("2025-10-11T18:00"),
      channel: "phone",
    });
    // the clerk owns the case until finance acknowledges the hand-over.
    const handedOver = await c.run(sh("2025-09-30T16:50"), {
      type: "AssignComplaint",
      assignee: { id: "fin-zhao", unit: "finance" },
    });
    expect(handedOver.stage !== "none" && handedOver.owner).toEqual({ id: "clerk-1", unit: "marketing" });
    await c.run(sh("2025-09-30T17:20"), { type: "AcceptAssignment" }, finance);

    const owned = await c.sla(sh("2025-09-30T17:30"));
    expect(owned.clocks.find((k) => k.clockId === "acceptance")?.status).toBe("met");
    // The named owner took the case at 17:20, twenty minutes after 立即明确专人 allowed.
    expect(owned.clocks.find((k) => k.clockId === "ownership")?.status).toBe("met-late");
    // handling, major: 3 working days from Tue 09-30, the receipt day not counted, the holiday
    // skipped: Thu 10-09 (1), Fri 10-10 (2), Sat 10-11 — a 调休 working day (3) → 10-11 18:00.
    expect(owned.clocks.find((k) => k.clockId === "handling")?.dueAt).toBe(sh("2025-10-11T18:00"));

    await c.run(
      sh("2025-10-10T10:00"),
      {
        type: "RecordInvestigation",
        findings: {
          facts: "银行代扣接口对同一笔货款提交两次",
          rootCause: "代扣失败重试未校验已成功扣款",
          responsible: { unit: "finance" },
          validity: "valid",
        },
      },
      finance,
    );
    // a clerk may promise 200 CNY; the leader in charge approves the refund.
    const refund = {
      kinds: ["apology", "compensation"] as ("apology" | "compensation")[],
      description: "退还重复扣款并致歉",
      value: { amount: 1_500, currency: "CNY" },
    };
    expect(
      (await c.reject(sh("2025-10-10T15:00"), { type: "ProposeResolution", remedy: refund }, finance)).code,
    ).toBe("policy/authority-exceeded");
    await c.run(
      sh("2025-10-10T15:00"),
      { type: "ProposeResolution", remedy: refund, approvedBy: leader },
      finance,
    );
    await c.run(sh("2025-10-10T16:00"), { type: "AcceptResolution" });

    // revisit starts when handling stops, Fri 10-10 15:00: 5 working days, Friday not counted:
    // Sat 10-11 (1, 调休), Mon 10-13 (2), 10-14 (3), 10-15 (4), Thu 10-16 (5) → 10-16 18:00.
    const waiting = await c.clock("revisit", sh("2025-10-13T09:00"));
    expect(waiting).toMatchObject({ status: "running", startedAt: sh("2025-10-10T15:00") });
    expect(waiting.dueAt).toBe(sh("2025-10-16T18:00"));

    // 002:446 回访 before closing.
    expect((await c.reject(sh("2025-10-10T17:00"), { type: "CloseComplaint" })).code).toBe(
      "close/revisit-required",
    );
    await c.run(sh("2025-10-13T10:00"), {
      type: "RecordRevisit",
      satisfaction: 90,
      complainantConfirmed: true,
    });
    // 002:442 五不放过: cause found and solved, but no measures, no accountability, no education yet.
    const gate = await c.reject(sh("2025-10-13T11:00"), { type: "CloseComplaint" });
    expect(gate.code).toBe("close/gate");
    expect(gate.message).toContain("measuresInPlace, accountable, educated");

    await c.run(sh("2025-10-13T11:00"), {
      type: "PlanCorrectiveAction",
      actionId: "CA-7",
      description: "代扣重试前查询扣款结果",
      owner: { unit: "finance" },
    });
    await c.run(sh("2025-10-15T10:00"), { type: "RecordCorrectiveActionImplemented", actionId: "CA-7" });
    await c.run(sh("2025-10-17T10:00"), {
      type: "VerifyCorrectiveAction",
      actionId: "CA-7",
      effective: true,
    });
    await c.run(sh("2025-10-17T11:00"), {
      type: "RecordAccountability",
      responsible: { unit: "finance", id: "fin-sun" },
      measure: "书面检讨,部门内通报", // 002:444
    });
    const closed = await c.run(sh("2025-10-17T15:00"), { type: "CloseComplaint", staffEducated: true });
    expect(closed.stage === "closed" && closed.closure.outcome).toBe("resolved");
    const final = await c.sla(sh("2025-10-17T16:00"));
    expect(final.clocks.map((k) => [k.clockId, k.status])).toEqual([
      ["acceptance", "met"],
      ["ownership", "met-late"],
      ["handling", "met"],
      ["revisit", "met"],
    ]);
  });

  const receive = (channel: "phone" | "regulator" = "phone"): CommandInput => ({
    type: "ReceiveComplaint",
    channel,
    complainant: { id: "retailer-1" },
    description: "反映情况",
  });

  it("R-04 R-16 a first responder answers an inquiry on the spot (002:402)", () => {
    const then = deciderSpec({ policy: tobacco, actor: clerk })
      .given(receive())
      .when({
        type: "ResolveOnTheSpot",
        kind: "inquiry",
        category: "licensing",
        remedy: { kinds: ["answer"], description: "一次性告知许可证延续所需材料" },
      })
      .thenEmits("ComplaintClassified", "ComplaintResolved", "ResolutionAccepted", "ComplaintClosed");
    expect(then.state.stage === "closed" && then.state.closure.outcome).toBe("answered");
  });

  it("R-04 R-18 a cigarette-quantity complaint is never settled on the spot: it needs a named owner", () => {
    deciderSpec({ policy: tobacco, actor: clerk })
      .given(receive())
      .when({
        type: "ResolveOnTheSpot",
        category: "cigarette-quantity",
        remedy: { kinds: ["apology"], description: "补发" },
      })
      .thenRejects("on-the-spot/not-allowed");
  });

  it("R-17 an invalid complaint closes after an explanation, without the gate", () => {
    deciderSpec({ policy: tobacco, actor: clerk })
      .given(
        receive(),
        { type: "ClassifyComplaint", kind: "complaint", category: "service-attitude" },
        { type: "RecordInvestigation", findings: { facts: "送货员按规定核对证件", validity: "invalid" } },
        {
          type: "ProposeResolution",
          remedy: { kinds: ["explanation"], description: "耐心解释核对证件的规定" },
        },
      )
      .when({ type: "CloseComplaint" })
      .thenEmits("ComplaintClosed");
  });

  it("R-32 a complaint forwarded by a regulator is major and is reported back before it closes (002:441)", () => {
    const spec = deciderSpec({ policy: tobacco, actor: clerk }).given(receive("regulator"), {
      type: "ClassifyComplaint",
      kind: "complaint",
      category: "service-attitude",
    });
    const s = spec.state;
    expect(s.stage === "classified" && s.classification.severity).toBe("major");
    const resolved = spec.given(
      {
        type: "RecordInvestigation",
        findings: { facts: "属实", rootCause: "配送员态度生硬", validity: "valid" },
      },
      { type: "ProposeResolution", remedy: { kinds: ["apology"], description: "上门道歉" } },
      { type: "AcceptResolution" },
      { type: "RecordRevisit", satisfaction: 80, complainantConfirmed: true },
      {
        type: "PlanCorrectiveAction",
        actionId: "CA-1",
        description: "服务规范培训",
        owner: { unit: "logistics" },
      },
      { type: "RecordCorrectiveActionImplemented", actionId: "CA-1" },
      { type: "VerifyCorrectiveAction", actionId: "CA-1", effective: true },
      { type: "RecordAccountability", responsible: { unit: "logistics" }, measure: "通报批评" },
    );
    resolved
      .when({ type: "CloseComplaint", staffEducated: true })
      .thenRejects("close/regulator-not-informed");
    resolved
      .given({ type: "InformRegulator", regulator: "市烟草专卖局督察科", summary: "已道歉并培训" })
      .when({ type: "CloseComplaint", staffEducated: true })
      .thenEmits("ComplaintClosed");
  });
});
