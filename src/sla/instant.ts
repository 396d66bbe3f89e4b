/**
 * Instants as events write them (`YYYY-MM-DDTHH:MM:SS.sssZ`), read and written without going
 * through `Date.parse` and `Date#toISOString`. The SLA engine does both for every event and
 * every clock of every case it judges, and V8's own versions are several times slower (the
 * formatter more than ten times); they made up most of `evaluateSla`'s time. Both functions
 * give exactly what the built-ins give, falling back to them for anything outside the common
 * shape (other lengths or offsets, days past the month's end, years outside 0000-9999, invalid values).
 */
import { civilFromDays, DAY_MS, daysFromCivil } from "./calendar/localDate.js";

const digit = (text: string, i: number) => text.charCodeAt(i) - 48;
const two = (text: string, i: number) => digit(text, i) * 10 + digit(text, i + 1);

/** Is the character at `i` a digit 0-9? */
const isDigit = (text: string, i: number) => (text.charCodeAt(i) - 48) >>> 0 < 10;

/** Days in `month` of `year` (proleptic Gregorian). */
const monthLength = (year: number, month: number) =>
  month === 2
    ? year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
      ? 29
      : 28
    : month === 4 || month === 6 || month === 9 || month === 11
      ? 30
      : 31;

/** `Date.parse(text)`, fast for `YYYY-MM-DDTHH:MM:SS.sssZ`. */
export function parseInstant(text: string): number {
  if (
    text.length !== 24 ||
    text.charCodeAt(4) !== 45 || // -
    text.charCodeAt(7) !== 45 ||
    text.charCodeAt(10) !== 84 || // T
    text.charCodeAt(13) !== 58 || // :
    text.charCodeAt(16) !== 58 ||
    text.charCodeAt(19) !== 46 || // .
    text.charCodeAt(23) !== 90 || // Z
    // Written out: a loop over the 17 digit positions was a large share of the time.
    !(
      isDigit(text, 0) &&
      isDigit(text, 1) &&
      isDigit(text, 2) &&
      isDigit(text, 3) &&
      isDigit(text, 5) &&
      isDigit(text, 6) &&
      isDigit(text, 8) &&
      isDigit(text, 9) &&
      isDigit(text, 11) &&
      isDigit(text, 12) &&
      isDigit(text, 14) &&
      isDigit(text, 15) &&
      isDigit(text, 17) &&
      isDigit(text, 18) &&
      isDigit(text, 20) &&
      isDigit(text, 21) &&
      isDigit(text, 22)
    )
  )
    return Date.parse(text);
  const year = two(text, 0) * 100 + two(text, 2);
  const month = two(text, 5);
  const day = two(text, 8);
  const hour = two(text, 11);
  const minute = two(text, 14);
  const second = two(text, 17);
  // The built-in is lenient past a month's end (02-30 is 03-02) and takes 24:00: leave those to it.
  if (
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > monthLength(year, month) ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  )
    return Date.parse(text);
  return (
    daysFromCivil(year, month, day) * DAY_MS +
    hour * 3_600_000 +
    minute * 60_000 +
    second * 1000 +
    digit(text, 20) * 100 +
    two(text, 21)
  );
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);

/** `new Date(epochMs).toISOString()`, fast for years 0000-9999. */
export function formatInstant(epochMs: number): string {
  // One remembered answer: a batch judged at one instant formats that instant once per case.
  if (epochMs === lastFormatted.ms) return lastFormatted.text;
  const text = formatUncached(epochMs);
  lastFormatted.ms = epochMs;
  lastFormatted.text = text;
  return text;
}

const lastFormatted = { ms: Number.NaN, text: "" };

function formatUncached(epochMs: number): string {
  // Years 0000 and 9999 bound the four-digit form; anything else (fractions, NaN) is the built-in's.
  if (!(Number.isInteger(epochMs) && epochMs >= -62_167_219_200_000 && epochMs < 253_402_300_800_000))
    return new Date(epochMs).toISOString();
  const days = Math.floor(epochMs / DAY_MS);
  return dayText(days) + timeText(epochMs - days * DAY_MS);
}

// The date part is remembered: the instants one batch formats share a few hundred days. The
// memory is bounded (emptied when full). Remembering times of day too was slower on real
// instants, which rarely repeat to the millisecond.
const MEMORY_LIMIT = 4096;
const dayTexts = new Map<number, string>();

/** `YYYY-MM-DDT` of a day number (years 0000-9999). */
function dayText(days: number): string {
  let text = dayTexts.get(days);
  if (text === undefined) {
    const { year, month, day } = civilFromDays(days);
    const y = year < 1000 ? String(year).padStart(4, "0") : String(year);
    text = `${y}-${pad2(month)}-${pad2(day)}T`;
    if (dayTexts.size >= MEMORY_LIMIT) dayTexts.clear();
    dayTexts.set(days, text);
  }
  return text;
}

/** `HH:MM:SS.sssZ` of a time of day in milliseconds. */
function timeText(msOfDay: number): string {
  let ms = msOfDay;
  const hour = Math.floor(ms / 3_600_000);
  ms -= hour * 3_600_000;
  const minute = Math.floor(ms / 60_000);
  ms -= minute * 60_000;
  const second = Math.floor(ms / 1000);
  ms -= second * 1000;
  const fraction = ms < 10 ? `00${ms}` : ms < 100 ? `0${ms}` : `${ms}`;
  return `${pad2(hour)}:${pad2(minute)}:${pad2(second)}.${fraction}Z`;
}
