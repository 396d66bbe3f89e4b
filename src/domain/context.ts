import { monotonicFactory } from "ulid";
import type { Policy } from "./policy.js";
import type { Actor } from "./values.js";

/** The source of "now". The core never reads the system clock itself. */
export interface Clock {
  /** The current instant; a new `Date` each call, which the caller may keep. */
  now(): Date;
}

/** Generates event ids (ULIDs in production, predictable ids in tests). */
export interface IdGenerator {
  /** A new id, never returned before by this generator. */
  next(): string;
}

/**
 * Everything `decide` needs from the outside world. Time, ids and the acting user are inputs,
 * so replaying a decision gives the same events on any day.
 */
export interface DecideContext {
  /** Stamps the events (`occurredAt`) and judges deadlines. */
  readonly clock: Clock;
  /** Gives the new events their ids. */
  readonly ids: IdGenerator;
  /** Who issues the command: recorded on every event and checked against the rules. */
  readonly actor: Actor;
  /** The rules the command is decided under; a new case records its id and version. */
  readonly policy: Policy;
  /**
   * The serial for a new case number, allocated by the store for the scope that
   * {@link caseNumberScope} names. Only `ReceiveComplaint` without an explicit case number needs it.
   */
  readonly serial?: number;
  /**
   * The business calendar the case's SLA clocks run on; its id and data version are recorded
   * with the policy on the stream so a replay can tell when calendar data changed.
   */
  readonly calendar?: { readonly id: string; readonly version: string } | undefined;
}

/** A clock that always answers the same instant (or a function of calls), for tests and replays. */
export function fixedClock(at: Date | string): Clock {
  const instant = new Date(at);
  if (Number.isNaN(instant.getTime())) throw new TypeError(`fixedClock: invalid instant ${String(at)}`);
  return { now: () => new Date(instant.getTime()) };
}

/** The system clock, for production use. */
export const systemClock: Clock = { now: () => new Date() };

/**
 * ULID ids, monotonic within a millisecond. Pass `clock` to take the time part from it and
 * `seed` for a reproducible random part (tests, simulations).
 * @example const ids = ulidGenerator({ clock: fixedClock("2026-01-05T01:00:00Z"), seed: 7 });
 */
export function ulidGenerator(options: { clock?: Clock; seed?: number } = {}): IdGenerator {
  const prng = options.seed === undefined ? undefined : mulberry32(options.seed);
  const factory = monotonicFactory(prng);
  const clock = options.clock;
  return { next: () => factory(clock ? clock.now().getTime() : undefined) };
}

/** A small seeded PRNG (mulberry32): reproducible, not for secrets. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
