import {
  type Actor,
  type ComplaintId,
  complaintId,
  defaultPolicy,
  type EventStore,
  fixedClock,
  type HandleContext,
  handle,
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

// The complainant's personal data, which the tests look for in raw storage.
export { ADDRESS, COMPLAINANT, EMAIL, NAME, NEW_PHONE, PHONE, SECRETS };

/** A case from registration to closing, with personal data given twice (registration, contact change). */
export const LIFECYCLE: readonly (readonly [Actor, unknown])[] = [
  [
    staff,
    {
      type: "ReceiveComplaint",
      channel: "phone",
      complainant: { id: COMPLAINANT },
      personalData: { name: NAME, phone: PHONE, email: EMAIL, address: ADDRESS },
      subject: { product: "电热水壶", orderNumber: "SO-20260302-17", quantity: 2, defectQuantity: 1 },
      description: "水壶底部漏水，烫伤风险",
      request: "换新",
      complainedAbout: { unit: "production" },
    },
  ],
  [staff, { type: "UpdateComplainantContact", personalData: { name: NAME, phone: NEW_PHONE, email: EMAIL } }],
  [
    staff,
    {
      type: "AcknowledgeReceipt",
      handler: { id: "qa-1", unit: "qa" },
      expectedResponseBy: "2026-03-03T01:00:00.000Z",
      channel: "phone",
    },
  ],
  [staff, { type: "ClassifyComplaint", kind: "complaint", category: "packaging" }],
  [staff, { type: "AssignComplaint", assignee: { id: "qa-1", unit: "qa" } }],
  [qa, { type: "AcceptAssignment" }],
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
  [qa, { type: "RecordRevisit", satisfaction: 80, complainantConfirmed: true }],
  [qa, { type: "CloseComplaint", summary: "已退款并补偿", staffEducated: true }],
];

/** An anonymous complaint: nothing to encrypt. */
export const ANONYMOUS = {
  type: "ReceiveComplaint",
  channel: "suggestion-box",
  complainant: { id: "anon-7", anonymous: true },
  description: "门店收银员态度恶劣",
} as const;

/** A handle context at a fixed instant; `at` moves with each step so events stay in order. */
export function contextFor(actor: Actor, step = 0): HandleContext {
  const clock = fixedClock(new Date(Date.UTC(2026, 2, 2, 1, step)));
  return { clock, ids: ulidGenerator({ clock, seed: 11 + step }), actor, policy: defaultPolicy };
}

/** Runs {@link LIFECYCLE} on a new stream through `handle`; throws on any rejection. */
export async function runLifecycle(store: EventStore): Promise<ComplaintId> {
  const id = complaintId(ulidGenerator({ seed: 5 }).next());
  for (const [step, [actor, command]] of LIFECYCLE.entries()) {
    const result = await handle(store, id, command, contextFor(actor, step));
    if (!result.ok) throw new Error(`${(command as { type: string }).type}: ${result.rejection.message}`);
  }
  return id;
}

/** Registers {@link ANONYMOUS} on a new stream. */
export async function receiveAnonymous(store: EventStore): Promise<ComplaintId> {
  const id = complaintId(ulidGenerator({ seed: 6 }).next());
  const result = await handle(store, id, ANONYMOUS, contextFor(staff, 30));
  if (!result.ok) throw new Error(result.rejection.message);
  return id;
}

/** Which of {@link SECRETS} occur in `haystack` (as UTF-8 bytes or text). */
export function secretsIn(haystack: Buffer | string): string[] {
  const bytes = typeof haystack === "string" ? Buffer.from(haystack, "utf8") : haystack;
  return SECRETS.filter((secret) => bytes.includes(Buffer.from(secret, "utf8")));
}
