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
  channel: "phone",
  complainant: { id: "c-1" },
  personalData: { name: "王小明", phone: "13800138000" },
  description: "送货少了两条",
};
const classify: CommandInput = { type: "ClassifyComplaint", kind: "complaint", category: "service-attitude" };
const investigate: CommandInput = {
  type: "RecordInvestigation",
  findings: { facts: "司机漏送两条", rootCause: "装车未核对", validity: "valid" },
};
const propose: CommandInput = {
  type: "ProposeResolution",
  remedy: { kinds: ["apology", "substitute"], description: "补送两条并道歉" },
};

function dataOf<T extends ComplaintEventType>(
  event: ComplaintEvent | undefined,
  type: T,
): EventOf<T>["data"] {
  if (event?.type !== type) throw new Error(`expected ${type}, got ${event?.type ?? "nothing"}`);
  return (event as EventOf<T>).data as EventOf<T>["data"];
}

describe("registration", () => {
  it("R-02 records channel, subject, description, request and the party complained about", () => {
    const then = deciderSpec({ at: "2026-03-02T01:00:00.000Z" }).when({
      type: "ReceiveComplaint",
      channel: "email",
      complainant: { id: "retailer-88" },
      personalData: { email: "li@example.com" },
      subject: {
        product: "中华(软)",
        orderNumber: "SO-2026-0301",
        itemNumber: "6901028",
        quantity: 50,
        defectQuantity: 2,
        deliveryDate: "2026-02-27",
      },
      description: "到货两条包装破损",
      request: "换货",
      complainedAbout: { id: "driver-3", unit: "logistics" },
    });
    const data = dataOf(then.thenEmits("ComplaintReceived").events[0], "ComplaintReceived");
    expect(data.channel).toBe("email");
    expect(data.subject).toEqual({
      product: "中华(软)",
      orderNumber: "SO-2026-0301",
      itemNumber: "6901028",
      quantity: 50,
      defectQuantity: 2,
      deliveryDate: "2026-02-27",
    });
    expect(data.description).toBe("到货两条包装破损");
    expect(data.request).toBe("换货");
    expect(data.complainedAbout).toEqual({ id: "driver-3", unit: "logistics" });
    expect(data.policy).toEqual({ id: "default", version: "1" });
    expect(then.events[0]?.occurredAt).toBe("2026-03-02T01:00:00.000Z");
    expect(then.state.stage).toBe("received");
  });

  it("R-37 an anonymous complaint is registered with no personal data", () => {
    const then = deciderSpec().when({
      type: "ReceiveComplaint",
      channel: "suggestion-box",
      complainant: { id: "anon-1", anonymous: true },
      description: "营业厅服务员态度差",
    });
    const data = dataOf(then.thenEmits("ComplaintReceived").events[0], "ComplaintReceived");
    expect(data.complainant).toEqual({ id: "anon-1", anonymous: true });
    expect(data.personalData).toBeNull();
    expect(then.state.stage === "received" && then.state.anonymous).toBe(true);
  });

  it("R-37 an anonymous complaint that carries personal data is refused", () => {
    const message = deciderSpec()
      .when({
        type: "ReceiveComplaint",
        channel: "letter",
        complainant: { id: "anon-2", anonymous: true },
        personalData: { phone: "13900001111" },
        description: "匿名来信",
      })
      .thenRejects("complaint/anonymous-with-personal-data");
    expect(message).toMatch(/^R-37 /);
  });

  it("R-01 a stream holds one complaint: a second registration is refused", () => {
    deciderSpec().given(receive).when(receive).thenRejects("complaint/already-received");
  });

  it("R-03 receipt is acknowledged once, naming the handler and the expected time", () => {
    const ack: CommandInput = {
      type: "AcknowledgeReceipt",
      handler: { id: "staff-1", unit: "service" },
      expectedResponseBy: "2026-03-03T01:00:00.000Z",
      channel: "phone",
    };
    const spec = deciderSpec().given(receive);
    const data = dataOf(spec.when(ack).thenEmits("ReceiptAcknowledged").events[0], "ReceiptAcknowledged");
    expect(data.handler).toEqual({ id: "staff-1", unit: "service" });
    expect(data.expectedResponseBy).toBe("2026-03-03T01:00:00.000Z");
    spec.given(ack).when(ack).thenRejects("complaint/already-acknowledged");
  });
});

describe("on-the-spot resolution", () => {
  const onTheSpot: CommandInput = {
    type: "ResolveOnTheSpot",
    category: "service-attitude",
    remedy: { kinds: ["apology"], description: "当面致歉" },
  };

  it("R-04 a simple matter settled at once still records classification, resolution, acceptance, closure", () => {
    const then = deciderSpec()
      .given(receive)
      .when(onTheSpot)
      .thenEmits("ComplaintClassified", "ComplaintResolved", "ResolutionAccepted", "ComplaintClosed");
    const [classified, resolved, accepted, closed] = then.events;
    expect(dataOf(classified, "ComplaintClassified")).toMatchObject({
      kind: "complaint",
      category: "service-attitude",
      severity: "general",
    });
    expect(dataOf(resolved, "ComplaintResolved")).toMatchObject({ onTheSpot: true, round: 1 });
    expect(dataOf(accepted, "ResolutionAccepted")).toEqual({ round: 1, onTheSpot: true });
    expect(dataOf(closed, "ComplaintClosed").outcome).toBe("resolved");
    expect(then.state.stage).toBe("closed");
  });

  it("R-04 refused for a severity the policy does not settle on the spot", () => {
    const spec = deciderSpec().given(receive);
    spec.when({ ...onTheSpot, severity: "major" }).thenRejects("on-the-spot/not-allowed");
    // billing is raised to major by the default policy's severity rule
    spec.when({ ...onTheSpot, category: "billing" }).thenRejects("on-the-spot/not-allowed");
    const never = createPolicy({ ...defaultPolicy, onTheSpotSeverities: [] });
    deciderSpec({ policy: never }).given(receive).when(onTheSpot).thenRejects("on-the-spot/not-allowed");
  });

  it("R-04 refused for a complaint forwarded by a regulator", () => {
    deciderSpec()
      .given({ ...receive, channel: "regulator" })
      .when(onTheSpot)
      .thenRejects("on-the-spot/not-allowed");
  });

  it("R-04 refused once the case is past intake", () => {
    deciderSpec().given(receive, classify).when(onTheSpot).thenRejects("on-the-spot/not-allowed");
  });
});

describe("waiting on the complainant", () => {
  const start: CommandInput = { type: "StartWaitingOnComplainant", reason: "需补充购买凭证" };
  const end: CommandInput = { type: "EndWaitingOnComplainant", note: "凭证已收到" };

  it("R-23 a wait starts and ends; a second start or an end without a wait is refused", () => {
    const spec = deciderSpec().given(receive, classify);
    expect(spec.when(start).thenEmits("WaitingOnComplainantStarted").state).toMatchObject({
      waitingOnComplainant: true,
    });
    spec.given(start).when(start).thenRejects("complaint/waiting-on-complainant");
    spec.when(end).thenRejects("complaint/not-waiting");
    expect(spec.given(start).when(end).thenEmits("WaitingOnComplainantEnded").state).toMatchObject({
      waitingOnComplainant: false,
    });
  });

  it("R-23 a case waiting on the complainant cannot close", () => {
    const resolved = deciderSpec().given(receive, classify, investigate, propose, {
      type: "AcceptResolution",
    });
    resolved.given(start).when({ type: "CloseComplaint" }).thenRejects("complaint/waiting-on-complainant");
    resolved.given(start, end).when({ type: "CloseComplaint" }).thenEmits("ComplaintClosed");
  });

  it("R-23 a case waiting on the complainant cannot be settled on the spot either", () => {
    const onTheSpot: CommandInput = {
      type: "ResolveOnTheSpot",
      category: "service-attitude",
      remedy: { kinds: ["apology"], description: "当面致歉" },
    };
    const waiting = deciderSpec().given(receive, start);
    waiting.when(onTheSpot).thenRejects("complaint/waiting-on-complainant");
    waiting
      .given(end)
      .when(onTheSpot)
      .thenEmits("ComplaintClassified", "ComplaintResolved", "ResolutionAccepted", "ComplaintClosed");
  });
});

describe("deadline extension", () => {
  const policy = createPolicy({
    ...defaultPolicy,
    clocks: [
      {
        id: "handling",
        label: "Handling 处理时限",
        source: "000:291",
        start: ["ComplaintReceived"],
        stop: ["ComplaintClosed"],
        targets: [{ target: { amount: 3, unit: "working-days" } }],
      },
    ],
  });
  const head = { id: "head-1", role: "department-head", unit: "service" };
  const extend: CommandInput = {
    type: "ExtendDeadline",
    clock: "handling",
    extension: { amount: 2, unit: "working-days" },
    reason: "需厂家检测",
    approvedBy: head,
    complainantNotified: true,
  };

  it("R-14 an extension approved by an authorised role, with a reason, the complainant told", () => {
    const then = deciderSpec({ policy }).given(receive).when(extend).thenEmits("DeadlineExtended");
    expect(dataOf(then.events[0], "DeadlineExtended")).toEqual({
      clock: "handling",
      extension: { amount: 2, unit: "working-days" },
      reason: "需厂家检测",
      approvedBy: head,
      complainantNotified: true,
    });
    expect(then.state).toMatchObject({ extensions: 1 });
  });

  it("R-14 refused without an authorised approver, without telling the complainant, or for an unknown clock", () => {
    const spec = deciderSpec({ policy }).given(receive);
    const bySelf = { ...extend, approvedBy: { id: "staff-1", role: "staff", unit: "service" } };
    expect(spec.when(bySelf).thenRejects("extension/approver-not-authorised")).toMatch(/^R-14 /);
    spec.when({ ...extend, complainantNotified: false }).thenRejects("extension/complainant-not-notified");
    spec.when({ ...extend, clock: "resolution" }).thenRejects("extension/unknown-clock");
  });

  it("R-14 an extension without a reason is a malformed command", () => {
    for (const reason of [undefined, "   "]) {
      const parsed = parseCommand({ ...extend, reason });
      expect(parsed.ok).toBe(false);
      expect(parsed.ok ? [] : parsed.rejection.fields?.map((f) => f.path)).toEqual(["reason"]);
    }
  });
});
