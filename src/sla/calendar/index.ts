/**
 * Business calendars: working days and hours on real calendars (China's 调休 included), in any
 * IANA time zone, independent of the host's zone. See docs/calendars.md.
 */
import { chinaMainland } from "./chinaMainland.js";
import { createCalendar } from "./createCalendar.js";

/**
 * Calendar factories.
 * - `calendars.chinaMainland(options?)` — the mainland statutory calendar (2024-2026 shipped).
 * - `calendars.create(spec)` — a calendar of your own, validated with zod.
 *
 * @example
 * import { calendars } from "kesu";
 * const cn = calendars.chinaMainland();
 * cn.dueDate(new Date("2026-02-13T10:00:00+08:00"), { amount: 3, unit: "working-days" });
 * // → 2026-02-25T18:00+08:00 (Sat 02-14 is worked; 02-15..02-23 are off)
 */
export const calendars: {
  /** The mainland China statutory calendar, 调休 included; see {@link ChinaMainlandOptions}. */
  readonly chinaMainland: typeof chinaMainland;
  /** A calendar of your own from a {@link CalendarSpec}, validated with zod. */
  readonly create: typeof createCalendar;
} = /* @__PURE__ */ Object.freeze({ chinaMainland, create: createCalendar });

export type { BusinessCalendar } from "./businessCalendar.js";
export type { ChinaMainlandOptions } from "./chinaMainland.js";
export { chinaMainland } from "./chinaMainland.js";
export { createCalendar } from "./createCalendar.js";
export type { ChinaHolidayPeriod, ChinaHolidaySource, ChinaHolidayYear } from "./data/chinaMainland.js";
export { chinaMainlandYears } from "./data/chinaMainland.js";
export type { CalendarSpecIssue, DateRange } from "./errors.js";
export {
  CalendarInputError,
  CalendarRangeError,
  CalendarSpecError,
  isCalendarInputError,
  isCalendarRangeError,
  isCalendarSpecError,
} from "./errors.js";
export type { LocalDate, Weekday } from "./localDate.js";
export { isLocalDate } from "./localDate.js";
export type { SlaTarget, SlaUnit } from "./slaTarget.js";
export { slaTargetSchema, slaUnitSchema } from "./slaTarget.js";
export type { CalendarConventions, CalendarSpec } from "./spec.js";
export { calendarSpecSchema } from "./spec.js";
