import type { BusinessCalendar } from "./businessCalendar.js";
import type { SlaTarget } from "./slaTarget.js";

/**
 * A calendar's deadline arithmetic on epoch milliseconds instead of `Date` objects. The SLA
 * engine calls these a few times per clock of every case it judges; wrapping each instant in a
 * `Date` only to unwrap it again was a large share of its allocations. Internal: the public
 * surface stays {@link BusinessCalendar}.
 */
export interface CalendarInstants {
  /** `calendar.workingTimeBetween` on epoch milliseconds. */
  workingTimeBetween(a: number, b: number): number;
  /** `calendar.addWorkingHours(from, ms / 3_600_000)` on epoch milliseconds (`ms` whole). */
  addWorkingMs(from: number, ms: number): number;
  /** `calendar.dueDate` on epoch milliseconds. */
  dueDate(from: number, target: SlaTarget): number;
}

const registry = new WeakMap<BusinessCalendar, CalendarInstants>();

/** Called by `createCalendar` for the calendars it builds. */
export function registerInstants(calendar: BusinessCalendar, instants: CalendarInstants): void {
  registry.set(calendar, instants);
}

/**
 * The epoch-millisecond arithmetic of a calendar: its own for calendars built by kesu, and for
 * any other object implementing {@link BusinessCalendar} the same answers through its methods.
 */
export function instantsOf(calendar: BusinessCalendar): CalendarInstants {
  let found = registry.get(calendar);
  if (!found) {
    found = {
      workingTimeBetween: (a, b) => calendar.workingTimeBetween(new Date(a), new Date(b)),
      addWorkingMs: (from, ms) => calendar.addWorkingHours(new Date(from), ms / 3_600_000).getTime(),
      dueDate: (from, target) => calendar.dueDate(new Date(from), target).getTime(),
    };
    registry.set(calendar, found);
  }
  return found;
}
