import { z } from "zod";
import type { BusinessCalendar } from "./businessCalendar.js";
import { createCalendar } from "./createCalendar.js";
import { type ChinaHolidayYear, chinaMainlandYears } from "./data/chinaMainland.js";
import { CalendarSpecError } from "./errors.js";
import { parseLocalDate } from "./localDate.js";
import { type CalendarSpec, specErrorFrom } from "./spec.js";

const dateSchema = z.string().refine((text) => parseLocalDate(text) !== undefined, {
  error: "expected a real calendar date written YYYY-MM-DD",
});

const yearSchema = z
  .strictObject({
    year: z.number().int().min(1900).max(2299),
    source: z.strictObject({
      title: z.string().min(1),
      document: z.string().optional(),
      issued: dateSchema.optional(),
      url: z.string().optional(),
    }),
    periods: z.array(
      z.strictObject({
        name: z.string().min(1),
        off: z.strictObject({ from: dateSchema, to: dateSchema }),
        workdays: z.array(dateSchema),
      }),
    ),
  })
  .superRefine((entry, ctx) => {
    entry.periods.forEach((period, index) => {
      const from = parseLocalDate(period.off.from);
      const to = parseLocalDate(period.off.to);
      if (from === undefined || to === undefined) return;
      if (from > to)
        ctx.addIssue({ code: "custom", path: ["periods", index, "off", "to"], message: "before from" });
      // 元旦 may start on 12-31 of the year before (2023 did); anything further is a typo.
      const near = (text: string): boolean => Math.abs(Number(text.slice(0, 4)) - entry.year) <= 1;
      if (!near(period.off.from) || !near(period.off.to)) {
        ctx.addIssue({ code: "custom", path: ["periods", index, "off"], message: `not near ${entry.year}` });
      }
    });
  });

const optionsSchema = z.strictObject({
  id: z.string().min(1).optional(),
  timeZone: z.unknown().optional(),
  hours: z.unknown().optional(),
  hoursByWeekday: z.unknown().optional(),
  outOfRange: z.unknown().optional(),
  conventions: z.unknown().optional(),
  extraYears: z.array(yearSchema).optional(),
});

/**
 * Options of `calendars.chinaMainland`. Everything is optional; hours default to 09:00-12:00 and
 * 13:00-18:00 (the 8-hour statutory day with a lunch break).
 */
export interface ChinaMainlandOptions
  extends Pick<CalendarSpec, "timeZone" | "hours" | "hoursByWeekday" | "outOfRange" | "conventions"> {
  /** Calendar id; default `cn-mainland`. */
  id?: string;
  /**
   * More years of holiday data, e.g. next year's notice before kesu ships it. A year already
   * shipped is replaced (for a corrected notice). The covered years must be consecutive.
   */
  extraYears?: readonly ChinaHolidayYear[];
}

/**
 * The mainland China working calendar: Asia/Shanghai, Monday to Friday, with the State Council's
 * public holidays and adjusted working days (调休) for the shipped years (2024-2026) plus any
 * `extraYears`. Days outside the covered years throw `CalendarRangeError` unless
 * `outOfRange: "weekdays"`. Throws `CalendarSpecError` for bad options.
 *
 * @example
 * const cn = calendars.chinaMainland();
 * cn.isWorkingDay("2025-09-28"); // true: a Sunday worked before National Day
 * const withNextYear = calendars.chinaMainland({ extraYears: [year2027] });
 * const lenient = calendars.chinaMainland({ outOfRange: "weekdays" }); // 2027 = weekdays only
 */
export function chinaMainland(options: ChinaMainlandOptions = {}): BusinessCalendar {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) throw specErrorFrom(parsed.error);
  const byYear = new Map<number, ChinaHolidayYear>();
  for (const entry of [...chinaMainlandYears, ...(options.extraYears ?? [])]) byYear.set(entry.year, entry);
  const years = [...byYear.keys()].sort((a, b) => a - b);
  const first = years[0] as number;
  const last = years[years.length - 1] as number;
  if (last - first + 1 !== years.length) {
    const gap = years.find((year, index) => index > 0 && year !== (years[index - 1] as number) + 1) as number;
    throw new CalendarSpecError([
      {
        field: "extraYears",
        message: `covered years must be consecutive; ${gap - 1} is missing before ${gap}`,
      },
    ]);
  }
  const coverage = { from: `${first}-01-01`, to: `${last}-12-31` };
  const inCoverage = (text: string): boolean => text >= coverage.from && text <= coverage.to;

  const holidays: { from: string; to: string; name: string }[] = [];
  const workingDays: string[] = [];
  for (const year of years) {
    for (const period of (byYear.get(year) as ChinaHolidayYear).periods) {
      // Clip days off that spill into an uncovered year (元旦 starting on 12-31).
      const from = [period.off.from, coverage.from].sort()[1] as string;
      const to = [period.off.to, coverage.to].sort()[0] as string;
      if (from <= to) holidays.push({ from, to, name: `${year} ${period.name}` });
      workingDays.push(...period.workdays.filter(inCoverage));
    }
  }

  const spec: CalendarSpec = {
    id: options.id ?? "cn-mainland",
    holidays,
    workingDays,
    coverage,
  };
  if (options.timeZone !== undefined) spec.timeZone = options.timeZone;
  if (options.hours !== undefined) spec.hours = options.hours;
  if (options.hoursByWeekday !== undefined) spec.hoursByWeekday = options.hoursByWeekday;
  if (options.outOfRange !== undefined) spec.outOfRange = options.outOfRange;
  if (options.conventions !== undefined) spec.conventions = options.conventions;
  return createCalendar(spec);
}
