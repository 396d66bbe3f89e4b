/**
 * UTC offsets of IANA time zones, from `Intl.DateTimeFormat` with an explicit `timeZone` (so the
 * host's own zone never matters), cached per ~400-day bucket.
 *
 * A bucket is sampled weekly; where two samples differ, a binary search finds the transition to
 * the second. A bucket without transitions stores one fixed offset: that is the fast path every
 * zone without daylight saving (Asia/Shanghai since 1992) takes, with no `Intl` call after the
 * first lookup. No real zone has daylight-saving periods shorter than a week, which the weekly
 * sampling relies on.
 */
import { DAY_MS, daysFromCivil } from "./localDate.js";

/** Offsets of one time zone. */
export interface ZoneRules {
  /** The IANA name, as given. */
  readonly id: string;
  /** Local time minus UTC, in milliseconds, at an instant. */
  offsetAt(epochMs: number): number;
}

interface Bucket {
  /** The offset when the bucket has no transition. */
  readonly fixed: number | undefined;
  readonly first: number;
  readonly at: readonly number[];
  readonly after: readonly number[];
}

const BUCKET_MS = 400 * DAY_MS;
const SAMPLE_MS = 7 * DAY_MS;
const UTC_NAMES = new Set(["UTC", "Etc/UTC", "Etc/GMT", "GMT", "Etc/Universal", "Etc/Zulu"]);

class IntlZone implements ZoneRules {
  readonly id: string;
  readonly #format: Intl.DateTimeFormat;
  readonly #buckets = new Map<number, Bucket>();

  constructor(id: string) {
    this.id = id;
    this.#format = new Intl.DateTimeFormat("en-US", {
      timeZone: id,
      hourCycle: "h23",
      era: "short",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
  }

  offsetAt(epochMs: number): number {
    const key = Math.floor(epochMs / BUCKET_MS);
    let bucket = this.#buckets.get(key);
    if (bucket === undefined) {
      bucket = this.#scan(key * BUCKET_MS);
      this.#buckets.set(key, bucket);
    }
    if (bucket.fixed !== undefined) return bucket.fixed;
    let offset = bucket.first;
    for (let i = 0; i < bucket.at.length && (bucket.at[i] as number) <= epochMs; i++) {
      offset = bucket.after[i] as number;
    }
    return offset;
  }

  /** Offset straight from `Intl`, at whole-second resolution (transitions fall on whole seconds). */
  #intlOffset(epochMs: number): number {
    const seconds = Math.floor(epochMs / 1000) * 1000;
    let year = 0;
    let month = 1;
    let day = 1;
    let hour = 0;
    let minute = 0;
    let second = 0;
    let bc = false;
    for (const part of this.#format.formatToParts(seconds)) {
      switch (part.type) {
        case "era":
          bc = part.value.startsWith("B");
          break;
        case "year":
          year = Number(part.value);
          break;
        case "month":
          month = Number(part.value);
          break;
        case "day":
          day = Number(part.value);
          break;
        case "hour":
          hour = Number(part.value);
          break;
        case "minute":
          minute = Number(part.value);
          break;
        case "second":
          second = Number(part.value);
          break;
        default:
          break;
      }
    }
    const civilYear = bc ? 1 - year : year;
    const local =
      daysFromCivil(civilYear, month, day) * DAY_MS + hour * 3_600_000 + minute * 60_000 + second * 1000;
    return local - seconds;
  }

  #scan(start: number): Bucket {
    const end = start + BUCKET_MS;
    const at: number[] = [];
    const after: number[] = [];
    const first = this.#intlOffset(start);
    let previousTime = start;
    let previousOffset = first;
    for (let t = start + SAMPLE_MS; previousTime < end; t = Math.min(t + SAMPLE_MS, end)) {
      const offset = this.#intlOffset(t);
      let lo = previousTime;
      let loOffset = previousOffset;
      // Several transitions may sit between two samples (A→B→C); find them one by one.
      while (loOffset !== offset) {
        let hi = t;
        while (hi - lo > 1000) {
          const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
          if (this.#intlOffset(mid) === loOffset) lo = mid;
          else hi = mid;
        }
        loOffset = this.#intlOffset(hi);
        if (hi < end) {
          at.push(hi);
          after.push(loOffset);
        }
        lo = hi;
      }
      previousTime = t;
      previousOffset = offset;
    }
    return { fixed: at.length === 0 ? first : undefined, first, at, after };
  }
}

const fixedUtc: ZoneRules = { id: "UTC", offsetAt: () => 0 };
const zones = new Map<string, ZoneRules>();

/**
 * The offset rules of an IANA zone, cached per name. Throws `RangeError` for an unknown name.
 */
export function zoneRules(id: string): ZoneRules {
  let zone = zones.get(id);
  if (zone === undefined) {
    zone = UTC_NAMES.has(id) ? { ...fixedUtc, id } : new IntlZone(id);
    zones.set(id, zone);
  }
  return zone;
}

/** True when `Intl` knows the zone name. */
export function isKnownTimeZone(id: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: id });
    return true;
  } catch {
    return false;
  }
}

/**
 * The instant of a local wall-clock time, given as milliseconds since 1970-01-01T00:00 *local*.
 *
 * Ambiguity is resolved like Temporal's `"compatible"` disambiguation: in a repeated hour (autumn)
 * the earlier instant wins; a skipped time (spring) moves forward by the length of the gap, so
 * 02:30 on the New York spring-forward day is 03:30 EDT.
 */
export function localToInstant(zone: ZoneRules, localMs: number): number {
  const before = zone.offsetAt(localMs - DAY_MS);
  const after = zone.offsetAt(localMs + DAY_MS);
  if (before === after) return localMs - before;
  const early = localMs - before;
  const late = localMs - after;
  const earlyValid = zone.offsetAt(early) === before;
  const lateValid = zone.offsetAt(late) === after;
  if (earlyValid && lateValid) return Math.min(early, late);
  if (earlyValid) return early;
  if (lateValid) return late;
  return early;
}

/** Local wall-clock milliseconds since 1970-01-01T00:00 local, of an instant. */
export function instantToLocal(zone: ZoneRules, epochMs: number): number {
  return epochMs + zone.offsetAt(epochMs);
}

/** The local day number of an instant. */
export function localDayOf(zone: ZoneRules, epochMs: number): number {
  return Math.floor(instantToLocal(zone, epochMs) / DAY_MS);
}
