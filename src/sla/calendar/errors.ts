import type { LocalDate } from "./localDate.js";

/** A first and last day, both inclusive. */
export interface DateRange {
  readonly from: LocalDate;
  readonly to: LocalDate;
}

function hasNameAndCode(error: unknown, name: string, code: string): boolean {
  return (
    typeof error === "object" &&
    error !== null &&
    (error as { name?: unknown }).name === name &&
    (error as { code?: unknown }).code === code
  );
}

/**
 * A calculation needed a day the calendar has no data for: before or after the years it covers,
 * and the calendar was not built with the weekday-only fallback (`outOfRange: "weekdays"`).
 * Holidays are published one year at a time, so guessing would silently give wrong deadlines.
 *
 * @example
 * try {
 *   calendar.isWorkingDay("2031-05-01");
 * } catch (error) {
 *   if (isCalendarRangeError(error)) console.log(error.date, error.covered); // "2031-05-01", { from, to }
 * }
 */
export class CalendarRangeError extends Error {
  /** Always `"CalendarRangeError"`. */
  override readonly name = "CalendarRangeError" as const;
  /** Stable code to match on. */
  readonly code = "calendar/out-of-range" as const;
  /** The first day the calculation needed and the calendar does not cover. */
  readonly date: LocalDate;
  /** The covered range, or `undefined` when the date is outside what any calendar supports. */
  readonly covered: DateRange | undefined;
  /** The id of the calendar that was asked. */
  readonly calendarId: string;

  constructor(calendarId: string, date: LocalDate, covered: DateRange | undefined) {
    super(
      covered === undefined
        ? `Calendar "${calendarId}": ${date} is outside the supported years 1900-2299.`
        : `Calendar "${calendarId}": ${date} is outside the covered range ${covered.from}..${covered.to}; ` +
            'add the year\'s holiday data or opt into outOfRange: "weekdays".',
    );
    this.date = date;
    this.covered = covered;
    this.calendarId = calendarId;
  }
}

/** Type guard for {@link CalendarRangeError}, also across copies of the library. */
export function isCalendarRangeError(error: unknown): error is CalendarRangeError {
  return (
    error instanceof CalendarRangeError ||
    hasNameAndCode(error, "CalendarRangeError", "calendar/out-of-range")
  );
}

/** One problem found in a calendar spec: the dotted path of the field and what is wrong with it. */
export interface CalendarSpecIssue {
  readonly field: string;
  readonly message: string;
}

/**
 * A calendar spec (or `chinaMainland` options) failed validation. `field` names the first bad
 * field as a dotted path (`hours.1`, `holidays.3.to`, `extraYears.0.periods.2.workdays.0`);
 * `issues` lists every problem.
 *
 * @example
 * try {
 *   calendars.create({ id: "shop", timeZone: "Mars/Olympus" });
 * } catch (error) {
 *   if (isCalendarSpecError(error)) console.log(error.field); // "timeZone"
 * }
 */
export class CalendarSpecError extends Error {
  /** Always `"CalendarSpecError"`. */
  override readonly name = "CalendarSpecError" as const;
  /** Stable code to match on. */
  readonly code = "calendar/invalid-spec" as const;
  /** Dotted path of the first bad field. */
  readonly field: string;
  /** Every problem found, in schema order. */
  readonly issues: readonly CalendarSpecIssue[];

  constructor(issues: readonly [CalendarSpecIssue, ...CalendarSpecIssue[]]) {
    const [first] = issues;
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : "";
    super(`Invalid calendar spec at "${first.field}": ${first.message}${more}`);
    this.field = first.field;
    this.issues = issues;
  }
}

/** Type guard for {@link CalendarSpecError}, also across copies of the library. */
export function isCalendarSpecError(error: unknown): error is CalendarSpecError {
  return (
    error instanceof CalendarSpecError || hasNameAndCode(error, "CalendarSpecError", "calendar/invalid-spec")
  );
}

/**
 * A calendar method got an argument it cannot work with: an invalid `Date`, a malformed
 * `YYYY-MM-DD`, a non-finite amount, a fractional or negative day count, or an unknown unit.
 */
export class CalendarInputError extends Error {
  /** Always `"CalendarInputError"`. */
  override readonly name = "CalendarInputError" as const;
  /** Stable code to match on. */
  readonly code = "calendar/invalid-input" as const;
  /** The parameter that was wrong, e.g. `from`, `n`, `target.unit`. */
  readonly argument: string;

  constructor(argument: string, message: string) {
    super(`Invalid ${argument}: ${message}`);
    this.argument = argument;
  }
}

/** Type guard for {@link CalendarInputError}, also across copies of the library. */
export function isCalendarInputError(error: unknown): error is CalendarInputError {
  return (
    error instanceof CalendarInputError ||
    hasNameAndCode(error, "CalendarInputError", "calendar/invalid-input")
  );
}
