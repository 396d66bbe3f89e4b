import { describe, expect, it } from "vitest";
import type { Actor, CommandInput, ComplaintEvent, ComplaintEventType, EventOf } from "../../src/index.js";
import { deciderSpec } from "../../src/testing/index.js";

const firstResponder: Actor = { id: "staff-1", role: "staff", unit: "service" };
const qaEngineer: Actor = { id: "qa-1", role: "staff", unit: "qa" };
const accused: Actor = { id: "emp-7", role: "staff", unit: "sales" };

const receive: CommandInput = {
  type: "ReceiveComplaint",
  channel: "walk-in",
  complainant: { id: "c-1" },
  description: "业务员承诺的货没到",
  complainedAbout: { id: "emp-7", unit: "sales" },
};
const classify = (category: string): CommandInput => ({
  type: "ClassifyComplaint",
  kind: "complaint",
  category,
});
const investigate: CommandInput = {
  type: "RecordInvestigation",
  findings: { facts: "业务员未下单", rootCause: "漏单", validity: "valid" },
};

function dataOf<T extends ComplaintEventType>(
  event: ComplaintEvent | undefined,
  type: T,
): EventOf<T>["data"] {
  if (event?.type !== type) throw new Error(`expected ${type}, got ${event?.type ?? "nothing"}`);
  return (event as EventOf<T>).data as EventOf<T>["data"];
}

describe("routing and assignment", () => {
  it("R-05 classification routes the case to the unit the policy names for its category", () => {
    const spec = deciderSpec({ actor: firstResponder }).given(receive);
    const routed = (category: string) =>
      dataOf(spec.when(classify(category)).events[0], "ComplaintClassified").routedTo;
    expect(routed("quality")).toBe("qa");
    expect(routed("spec-mismatch")).toBe("qa");
    expect(routed("billing")).toBe("finance");
    expect(routed("delivery")).toBe("logistics");
    expect(routed("other")).toBeUndefined();
  });

  it("R-05 the first assignment is ComplaintAssigned, a later one ComplaintReassigned with from and to", () => {
    const spec = deciderSpec({ actor: firstResponder }).given(receive, classify("quality"));
    const first = spec.when({ type: "AssignComplaint", assignee: { unit: "qa" } });
    expect(dataOf(first.thenEmits("ComplaintAssigned").events[0], "ComplaintAssigned").assignee).toEqual({
      unit: "qa",
    });
    const again = spec
      .given({ type: "AssignComplaint", assignee: { unit: "qa" } })
      .when({ type: "AssignComplaint", assignee: { unit: "logistics" }, reason: "实为运输损坏" })
      .thenEmits("ComplaintReassigned");
    expect(dataOf(again.events[0], "ComplaintReassigned")).toEqual({
      from: { unit: "qa" },
      to: { unit: "logistics" },
      reason: "实为运输损坏",
    });
  });

  it("R-05 re-assigning after an accepted hand-over names the accepting owner as from", () => {
    const then = deciderSpec({ actor: firstResponder })
      .given(receive, classify("quality"), { type: "AssignComplaint", assignee: { id: "qa-1", unit: "qa" } })
      .given({ command: { type: "AcceptAssignment" }, actor: qaEngineer })
      .when(
        { type: "AssignComplaint", assignee: { unit: "finance" }, reason: "涉及账务" },
        { actor: qaEngineer },
      )
      .thenEmits("ComplaintReassigned");
    expect(dataOf(then.events[0], "ComplaintReassigned")).toMatchObject({
      from: { id: "qa-1", unit: "qa" },
      to: { unit: "finance" },
    });
  });

  it("R-05 assigning the case to whoever already has it is refused", () => {
    deciderSpec({ actor: firstResponder })
      .given(receive, classify("quality"), { type: "AssignComplaint", assignee: { unit: "qa" } })
      .when({ type: "AssignComplaint", assignee: { unit: "qa" } })
      .thenRejects("assignment/already-owner");
  });
});

describe("first-responder duty", () => {
  const toQa: CommandInput = { type: "AssignComplaint", assignee: { id: "qa-1", unit: "qa" } };

  it("R-06 the first responder owns the case until the assignee acknowledges the hand-over", () => {
    const assigned = deciderSpec({ actor: firstResponder }).given(receive, classify("quality"), toQa);
    expect(assigned.state).toMatchObject({
      owner: { id: "staff-1", unit: "service" },
      pendingAssignee: { id: "qa-1", unit: "qa" },
    });
    const accepted = assigned.when({ type: "AcceptAssignment" }, { actor: qaEngineer });
    expect(dataOf(accepted.thenEmits("AssignmentAccepted").events[0], "AssignmentAccepted")).toEqual({
      assignee: { id: "qa-1", unit: "qa" },
    });
    expect(accepted.state).toMatchObject({ owner: { id: "qa-1", unit: "qa" }, pendingAssignee: undefined });
  });

  it("R-06 only the assignee may acknowledge the hand-over", () => {
    const assigned = deciderSpec({ actor: firstResponder }).given(receive, classify("quality"), toQa);
    assigned.when({ type: "AcceptAssignment" }).thenRejects("assignment/not-assignee");
    const sameUnitOtherPerson: Actor = { id: "qa-2", role: "staff", unit: "qa" };
    assigned
      .when({ type: "AcceptAssignment" }, { actor: sameUnitOtherPerson })
      .thenRejects("assignment/not-assignee");
  });

  it("R-06 a hand-over to a unit is acknowledged by anyone of that unit", () => {
    const assigned = deciderSpec({ actor: firstResponder }).given(receive, classify("quality"), {
      type: "AssignComplaint",
      assignee: { unit: "qa" },
    });
    assigned.when({ type: "AcceptAssignment" }).thenRejects("assignment/not-assignee");
    assigned.when({ type: "AcceptAssignment" }, { actor: qaEngineer }).thenEmits("AssignmentAccepted");
  });

  it("R-06 there is nothing to acknowledge before a hand-over", () => {
    deciderSpec({ actor: firstResponder })
      .given(receive)
      .when({ type: "AcceptAssignment" }, { actor: qaEngineer })
      .thenRejects("assignment/none-pending");
  });
});

describe("escalation", () => {
  const escalate = (toLevel: 1 | 2 | 3): CommandInput => ({
    type: "EscalateComplaint",
    toLevel,
    reason: "一线无法解决",
  });

  it("R-26 escalation climbs the ladder 1 → 2 → 3 and records from and to", () => {
    const spec = deciderSpec().given(receive);
    const toTwo = spec.when(escalate(2)).thenEmits("ComplaintEscalated");
    expect(dataOf(toTwo.events[0], "ComplaintEscalated")).toMatchObject({
      fromLevel: 1,
      toLevel: 2,
      automatic: false,
    });
    const toThree = spec.given(escalate(2)).when(escalate(3)).thenEmits("ComplaintEscalated");
    expect(dataOf(toThree.events[0], "ComplaintEscalated")).toMatchObject({ fromLevel: 2, toLevel: 3 });
    expect(toThree.state).toMatchObject({ escalationLevel: 3 });
  });

  it("R-26 escalation never goes sideways or down", () => {
    const atTwo = deciderSpec().given(receive, escalate(2));
    expect(atTwo.when(escalate(2)).thenRejects("escalation/invalid-level")).toMatch(/^R-26 /);
    atTwo.when(escalate(1)).thenRejects("escalation/invalid-level");
    deciderSpec().given(receive).when(escalate(1)).thenRejects("escalation/invalid-level");
    deciderSpec().given(receive, escalate(3)).when(escalate(3)).thenRejects("escalation/invalid-level");
  });
});

describe("recusal", () => {
  it("R-28 the person complained about cannot be assigned the case", () => {
    const message = deciderSpec({ actor: firstResponder })
      .given(receive, classify("service-attitude"))
      .when({ type: "AssignComplaint", assignee: { id: "emp-7", unit: "sales" } })
      .thenRejects("complaint/recusal");
    expect(message).toMatch(/^R-28 /);
  });

  it("R-28 the person complained about cannot investigate", () => {
    const spec = deciderSpec({ actor: firstResponder }).given(receive, classify("service-attitude"));
    spec.when(investigate, { actor: accused }).thenRejects("complaint/recusal");
    spec.when(investigate).thenEmits("ComplaintInvestigated");
  });

  it("R-28 the person complained about cannot close the case", () => {
    const resolved = deciderSpec({ actor: firstResponder }).given(
      receive,
      classify("service-attitude"),
      investigate,
      { type: "ProposeResolution", remedy: { kinds: ["apology"], description: "道歉并补单" } },
      { type: "AcceptResolution" },
    );
    resolved.when({ type: "CloseComplaint" }, { actor: accused }).thenRejects("complaint/recusal");
    resolved.when({ type: "CloseComplaint" }).thenEmits("ComplaintClosed");
  });
});
