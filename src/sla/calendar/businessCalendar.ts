import type { DateRange } from "./errors.js";
import type { LocalDate } from "./localDate.js";
import type { SlaTarget } from "./slaTarget.js";
import type { CalendarConventions } from "./spec.js";

/**
 * A business calendar: a time zone, business hours, a weekly pattern, holidays and adjusted
 * working days (调休), answering deadline questions. Build one with `calendars.chinaMainland()` or
 * `calendars.create(spec)`.
 *
 * Every answer depends only on the arguments and the calendar's data, never on the host's time
 * zone or clock. Methods are plain functions: they may be destructured.
 *
 * Methods that need to know whether a day is a working day throw `CalendarRangeError` for a day
 * outside `coverage` unless the calendar was built with `outOfRange: "weekdays"`. Pure clock
 * helpers (`localDate`, `startOfLocalDay`, `addCalendarDays`, `addCalendarHours`) work for any
 * date. Bad arguments throw `CalendarInputError`.
 *
 * @example
 * const cn = calendars.chinaMainland();
 * // Received Friday 2026-02-13 16:00 in Shanghai; 8 working hours of 09:00-12:00 + 13:00-18:00:
 * cn.addWorkingHours(new Date("2026-02-13T16:00:00+08:00"), 8);
 * // → 2026-02-14T16:00+08:00: Saturday the 14th is a 调休 working day before the Spring Festival.
 */
export interface BusinessCalendar {
  /** The spec's `id`. */
  readonly id: string;
  /**
   * A short content hash of everything that changes results (zone, hours, weekend, holidays,
   * adjusted days, coverage, conventions). Record it with SLA results so a replay can tell whether
   * it ran on the same calendar data.
   */
  readonly version: string;
  /** IANA time zone of the calendar's civil dates and business hours. */
  readonly timeZone: string;
  /** The days the holiday data covers, or `undefined` when it holds everywhere. */
  readonly coverage: DateRange | undefined;
  /** `"error"`: days outside `coverage` throw; `"weekdays"`: they follow the weekly pattern. */
  readonly outOfRange: "error" | "weekdays";
  /** How day periods are counted (Civil Code arts. 201-203 by default). */
  readonly conventions: Readonly<CalendarConventions>;

  /**
   * Whether a local date is a working day: not a weekend day nor a holiday, or an adjusted
   * working day (调休).
   * @example
   * cn.isWorkingDay("2026-02-14"); // true — a Saturday, but a 调休 working day
   */
  isWorkingDay(date: LocalDate): boolean;

  /**
   * The first working day strictly after a local date.
   * @example
   * cn.nextWorkingDay("2026-09-30"); // "2026-10-08" — after the National Day holiday
   */
  nextWorkingDay(date: LocalDate): LocalDate;

  /**
   * A period of `n` working days (n a whole number ≥ 0): the `n`-th working day counted from the
   * day after receipt (or from the day of receipt under `receiptDay: "included"`), ending at
   * close of business (or 24:00 under `periodEnd: "end-of-day"`). `n = 0` returns `from`.
   */
  addWorkingDays(from: Date, n: number): Date;

  /**
   * Moves by `hours` of working time: only instants inside working intervals count, so lunch
   * breaks, nights and days off are skipped and 调休 days count. A receipt after hours or on a
   * holiday starts counting at the next working interval. A deadline that uses up a day's last
   * interval ends at that interval's end (18:00), not at the next morning. Negative `hours` move
   * backward to the latest instant with that much working time before `from`. Counts whole
   * milliseconds.
   */
  addWorkingHours(from: Date, hours: number): Date;

  /**
   * Milliseconds of working time between two instants. Antisymmetric: when `b` is before `a` the
   * result is negative (`workingTimeBetween(b, a) === -workingTimeBetween(a, b)`); it is zero when
   * the two are equal or no working interval lies between them.
   */
  workingTimeBetween(a: Date, b: Date): number;

  /**
   * The same local wall-clock time `n` civil days later (n a whole number, may be negative). Across
   * a DST change the elapsed time is 23 or 25 hours; a wall time that does not exist moves forward.
   */
  addCalendarDays(from: Date, n: number): Date;

  /** `hours` of elapsed time later (negative moves back); DST changes do not matter. */
  addCalendarHours(from: Date, hours: number): Date;

  /** The local date of an instant in the calendar's time zone. */
  localDate(instant: Date): LocalDate;

  /** The first instant of a local date (or of an instant's local date). */
  startOfLocalDay(day: Date | LocalDate): Date;

  /**
   * When business stops on a local date (or an instant's local date): the end of its last working
   * interval; 24:00 local when the day is not a working day or the calendar has no business
   * hours (`hours: ["00:00-24:00"]`).
   */
  closeOfBusiness(day: Date | LocalDate): Date;

  /**
   * The deadline of a time limit received at `from` — the entry point of the SLA engine. See
   * `SlaUnit` for the units; day periods follow the calendar's `conventions`.
   * @example
   * // 7 calendar days from Friday 2025-09-26: the last day, 10-03, falls in the National Day
   * // holiday (10-01..10-08), so the period ends on Thursday 10-09 at close of business.
   * cn.dueDate(new Date("2025-09-26T10:00:00+08:00"), { amount: 7, unit: "calendar-days" });
   * // → 2025-10-09T18:00+08:00
   */
  dueDate(from: Date, target: SlaTarget): Date;
}
