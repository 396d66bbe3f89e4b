/**
 * The precomputed day table behind every working-time query.
 *
 * For a range of local days it holds the instant each day starts, whether it is a working day, a
 * prefix count of working days, every working interval as a pair of instants, and a prefix sum of
 * working milliseconds. Working-day and working-hour questions become binary searches over these
 * typed arrays — O(log days), no per-minute or per-day loops at query time, and no `Intl` call
 * (offsets were resolved when the table was built, which is also what makes DST exact).
 *
 * The table grows on demand (doubling) within the days its source allows.
 */
import { DAY_MS, MINUTE_MS } from "./localDate.js";
import { localToInstant, type ZoneRules } from "./timeZone.js";

/** Working intervals of a day in local minutes `[start, end)`, end ≤ 1440. */
export type DayPlan = readonly (readonly [number, number])[];

/** What the table is built from. */
export interface DayTableSource {
  readonly zone: ZoneRules;
  /** Intervals of a working day, `undefined` for a day off. */
  plan(day: number): DayPlan | undefined;
  /** First and last day (inclusive) the table may hold. */
  readonly minDay: number;
  readonly maxDay: number;
  /** Throws the range error for a day outside `minDay..maxDay`. */
  outOfRange(day: number): never;
}

/** First index in `values[lo..hi)` whose value is greater than `x`. */
function upperBound(values: Float64Array | Int32Array, x: number, lo: number, hi: number): number {
  let a = lo;
  let b = hi;
  while (a < b) {
    const mid = (a + b) >>> 1;
    if ((values[mid] as number) <= x) a = mid + 1;
    else b = mid;
  }
  return a;
}

/** First index in `values[lo..hi)` whose value is at least `x`. */
function lowerBound(values: Float64Array | Int32Array, x: number, lo: number, hi: number): number {
  let a = lo;
  let b = hi;
  while (a < b) {
    const mid = (a + b) >>> 1;
    if ((values[mid] as number) < x) a = mid + 1;
    else b = mid;
  }
  return a;
}

/** A growable table of days `[lo, hi)`; see the module comment. */
export class DayTable {
  #source: DayTableSource;
  lo = 0;
  hi = 0;
  /** `dayStart[i]` is the first instant of day `lo + i`; one extra entry for the end of the last day. */
  dayStart = new Float64Array(1);
  working = new Uint8Array(0);
  /** Working days among days `[lo, lo + i)`. */
  cumDays = new Int32Array(1);
  /** Index of the first interval of day `lo + i`; one extra entry. */
  dayInterval = new Int32Array(1);
  intervalStart = new Float64Array(0);
  intervalEnd = new Float64Array(0);
  /** Working milliseconds in intervals `[0, k)`. */
  cumMs = new Float64Array(1);

  constructor(source: DayTableSource) {
    this.#source = source;
  }

  /** Makes sure days `from..to` (inclusive) are in the table, or throws the range error. */
  ensure(from: number, to: number): void {
    if (from >= this.lo && to < this.hi) return;
    const { minDay, maxDay } = this.#source;
    if (from < minDay) this.#source.outOfRange(to < minDay ? to : minDay - 1);
    if (to > maxDay) this.#source.outOfRange(from > maxDay ? from : maxDay + 1);
    const span = Math.max(this.hi - this.lo, 366);
    const empty = this.hi === this.lo;
    const lo = empty ? from - span : from < this.lo ? Math.min(from, this.lo - span) : this.lo;
    const hi = empty ? to + 1 + span : to >= this.hi ? Math.max(to + 1, this.hi + span) : this.hi;
    this.#build(Math.max(lo, minDay), Math.min(hi, maxDay + 1));
  }

  #build(lo: number, hi: number): void {
    const { zone } = this.#source;
    const n = hi - lo;
    const dayStart = new Float64Array(n + 1);
    for (let i = 0; i <= n; i++) dayStart[i] = localToInstant(zone, (lo + i) * DAY_MS);
    const working = new Uint8Array(n);
    const cumDays = new Int32Array(n + 1);
    const dayInterval = new Int32Array(n + 1);
    const starts: number[] = [];
    const ends: number[] = [];
    for (let i = 0; i < n; i++) {
      dayInterval[i] = starts.length;
      const plan = this.#source.plan(lo + i);
      if (plan !== undefined) {
        working[i] = 1;
        const midnight = (lo + i) * DAY_MS;
        const nextDay = dayStart[i + 1] as number;
        let previousEnd = dayStart[i] as number;
        for (const [startMinute, endMinute] of plan) {
          // A boundary inside a DST gap moves forward, so intervals can shrink but never overlap.
          const start = Math.max(localToInstant(zone, midnight + startMinute * MINUTE_MS), previousEnd);
          const end = endMinute >= 1440 ? nextDay : localToInstant(zone, midnight + endMinute * MINUTE_MS);
          if (end > start) {
            starts.push(start);
            ends.push(end);
            previousEnd = end;
          }
        }
      }
      cumDays[i + 1] = (cumDays[i] as number) + (working[i] as number);
    }
    dayInterval[n] = starts.length;
    const cumMs = new Float64Array(starts.length + 1);
    for (let k = 0; k < starts.length; k++) {
      cumMs[k + 1] = (cumMs[k] as number) + (ends[k] as number) - (starts[k] as number);
    }
    this.lo = lo;
    this.hi = hi;
    this.dayStart = dayStart;
    this.working = working;
    this.cumDays = cumDays;
    this.dayInterval = dayInterval;
    this.intervalStart = Float64Array.from(starts);
    this.intervalEnd = Float64Array.from(ends);
    this.cumMs = cumMs;
  }

  /** True when the instant falls on a day in the table. */
  holdsInstant(epochMs: number): boolean {
    return (
      this.hi > this.lo &&
      epochMs >= (this.dayStart[0] as number) &&
      epochMs < (this.dayStart[this.hi - this.lo] as number)
    );
  }

  /** The day of an instant the table holds. */
  dayOf(epochMs: number): number {
    return this.lo + upperBound(this.dayStart, epochMs, 0, this.hi - this.lo) - 1;
  }

  /** Whether a day in the table is a working day. */
  isWorking(day: number): boolean {
    return this.working[day - this.lo] === 1;
  }

  /** The first instant of a day in the table (`day === hi` gives the end of the last day). */
  startOf(day: number): number {
    return this.dayStart[day - this.lo] as number;
  }

  /** When business stops on a day: the end of its last interval, or 24:00 when it has none. */
  closeOf(day: number): number {
    const i = day - this.lo;
    const next = this.dayInterval[i + 1] as number;
    return next > (this.dayInterval[i] as number)
      ? (this.intervalEnd[next - 1] as number)
      : (this.dayStart[i + 1] as number);
  }

  /**
   * The `n`-th working day (n ≥ 1) on or after day `first`, or `undefined` when it lies beyond the
   * table.
   */
  nthWorkingDay(first: number, n: number): number | undefined {
    const size = this.hi - this.lo;
    const target = (this.cumDays[first - this.lo] as number) + n;
    if ((this.cumDays[size] as number) < target) return undefined;
    return this.lo + lowerBound(this.cumDays, target, 0, size + 1) - 1;
  }

  /** Working milliseconds from the start of the table to an instant the table holds. */
  workingMsBefore(epochMs: number): number {
    const k = upperBound(this.intervalStart, epochMs, 0, this.intervalStart.length) - 1;
    if (k < 0) return 0;
    const end = this.intervalEnd[k] as number;
    return (this.cumMs[k] as number) + Math.min(epochMs, end) - (this.intervalStart[k] as number);
  }

  /** All working milliseconds in the table. */
  totalWorkingMs(): number {
    return this.cumMs[this.intervalStart.length] as number;
  }

  /**
   * The instant at which `target` working milliseconds (counted from the table start) are reached:
   * going forward the earliest such instant (a deadline ends at 18:00, not at 09:00 next morning),
   * going backward the latest. `undefined` when the target lies outside the table.
   */
  instantAtWorkingMs(target: number, forward: boolean): number | undefined {
    const count = this.intervalStart.length;
    if (target < 0 || target > (this.cumMs[count] as number) || count === 0) return undefined;
    const k = forward
      ? Math.max(lowerBound(this.cumMs, target, 1, count + 1) - 1, 0)
      : Math.min(upperBound(this.cumMs, target, 0, count + 1) - 1, count - 1);
    return (this.intervalStart[k] as number) + target - (this.cumMs[k] as number);
  }
}
