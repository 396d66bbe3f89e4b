import { describe, expect, it } from "vitest";
import {
  type Actor,
  type CommandInput,
  type ComplaintEvent,
  type ComplaintEventType,
  type EventOf,
  parseCommand,
} from "../../src/index.js";
import { deciderSpec } from "../../src/testing/index.js";

const receive: CommandInput = {
  type: "ReceiveComplaint",
  channel: "phone",
  complainant: { id: "c-1" },
  subject: { product: "电热水壶", quantity: 20, defectQuantity: 3 },
  description: "三台热水壶漏水",
  request: "退货",
};
const classify: CommandInput = { type: "ClassifyComplaint", kind: "complaint", category: "packaging" };
const inspection = {
  background: "客户反映三台漏水",
  itemsInspected: "壶底密封圈",
  analysis: "密封圈批次尺寸偏小",
  correctiveAction: "更换密封圈供应商",
  verification: "抽检 50 台无漏水",
};
const investigate: CommandInput = {
  type: "RecordInvestigation",
  findings: {
    facts: "三台壶底渗水",
    evidence: ["照片 3 张", "检测报告 QA-0312"],
    rootCause: "密封圈尺寸偏小",
    responsible: { unit: "production" },
    validity: "valid",
    inspectionReport: inspection,
  },
};
const remedy = (kinds: string[], value?: { amount: number; currency: string }) =>
  ({
    type: "ProposeResolution",
    remedy: { kinds, description: "换货并致歉", ...(value ? { value } : {}) },
  }) as CommandInput;
const propose = remedy(["exchange", "apology"]);
const reject = (reason: string): CommandInput => ({ type: "RejectResolution", reason });

function dataOf<T extends ComplaintEventType>(
  event: ComplaintEvent | undefined,
  type: T,
): EventOf<T>["data"] {
  if (event?.type !== type) throw new Error(`expected ${type}, got ${event?.type ?? "nothing"}`);
  return (event as EventOf<T>).data as EventOf<T>["data"];
}

describe("investigation", () => {
  it("R-07 findings record facts, evidence, root cause, the responsible unit, validity and the inspection report", () => {
    const then = deciderSpec().given(receive, classify).when(investigate).thenEmits("ComplaintInvestigated");
    expect(dataOf(then.events[0], "ComplaintInvestigated")).toEqual({
      round: 1,
      findings: {
        facts: "三台壶底渗水",
        evidence: ["照片 3 张", "检测报告 QA-0312"],
        rootCause: "密封圈尺寸偏小",
        responsible: { unit: "production" },
        validity: "valid",
        inspectionReport: inspection,
      },
    });
    expect(then.state).toMatchObject({ stage: "investigated", validity: "valid" });
  });

  it("R-07 an inspection report missing a section is a malformed command", () => {
    const { verification: _, ...partial } = inspection;
    const parsed = parseCommand({
      type: "RecordInvestigation",
      findings: { facts: "x", validity: "valid", inspectionReport: partial },
    });
    expect(parsed.ok ? [] : parsed.rejection.fields?.map((f) => f.path)).toEqual([
      "findings.inspectionReport.verification",
    ]);
  });

  it("R-07 an unclassified case cannot be investigated", () => {
    deciderSpec().given(receive).when(investigate).thenRejects("complaint/wrong-stage");
  });
});

describe("resolution rounds", () => {
  it("R-08 a remedy is proposed and waits for the complainant's answer", () => {
    const then = deciderSpec()
      .given(receive, classify, investigate)
      .when(propose)
      .thenEmits("ComplaintResolved");
    expect(dataOf(then.events[0], "ComplaintResolved")).toEqual({
      round: 1,
      remedy: { kinds: ["exchange", "apology"], description: "换货并致歉" },
      onTheSpot: false,
    });
    expect(then.state.stage === "resolved" && then.state.resolution.status).toBe("proposed");
  });

  it("R-08 acceptance is recorded once; nothing is accepted before a proposal", () => {
    const proposed = deciderSpec().given(receive, classify, investigate, propose);
    const accepted = proposed.when({ type: "AcceptResolution" }).thenEmits("ResolutionAccepted");
    expect(dataOf(accepted.events[0], "ResolutionAccepted")).toEqual({ round: 1, onTheSpot: false });
    proposed
      .given({ type: "AcceptResolution" })
      .when({ type: "AcceptResolution" })
      .thenRejects("resolution/already-accepted");
    deciderSpec()
      .given(receive, classify, investigate)
      .when({ type: "AcceptResolution" })
      .thenRejects("resolution/not-proposed");
  });

  it("R-09 two rejections send the case back to investigation each time and reach round 3", () => {
    const spec = deciderSpec();
    const first = spec.given(receive, classify, investigate, propose);
    const rejected1 = first.when(reject("只退不换")).thenEmits("ResolutionRejected");
    expect(dataOf(rejected1.events[0], "ResolutionRejected")).toEqual({ round: 1, reason: "只退不换" });
    expect(rejected1.state).toMatchObject({ stage: "classified", round: 2, rejections: 1 });

    const round2 = first.given(reject("只退不换"));
    round2.when(propose).thenRejects("resolution/not-investigated");
    expect(dataOf(round2.when(investigate).events[0], "ComplaintInvestigated").round).toBe(2);

    const round3 = round2.given(investigate, remedy(["return"]), reject("还要赔偿运费"));
    expect(round3.state).toMatchObject({ stage: "classified", round: 3, rejections: 2 });
    round3.when(propose).thenRejects("resolution/not-investigated");

    const proposed3 = round3.given(investigate).when(remedy(["return", "apology"]));
    expect(dataOf(proposed3.events[0], "ComplaintResolved").round).toBe(3);
    const accepted = round3
      .given(investigate, remedy(["return", "apology"]))
      .when({ type: "AcceptResolution" });
    expect(dataOf(accepted.events[0], "ResolutionAccepted").round).toBe(3);
  });

  it("R-09 a second remedy cannot be proposed while one is on the table", () => {
    deciderSpec()
      .given(receive, classify, investigate, propose)
      .when(remedy(["return"]))
      .thenRejects("complaint/wrong-stage");
  });
});

describe("revisit", () => {
  const accepted = deciderSpec().given(receive, classify, investigate, propose, { type: "AcceptResolution" });

  it("R-10 a revisit records a score on the 90/80/70/60 scale", () => {
    for (const satisfaction of [90, 80, 70, 60] as const) {
      const then = accepted.when({ type: "RecordRevisit", satisfaction, comment: "回访" });
      expect(dataOf(then.thenEmits("ComplaintRevisited").events[0], "ComplaintRevisited")).toEqual({
        satisfaction,
        comment: "回访",
        complainantConfirmed: false,
        followUp: false,
      });
      expect(then.state.stage).toBe("revisited");
    }
  });

  it("R-10 any other score is an invalid command naming the satisfaction field", () => {
    for (const satisfaction of [85, 100, 0, "90", null]) {
      const parsed = parseCommand({ type: "RecordRevisit", satisfaction });
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) {
        expect(parsed.rejection.code).toBe("command/invalid");
        expect(parsed.rejection.fields?.map((f) => f.path)).toEqual(["satisfaction"]);
      }
    }
  });

  it("R-10 a revisit follows a resolution", () => {
    deciderSpec()
      .given(receive, classify, investigate)
      .when({ type: "RecordRevisit", satisfaction: 90 })
      .thenRejects("revisit/not-resolved");
  });
});

describe("authority", () => {
  const staff: Actor = { id: "staff-1", role: "staff", unit: "service" };
  const head: Actor = { id: "head-1", role: "department-head", unit: "service" };
  const investigated = deciderSpec({ actor: staff }).given(receive, classify, investigate);
  const compensation = (amount: number, currency = "CNY", approvedBy?: Actor): CommandInput => ({
    type: "ProposeResolution",
    remedy: { kinds: ["compensation"], description: "赔偿损失", value: { amount, currency } },
    ...(approvedBy ? { approvedBy } : {}),
  });

  it("R-27 a remedy within the actor's authority is proposed; above it, refused", () => {
    // default policy: staff may promise up to 500 CNY
    investigated.when(compensation(500)).thenEmits("ComplaintResolved");
    const message = investigated.when(compensation(800)).thenRejects("policy/authority-exceeded");
    expect(message).toMatch(/^R-27 .*800 CNY/);
  });

  it("R-27 an approver whose authority covers the value makes it allowed, and is recorded", () => {
    const then = investigated.when(compensation(800, "CNY", head)).thenEmits("ComplaintResolved");
    expect(dataOf(then.events[0], "ComplaintResolved").approvedBy).toEqual(head);
    // a department head covers up to 5 000 CNY, not more
    investigated.when(compensation(6_000, "CNY", head)).thenRejects("policy/authority-exceeded");
    const peer: Actor = { id: "staff-2", role: "staff", unit: "service" };
    investigated.when(compensation(800, "CNY", peer)).thenRejects("policy/authority-exceeded");
  });

  it("R-27 a remedy in another currency than the policy's is refused", () => {
    investigated.when(compensation(10, "USD")).thenRejects("policy/currency-mismatch");
  });

  it("R-27 a role missing from the authority table may promise no value", () => {
    const intern: Actor = { id: "intern-1", role: "intern", unit: "service" };
    deciderSpec({ actor: intern })
      .given(receive, classify, investigate)
      .when(compensation(1))
      .thenRejects("policy/authority-exceeded");
  });
});

describe("accountability and corrective action", () => {
  const investigated = deciderSpec().given(receive, classify, investigate);
  const plan: CommandInput = {
    type: "PlanCorrectiveAction",
    actionId: "ca-1",
    description: "更换密封圈供应商",
    owner: { unit: "purchasing" },
    dueDate: "2026-03-31",
  };
  const implement: CommandInput = { type: "RecordCorrectiveActionImplemented", actionId: "ca-1" };
  const verify: CommandInput = { type: "VerifyCorrectiveAction", actionId: "ca-1", effective: true };

  it("R-29 accountability is recorded with the responsible party, the measure and a penalty", () => {
    const then = investigated.when({
      type: "RecordAccountability",
      responsible: { id: "line-lead-2", unit: "production" },
      measure: "通报批评",
      penalty: { amount: 200, currency: "CNY" },
    });
    expect(dataOf(then.thenEmits("AccountabilityRecorded").events[0], "AccountabilityRecorded")).toEqual({
      responsible: { id: "line-lead-2", unit: "production" },
      measure: "通报批评",
      penalty: { amount: 200, currency: "CNY" },
    });
    expect(then.state).toMatchObject({ accountabilityRecorded: true });
  });

  it("R-31 a corrective action is planned, implemented, then verified", () => {
    const planned = investigated.when(plan).thenEmits("CorrectiveActionPlanned");
    expect(dataOf(planned.events[0], "CorrectiveActionPlanned")).toMatchObject({
      actionId: "ca-1",
      preventive: false,
    });
    expect(planned.state).toMatchObject({ correctiveActions: [{ actionId: "ca-1", status: "planned" }] });
    const implemented = investigated.given(plan).when(implement).thenEmits("CorrectiveActionImplemented");
    expect(implemented.state).toMatchObject({
      correctiveActions: [{ actionId: "ca-1", status: "implemented" }],
    });
    const verified = investigated.given(plan, implement).when(verify).thenEmits("CorrectiveActionVerified");
    expect(verified.state).toMatchObject({
      correctiveActions: [{ actionId: "ca-1", status: "verified", effective: true }],
    });
  });

  it("R-31 steps out of order are refused", () => {
    investigated.when(implement).thenRejects("corrective/unknown");
    investigated.when(verify).thenRejects("corrective/unknown");
    investigated.given(plan).when(verify).thenRejects("corrective/out-of-order");
    investigated.given(plan, implement).when(implement).thenRejects("corrective/out-of-order");
    investigated.given(plan, implement, verify).when(verify).thenRejects("corrective/out-of-order");
    investigated.given(plan).when(plan).thenRejects("corrective/duplicate");
  });
});
