import type { BusinessCalendar } from "./businessCalendar.js";
import { DayTable } from "./dayTable.js";
import { CalendarInputError, CalendarRangeError } from "./errors.js";
import { registerInstants } from "./instants.js";
import {
  DAY_MS,
  daysFromCivil,
  formatLocalDate,
  HOUR_MS,
  type LocalDate,
  parseLocalDate,
  weekdayIndex,
} from "./localDate.js";
import type { SlaTarget } from "./slaTarget.js";
import { type CalendarSpec, normalizeSpec } from "./spec.js";
import { instantToLocal, localDayOf, localToInstant, zoneRules } from "./timeZone.js";
import { contentHash } from "./version.js";

/** Days any calendar can answer for, with or without the weekday fallback. */
const MIN_DAY = daysFromCivil(1900, 1, 1);
const MAX_DAY = daysFromCivil(2299, 12, 31);

function instantOf(argument: string, value: Date): number {
  const t = value instanceof Date ? value.getTime() : Number.NaN;
  if (!Number.isFinite(t)) throw new CalendarInputError(argument, "expected a valid Date");
  return t;
}

function finite(argument: string, value: number): number {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new CalendarInputError(argument, `expected a finite number, got ${String(value)}`);
  }
  return value;
}

function wholeNumber(argument: string, value: number, allowNegative: boolean): number {
  if (!Number.isInteger(value) || (!allowNegative && value < 0)) {
    const expected = allowNegative ? "a whole number" : "a whole number ≥ 0";
    throw new CalendarInputError(argument, `expected ${expected}, got ${String(value)}`);
  }
  return value;
}

function dayOfText(argument: string, text: string): number {
  const day = typeof text === "string" ? parseLocalDate(text) : undefined;
  if (day === undefined)
    throw new CalendarInputError(argument, `expected a date "YYYY-MM-DD", got ${String(text)}`);
  return day;
}

/**
 * Builds a {@link BusinessCalendar} from a spec. Throws `CalendarSpecError` naming the first bad
 * field. Exposed as `calendars.create`.
 *
 * @example
 * const newYork = calendars.create({
 *   id: "ny-support",
 *   timeZone: "America/New_York",
 *   hours: ["09:00-17:00"],
 *   holidays: ["2026-07-03", "2026-11-26"],
 * });
 * newYork.addWorkingHours(new Date("2026-03-06T16:00:00-05:00"), 2); // Monday 2026-03-09 10:00 EDT
 */
export function createCalendar(spec: CalendarSpec): BusinessCalendar {
  const s = normalizeSpec(spec);
  const zone = zoneRules(s.timeZone);
  const { conventions, coverage } = s;
  const bounded = coverage !== undefined && s.outOfRange === "error";
  const covers = (day: number): boolean =>
    coverage === undefined || (day >= coverage.from && day <= coverage.to);

  const table = new DayTable({
    zone,
    minDay: bounded ? Math.max(coverage.from, MIN_DAY) : MIN_DAY,
    maxDay: bounded ? Math.min(coverage.to, MAX_DAY) : MAX_DAY,
    plan(day) {
      const weekday = weekdayIndex(day);
      if (covers(day)) {
        if (s.holidays.has(day)) return undefined;
        if (s.workingDays.has(day)) return s.hoursByWeekday[weekday];
      }
      return s.weekend[weekday] ? undefined : s.hoursByWeekday[weekday];
    },
    outOfRange(day): never {
      throw new CalendarRangeError(s.id, formatLocalDate(day), bounded ? s.coverageText : undefined);
    },
  });

  // Used only to size table growth; a short guess costs one more growth step, never a wrong answer.
  const workingDaysPerWeek = s.weekend.filter((off) => !off).length;
  const workingMsPerWeek = s.hoursByWeekday.reduce(
    (sum, hours, weekday) =>
      s.weekend[weekday] ? sum : sum + hours.reduce((h, [start, end]) => h + (end - start) * 60_000, 0),
    0,
  );

  /** Makes the table hold an instant's day and returns that day. */
  function holdInstant(t: number): number {
    const day = localDayOf(zone, t);
    table.ensure(day, day);
    if (!table.holdsInstant(t)) table.ensure(day - 1, day + 1);
    return day;
  }

  /** When a period whose last day is `day` ends. */
  function periodEnd(day: number): number {
    table.ensure(day, day);
    return conventions.periodEnd === "end-of-day" ? table.startOf(day + 1) : table.closeOf(day);
  }

  /** The first day a period in days counts (Civil Code art. 201: the day after receipt). */
  function firstCountedDay(t: number, receiptDay: number): number {
    if (conventions.receiptDay === "excluded") return receiptDay + 1;
    return t < periodEnd(receiptDay) ? receiptDay : receiptDay + 1;
  }

  /** The `n`-th working day (n ≥ 1) on or after `first`, growing the table as needed. */
  function nthWorkingDay(first: number, n: number): number {
    table.ensure(first, first);
    for (;;) {
      const found = table.nthWorkingDay(first, n);
      if (found !== undefined) return found;
      const size = table.hi - table.lo;
      const counted = (table.cumDays[size] as number) - (table.cumDays[first - table.lo] as number);
      table.ensure(first, table.hi + Math.ceil(((n - counted) * 7) / workingDaysPerWeek) + 14);
    }
  }

  function addWorkingDays(t: number, n: number): number {
    if (n === 0) return t;
    return periodEnd(nthWorkingDay(firstCountedDay(t, localDayOf(zone, t)), n));
  }

  function addWorkingMs(t: number, delta: number): number {
    if (delta === 0) return t;
    holdInstant(t);
    for (;;) {
      const target = table.workingMsBefore(t) + delta;
      const found = table.instantAtWorkingMs(target, delta > 0);
      if (found !== undefined) return found;
      const missing = delta > 0 ? target - table.totalWorkingMs() : -target;
      const days = Math.ceil((missing / workingMsPerWeek) * 7) + 14;
      if (delta > 0) table.ensure(table.hi - 1, table.hi + days);
      else table.ensure(table.lo - days, table.lo);
    }
  }

  function workingTimeBetween(ta: number, tb: number): number {
    holdInstant(ta);
    holdInstant(tb);
    return table.workingMsBefore(tb) - table.workingMsBefore(ta);
  }

  function addCalendarDays(t: number, n: number): number {
    const local = instantToLocal(zone, t);
    const day = Math.floor(local / DAY_MS);
    return localToInstant(zone, (day + n) * DAY_MS + (local - day * DAY_MS));
  }

  function calendarDaysPeriod(t: number, n: number): number {
    if (n === 0) return t;
    let last = firstCountedDay(t, localDayOf(zone, t)) + n - 1;
    table.ensure(last, last);
    if (conventions.nonWorkingLastDay === "next-working-day" && !table.isWorking(last)) {
      last = nthWorkingDay(last, 1);
    }
    return periodEnd(last);
  }

  function endOfNextWorkingDay(t: number, n: number): number {
    const receiptDay = localDayOf(zone, t);
    if (n === 0) {
      table.ensure(receiptDay, receiptDay);
      if (table.isWorking(receiptDay) && t < periodEnd(receiptDay)) return periodEnd(receiptDay);
      return periodEnd(nthWorkingDay(receiptDay + 1, 1));
    }
    return periodEnd(nthWorkingDay(receiptDay + 1, n));
  }

  function dueDate(t: number, target: SlaTarget): number {
    if (typeof target !== "object" || target === null)
      throw new CalendarInputError("target", "expected an object");
    const amount = finite("target.amount", target.amount);
    if (amount < 0) throw new CalendarInputError("target.amount", `expected ≥ 0, got ${amount}`);
    const unit = target.unit;
    switch (unit) {
      case "calendar-hours":
        return t + Math.round(amount * HOUR_MS);
      case "working-hours":
        return addWorkingMs(t, Math.round(amount * HOUR_MS));
      case "calendar-days":
        return calendarDaysPeriod(t, wholeNumber("target.amount", amount, false));
      case "working-days":
        return addWorkingDays(t, wholeNumber("target.amount", amount, false));
      case "end-of-next-working-day":
        return endOfNextWorkingDay(t, wholeNumber("target.amount", amount, false));
      default: {
        const unknown: never = unit;
        throw new CalendarInputError("target.unit", `unknown unit ${JSON.stringify(unknown)}`);
      }
    }
  }

  const dayOf = (argument: string, value: Date | LocalDate): number =>
    typeof value === "string" ? dayOfText(argument, value) : localDayOf(zone, instantOf(argument, value));

  const calendar: BusinessCalendar = {
    id: s.id,
    version: contentHash(s.canonical),
    timeZone: s.timeZone,
    coverage: s.coverageText,
    outOfRange: s.outOfRange,
    conventions: Object.freeze({ ...conventions }),
    isWorkingDay(date) {
      const day = dayOfText("date", date);
      table.ensure(day, day);
      return table.isWorking(day);
    },
    nextWorkingDay: (date) => formatLocalDate(nthWorkingDay(dayOfText("date", date) + 1, 1)),
    addWorkingDays: (from, n) =>
      new Date(addWorkingDays(instantOf("from", from), wholeNumber("n", finite("n", n), false))),
    addWorkingHours: (from, hours) =>
      new Date(addWorkingMs(instantOf("from", from), Math.round(finite("hours", hours) * HOUR_MS))),
    workingTimeBetween: (a, b) => workingTimeBetween(instantOf("a", a), instantOf("b", b)),
    addCalendarDays: (from, n) =>
      new Date(addCalendarDays(instantOf("from", from), wholeNumber("n", finite("n", n), true))),
    addCalendarHours: (from, hours) =>
      new Date(instantOf("from", from) + Math.round(finite("hours", hours) * HOUR_MS)),
    localDate: (instant) => formatLocalDate(localDayOf(zone, instantOf("instant", instant))),
    startOfLocalDay: (day) => new Date(localToInstant(zone, dayOf("day", day) * DAY_MS)),
    closeOfBusiness(day) {
      const d = dayOf("day", day);
      table.ensure(d, d);
      return new Date(table.closeOf(d));
    },
    dueDate: (from, target) => new Date(dueDate(instantOf("from", from), target)),
  };
  Object.freeze(calendar);
  registerInstants(calendar, {
    workingTimeBetween,
    addWorkingMs: (from, ms) => addWorkingMs(from, Math.round(ms)),
    dueDate,
  });
  return calendar;
}
