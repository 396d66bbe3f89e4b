import {
  civilFromDays,
  daysFromCivil,
  formatLocalDate,
  type LocalDate,
  weekdayIndex,
} from "../sla/calendar/localDate.js";
import { isKnownTimeZone, localDayOf, type ZoneRules, zoneRules } from "../sla/calendar/timeZone.js";

/** The period a report covers: a calendar month (`"2026-02"`) or a calendar year. */
export type ReportPeriod = { readonly month: string } | { readonly year: number };

/** A period resolved to its local days in the report's time zone. */
export interface ResolvedPeriod {
  /** A month or a year. */
  readonly type: "month" | "year";
  /** `2026-02` or `2026`. */
  readonly label: string;
  /** First local day of the period. */
  readonly from: LocalDate;
  /** Last local day of the period (inclusive). */
  readonly to: LocalDate;
  /** The IANA zone in which receipt instants are given their local day. */
  readonly timeZone: string;
}

/** Thrown by `buildReport` for a period or time zone it cannot read. */
export class ReportError extends Error {
  /** Always `"ReportError"`. */
  override readonly name = "ReportError" as const;
  constructor(
    /** Stable code to match on. */
    readonly code: "report/invalid-period" | "report/invalid-time-zone",
    message: string,
  ) {
    super(message);
  }
}

/** Is `error` a {@link ReportError}? */
export function isReportError(error: unknown): error is ReportError {
  return error instanceof Error && error.name === "ReportError";
}

/** A period with its local day numbers, for internal use. */
export interface PeriodDays extends ResolvedPeriod {
  readonly firstDay: number;
  readonly lastDay: number;
  readonly zone: ZoneRules;
}

const MONTH = /^(\d{4})-(\d{2})$/;

function monthDays(year: number, month: number): { firstDay: number; lastDay: number } {
  const next = month === 12 ? { y: year + 1, m: 1 } : { y: year, m: month + 1 };
  return { firstDay: daysFromCivil(year, month, 1), lastDay: daysFromCivil(next.y, next.m, 1) - 1 };
}

function monthLabel(year: number, month: number): string {
  return `${year}-${String(month).padStart(2, "0")}`;
}

/** Resolves a period in a time zone. @throws ReportError for a malformed period or unknown zone. */
export function resolvePeriod(period: ReportPeriod, timeZone: string): PeriodDays {
  if (!isKnownTimeZone(timeZone))
    throw new ReportError("report/invalid-time-zone", `unknown time zone ${timeZone}`);
  const zone = zoneRules(timeZone);
  if ("month" in period) {
    const match = MONTH.exec(period.month);
    const year = Number(match?.[1]);
    const month = Number(match?.[2]);
    if (!match || month < 1 || month > 12)
      throw new ReportError("report/invalid-period", `month must be YYYY-MM, got ${period.month}`);
    const { firstDay, lastDay } = monthDays(year, month);
    return days("month", monthLabel(year, month), firstDay, lastDay, timeZone, zone);
  }
  if (!Number.isInteger(period.year) || period.year < 1 || period.year > 9999)
    throw new ReportError("report/invalid-period", `year must be a whole number, got ${period.year}`);
  const firstDay = daysFromCivil(period.year, 1, 1);
  const lastDay = daysFromCivil(period.year + 1, 1, 1) - 1;
  return days("year", String(period.year), firstDay, lastDay, timeZone, zone);
}

function days(
  type: "month" | "year",
  label: string,
  firstDay: number,
  lastDay: number,
  timeZone: string,
  zone: ZoneRules,
): PeriodDays {
  return {
    type,
    label,
    from: formatLocalDate(firstDay),
    to: formatLocalDate(lastDay),
    timeZone,
    firstDay,
    lastDay,
    zone,
  };
}

/** The period just before: the month before a month, the year before a year. */
export function previousPeriod(period: PeriodDays): PeriodDays {
  if (period.type === "year") {
    const year = civilFromDays(period.firstDay).year - 1;
    return resolvePeriod({ year }, period.timeZone);
  }
  const { year, month } = civilFromDays(period.firstDay);
  const before = month === 1 ? { year: year - 1, month: 12 } : { year, month: month - 1 };
  return resolvePeriod({ month: monthLabel(before.year, before.month) }, period.timeZone);
}

/** The months of a period, as month periods (one for a month, twelve for a year). */
export function monthsOf(period: PeriodDays): PeriodDays[] {
  if (period.type === "month") return [period];
  const year = civilFromDays(period.firstDay).year;
  return Array.from({ length: 12 }, (_, i) =>
    resolvePeriod({ month: monthLabel(year, i + 1) }, period.timeZone),
  );
}

/** The local day number of an instant in the period's zone. */
export function dayOf(period: PeriodDays, instant: string): number {
  return localDayOf(period.zone, Date.parse(instant));
}

/** Whether an instant falls on one of the period's local days. */
export function inPeriod(period: PeriodDays, instant: string): boolean {
  const day = dayOf(period, instant);
  return day >= period.firstDay && day <= period.lastDay;
}

/** One week (Monday to Sunday) of a period, clipped to the period's days. */
export interface PeriodWeek {
  /** The Monday that starts the week (may lie before the period). */
  readonly weekStart: LocalDate;
  readonly from: LocalDate;
  readonly to: LocalDate;
  readonly firstDay: number;
  readonly lastDay: number;
}

/** The weeks that overlap a period, each clipped to it. */
export function weeksOf(period: PeriodDays): PeriodWeek[] {
  const weeks: PeriodWeek[] = [];
  let monday = period.firstDay - weekdayIndex(period.firstDay);
  for (; monday <= period.lastDay; monday += 7) {
    const firstDay = Math.max(monday, period.firstDay);
    const lastDay = Math.min(monday + 6, period.lastDay);
    weeks.push({
      weekStart: formatLocalDate(monday),
      from: formatLocalDate(firstDay),
      to: formatLocalDate(lastDay),
      firstDay,
      lastDay,
    });
  }
  return weeks;
}

/** The public part of a resolved period (without day numbers and zone rules). */
export function publicPeriod(period: PeriodDays): ResolvedPeriod {
  const { type, label, from, to, timeZone } = period;
  return { type, label, from, to, timeZone };
}
