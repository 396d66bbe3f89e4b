// A seeded tobacco history for the report tests: January and February 2026 (the Spring Festival
// holiday 02-15..02-23 with 调休 Saturdays 02-14 and 02-28) and one case in March. Every case goes
// through `handle` on a memory store; rows come from the complaint-list projection.
import {
  type Actor,
  type CommandInput,
  type ComplaintId,
  type ComplaintListRow,
  calendars,
  createMemoryComplaintList,
  createMemoryStore,
  createProjectionRunner,
  fixedClock,
  handle,
  ulidGenerator,
} from "../../src/index.js";
import { tobacco } from "../../src/presets/index.js";

export const calendar = calendars.chinaMainland();
export const policy = tobacco;

/** A Shanghai wall-clock time as an ISO instant. */
export const sh = (local: string): string => new Date(`${local}:00+08:00`).toISOString();

const clerk: Actor = { id: "clerk-1", role: "staff", unit: "marketing" };
const owners = {
  logistics: { id: "wang", role: "staff", unit: "logistics" },
  finance: { id: "zhao", role: "staff", unit: "finance" },
  marketing: { id: "chen", role: "staff", unit: "marketing" },
  "inspection-office": { id: "liu", role: "inspection-office", unit: "inspection-office" },
} satisfies Record<string, Actor>;

type Step = readonly [local: string, command: CommandInput, by?: Actor];

const receive = (
  complainant: string,
  channel: "phone" | "hotline" | "walk-in" | "letter" | "suggestion-box" | "regulator" | "online-form",
  anonymous = false,
): CommandInput => ({
  type: "ReceiveComplaint",
  channel,
  complainant: { id: complainant, anonymous },
  description: "客户反映问题",
});
const classify = (
  category: string,
  kind: "complaint" | "inquiry" | "suggestion" = "complaint",
): CommandInput => ({
  type: "ClassifyComplaint",
  kind,
  category,
});
const acknowledge = (unit: string, by: string): CommandInput => ({
  type: "AcknowledgeReceipt",
  handler: { unit },
  expectedResponseBy: sh(by),
  channel: "phone",
});
const investigate = (validity: "valid" | "invalid"): CommandInput => ({
  type: "RecordInvestigation",
  findings: { facts: "经核实", validity, ...(validity === "valid" ? { rootCause: "流程疏漏" } : {}) },
});
const propose = (kind: "apology" | "explanation" | "answer"): CommandInput => ({
  type: "ProposeResolution",
  remedy: { kinds: [kind], description: "处理方案" },
});

/** Hand-over to a unit, acknowledged by its owner, starting at `local` + 0, + 10 minutes. */
function handOver(unit: keyof typeof owners, at: string, then: string): Step[] {
  const owner = owners[unit];
  return [
    [at, { type: "AssignComplaint", assignee: { id: owner.id, unit } }],
    [then, { type: "AcceptAssignment" }, owner],
  ];
}

/** Revisit with the complainant's confirmation, then the five gates of 002:442 and the close. */
function closeValid(satisfaction: 90 | 80 | 70 | 60, day: string, unit: string): Step[] {
  return [
    [`${day}T09:00`, { type: "RecordRevisit", satisfaction, complainantConfirmed: true }],
    [
      `${day}T09:10`,
      { type: "PlanCorrectiveAction", actionId: "CA-1", description: "整改", owner: { unit } },
    ],
    [`${day}T09:20`, { type: "RecordCorrectiveActionImplemented", actionId: "CA-1" }],
    [`${day}T09:30`, { type: "VerifyCorrectiveAction", actionId: "CA-1", effective: true }],
    [`${day}T09:40`, { type: "RecordAccountability", responsible: { unit }, measure: "通报" }],
  ];
}

/** The cases, by a short name the tests use. */
export const CASES: Record<string, readonly Step[]> = {
  // January (the previous month)
  J1: [
    ["2026-01-12T10:00", receive("retailer-A", "phone")],
    ["2026-01-12T10:10", classify("delivery")],
    ["2026-01-12T10:20", acknowledge("logistics", "2026-01-19T18:00")],
    ...handOver("logistics", "2026-01-12T10:30", "2026-01-12T10:40"),
    ["2026-01-13T10:00", investigate("valid")],
    ["2026-01-13T11:00", propose("apology")],
    ["2026-01-13T12:00", { type: "AcceptResolution" }],
    ...closeValid(90, "2026-01-16", "logistics"),
    ["2026-01-16T10:00", { type: "CloseComplaint", staffEducated: true }],
  ],
  J2: [
    ["2026-01-20T10:00", receive("retailer-B", "phone")],
    ["2026-01-20T10:10", classify("ordering")],
    ["2026-01-20T11:00", investigate("invalid")],
    ["2026-01-20T14:00", propose("explanation")],
    ["2026-01-20T15:00", { type: "CloseComplaint" }],
  ],
  J3: [
    ["2026-01-26T10:00", receive("retailer-C", "walk-in")],
    [
      "2026-01-26T10:05",
      {
        type: "ResolveOnTheSpot",
        kind: "inquiry",
        category: "licensing",
        remedy: { kinds: ["answer"], description: "一次性告知" },
      },
    ],
  ],
  // February (the month reported). F1: Fri 02-13 16:00 → Tue 02-24 10:00 is 2 h on Friday, 8 h on
  // the 调休 Saturday 02-14, nothing in the holiday 02-15..02-23, 1 h on Tuesday: 11 working hours.
  F1: [
    ["2026-02-13T16:00", receive("retailer-A", "phone")],
    ["2026-02-13T16:10", classify("delivery")],
    ["2026-02-13T16:20", acknowledge("logistics", "2026-02-26T18:00")],
    ...handOver("logistics", "2026-02-13T16:30", "2026-02-13T16:40"),
    ["2026-02-14T10:00", investigate("valid")],
    ["2026-02-14T14:00", propose("apology")],
    ["2026-02-14T15:00", { type: "AcceptResolution" }],
    ...closeValid(80, "2026-02-24", "logistics"),
    ["2026-02-24T10:00", { type: "CloseComplaint", staffEducated: true }],
  ],
  // F2: a major payment complaint whose first remedy is rejected. Mon 02-02 09:00 → Thu
  // 02-05 17:00: 8 + 8 + 8 + 7 = 31 working hours.
  F2: [
    ["2026-02-02T09:00", receive("retailer-D", "hotline")],
    ["2026-02-02T09:05", classify("payment")],
    ["2026-02-02T09:10", acknowledge("finance", "2026-02-05T18:00")],
    ...handOver("finance", "2026-02-02T09:15", "2026-02-02T09:30"),
    ["2026-02-02T14:00", investigate("valid")],
    ["2026-02-02T15:00", propose("apology")],
    ["2026-02-02T16:00", { type: "RejectResolution", reason: "要求退款" }],
    ["2026-02-03T10:00", investigate("valid")],
    ["2026-02-03T11:00", propose("apology")],
    ["2026-02-03T12:00", { type: "AcceptResolution" }],
    ...closeValid(60, "2026-02-05", "finance"),
    ["2026-02-05T17:00", { type: "CloseComplaint", staffEducated: true }],
  ],
  // F3: invalid. Tue 02-03 10:00 → 15:00, the lunch hour skipped: 4 working hours.
  F3: [
    ["2026-02-03T10:00", receive("retailer-E", "walk-in")],
    ["2026-02-03T10:10", classify("service-attitude")],
    ["2026-02-03T11:00", investigate("invalid")],
    ["2026-02-03T13:30", propose("explanation")],
    ["2026-02-03T15:00", { type: "CloseComplaint" }],
  ],
  // F4: a major quality complaint closed, then reopened because it was handled badly:
  // escalated to level 2, open again.
  F4: [
    ["2026-02-04T09:00", receive("retailer-F", "phone")],
    ["2026-02-04T09:05", classify("cigarette-quality")],
    ["2026-02-04T09:10", acknowledge("marketing", "2026-02-09T18:00")],
    ...handOver("marketing", "2026-02-04T09:15", "2026-02-04T09:20"),
    ["2026-02-04T15:00", investigate("valid")],
    ["2026-02-05T10:00", propose("apology")],
    ["2026-02-05T11:00", { type: "AcceptResolution" }],
    ...closeValid(70, "2026-02-06", "marketing"),
    ["2026-02-06T16:00", { type: "CloseComplaint", staffEducated: true }],
    ["2026-02-09T10:00", { type: "ReopenComplaint", reason: "handled-badly", description: "问题烟仍未更换" }],
  ],
  // F5: withdrawn, not established. Thu 02-05 10:00 → 14:00: 3 working hours.
  F5: [
    ["2026-02-05T10:00", receive("retailer-G", "letter")],
    ["2026-02-05T10:10", classify("accounts")],
    [
      "2026-02-05T14:00",
      { type: "WithdrawComplaint", reason: "客户自行核对后撤诉", complainantMainlyAtFault: true },
    ],
  ],
  // F6: an inquiry answered on the spot: 0 working hours.
  F6: [
    ["2026-02-10T10:00", receive("retailer-H", "hotline")],
    [
      "2026-02-10T10:00",
      {
        type: "ResolveOnTheSpot",
        kind: "inquiry",
        category: "policy",
        remedy: { kinds: ["answer"], description: "解答政策" },
      },
    ],
  ],
  // F7: a suggestion, acknowledged. Wed 02-11 10:00 → 11:00: 1 working hour.
  F7: [
    ["2026-02-11T10:00", receive("retailer-I", "suggestion-box")],
    ["2026-02-11T10:10", classify("delivery", "suggestion")],
    ["2026-02-11T10:30", propose("answer")],
    ["2026-02-11T11:00", { type: "CloseComplaint" }],
  ],
  // F8: never acknowledged nor owned; progress reported on Thu 02-12 10:00, past every due instant:
  // acceptance (24 h → 02-03 10:00), ownership (1 working day → 02-03 18:00) and handling (7
  // working days → 02-11 18:00) are breached.
  F8: [
    ["2026-02-02T10:00", receive("retailer-J", "phone")],
    ["2026-02-02T10:10", classify("delivery")],
    ["2026-02-12T10:00", { type: "ReportProgress", message: "仍在核查", channel: "phone" }],
  ],
  // F9: forwarded by a regulator (major), escalated by hand to level 3; open.
  F9: [
    ["2026-02-25T09:00", receive("retailer-K", "regulator")],
    ["2026-02-25T09:05", classify("cigarette-quantity")],
    ["2026-02-25T09:30", acknowledge("logistics", "2026-02-27T18:00")],
    [
      "2026-02-25T09:40",
      { type: "EscalateComplaint", toLevel: 3, reason: "上级转办,领导督办" },
      owners["inspection-office"],
    ],
  ],
  // F10: retailer-A on delivery again, 13 days after F1 (R-21 frequent); resolved, not closed.
  F10: [
    ["2026-02-26T10:00", receive("retailer-A", "online-form")],
    ["2026-02-26T10:10", classify("delivery")],
    ["2026-02-26T10:20", acknowledge("logistics", "2026-03-06T18:00")],
    ...handOver("logistics", "2026-02-26T10:30", "2026-02-26T10:40"),
    ["2026-02-27T10:00", investigate("valid")],
    ["2026-02-27T11:00", propose("apology")],
    ["2026-02-27T12:00", { type: "AcceptResolution" }],
  ],
  // F11: anonymous, not classified yet.
  F11: [["2026-02-27T15:00", receive("anon-0227", "phone", true)]],
  // March, for the annual report.
  M1: [
    ["2026-03-02T10:00", receive("retailer-M", "walk-in")],
    [
      "2026-03-02T10:05",
      {
        type: "ResolveOnTheSpot",
        kind: "inquiry",
        category: "licensing",
        remedy: { kinds: ["answer"], description: "一次性告知" },
      },
    ],
  ],
};

/** Runs every case through `handle`, then the complaint-list projection; rows by case name. */
export async function seedHistory(): Promise<{
  rows: ComplaintListRow[];
  byName: Map<string, ComplaintListRow>;
}> {
  const store = createMemoryStore();
  const ids = ulidGenerator({ clock: fixedClock("2026-01-01T00:00:00.000Z"), seed: 7 });
  const streams = new Map<string, ComplaintId>();
  for (const [name, steps] of Object.entries(CASES)) {
    const id = ids.next() as ComplaintId;
    streams.set(name, id);
    for (const [local, command, by] of steps) {
      const at = sh(local);
      const r = await handle(
        store,
        id,
        { ...command, occurredAt: at },
        { clock: fixedClock(at), ids, actor: by ?? clerk, policy, calendar },
      );
      if (!r.ok)
        throw new Error(`${name} ${command.type} at ${local}: ${r.rejection.code} ${r.rejection.message}`);
    }
  }
  const list = createMemoryComplaintList({ sla: { policy, calendar } });
  await createProjectionRunner({ store, ...list }).catchUp();
  const { rows } = await list.query({ limit: 1_000 });
  const byName = new Map<string, ComplaintListRow>();
  for (const [name, id] of streams) {
    const doc = await list.get(id);
    if (doc) byName.set(name, doc.row);
  }
  return { rows: [...rows], byName };
}
