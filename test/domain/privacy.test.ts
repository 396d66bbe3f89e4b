import { describe, expect, it } from "vitest";
import {
  type Actor,
  complaintId,
  createMemoryStore,
  defaultPolicy,
  fixedClock,
  fold,
  type HandleContext,
  handle,
  initialState,
  ulidGenerator,
} from "../../src/index.js";
import {
  ADDRESS,
  COMPLAINANT,
  EMAIL,
  head,
  NAME,
  NEW_PHONE,
  PHONE,
  qa,
  SECRETS,
  staff,
} from "../support/complainant.js";

const clock = fixedClock("2026-03-02T01:00:00.000Z");

// A full lifecycle: every kind of fact a case gathers, two cycles, personal data given twice.
const lifecycle: [Actor, unknown][] = [
  [
    staff,
    {
      type: "ReceiveComplaint",
      channel: "phone",
      complainant: { id: COMPLAINANT },
      personalData: { name: NAME, phone: PHONE, email: EMAIL, address: ADDRESS },
      subject: { product: "电热水壶", orderNumber: "SO-1", quantity: 2, defectQuantity: 1 },
      description: "水壶底部漏水",
      request: "换新",
      complainedAbout: { unit: "production" },
    },
  ],
  [staff, { type: "UpdateComplainantContact", personalData: { name: NAME, phone: NEW_PHONE, email: EMAIL } }],
  [
    staff,
    {
      type: "AcknowledgeReceipt",
      handler: { id: "staff-1", unit: "service" },
      expectedResponseBy: "2026-03-03T01:00:00.000Z",
      channel: "phone",
    },
  ],
  [staff, { type: "ClassifyComplaint", kind: "complaint", category: "packaging" }],
  [staff, { type: "AssignComplaint", assignee: { unit: "qa" } }],
  [staff, { type: "AssignComplaint", assignee: { id: "qa-1", unit: "qa" }, reason: "指定专人" }],
  [qa, { type: "AcceptAssignment" }],
  [qa, { type: "StartWaitingOnComplainant", reason: "请客户寄回样品" }],
  [qa, { type: "EndWaitingOnComplainant", note: "样品已收到" }],
  [qa, { type: "ChangeSeverity", severity: "major", reason: "涉及安全" }],
  [qa, { type: "EscalateComplaint", toLevel: 2, reason: "涉及安全" }],
  [
    qa,
    {
      type: "RecordInvestigation",
      findings: { facts: "密封圈老化", rootCause: "供应商批次", validity: "valid" },
    },
  ],
  [qa, { type: "ProposeResolution", remedy: { kinds: ["exchange"], description: "换新" } }],
  [qa, { type: "RejectResolution", reason: "要求退款" }],
  [
    qa,
    {
      type: "RecordInvestigation",
      findings: { facts: "密封圈老化", rootCause: "供应商批次", validity: "valid" },
    },
  ],
  [
    qa,
    {
      type: "ProposeResolution",
      remedy: {
        kinds: ["return", "compensation"],
        description: "退款并补偿",
        value: { amount: 800, currency: "CNY" },
      },
      approvedBy: head,
    },
  ],
  [qa, { type: "AcceptResolution" }],
  [qa, { type: "ReportProgress", message: "退款已发起", channel: "phone" }],
  [
    qa,
    {
      type: "PlanCorrectiveAction",
      actionId: "ca-1",
      description: "更换供应商",
      owner: { unit: "purchasing" },
    },
  ],
  [qa, { type: "RecordCorrectiveActionImplemented", actionId: "ca-1" }],
  [qa, { type: "VerifyCorrectiveAction", actionId: "ca-1", effective: true }],
  [qa, { type: "RecordAccountability", responsible: { unit: "purchasing" }, measure: "供应商约谈" }],
  [qa, { type: "RecordRevisit", satisfaction: 80, complainantConfirmed: true }],
  [qa, { type: "CloseComplaint", staffEducated: true }],
  [staff, { type: "ReopenComplaint", reason: "handled-badly", description: "退款未到账" }],
  [
    qa,
    {
      type: "RecordInvestigation",
      findings: { facts: "退款漏办", rootCause: "财务漏单", validity: "valid" },
    },
  ],
  [qa, { type: "ProposeResolution", remedy: { kinds: ["apology"], description: "补办退款并致歉" } }],
  [qa, { type: "AcceptResolution" }],
  [qa, { type: "RecordAccountability", responsible: { unit: "finance" }, measure: "通报" }],
  [qa, { type: "CloseComplaint" }],
];

describe("personal data", () => {
  it("R-36 R-37 personal data appears only in data.personalData of ComplaintReceived and ComplainantContactChanged", async () => {
    const store = createMemoryStore();
    const ids = ulidGenerator({ clock, seed: 3 });
    const id = complaintId(ids.next());
    for (const [actor, command] of lifecycle) {
      const ctx: HandleContext = { clock, ids, actor, policy: defaultPolicy };
      const result = await handle(store, id, command, ctx);
      if (!result.ok)
        throw new Error(`${String((command as { type: string }).type)}: ${result.rejection.message}`);
    }
    const events = await store.readAll();
    expect(events.at(-1)?.type).toBe("ComplaintClosed");
    expect(new Set(events.map((e) => e.type)).size).toBe(23);

    const carriers = events.filter(
      (e) => e.type === "ComplaintReceived" || e.type === "ComplainantContactChanged",
    );
    expect(carriers.map((e) => e.data)).toMatchObject([
      { personalData: { name: NAME, phone: PHONE, email: EMAIL, address: ADDRESS } },
      { personalData: { name: NAME, phone: NEW_PHONE, email: EMAIL } },
    ]);

    for (const event of events) {
      const { personalData: _, ...rest } = event.data as { personalData?: unknown };
      const withoutPersonalData = JSON.stringify({ ...event, data: rest });
      for (const secret of SECRETS)
        expect(withoutPersonalData, `${event.type} leaks ${secret}`).not.toContain(secret);
    }
    const state = JSON.stringify(fold(initialState(id), events));
    const info = JSON.stringify(await store.streamInfo(id));
    for (const secret of SECRETS) {
      expect(state).not.toContain(secret);
      expect(info).not.toContain(secret);
    }
  });
});
