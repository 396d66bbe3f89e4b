import { describe, expect, it } from "vitest";
import {
  type CommandInput,
  type ComplaintEvent,
  calendars,
  createPolicy,
  defaultPolicy,
  evaluateSla,
  isSlaPolicyMismatchError,
  type Policy,
} from "../../src/index.js";
import { deciderSpec } from "../../src/testing/index.js";

const cn = calendars.chinaMainland(); // 09:00-12:00, 13:00-18:00 Asia/Shanghai
const H = 3_600_000;
const sh = (local: string) => new Date(`${local}+08:00`);

const policy: Policy = createPolicy({
  ...defaultPolicy,
  id: "sla-test",
  clocks: [
    {
      id: "ack",
      label: "Acknowledge",
      start: ["ComplaintReceived"],
      stop: ["ReceiptAcknowledged"],
      targets: [{ target: { amount: 24, unit: "calendar-hours" } }],
    },
    {
      id: "handling",
      label: "Handling",
      start: ["ComplaintReceived"],
      stop: ["ComplaintResolved"],
      pause: ["WaitingOnComplainantStarted"],
      resume: ["WaitingOnComplainantEnded"],
      targets: [
        { severity: "major", target: { amount: 8, unit: "working-hours" } },
        { target: { amount: 16, unit: "working-hours" } },
      ],
      escalations: [{ on: "breached", toLevel: 2 }],
    },
    {
      id: "initial",
      label: "Initial verification",
      start: ["ComplaintReceived"],
      stop: ["ComplaintClassified"],
      targets: [{ target: { amount: 24, unit: "calendar-hours" } }],
    },
    {
      id: "investigation",
      label: "Deep investigation",
      after: "initial",
      stop: ["ComplaintInvestigated"],
      targets: [{ target: { amount: 3, unit: "working-days" } }],
    },
  ],
});

const receive = (at: string): CommandInput => ({
  type: "ReceiveComplaint",
  occurredAt: sh(at).toISOString(),
  channel: "phone",
  complainant: { id: "c-1" },
  description: "服务态度差",
});
const at = <T extends CommandInput>(local: string, command: T): T => ({
  ...command,
  occurredAt: sh(local).toISOString(),
});
const history = (...commands: CommandInput[]): readonly ComplaintEvent[] =>
  deciderSpec({ policy }).given(...commands).history;
const clock = (events: readonly ComplaintEvent[], id: string, now: string) => {
  const result = evaluateSla(events, policy, cn, sh(now)).clocks.find((c) => c.clockId === id);
  if (!result) throw new Error(`no clock ${id}`);
  return result;
};
const classify = (severity: string) =>
  ({ type: "ClassifyComplaint", kind: "complaint", category: "service-attitude", severity }) as const;

describe("evaluateSla", () => {
  it("R-23 a pause freezes the working time left and grants it again from the resume", () => {
    const events = history(
      receive("2026-03-02T09:00:00"), // Monday
      at("2026-03-02T10:00:00", classify("general")),
      at("2026-03-02T11:00:00", { type: "StartWaitingOnComplainant", reason: "需要补充购买凭证" }),
      at("2026-03-04T10:00:00", { type: "EndWaitingOnComplainant" }),
    );
    // 16 working hours; 2 used Mon 09-11 before the pause, 14 left from Wed 10:00:
    // Wed 10-12 (2) + 13-18 (5) = 7, Thu 09-12 (3) = 10, 13-17 (4) = 14 → Thu 17:00.
    const c = clock(events, "handling", "2026-03-04T12:00:00");
    expect(c.dueAt).toBe(sh("2026-03-05T17:00:00").toISOString());
    expect(c.status).toBe("running");
    expect(c.elapsedMs).toBe(4 * H); // Mon 09-11 and Wed 10-12
    expect(c.remainingMs).toBe(12 * H); // Wed 13-18, Thu 09-12, 13-17
    // Paused Mon 11:00 → Wed 10:00: Mon 11-12, 13-18 (6) + Tue (8) + Wed 09-10 (1).
    expect(c.pausedMs).toBe(15 * H);
  });

  it("R-23 while paused the clock reports paused with its time left frozen", () => {
    const events = history(
      receive("2026-03-02T09:00:00"),
      at("2026-03-02T11:00:00", { type: "StartWaitingOnComplainant", reason: "匿名投诉需补充信息" }),
    );
    const c = clock(events, "handling", "2026-03-10T09:00:00");
    expect(c.status).toBe("paused");
    expect(c.remainingMs).toBe(14 * H);
  });

  it("R-25 a severity change re-judges the running clock from its start", () => {
    const events = history(
      receive("2026-03-02T09:00:00"),
      at("2026-03-02T09:30:00", classify("general")),
      at("2026-03-02T10:00:00", { type: "ChangeSeverity", severity: "major", reason: "涉及账款" }),
    );
    // major: 8 working hours from Mon 09:00 → Mon 18:00.
    const before = clock(events, "handling", "2026-03-02T17:00:00");
    expect(before.dueAt).toBe(sh("2026-03-02T18:00:00").toISOString());
    expect(before.severity).toBe("major");
    expect(before.status).toBe("at-risk"); // 7 of 8 hours used ≥ 75 %
    expect(clock(events, "handling", "2026-03-02T18:30:00").status).toBe("breached");
    // Before the change was recorded, the general target held: 16 h → Tue 18:00.
    expect(clock(events, "handling", "2026-03-02T09:45:00").dueAt).toBe(
      sh("2026-03-03T18:00:00").toISOString(),
    );
  });

  it("R-14 an approved extension moves the due instant; without it the clock is met late", () => {
    const base = [
      receive("2026-03-02T09:00:00"),
      at("2026-03-02T09:30:00", classify("major")),
      at("2026-03-02T10:00:00", {
        type: "RecordInvestigation",
        findings: { facts: "核实属实", validity: "valid" },
      }),
    ] as const;
    const resolve = at("2026-03-03T15:00:00", {
      type: "ProposeResolution",
      remedy: { kinds: ["apology"], description: "当面道歉" },
    });
    const late = clock(history(...base, resolve), "handling", "2026-03-03T16:00:00");
    expect(late.status).toBe("met-late"); // due Mon 18:00, resolved Tue 15:00
    const extended = history(
      ...base,
      at("2026-03-02T17:00:00", {
        type: "ExtendDeadline",
        clock: "handling",
        extension: { amount: 1, unit: "working-days" },
        reason: "需要厂家检测",
        approvedBy: { id: "head-1", role: "department-head", unit: "service" },
        complainantNotified: true,
      }),
      resolve,
    );
    const c = clock(extended, "handling", "2026-03-03T16:00:00");
    // One working day after Mon 18:00: the day itself is not counted → Tue close of business.
    expect(c.dueAt).toBe(sh("2026-03-03T18:00:00").toISOString());
    expect(c.status).toBe("met");
    expect(c.extensions).toBe(1);
  });

  it("R-24 chained stages: the second starts when the first stops (002:128-132)", () => {
    const events = history(
      receive("2026-03-02T09:00:00"),
      at("2026-03-02T15:00:00", classify("general")),
      at("2026-03-06T10:00:00", {
        type: "RecordInvestigation",
        findings: { facts: "查明", validity: "valid" },
      }),
    );
    const first = clock(events, "initial", "2026-03-06T12:00:00");
    expect(first.status).toBe("met");
    const second = clock(events, "investigation", "2026-03-06T12:00:00");
    expect(second.startedAt).toBe(sh("2026-03-02T15:00:00").toISOString());
    // 3 working days from Mon 15:00, Monday not counted: Tue, Wed, Thu → Thu 18:00.
    expect(second.dueAt).toBe(sh("2026-03-05T18:00:00").toISOString());
    expect(second.status).toBe("met-late");
    expect(clock(events.slice(0, 2), "investigation", "2026-03-02T14:00:00").status).toBe("not-started");
  });

  it("R-03 an acknowledgement clock across the Spring Festival counts calendar hours", () => {
    const events = history(receive("2026-02-13T16:00:00"));
    const c = clock(events, "ack", "2026-02-14T12:00:00");
    expect(c.dueAt).toBe(sh("2026-02-14T16:00:00").toISOString());
    expect(c.status).toBe("at-risk"); // 20 of 24 hours
  });

  it("R-12 a reopen starts a new cycle and the completed cycle stays visible", () => {
    const events = history(
      receive("2026-03-02T09:00:00"),
      at("2026-03-02T09:10:00", {
        type: "AcknowledgeReceipt",
        handler: { unit: "service" },
        expectedResponseBy: sh("2026-03-03T18:00:00").toISOString(),
        channel: "phone",
      }),
      at("2026-03-02T09:30:00", classify("general")),
      at("2026-03-02T10:00:00", {
        type: "RecordInvestigation",
        findings: { facts: "属实", validity: "valid" },
      }),
      at("2026-03-02T11:00:00", {
        type: "ProposeResolution",
        remedy: { kinds: ["apology"], description: "道歉" },
      }),
      at("2026-03-02T11:30:00", { type: "AcceptResolution" }),
      at("2026-03-02T12:00:00", { type: "CloseComplaint" }),
      at("2026-03-09T09:00:00", {
        type: "ReopenComplaint",
        reason: "complainant-returned",
        description: "问题再次出现",
      }),
    );
    const c = clock(events, "handling", "2026-03-09T10:00:00");
    expect(c.cycle).toBe(2);
    expect(c.status).toBe("not-started"); // the handling clock starts on ComplaintReceived only
    expect(c.cycles).toHaveLength(1);
    expect(c.cycles[0]).toMatchObject({ cycle: 1, status: "met", stoppedBy: "stop-event" });
  });

  it("evaluation ignores events after `now` and refuses another policy than the recorded one", () => {
    const events = history(receive("2026-03-02T09:00:00"), at("2026-03-02T10:00:00", classify("major")));
    expect(clock(events, "handling", "2026-03-02T09:30:00").severity).toBe("general");
    const other = createPolicy({ ...policy, version: "2" });
    let error: unknown;
    try {
      evaluateSla(events, other, cn, sh("2026-03-02T12:00:00"));
    } catch (e) {
      error = e;
    }
    expect(isSlaPolicyMismatchError(error)).toBe(true);
    // A resolver serves the version the stream recorded.
    const resolved = evaluateSla(
      events,
      (ref) => (ref.version === "1" ? policy : other),
      cn,
      sh("2026-03-02T12:00:00"),
    );
    expect(resolved.policy.version).toBe("1");
  });
});

describe("policy clock traps", () => {
  const clockOf = (over: object) => ({
    id: "k",
    label: "K",
    start: ["ComplaintReceived"],
    stop: ["ComplaintResolved"],
    targets: [{ target: { amount: 1, unit: "working-days" } }],
    ...over,
  });
  const make = (clock: object) => () => createPolicy({ ...defaultPolicy, clocks: [clock] as never });

  it("R-24 a clock that can never start is refused", () => {
    expect(make(clockOf({ start: [] }))).toThrow(/clocks\.0\.start: the clock can never start/);
    expect(make(clockOf({ start: [], after: "missing" }))).toThrow(/chained after unknown clock/);
  });
  it("R-24 a stop that is a subset of the start is refused", () => {
    expect(make(clockOf({ stop: ["ComplaintReceived"] }))).toThrow(/clocks\.0\.stop/);
  });
  it("R-23 a pause that can never resume is refused", () => {
    expect(make(clockOf({ pause: ["WaitingOnComplainantStarted"] }))).toThrow(/clocks\.0\.resume/);
  });
  it("R-18 a severity without a target is refused", () => {
    expect(
      make(clockOf({ targets: [{ severity: "major", target: { amount: 1, unit: "working-days" } }] })),
    ).toThrow(/no target for severity general/);
  });
});
