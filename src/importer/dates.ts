import { DAY_MS, daysFromCivil, MINUTE_MS } from "../sla/calendar/localDate.js";
import { localToInstant, zoneRules } from "../sla/calendar/timeZone.js";

/** A civil date as read from a cell; the time of a timestamp is checked, then dropped. */
export interface CivilDate {
  /** The full year. */
  readonly year: number;
  /** 1 to 12. */
  readonly month: number;
  /** 1 to 31, valid for the month. */
  readonly day: number;
}

/** A compiled date format: a parser, or the reason the format is not usable. */
export interface CompiledDateFormat {
  /** The format as given. */
  readonly format: string;
  /** Reads one cell; `undefined` when it does not match the format or names no real date. */
  readonly parse: (text: string) => CivilDate | undefined;
  /** Why the format cannot be used; `parse` then matches nothing. */
  readonly problem?: string | undefined;
}

type Token = "YYYY" | "MM" | "DD" | "hh" | "mm" | "ss" | "A";

const TOKENS: Readonly<Record<Token, string>> = {
  YYYY: "(\\d{4})",
  MM: "(\\d{1,2})",
  DD: "(\\d{1,2})",
  hh: "(\\d{1,2})",
  mm: "(\\d{2})",
  ss: "(\\d{2})",
  A: "([AaPp][Mm])",
};

const daysInMonth = (year: number, month: number): number =>
  month === 2
    ? year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
      ? 29
      : 28
    : [4, 6, 9, 11].includes(month)
      ? 30
      : 31;

/**
 * Compiles a date format such as `MM/DD/YYYY` or `MM/DD/YYYY hh:mm:ss A` into an exact parser.
 * Tokens: `YYYY` (four digits), `MM` and `DD` (one or two digits), and for 12-hour timestamps
 * `hh` (1-12), `mm`, `ss` and `A` (AM/PM). Every other character must appear as written. A value
 * is accepted only when it matches the whole pattern and names a real calendar day; nothing is
 * guessed (no `new Date(text)`).
 * @example compileDateFormat("DD-MM-YYYY").parse("27-04-2023"); // { year: 2023, month: 4, day: 27 }
 */
export function compileDateFormat(format: string): CompiledDateFormat {
  const order: Token[] = [];
  const source = format.replace(/YYYY|MM|DD|hh|mm|ss|A|[.*+?^${}()|[\]\\]/g, (piece) => {
    if (piece in TOKENS) {
      order.push(piece as Token);
      return TOKENS[piece as Token];
    }
    return `\\${piece}`;
  });
  const count = (t: Token) => order.filter((x) => x === t).length;
  let problem: string | undefined;
  if (count("YYYY") !== 1 || count("MM") !== 1 || count("DD") !== 1)
    problem = "a date format needs YYYY, MM and DD exactly once each";
  else if (order.some((t) => count(t) > 1)) problem = "a token appears twice";
  else if ((count("hh") || count("mm") || count("ss") || count("A")) && !(count("hh") && count("A")))
    problem = "a timestamp format needs hh with A (12-hour time with AM/PM)";
  const pattern = new RegExp(`^${source}$`);
  const parse = (text: string): CivilDate | undefined => {
    const match = pattern.exec(text.trim());
    if (!match || problem) return undefined;
    const at = (t: Token) => match[order.indexOf(t) + 1] ?? "";
    const year = Number(at("YYYY"));
    const month = Number(at("MM"));
    const day = Number(at("DD"));
    if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
    if (count("hh")) {
      const hour = Number(at("hh"));
      if (hour < 1 || hour > 12) return undefined;
      if (count("mm") && Number(at("mm")) > 59) return undefined;
      if (count("ss") && Number(at("ss")) > 59) return undefined;
    }
    return { year, month, day };
  };
  return { format, parse, problem };
}

/** The first format that reads `text`, or undefined. */
export function parseCivilDate(formats: readonly CompiledDateFormat[], text: string): CivilDate | undefined {
  for (const f of formats) {
    const date = f.parse(text);
    if (date) return date;
  }
  return undefined;
}

/** The day number (days since 1970-01-01) of a civil date. */
export function dayNumberOf(date: CivilDate): number {
  return daysFromCivil(date.year, date.month, date.day);
}

/** The instant of `HH:MM` local time on a day, in an IANA zone (DST resolved as Temporal does). */
export function localInstant(dayNumber: number, hhmm: string, timeZone: string): Date {
  const [hours, minutes] = hhmm.split(":").map(Number) as [number, number];
  const localMs = dayNumber * DAY_MS + (hours * 60 + minutes) * MINUTE_MS;
  return new Date(localToInstant(zoneRules(timeZone), localMs));
}

/** `YYYY-MM-DD` of a civil date. */
export function isoDate(date: CivilDate): string {
  const pad = (n: number, w: number) => String(n).padStart(w, "0");
  return `${pad(date.year, 4)}-${pad(date.month, 2)}-${pad(date.day, 2)}`;
}
