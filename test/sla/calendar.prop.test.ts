import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import {
  type BusinessCalendar,
  calendars,
  chinaMainlandYears,
  type LocalDate,
  type SlaTarget,
  type SlaUnit,
} from "../../src/sla/calendar/index.js";

const HOUR = 3_600_000;
const MINUTE = 60_000;

const factories: [string, () => BusinessCalendar][] = [
  ["cn-mainland", () => calendars.chinaMainland()],
  [
    "cn-mainland 13:30, receipt day included",
    () =>
      calendars.chinaMainland({
        hours: ["09:00-12:00", "13:30-18:00"],
        conventions: { receiptDay: "included" },
      }),
  ],
  [
    "America/New_York",
    () =>
      calendars.create({
        id: "ny",
        timeZone: "America/New_York",
        hours: ["08:30-12:00", "12:45-17:15"],
        holidays: ["2024-07-04", "2025-07-04", "2026-07-03", "2026-11-26"],
      }),
  ],
];
const named = factories.map(([name, create]): [string, BusinessCalendar] => [name, create()]);
const cn = calendars.chinaMainland();

const calendarArb = fc.constantFrom(...named);
/** Instants far enough inside 2024-2026 that 500 working hours or 60 days either way stay covered. */
const instantArb = fc
  .integer({ min: Date.UTC(2024, 5, 1) / MINUTE, max: Date.UTC(2026, 5, 30) / MINUTE })
  .chain((minute) => fc.integer({ min: 0, max: MINUTE - 1 }).map((ms) => new Date(minute * MINUTE + ms)));
/** Hours in whole minutes, so they are whole milliseconds. */
const hoursArb = (max: number): fc.Arbitrary<number> =>
  fc.integer({ min: 0, max: max * 60 }).map((m) => m / 60);
const unitArb = fc.constantFrom<SlaUnit>(
  "calendar-hours",
  "calendar-days",
  "working-days",
  "working-hours",
  "end-of-next-working-day",
);
const amountFor = (unit: SlaUnit): fc.Arbitrary<number> =>
  unit.endsWith("hours") ? hoursArb(500) : fc.integer({ min: 0, max: 60 });

describe("SLA monotonicity (DOMAIN §3): a larger target or a later receipt never gives an earlier deadline", () => {
  it("larger amount → same or later deadline, for every unit", () => {
    fc.assert(
      fc.property(
        calendarArb,
        instantArb,
        unitArb.chain((unit) => fc.tuple(fc.constant(unit), amountFor(unit), amountFor(unit))),
        ([, calendar], from, [unit, a, b]) => {
          const [small, large] = a <= b ? [a, b] : [b, a];
          const early = calendar.dueDate(from, { amount: small, unit });
          const late = calendar.dueDate(from, { amount: large, unit });
          expect(early.getTime()).toBeLessThanOrEqual(late.getTime());
          expect(early.getTime()).toBeGreaterThanOrEqual(from.getTime());
        },
      ),
      { numRuns: 400 },
    );
  });

  it("later receipt → same or later deadline, for every unit", () => {
    fc.assert(
      fc.property(
        calendarArb,
        instantArb,
        instantArb,
        unitArb.chain((unit) => amountFor(unit).map((amount): SlaTarget => ({ amount, unit }))),
        ([, calendar], a, b, target) => {
          const [first, second] = a <= b ? [a, b] : [b, a];
          expect(calendar.dueDate(first, target).getTime()).toBeLessThanOrEqual(
            calendar.dueDate(second, target).getTime(),
          );
        },
      ),
      { numRuns: 400 },
    );
  });
});

describe("working time laws", () => {
  it("workingTimeBetween(start, addWorkingHours(start, h)) is exactly h hours, forward and backward", () => {
    fc.assert(
      fc.property(calendarArb, instantArb, hoursArb(500), fc.boolean(), ([, calendar], start, h, back) => {
        const hours = back ? -h : h;
        const end = calendar.addWorkingHours(start, hours);
        expect(calendar.workingTimeBetween(start, end)).toBe(Math.round(hours * HOUR) + 0); // + 0: no -0
      }),
      { numRuns: 500 },
    );
  });

  it("a working-hours deadline is reached while working, never at the start of the next interval", () => {
    fc.assert(
      fc.property(calendarArb, instantArb, hoursArb(200), ([, calendar], start, h) => {
        fc.pre(h > 0);
        const end = calendar.addWorkingHours(start, h);
        expect(calendar.workingTimeBetween(new Date(end.getTime() - 1), end)).toBe(1);
      }),
    );
  });

  it("adding working hours in two steps equals adding them at once", () => {
    fc.assert(
      fc.property(calendarArb, instantArb, hoursArb(200), hoursArb(200), ([, calendar], start, a, b) => {
        const twoSteps = calendar.addWorkingHours(calendar.addWorkingHours(start, a), b);
        expect(twoSteps).toEqual(calendar.addWorkingHours(start, a + b));
      }),
    );
  });

  it("addWorkingDays(d, a + b) equals addWorkingDays(addWorkingDays(d, a), b) on calendars with business hours", () => {
    fc.assert(
      fc.property(
        calendarArb,
        instantArb,
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 0, max: 30 }),
        ([, calendar], start, a, b) => {
          const twoSteps = calendar.addWorkingDays(calendar.addWorkingDays(start, a), b);
          expect(twoSteps).toEqual(calendar.addWorkingDays(start, a + b));
        },
      ),
    );
  });

  it("working time is additive, antisymmetric and bounded by elapsed time", () => {
    fc.assert(
      fc.property(calendarArb, instantArb, instantArb, instantArb, ([, calendar], a, b, c) => {
        const ab = calendar.workingTimeBetween(a, b);
        expect(ab + calendar.workingTimeBetween(b, c)).toBe(calendar.workingTimeBetween(a, c));
        expect(calendar.workingTimeBetween(b, a)).toBe(-ab + 0);
        const elapsed = b.getTime() - a.getTime();
        expect(Math.abs(ab)).toBeLessThanOrEqual(Math.abs(elapsed));
        expect(Math.sign(ab) * Math.sign(elapsed)).toBeGreaterThanOrEqual(0);
      }),
    );
  });

  it("day periods end on a working day", () => {
    fc.assert(
      fc.property(
        calendarArb,
        instantArb,
        fc.constantFrom<SlaUnit>("calendar-days", "working-days", "end-of-next-working-day"),
        fc.integer({ min: 1, max: 60 }),
        ([, calendar], from, unit, amount) => {
          const due = calendar.dueDate(from, { amount, unit });
          // Close of business is inside the last day (these calendars close before 24:00).
          expect(calendar.isWorkingDay(calendar.localDate(due))).toBe(true);
        },
      ),
    );
  });
});

describe("isWorkingDay agrees with the data table", () => {
  // Expanded straight from the data module; weekdays from UTC, independent of the library.
  const off = new Set<string>();
  const worked = new Set<string>();
  for (const { periods } of chinaMainlandYears) {
    for (const period of periods) {
      for (let t = Date.parse(period.off.from); t <= Date.parse(period.off.to); t += 24 * HOUR) {
        off.add(new Date(t).toISOString().slice(0, 10));
      }
      for (const day of period.workdays) worked.add(day);
    }
  }
  const expected = (t: number): boolean => {
    const date = new Date(t).toISOString().slice(0, 10);
    const weekday = new Date(t).getUTCDay();
    return off.has(date) ? false : worked.has(date) ? true : weekday !== 0 && weekday !== 6;
  };

  it("for every day of 2024-2026", () => {
    for (let t = Date.UTC(2024, 0, 1); t < Date.UTC(2027, 0, 1); t += 24 * HOUR) {
      const date = new Date(t).toISOString().slice(0, 10) as LocalDate;
      if (cn.isWorkingDay(date) !== expected(t)) expect.fail(`${date}: isWorkingDay disagrees with the data`);
    }
  });

  it("for random days, and nextWorkingDay is the first such day after", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1085 }), (offset) => {
        const t = Date.UTC(2024, 0, 1) + offset * 24 * HOUR;
        const date = new Date(t).toISOString().slice(0, 10) as LocalDate;
        expect(cn.isWorkingDay(date)).toBe(expected(t));
        let next = t + 24 * HOUR;
        while (!expected(next)) next += 24 * HOUR;
        expect(cn.nextWorkingDay(date)).toBe(new Date(next).toISOString().slice(0, 10));
      }),
      { numRuns: 300 },
    );
  });
});

describe("results are identical whatever the host time zone", () => {
  const hostZone = process.env.TZ;
  afterAll(() => {
    if (hostZone === undefined) delete process.env.TZ;
    else process.env.TZ = hostZone;
  });

  it("for random receipts and targets under UTC, New York, Shanghai and Kiritimati", () => {
    const zones = ["UTC", "America/New_York", "Asia/Shanghai", "Pacific/Kiritimati"];
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: factories.length - 1 }),
        instantArb,
        unitArb.chain((unit) => amountFor(unit).map((amount): SlaTarget => ({ amount, unit }))),
        (index, from, target) => {
          const answers = zones.map((zone) => {
            process.env.TZ = zone;
            const calendar = (factories[index] as [string, () => BusinessCalendar])[1](); // fresh: no shared cache
            const due = calendar.dueDate(from, target);
            return [due.toISOString(), calendar.localDate(due), calendar.workingTimeBetween(from, due)];
          });
          for (const answer of answers) expect(answer).toEqual(answers[0]);
        },
      ),
      { numRuns: 100 },
    );
  });
});
