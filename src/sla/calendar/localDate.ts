/**
 * Civil-date arithmetic on UTC-based day numbers (days since 1970-01-01).
 *
 * Nothing here reads the host's time zone: a local date is a plain number, and weekdays come from
 * arithmetic, never from `Date#getDay()` (which answers in the host zone and gets Mondays wrong in
 * New York for Shanghai dates).
 */

/**
 * A civil date in the calendar's own time zone, written `YYYY-MM-DD` (ISO 8601 calendar date).
 *
 * @example
 * const springFestivalEve: LocalDate = "2026-02-16";
 */
export type LocalDate = `${number}-${number}-${number}`;

/** A weekday name, used by calendar specs for weekends and per-weekday hours. */
export type Weekday = "mon" | "tue" | "wed" | "thu" | "fri" | "sat" | "sun";

/** Weekday names indexed Monday = 0 … Sunday = 6 (ISO order). */
export const WEEKDAYS: readonly Weekday[] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/** Milliseconds in a civil day without a daylight-saving transition. */
export const DAY_MS = 86_400_000;
/** Milliseconds in an hour. */
export const HOUR_MS = 3_600_000;
/** Milliseconds in a minute. */
export const MINUTE_MS = 60_000;

const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Day number of a proleptic Gregorian date (H. Hinnant's `days_from_civil`). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const monthFromMarch = (month + 9) % 12;
  const dayOfYear = Math.floor((153 * monthFromMarch + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** The civil date of a day number (H. Hinnant's `civil_from_days`). */
export function civilFromDays(dayNumber: number): { year: number; month: number; day: number } {
  const z = dayNumber + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra -
      Math.floor(dayOfEra / 1460) +
      Math.floor(dayOfEra / 36_524) -
      Math.floor(dayOfEra / 146_096)) /
      365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthFromMarch = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthFromMarch + 2) / 5) + 1;
  const month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
  return { year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** Weekday index of a day number, Monday = 0 … Sunday = 6 (day 0, 1970-01-01, was a Thursday). */
export function weekdayIndex(dayNumber: number): number {
  return (((dayNumber + 3) % 7) + 7) % 7;
}

/** Days in a month of the proleptic Gregorian calendar. */
function daysInMonth(year: number, month: number): number {
  return (
    daysFromCivil(month === 12 ? year + 1 : year, month === 12 ? 1 : month + 1, 1) -
    daysFromCivil(year, month, 1)
  );
}

/**
 * Parses `YYYY-MM-DD` to a day number, or `undefined` when the text is not a real calendar date
 * (`2025-02-29` is rejected).
 */
export function parseLocalDate(text: string): number | undefined {
  const match = LOCAL_DATE.exec(text);
  if (match === null) return undefined;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return daysFromCivil(year, month, day);
}

/** Type guard: `text` is a real calendar date written `YYYY-MM-DD`. */
export function isLocalDate(text: unknown): text is LocalDate {
  return typeof text === "string" && parseLocalDate(text) !== undefined;
}

/** Formats a day number as `YYYY-MM-DD`. */
export function formatLocalDate(dayNumber: number): LocalDate {
  const { year, month, day } = civilFromDays(dayNumber);
  const mm = month < 10 ? `0${month}` : `${month}`;
  const dd = day < 10 ? `0${day}` : `${day}`;
  return `${String(year).padStart(4, "0")}-${mm}-${dd}` as LocalDate;
}
