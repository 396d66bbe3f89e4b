/**
 * The calendar spec: a zod schema (source of truth for the input type), and its normalisation
 * into day numbers and minute intervals that the day table is built from.
 */
import { type ZodError, z } from "zod";
import { CalendarSpecError, type CalendarSpecIssue, type DateRange } from "./errors.js";
import { formatLocalDate, type LocalDate, parseLocalDate, WEEKDAYS, type Weekday } from "./localDate.js";
import { isKnownTimeZone } from "./timeZone.js";

const INTERVAL = /^(\d{2}):(\d{2})-(\d{2}):(\d{2})$/;

/** Parses `HH:MM-HH:MM` to minutes since local midnight; `24:00` is allowed as an end. */
function parseInterval(text: string): readonly [number, number] | undefined {
  const match = INTERVAL.exec(text);
  if (match === null) return undefined;
  const [h1, m1, h2, m2] = [match[1], match[2], match[3], match[4]].map(Number) as [
    number,
    number,
    number,
    number,
  ];
  if (h1 > 23 || m1 > 59 || h2 > 24 || m2 > 59 || (h2 === 24 && m2 !== 0)) return undefined;
  const start = h1 * 60 + m1;
  const end = h2 * 60 + m2;
  return start < end ? [start, end] : undefined;
}

const localDateSchema = z.string().refine((text) => parseLocalDate(text) !== undefined, {
  error: "expected a real calendar date written YYYY-MM-DD",
});

const intervalSchema = z.string().refine((text) => parseInterval(text) !== undefined, {
  error: 'expected "HH:MM-HH:MM" with the start before the end (24:00 allowed as an end)',
});

const intervalsSchema = z
  .array(intervalSchema)
  .min(1, { error: "at least one interval; list the day in `weekend` to make it a day off" })
  .superRefine((items, ctx) => {
    let previousEnd = -1;
    items.forEach((text, index) => {
      const interval = parseInterval(text);
      if (interval === undefined) return;
      if (interval[0] < previousEnd) {
        ctx.addIssue({
          code: "custom",
          path: [index],
          message: "intervals must be in order and not overlap",
        });
      }
      previousEnd = interval[1];
    });
  })
  .readonly();

const weekdaySchema = z.enum(WEEKDAYS as [Weekday, ...Weekday[]]);

const rangeSchema = z.strictObject({ from: localDateSchema, to: localDateSchema });

const holidaySchema = z.union(
  [
    localDateSchema,
    z.strictObject({ from: localDateSchema, to: localDateSchema, name: z.string().optional() }),
  ],
  { error: 'expected a date "YYYY-MM-DD" or { from, to, name? }' },
);

const conventionsSchema = z.strictObject({
  receiptDay: z.enum(["excluded", "included"]).default("excluded"),
  periodEnd: z.enum(["close-of-business", "end-of-day"]).default("close-of-business"),
  nonWorkingLastDay: z.enum(["next-working-day", "keep"]).default("next-working-day"),
});

/** Default business hours: 09:00-12:00 and 13:00-18:00, an 8-hour day with a one-hour lunch. */
export const DEFAULT_HOURS: readonly string[] = ["09:00-12:00", "13:00-18:00"];

/**
 * Zod schema of a calendar spec. `calendars.create` parses with it; other code can reuse it to
 * validate specs stored as JSON.
 */
export const calendarSpecSchema = z.strictObject({
  /** Stable identifier, recorded with SLA results. */
  id: z.string().min(1),
  /** IANA time zone; default Asia/Shanghai. */
  timeZone: z.string().refine(isKnownTimeZone, { error: "unknown IANA time zone" }).default("Asia/Shanghai"),
  /** Business hours of every working day, `HH:MM-HH:MM`; `["00:00-24:00"]` for no business hours. */
  hours: intervalsSchema.default([...DEFAULT_HOURS]),
  /** Per-weekday hours replacing `hours`; a weekend day's entry applies to its adjusted working days. */
  hoursByWeekday: z.partialRecord(weekdaySchema, intervalsSchema).default({}),
  /** Days off every week; default Saturday and Sunday. */
  weekend: z.array(weekdaySchema).readonly().default(["sat", "sun"]),
  /** Days off: single dates or inclusive ranges. */
  holidays: z.array(holidaySchema).readonly().default([]),
  /** Adjusted working days (调休): days in the weekend that are working days. */
  workingDays: z.array(localDateSchema).readonly().default([]),
  /** The days the holiday data is complete for; omitted = the data holds everywhere. */
  coverage: rangeSchema.optional(),
  /** Outside `coverage`: throw `CalendarRangeError` (default) or use the weekly pattern alone. */
  outOfRange: z.enum(["error", "weekdays"]).default("error"),
  /** How periods are counted; defaults follow PRC Civil Code arts. 201-203. */
  conventions: conventionsSchema.default({
    receiptDay: "excluded",
    periodEnd: "close-of-business",
    nonWorkingLastDay: "next-working-day",
  }),
});

/**
 * Input of `calendars.create`: only `id` is required.
 *
 * @example
 * const spec: CalendarSpec = {
 *   id: "shenzhen-store",
 *   hours: ["10:00-14:00", "15:00-21:00"],
 *   weekend: ["mon"],
 *   holidays: [{ from: "2026-02-16", to: "2026-02-20", name: "春节" }],
 *   coverage: { from: "2026-01-01", to: "2026-12-31" },
 * };
 */
export type CalendarSpec = z.input<typeof calendarSpecSchema>;

/**
 * How periods are counted. Defaults follow PRC Civil Code arts. 201-203:
 * - `receiptDay: "excluded"` — the day of receipt is not counted; a period in days starts the next
 *   day (art. 201). `"included"` counts it when the complaint arrives before that day's end.
 * - `periodEnd: "close-of-business"` — a period ends when business stops on its last day, 24:00
 *   where the calendar has no business hours (art. 203 ¶2). `"end-of-day"` always ends at 24:00.
 * - `nonWorkingLastDay: "next-working-day"` — a calendar-day period whose last day is a holiday or
 *   rest day ends on the next working day (art. 203 ¶1). `"keep"` ends it on that day anyway.
 */
export type CalendarConventions = z.output<typeof conventionsSchema>;

/** A spec after validation: day numbers, minute intervals, weekday masks. */
export interface NormalizedSpec {
  readonly id: string;
  readonly timeZone: string;
  /** Hours per weekday index (Monday = 0); weekend days keep theirs for adjusted working days. */
  readonly hoursByWeekday: readonly (readonly (readonly [number, number])[])[];
  readonly weekend: readonly boolean[];
  readonly holidays: ReadonlySet<number>;
  readonly workingDays: ReadonlySet<number>;
  /** Inclusive day numbers of the coverage. */
  readonly coverage: { readonly from: number; readonly to: number } | undefined;
  readonly coverageText: DateRange | undefined;
  readonly outOfRange: "error" | "weekdays";
  readonly conventions: CalendarConventions;
  /** Canonical text of everything that changes results, hashed into the calendar's version. */
  readonly canonical: string;
}

/** Turns zod issues into a {@link CalendarSpecError}, naming fields as dotted paths. */
export function specErrorFrom(error: ZodError, prefix: readonly PropertyKey[] = []): CalendarSpecError {
  const issues = error.issues.map((issue): CalendarSpecIssue => {
    const path = [...prefix, ...issue.path];
    if (issue.code === "unrecognized_keys" && issue.keys[0] !== undefined) path.push(issue.keys[0]);
    return { field: path.length === 0 ? "(spec)" : path.map(String).join("."), message: issue.message };
  });
  const [first, ...rest] = issues;
  return new CalendarSpecError(
    first === undefined ? [{ field: "(spec)", message: "invalid" }] : [first, ...rest],
  );
}

function day(text: string): number {
  return parseLocalDate(text) as number;
}

/**
 * Validates a spec and normalises it. Throws {@link CalendarSpecError} naming the first bad field.
 */
export function normalizeSpec(input: CalendarSpec): NormalizedSpec {
  const parsed = calendarSpecSchema.safeParse(input);
  if (!parsed.success) throw specErrorFrom(parsed.error);
  const spec = parsed.data;
  const issues: CalendarSpecIssue[] = [];

  const coverage = spec.coverage && { from: day(spec.coverage.from), to: day(spec.coverage.to) };
  if (coverage && coverage.from > coverage.to) {
    issues.push({ field: "coverage.to", message: "must not be before coverage.from" });
  }
  const covers = (d: number): boolean => coverage === undefined || (d >= coverage.from && d <= coverage.to);

  const holidays = new Set<number>();
  spec.holidays.forEach((holiday, index) => {
    const [from, to] =
      typeof holiday === "string" ? [day(holiday), day(holiday)] : [day(holiday.from), day(holiday.to)];
    if (from > to) issues.push({ field: `holidays.${index}.to`, message: "must not be before from" });
    else if (!covers(from) || !covers(to))
      issues.push({ field: `holidays.${index}`, message: "outside coverage" });
    for (let d = from; d <= to; d++) holidays.add(d);
  });
  const workingDays = new Set<number>();
  spec.workingDays.forEach((text, index) => {
    const d = day(text);
    if (!covers(d)) issues.push({ field: `workingDays.${index}`, message: "outside coverage" });
    else if (holidays.has(d))
      issues.push({ field: `workingDays.${index}`, message: `${text} is also a holiday` });
    workingDays.add(d);
  });

  const weekend = WEEKDAYS.map((name) => spec.weekend.includes(name));
  if (weekend.every(Boolean))
    issues.push({ field: "weekend", message: "at least one weekday must be a working day" });
  const hours = spec.hours.map((text) => parseInterval(text) as readonly [number, number]);
  const hoursByWeekday = WEEKDAYS.map((name) => {
    const own = spec.hoursByWeekday[name];
    return own === undefined ? hours : own.map((text) => parseInterval(text) as readonly [number, number]);
  });

  const [firstIssue, ...restIssues] = issues;
  if (firstIssue !== undefined) throw new CalendarSpecError([firstIssue, ...restIssues]);

  const sorted = (days: ReadonlySet<number>): string =>
    [...days]
      .sort((a, b) => a - b)
      .map(formatLocalDate)
      .join(",");
  const canonical = JSON.stringify({
    v: 1,
    id: spec.id,
    timeZone: spec.timeZone,
    hoursByWeekday,
    weekend,
    holidays: sorted(holidays),
    workingDays: sorted(workingDays),
    coverage: spec.coverage ?? null,
    outOfRange: spec.outOfRange,
    conventions: spec.conventions,
  });
  return {
    id: spec.id,
    timeZone: spec.timeZone,
    hoursByWeekday,
    weekend,
    holidays,
    workingDays,
    coverage,
    coverageText: spec.coverage && {
      from: spec.coverage.from as LocalDate,
      to: spec.coverage.to as LocalDate,
    },
    outOfRange: spec.outOfRange,
    conventions: spec.conventions,
    canonical,
  };
}
