import { describe, expect, it } from "vitest";
import {
  type CommandInput,
  type ComplaintEvent,
  type ComplaintEventType,
  createPolicy,
  defaultPolicy,
  type EventOf,
  parseCommand,
} from "../../src/index.js";
import { deciderSpec } from "../../src/testing/index.js";

const receive: CommandInput = {
  type: "ReceiveComplaint",
  channel: "hotline",
  complainant: { id: "c-1" },
  description: "卷烟价格与通知不符",
};
const classify = (
  category: string,
  extra: Partial<{ kind: "complaint" | "inquiry" | "suggestion"; severity: string }> = {},
) => ({ type: "ClassifyComplaint", kind: "complaint", category, ...extra }) as CommandInput;
const findings = (validity: "valid" | "invalid"): CommandInput => ({
  type: "RecordInvestigation",
  findings: { facts: "核对订货记录", validity },
});
const explain: CommandInput = {
  type: "ProposeResolution",
  remedy: { kinds: ["explanation"], description: "价格以调价通知为准，已耐心解释" },
};
const plan: CommandInput = {
  type: "PlanCorrectiveAction",
  actionId: "ca-1",
  description: "调价通知提前一周发出",
  owner: { unit: "sales" },
};

function dataOf<T extends ComplaintEventType>(
  event: ComplaintEvent | undefined,
  type: T,
): EventOf<T>["data"] {
  if (event?.type !== type) throw new Error(`expected ${type}, got ${event?.type ?? "nothing"}`);
  return (event as EventOf<T>).data as EventOf<T>["data"];
}

describe("validity", () => {
  it("R-15 the investigation records a valid or an invalid complaint", () => {
    const classified = deciderSpec().given(receive, classify("service-content"));
    expect(classified.when(findings("valid")).state).toMatchObject({
      stage: "investigated",
      validity: "valid",
    });
    expect(classified.when(findings("invalid")).state).toMatchObject({
      stage: "investigated",
      validity: "invalid",
    });
  });

  it("R-15 'not established' is not a finding: it comes only from a withdrawal", () => {
    const parsed = parseCommand({
      type: "RecordInvestigation",
      findings: { facts: "双方均有过错", validity: "not-established" },
    });
    expect(parsed.ok ? [] : parsed.rejection.fields?.map((f) => f.path)).toEqual(["findings.validity"]);
    const withdrawn = deciderSpec()
      .given(receive, classify("service-content"))
      .when({ type: "WithdrawComplaint", reason: "投诉人主动撤诉", complainantMainlyAtFault: true });
    expect(withdrawn.state).toMatchObject({ stage: "closed", validity: "not-established" });
  });
});

describe("cause class", () => {
  it("R-19 classification records the class of cause: quality, non-quality or other", () => {
    for (const causeClass of ["quality", "non-quality", "other"] as const) {
      const { events } = deciderSpec()
        .given(receive)
        .when({ ...classify("service-content"), causeClass } as CommandInput);
      const classified = events.find((e) => e.type === "ComplaintClassified");
      expect(dataOf(classified, "ComplaintClassified").causeClass).toBe(causeClass);
    }
  });

  it("R-19 a cause outside the three classes is refused, naming the field", () => {
    const parsed = parseCommand({ ...classify("service-content"), causeClass: "weather" });
    expect(parsed.ok ? [] : parsed.rejection.fields?.map((f) => f.path)).toEqual(["causeClass"]);
  });
});

describe("kinds", () => {
  it("R-16 an inquiry is answered without an investigation and closes as answered", () => {
    const inquiry = deciderSpec().given(receive, classify("billing", { kind: "inquiry" }));
    const answered = inquiry.given({
      type: "ProposeResolution",
      remedy: { kinds: ["answer"], description: "调价依据为省局通知" },
    });
    expect(answered.state.stage).toBe("resolved");
    const closed = answered.when({ type: "CloseComplaint" }).thenEmits("ComplaintClosed");
    expect(dataOf(closed.events[0], "ComplaintClosed").outcome).toBe("answered");
  });

  it("R-16 a suggestion is acknowledged without an investigation", () => {
    const closed = deciderSpec()
      .given(receive, classify("service-content", { kind: "suggestion" }), {
        type: "ProposeResolution",
        remedy: { kinds: ["answer"], description: "感谢建议，已转营销部" },
      })
      .when({ type: "CloseComplaint" })
      .thenEmits("ComplaintClosed");
    expect(dataOf(closed.events[0], "ComplaintClosed").outcome).toBe("acknowledged");
  });

  it("R-16 a complaint, unlike an inquiry, is investigated before a remedy is proposed", () => {
    deciderSpec()
      .given(receive, classify("service-content"))
      .when(explain)
      .thenRejects("resolution/not-investigated");
  });

  it("R-16 inquiries and suggestions need no corrective action", () => {
    deciderSpec()
      .given(receive, classify("billing", { kind: "inquiry" }))
      .when(plan)
      .thenRejects("corrective/not-applicable");
    deciderSpec()
      .given(receive, classify("service-content", { kind: "suggestion" }))
      .when(plan)
      .thenRejects("corrective/not-applicable");
  });

  it("R-16 a policy that does not handle a kind refuses to classify it", () => {
    const complaintsOnly = createPolicy({ ...defaultPolicy, kinds: ["complaint"] });
    deciderSpec({ policy: complaintsOnly })
      .given(receive)
      .when(classify("billing", { kind: "inquiry" }))
      .thenRejects("policy/kind-not-allowed");
  });
});

describe("invalid complaints", () => {
  const invalid = deciderSpec().given(receive, classify("service-content"), findings("invalid"));

  it("R-17 invalid complaint closes after an explanation, with no corrective action", () => {
    const closed = invalid.given(explain).when({ type: "CloseComplaint" }).thenEmits("ComplaintClosed");
    expect(dataOf(closed.events[0], "ComplaintClosed").outcome).toBe("explained");
    expect(closed.state).toMatchObject({ stage: "closed", correctiveActions: [] });
  });

  it("R-17 the remedy for an invalid complaint must include an explanation", () => {
    const message = invalid
      .when({
        type: "ProposeResolution",
        remedy: { kinds: ["compensation"], description: "赔偿", value: { amount: 100, currency: "CNY" } },
      })
      .thenRejects("resolution/explanation-required");
    expect(message).toMatch(/^R-17 /);
  });

  it("R-17 corrective action is refused for an invalid complaint", () => {
    invalid.when(plan).thenRejects("corrective/not-applicable");
    invalid.given(explain).when(plan).thenRejects("corrective/not-applicable");
  });

  it("R-17 the five-gate closure does not apply to an invalid complaint", () => {
    const gated = createPolicy({
      ...defaultPolicy,
      closure: { gate: "five", requireComplainantConfirmation: true },
    });
    deciderSpec({ policy: gated })
      .given(receive, classify("service-content"), findings("invalid"), explain)
      .when({ type: "CloseComplaint" })
      .thenEmits("ComplaintClosed");
  });
});

describe("severity", () => {
  it("R-18 a matching severity rule wins over a lower requested severity and is named", () => {
    const then = deciderSpec()
      .given(receive)
      .when(classify("billing", { severity: "general" }));
    expect(dataOf(then.events[0], "ComplaintClassified")).toMatchObject({
      severity: "major",
      severityRule: "payment-or-quality-is-major",
    });
  });

  it("R-18 without a matching rule the requested or default severity stands", () => {
    const spec = deciderSpec().given(receive);
    const plain = dataOf(spec.when(classify("service-attitude")).events[0], "ComplaintClassified");
    expect(plain.severity).toBe("general");
    expect(plain.severityRule).toBeUndefined();
    expect(
      dataOf(spec.when(classify("delivery", { severity: "major" })).events[0], "ComplaintClassified")
        .severity,
    ).toBe("major");
  });

  it("R-18 a severity rule may match on tags, e.g. a food-safety hazard", () => {
    const policy = createPolicy({
      ...defaultPolicy,
      severities: ["general", "major", "crisis"],
      severityRules: [
        { id: "food-hazard", severity: "crisis", source: "003:33-42", when: { tagsAny: ["expired"] } },
      ],
    });
    const then = deciderSpec({ policy })
      .given({ ...receive, tags: ["expired"] })
      .when(classify("quality"));
    expect(dataOf(then.events[0], "ComplaintClassified")).toMatchObject({
      severity: "crisis",
      severityRule: "food-hazard",
    });
  });

  it("R-18 lowering a severity below the floor a rule sets is refused", () => {
    const message = deciderSpec()
      .given(receive, classify("billing"))
      .when({ type: "ChangeSeverity", severity: "general", reason: "金额很小" })
      .thenRejects("policy/severity-below-rule");
    expect(message).toMatch(/^R-18 .*payment-or-quality-is-major/);
  });

  it("R-18 a severity outside the policy's scale is refused", () => {
    deciderSpec()
      .given(receive)
      .when(classify("delivery", { severity: "critical" }))
      .thenRejects("policy/unknown-severity");
  });

  it("R-25 a severity change is recorded with from and to", () => {
    const spec = deciderSpec().given(receive, classify("service-attitude"));
    const raised = spec.when({ type: "ChangeSeverity", severity: "major", reason: "客户扬言曝光" });
    expect(dataOf(raised.thenEmits("SeverityChanged").events[0], "SeverityChanged")).toEqual({
      from: "general",
      to: "major",
      reason: "客户扬言曝光",
    });
    expect(raised.state.stage === "classified" && raised.state.classification.severity).toBe("major");
    const lowered = spec
      .given({ type: "ChangeSeverity", severity: "major", reason: "客户扬言曝光" })
      .when({ type: "ChangeSeverity", severity: "general", reason: "已与客户沟通" });
    expect(dataOf(lowered.events[0], "SeverityChanged")).toMatchObject({ from: "major", to: "general" });
  });

  it("R-25 the severity cannot change before classification", () => {
    deciderSpec()
      .given(receive)
      .when({ type: "ChangeSeverity", severity: "major", reason: "x" })
      .thenRejects("complaint/wrong-stage");
  });
});
