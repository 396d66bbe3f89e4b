import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type BusinessCalendar,
  type CommandInput,
  type ComplaintEvent,
  calendars,
  createPolicy,
  defaultPolicy,
  evaluateSla,
  type Policy,
  type SlaUnit,
} from "../../src/index.js";
import { presets } from "../../src/presets/index.js";
import { arbValidStream, deciderSpec } from "../../src/testing/index.js";

const cn = calendars.chinaMainland();
const HOUR = 3_600_000;
// Instants within the shipped data (2024-2026), leaving room for targets and pauses.
const START = Date.parse("2024-01-02T00:00:00Z");
const SPAN = Date.parse("2026-10-01T00:00:00Z") - START;
const units: SlaUnit[] = ["calendar-hours", "calendar-days", "working-days", "working-hours"];

const policyWith = (amount: number, unit: SlaUnit): Policy =>
  createPolicy({
    ...defaultPolicy,
    clocks: [
      {
        id: "k",
        label: "K",
        start: ["ComplaintReceived"],
        stop: ["ComplaintResolved"],
        pause: ["WaitingOnComplainantStarted"],
        resume: ["WaitingOnComplainantEnded"],
        targets: [{ target: { amount, unit } }],
      },
    ],
  });

const iso = (ms: number) => new Date(ms).toISOString();
function historyOf(policy: Policy, receivedAt: number, pause?: { at: number; length: number }) {
  const commands: CommandInput[] = [
    {
      type: "ReceiveComplaint",
      occurredAt: iso(receivedAt),
      channel: "phone",
      complainant: { id: "c" },
      description: "x",
    },
  ];
  if (pause) {
    commands.push({ type: "StartWaitingOnComplainant", occurredAt: iso(pause.at), reason: "等待补充材料" });
    commands.push({ type: "EndWaitingOnComplainant", occurredAt: iso(pause.at + pause.length) });
  }
  return deciderSpec({ policy }).given(...commands).history;
}
const dueOf = (events: readonly ComplaintEvent[], policy: Policy, now: number) =>
  Date.parse(evaluateSla(events, policy, cn, new Date(now)).clocks[0]!.dueAt!);

const arbCase = fc.record({
  received: fc.integer({ min: 0, max: SPAN }).map((o) => START + o),
  unit: fc.constantFrom(...units),
  amount: fc.integer({ min: 1, max: 20 }),
  extra: fc.integer({ min: 0, max: 10 }),
  pauseAfter: fc.integer({ min: 0, max: 72 * HOUR }),
  pauseLength: fc.integer({ min: 1, max: 200 * HOUR }),
});

describe("SLA properties", () => {
  it("R-18 a larger target never gives an earlier deadline", () => {
    fc.assert(
      fc.property(arbCase, ({ received, unit, amount, extra }) => {
        const small = policyWith(amount, unit);
        const large = policyWith(amount + extra, unit);
        const now = received + HOUR;
        expect(dueOf(historyOf(large, received), large, now)).toBeGreaterThanOrEqual(
          dueOf(historyOf(small, received), small, now),
        );
      }),
      { numRuns: 150 },
    );
  });

  it("R-23 a pause never shortens a deadline", () => {
    fc.assert(
      fc.property(arbCase, ({ received, unit, amount, pauseAfter, pauseLength }) => {
        const policy = policyWith(amount, unit);
        const pause = { at: received + pauseAfter, length: pauseLength };
        const now = pause.at + pause.length + HOUR;
        const plain = dueOf(historyOf(policy, received), policy, now);
        const paused = dueOf(historyOf(policy, received, pause), policy, now);
        expect(paused).toBeGreaterThanOrEqual(plain);
      }),
      { numRuns: 150 },
    );
  });

  it("evaluation is a pure function of (events, policy, calendar, now)", () => {
    fc.assert(
      fc.property(arbCase, fc.integer({ min: 0, max: 400 * HOUR }), (c, later) => {
        const policy = policyWith(c.amount, c.unit);
        const events = historyOf(policy, c.received, {
          at: c.received + c.pauseAfter,
          length: c.pauseLength,
        });
        const snapshot = JSON.stringify(events);
        const now = new Date(c.received + later);
        const a = evaluateSla(events, policy, cn, now);
        const b = evaluateSla(
          JSON.parse(snapshot),
          policy,
          calendars.chinaMainland(),
          new Date(now.getTime()),
        );
        expect(b).toStrictEqual(a);
        expect(JSON.stringify(events)).toBe(snapshot);
      }),
      { numRuns: 100 },
    );
  });

  it("a calendar of your own gets the same evaluation as the built-in one it delegates to", () => {
    // The engine does its arithmetic on epoch milliseconds for calendars kesu builds and through
    // the public methods for any other object: both paths must agree on every clock of every
    // preset, across reopens, pauses, extensions and severity changes.
    const own: BusinessCalendar = {
      id: cn.id,
      version: cn.version,
      timeZone: cn.timeZone,
      coverage: cn.coverage,
      outOfRange: cn.outOfRange,
      conventions: cn.conventions,
      isWorkingDay: (d) => cn.isWorkingDay(d),
      nextWorkingDay: (d) => cn.nextWorkingDay(d),
      addWorkingDays: (from, n) => cn.addWorkingDays(from, n),
      addWorkingHours: (from, hours) => cn.addWorkingHours(from, hours),
      workingTimeBetween: (a, b) => cn.workingTimeBetween(a, b),
      addCalendarDays: (from, n) => cn.addCalendarDays(from, n),
      addCalendarHours: (from, hours) => cn.addCalendarHours(from, hours),
      localDate: (instant) => cn.localDate(instant),
      startOfLocalDay: (day) => cn.startOfLocalDay(day),
      closeOfBusiness: (day) => cn.closeOfBusiness(day),
      dueDate: (from, target) => cn.dueDate(from, target),
    };
    const policies = Object.values(presets);
    fc.assert(
      fc.property(
        fc
          .constantFrom(...policies)
          .chain((policy) => fc.tuple(fc.constant(policy), arbValidStream(policy, { maxLength: 40 }))),
        fc.integer({ min: 0, max: 30 * 24 * HOUR }),
        ([policy, run], later) => {
          if (run.events.length === 0) return;
          const now = new Date(Date.parse(run.events.at(-1)!.occurredAt) + later);
          expect(evaluateSla(run.events, policy, own, now)).toStrictEqual(
            evaluateSla(run.events, policy, cn, now),
          );
        },
      ),
      { numRuns: 200 },
    );
  });
});
