import { describe, expect, it } from "vitest";
import {
  type ComplaintId,
  calendars,
  createMemoryStore,
  createPolicy,
  defaultPolicy,
  fixedClock,
  handle,
  runSlaWatcher,
  ulidGenerator,
} from "../../src/index.js";

const cn = calendars.chinaMainland();
const sh = (local: string) => new Date(`${local}+08:00`);

const policy = createPolicy({
  ...defaultPolicy,
  id: "watch-test",
  clocks: [
    {
      id: "handling",
      label: "Handling",
      start: ["ComplaintReceived"],
      stop: ["ComplaintResolved"],
      targets: [{ target: { amount: 8, unit: "working-hours" } }],
      warnAt: 0.5,
      escalations: [
        { on: "at-risk", toLevel: 2 },
        { on: "breached", toLevel: 3 },
      ],
    },
  ],
});

async function setup() {
  const store = createMemoryStore();
  const clock = fixedClock(sh("2026-03-02T09:00:00"));
  const ids = ulidGenerator({ clock, seed: 3 });
  const ctx = { clock, ids, policy, actor: { id: "staff-1", role: "staff", unit: "service" } };
  const cases: ComplaintId[] = [];
  for (const start of ["2026-03-02T09:00:00", "2026-03-02T16:00:00"]) {
    const id = ids.next() as ComplaintId;
    const r = await handle(
      store,
      id,
      {
        type: "ReceiveComplaint",
        occurredAt: sh(start).toISOString(),
        channel: "hotline",
        complainant: { id: `c-${start}` },
        description: "送货延误",
      },
      ctx,
    );
    expect(r.ok).toBe(true);
    cases.push(id);
  }
  return { store, clock, ids, cases };
}

describe("SLA watcher", () => {
  it("R-24 R-26 escalates at-risk and breached cases up the ladder, once per crossing", async () => {
    const { store, ids, cases } = await setup();
    // Case A (Mon 09:00, due Mon 18:00) is breached at 18:30; case B (Mon 16:00, due Tue 15:00)
    // has used 2 of 8 working hours: running, below the 50 % warning.
    const now = sh("2026-03-02T18:30:00");
    const run = () => runSlaWatcher({ store, policy, calendar: cn, now, cases, clock: fixedClock(now), ids });
    const first = await run();
    expect(first.checked).toBe(2);
    expect(first.findings).toHaveLength(1);
    const [finding] = first.findings;
    expect(finding?.streamId).toBe(cases[0]);
    expect(finding?.clock.status).toBe("breached");
    expect(finding?.actions.map((a) => `${a.on}:${a.toLevel}:${a.outcome}`)).toEqual([
      "at-risk:2:escalated",
      "breached:3:escalated",
    ]);
    const events = await store.readStream(cases[0]!);
    const escalations = events.filter((e) => e.type === "ComplaintEscalated");
    expect(escalations.map((e) => e.type === "ComplaintEscalated" && e.data.toLevel)).toEqual([2, 3]);

    // Running again (a schedule, or a replay) appends nothing.
    const before = (await store.readAll({ limit: 10_000 })).length;
    const second = await run();
    expect(second.findings[0]?.actions.every((a) => a.outcome === "level-reached")).toBe(true);
    expect((await store.readAll({ limit: 10_000 })).length).toBe(before);
  });

  it("R-24 a case at risk is escalated to the at-risk level only", async () => {
    const { store, ids, cases } = await setup();
    // Case B: Mon 16:00 + 8 working hours → Tue 15:00; at Tue 11:00 it has used 2 + 2 = 4 h (50 %).
    const now = sh("2026-03-03T11:00:00");
    const report = await runSlaWatcher({
      store,
      policy,
      calendar: cn,
      now,
      cases: [cases[1]!],
      clock: fixedClock(now),
      ids,
    });
    expect(report.findings.map((f) => f.clock.status)).toEqual(["at-risk"]);
    expect(report.findings[0]?.actions.map((a) => a.outcome)).toEqual(["escalated"]);
  });

  it("R-26 two clocks breached in one run escalate the case once; the second clock finds the level reached", async () => {
    const twoClocks = createPolicy({
      ...policy,
      id: "watch-two-clocks",
      clocks: [
        {
          id: "classify",
          label: "Classification",
          start: ["ComplaintReceived"],
          stop: ["ComplaintClassified"],
          targets: [{ target: { amount: 4, unit: "working-hours" } }],
          escalations: [{ on: "breached", toLevel: 2 }],
        },
        {
          id: "handling",
          label: "Handling",
          start: ["ComplaintReceived"],
          stop: ["ComplaintResolved"],
          targets: [{ target: { amount: 8, unit: "working-hours" } }],
          escalations: [{ on: "breached", toLevel: 2 }],
        },
      ],
    });
    const store = createMemoryStore();
    const clock = fixedClock(sh("2026-03-02T09:00:00"));
    const ids = ulidGenerator({ clock, seed: 5 });
    const id = ids.next() as ComplaintId;
    const received = await handle(
      store,
      id,
      { type: "ReceiveComplaint", channel: "hotline", complainant: { id: "c-1" }, description: "送货延误" },
      { clock, ids, policy: twoClocks, actor: { id: "staff-1", role: "staff", unit: "service" } },
    );
    expect(received.ok).toBe(true);
    // Mon 09:00 + 4 working hours and + 8 working hours: both clocks are breached at 18:30.
    const now = sh("2026-03-02T18:30:00");
    const report = await runSlaWatcher({
      store,
      policy: twoClocks,
      calendar: cn,
      now,
      cases: [id],
      clock: fixedClock(now),
      ids,
    });
    expect(report.findings.map((f) => `${f.clock.clockId}:${f.clock.status}`)).toEqual([
      "classify:breached",
      "handling:breached",
    ]);
    expect(report.findings.map((f) => f.actions.map((a) => a.outcome))).toEqual([
      ["escalated"],
      ["level-reached"],
    ]);
    const escalations = (await store.readStream(id)).filter((e) => e.type === "ComplaintEscalated");
    expect(escalations).toHaveLength(1);
  });

  it("cases judged by another policy version are skipped and reported, not escalated", async () => {
    const { store, ids, cases } = await setup();
    const now = sh("2026-03-02T18:30:00");
    const other = createPolicy({ ...policy, version: "2" });
    const report = await runSlaWatcher({
      store,
      policy: other,
      calendar: cn,
      now,
      cases,
      clock: fixedClock(now),
      ids,
    });
    expect(report.skipped.map((s) => s.streamId)).toEqual(cases);
    expect(report.findings).toEqual([]);
  });
});
