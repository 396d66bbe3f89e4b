import { describe, expect, it } from "vitest";
import {
  type CommandInput,
  type ComplaintEvent,
  type ComplaintEventType,
  complaintId,
  createPolicy,
  defaultPolicy,
  type EventOf,
  fold,
  initialState,
  isInvalidStreamError,
} from "../../src/index.js";
import { deciderSpec } from "../../src/testing/index.js";

const receive: CommandInput = {
  type: "ReceiveComplaint",
  channel: "phone",
  complainant: { id: "c-1" },
  description: "配送的卷烟有霉变",
};
const classify: CommandInput = { type: "ClassifyComplaint", kind: "complaint", category: "service-content" };
const findings = (validity: "valid" | "invalid", rootCause?: string): CommandInput => ({
  type: "RecordInvestigation",
  findings: { facts: "仓库受潮", validity, ...(rootCause ? { rootCause } : {}) },
});
const propose: CommandInput = {
  type: "ProposeResolution",
  remedy: { kinds: ["exchange", "apology"], description: "换货并致歉" },
};
const accept: CommandInput = { type: "AcceptResolution" };
const close = (staffEducated = false): CommandInput => ({ type: "CloseComplaint", staffEducated });
const plan: CommandInput = {
  type: "PlanCorrectiveAction",
  actionId: "ca-1",
  description: "仓库加装除湿机",
  owner: { unit: "logistics" },
};
const implement: CommandInput = { type: "RecordCorrectiveActionImplemented", actionId: "ca-1" };
const verify = (effective: boolean): CommandInput => ({
  type: "VerifyCorrectiveAction",
  actionId: "ca-1",
  effective,
});
const accountability: CommandInput = {
  type: "RecordAccountability",
  responsible: { id: "keeper-1", unit: "logistics" },
  measure: "书面检查",
};
const valid = [receive, classify, findings("valid", "除湿设备故障"), propose, accept];

function dataOf<T extends ComplaintEventType>(
  event: ComplaintEvent | undefined,
  type: T,
): EventOf<T>["data"] {
  if (event?.type !== type) throw new Error(`expected ${type}, got ${event?.type ?? "nothing"}`);
  return (event as EventOf<T>).data as EventOf<T>["data"];
}

describe("closing", () => {
  it("R-11 a valid complaint with an accepted resolution closes as resolved", () => {
    const then = deciderSpec()
      .given(...valid)
      .when(close())
      .thenEmits("ComplaintClosed");
    expect(dataOf(then.events[0], "ComplaintClosed").outcome).toBe("resolved");
    expect(then.state.stage === "closed" && then.state.closure.closedAt).toBe("2026-03-02T01:00:00.000Z");
  });

  it("R-11 a case without a resolution cannot close", () => {
    deciderSpec().given(receive, classify, findings("valid")).when(close()).thenRejects("close/not-resolved");
    deciderSpec().given(receive).when(close()).thenRejects("close/not-resolved");
  });

  it("R-11 谁投诉谁关闭: a policy requiring confirmation closes only after the complainant confirms", () => {
    const policy = createPolicy({
      ...defaultPolicy,
      closure: { ...defaultPolicy.closure, requireComplainantConfirmation: true },
    });
    const spec = deciderSpec({ policy }).given(...valid);
    expect(spec.when(close()).thenRejects("close/confirmation-required")).toMatch(/^R-11 /);
    spec
      .given({ type: "RecordRevisit", satisfaction: 80, complainantConfirmed: false })
      .when(close())
      .thenRejects("close/confirmation-required");
    spec
      .given({ type: "RecordRevisit", satisfaction: 80, complainantConfirmed: true })
      .when(close())
      .thenEmits("ComplaintClosed");
  });

  it("R-10 a policy requiring a revisit refuses to close before one", () => {
    const policy = createPolicy({
      ...defaultPolicy,
      closure: { ...defaultPolicy.closure, requireRevisit: true },
    });
    const spec = deciderSpec({ policy }).given(...valid);
    spec.when(close()).thenRejects("close/revisit-required");
    spec.given({ type: "RecordRevisit", satisfaction: 90 }).when(close()).thenEmits("ComplaintClosed");
  });

  it("R-11 a closed case accepts nothing but a reopen", () => {
    const closed = deciderSpec().given(...valid, close());
    const others: CommandInput[] = [
      { type: "ReportProgress", message: "补充说明", channel: "phone" },
      { type: "RecordRevisit", satisfaction: 90 },
      { type: "RecordAccountability", responsible: { unit: "logistics" }, measure: "补记" },
      { type: "EscalateComplaint", toLevel: 2, reason: "x" },
      close(),
    ];
    for (const command of others)
      expect(closed.when(command).thenRejects("complaint/closed")).toMatch(/^R-11 /);
    closed
      .when({ type: "ReopenComplaint", reason: "complainant-returned", description: "又霉变" })
      .thenEmits("ComplaintReopened");
  });

  it("R-11 a stream with an event after ComplaintClosed other than a reopen does not fold", () => {
    const { history } = deciderSpec().given(...valid, close());
    const last = history[history.length - 1]!;
    const smuggled = {
      ...last,
      version: last.version + 1,
      type: "ProgressReported",
      data: { message: "补记", channel: "phone" },
    } as ComplaintEvent;
    let error: unknown;
    try {
      fold(initialState(complaintId(last.streamId)), [...history, smuggled]);
    } catch (e) {
      error = e;
    }
    expect(isInvalidStreamError(error)).toBe(true);
  });
});

describe("reopening", () => {
  const reopen = (reason: "complainant-returned" | "handled-badly"): CommandInput => ({
    type: "ReopenComplaint",
    reason,
    description: "客户再次来电",
  });

  it("R-12 a returning complainant reopens the same case as cycle 2, not a new one", () => {
    const closed = deciderSpec().given(...valid, close());
    const then = closed.when(reopen("complainant-returned")).thenEmits("ComplaintReopened");
    expect(dataOf(then.events[0], "ComplaintReopened")).toEqual({
      reason: "complainant-returned",
      description: "客户再次来电",
      cycle: 2,
    });
    expect(then.state).toMatchObject({ stage: "classified", cycle: 2, caseNumber: "2026-03-0001" });
    closed.when(receive).thenRejects("complaint/already-received");
  });

  it("R-12 an open case cannot be reopened", () => {
    deciderSpec().given(receive).when(reopen("complainant-returned")).thenRejects("complaint/not-closed");
  });

  it("R-12 a valid complaint reopened because it was handled badly is escalated at once", () => {
    const then = deciderSpec()
      .given(...valid, close())
      .when(reopen("handled-badly"))
      .thenEmits("ComplaintReopened", "ComplaintEscalated");
    expect(dataOf(then.events[1], "ComplaintEscalated")).toMatchObject({
      fromLevel: 1,
      toLevel: 2,
      automatic: true,
    });
    expect(then.state).toMatchObject({ escalationLevel: 2, accountabilityRequired: true });
  });

  it("R-12 a case reopened for bad handling closes again only after accountability is recorded", () => {
    const reopened = deciderSpec().given(
      ...valid,
      close(),
      reopen("handled-badly"),
      findings("valid", "除湿机未开"),
    );
    const resolvedAgain = reopened.given(propose, accept);
    expect(resolvedAgain.when(close()).thenRejects("close/accountability-required")).toMatch(/^R-12 /);
    const closed = resolvedAgain.given(accountability).when(close()).thenEmits("ComplaintClosed");
    expect(closed.state).toMatchObject({ stage: "closed", cycle: 2 });
  });

  it("R-12 accountability recorded in the first cycle does not carry over to the second", () => {
    deciderSpec()
      .given(...valid, accountability, close(), reopen("handled-badly"), findings("valid"), propose, accept)
      .when(close())
      .thenRejects("close/accountability-required");
  });

  it("R-12 an invalid complaint reopened as handled badly is not escalated", () => {
    const explain: CommandInput = {
      type: "ProposeResolution",
      remedy: { kinds: ["explanation"], description: "霉变系客户存放不当" },
    };
    deciderSpec()
      .given(receive, classify, findings("invalid"), explain, close())
      .when(reopen("handled-badly"))
      .thenEmits("ComplaintReopened");
  });
});

describe("withdrawal", () => {
  const withdraw = (complainantMainlyAtFault: boolean): CommandInput => ({
    type: "WithdrawComplaint",
    reason: "客户承认自己存放不当，要求撤诉",
    complainantMainlyAtFault,
  });

  it("R-13 a complainant mainly at fault may withdraw; the complaint closes as not established", () => {
    const then = deciderSpec()
      .given(receive, classify, findings("valid"))
      .when(withdraw(true))
      .thenEmits("ComplaintWithdrawn", "ComplaintClosed");
    expect(dataOf(then.events[1], "ComplaintClosed").outcome).toBe("not-established");
    expect(then.state).toMatchObject({ stage: "closed", validity: "not-established" });
  });

  it("R-13 withdrawal is refused when the complainant is not mainly at fault", () => {
    const message = deciderSpec()
      .given(receive, classify)
      .when(withdraw(false))
      .thenRejects("withdraw/not-allowed");
    expect(message).toMatch(/^R-13 /);
  });

  it("R-13 only a complaint can be withdrawn, not an inquiry", () => {
    deciderSpec()
      .given(receive, { type: "ClassifyComplaint", kind: "inquiry", category: "billing" })
      .when(withdraw(true))
      .thenRejects("withdraw/not-allowed");
  });
});

describe("closure gate", () => {
  const five = createPolicy({ ...defaultPolicy, closure: { ...defaultPolicy.closure, gate: "five" } });
  const four = createPolicy({ ...defaultPolicy, closure: { ...defaultPolicy.closure, gate: "four" } });
  const allGates = [
    receive,
    classify,
    findings("valid", "除湿设备故障"),
    propose,
    accept,
    plan,
    implement,
    verify(true),
    accountability,
  ];

  it("R-30 五不放过: a valid complaint passing every gate closes", () => {
    deciderSpec({ policy: five })
      .given(...allGates)
      .when(close(true))
      .thenEmits("ComplaintClosed");
  });

  it("R-30 五不放过: the rejection names every gate not passed", () => {
    const message = deciderSpec({ policy: five })
      .given(receive, classify, findings("valid"), propose)
      .when(close(false))
      .thenRejects("close/gate");
    expect(message).toMatch(/^R-30 /);
    for (const gate of ["causeFound", "solved", "measuresInPlace", "accountable", "educated"])
      expect(message).toContain(gate);
  });

  const without = (...left: CommandInput[]) => allGates.filter((c) => !left.includes(c));
  const cases: [gate: string, situation: string, history: CommandInput[], educated: boolean][] = [
    ["causeFound", "no root cause", [receive, classify, findings("valid"), ...allGates.slice(3)], true],
    ["solved", "resolution not accepted", without(accept), true],
    ["measuresInPlace", "no corrective action", without(plan, implement, allGates[7]!), true],
    ["measuresInPlace", "action not verified", without(allGates[7]!), true],
    ["measuresInPlace", "action verified ineffective", [...without(allGates[7]!), verify(false)], true],
    ["accountable", "no accountability", without(accountability), true],
    ["educated", "staff not educated", allGates, false],
  ];
  it.each(cases)(
    "R-30 五不放过: only %s missing (%s), the rejection names exactly it",
    (gate, _, history, educated) => {
      const message = deciderSpec({ policy: five })
        .given(...history)
        .when(close(educated))
        .thenRejects("close/gate");
      expect(message).toBe(`R-30 closure gate not passed: ${gate}`);
    },
  );

  it("R-30 四不放过: the four-gate variant does not ask for 'solved'", () => {
    const unsolved = [
      receive,
      classify,
      findings("valid", "除湿设备故障"),
      propose,
      plan,
      implement,
      verify(true),
      accountability,
    ];
    deciderSpec({ policy: four })
      .given(...unsolved)
      .when(close(true))
      .thenEmits("ComplaintClosed");
    const message = deciderSpec({ policy: four })
      .given(receive, classify, findings("valid"), propose)
      .when(close(false))
      .thenRejects("close/gate");
    expect(message).toBe("R-30 closure gate not passed: causeFound, measuresInPlace, accountable, educated");
  });
});

describe("regulator-forwarded complaints", () => {
  const forwarded = { ...receive, channel: "regulator" } as CommandInput;
  const inform: CommandInput = {
    type: "InformRegulator",
    regulator: "市场监督管理局",
    summary: "已换货，仓库整改",
    reference: "12315-2026-0042",
  };

  it("R-32 a regulator-forwarded complaint cannot close before the regulator is informed", () => {
    const resolved = deciderSpec().given(forwarded, classify, findings("valid"), propose, accept);
    expect(resolved.when(close()).thenRejects("close/regulator-not-informed")).toMatch(/^R-32 /);
    const informed = resolved.when(inform).thenEmits("RegulatorInformed");
    expect(dataOf(informed.events[0], "RegulatorInformed")).toEqual({
      regulator: "市场监督管理局",
      summary: "已换货，仓库整改",
      reference: "12315-2026-0042",
    });
    resolved.given(inform).when(close()).thenEmits("ComplaintClosed");
  });

  it("R-32 a regulator-forwarded complaint is withdrawn only after the regulator is informed", () => {
    const withdraw: CommandInput = {
      type: "WithdrawComplaint",
      reason: "客户承认存放不当，申请撤诉",
      complainantMainlyAtFault: true,
    };
    const classified = deciderSpec().given(forwarded, classify);
    classified.when(withdraw).thenRejects("close/regulator-not-informed");
    classified.given(inform).when(withdraw).thenEmits("ComplaintWithdrawn", "ComplaintClosed");
  });

  it("R-32 a reopened regulator case reports to the regulator again before it closes", () => {
    deciderSpec()
      .given(forwarded, classify, findings("valid"), propose, accept, inform, close())
      .given({ type: "ReopenComplaint", reason: "complainant-returned", description: "再次投诉" })
      .given(findings("valid"), propose, accept)
      .when(close())
      .thenRejects("close/regulator-not-informed");
  });
});
