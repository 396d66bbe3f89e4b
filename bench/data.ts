/**
 * Benchmark data: realistic complaint streams, generated once from kesu's own arbitraries
 * (every stream was decided by `decide`, so it folds without error), then copied under new
 * stream ids, event ids and command ids to reach the sizes a workload needs.
 *
 * Both libraries get the same events: kesu's own envelope, and the same payload reshaped the
 * way an Emmett app stores it (`{ type, data, metadata }`, see `emmett/domain.ts`).
 */
import fc from "fast-check";
import { type ComplaintEvent, type ComplaintId, fold, initialState, type Policy } from "../src/index.js";
import { tobacco } from "../src/presets/index.js";
import { arbValidStream } from "../src/testing/index.js";

/** The policy every generated stream is decided under: it has working-day SLA clocks. */
export const benchPolicy: Policy = tobacco;

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** A ULID-shaped id from a number: deterministic, unique per (prefix, n), cheap to make. */
export function makeUlid(prefix: number, n: number): string {
  let out = "";
  let p = prefix;
  for (let i = 0; i < 10; i++) {
    out = CROCKFORD[p % 32] + out;
    p = Math.floor(p / 32);
  }
  let tail = "";
  let x = n;
  for (let i = 0; i < 16; i++) {
    tail = CROCKFORD[x % 32] + tail;
    x = Math.floor(x / 32);
  }
  return out + tail;
}

/** Template streams: valid histories of at least `minLength` events. */
export interface Templates {
  readonly streams: readonly (readonly ComplaintEvent[])[];
}

const templateCache = new Map<string, Templates>();

/**
 * Valid streams of at least `minLength` events (cut to exactly `minLength`: a prefix of a
 * valid stream is valid). Seeded: every run gets the same streams.
 */
export function templates(minLength: number, count = 24, open = false): Templates {
  const key = `${minLength}/${count}/${open}`;
  const cached = templateCache.get(key);
  if (cached) return cached;
  const streams: ComplaintEvent[][] = [];
  for (let seed = 1; streams.length < count && seed < 200; seed++) {
    // Long streams take long to generate one command at a time: fewer per seed are enough.
    const runs = fc.sample(arbValidStream(benchPolicy, { maxLength: Math.max(60, minLength * 3) }), {
      seed,
      numRuns: minLength > 100 ? 4 : 40,
    });
    for (const run of runs) {
      if (run.events.length < minLength || streams.length >= count) continue;
      const events = run.events.slice(0, minLength) as ComplaintEvent[];
      if (open && fold(initialState(run.streamId), events).stage === "closed") continue;
      streams.push(events);
    }
  }
  if (streams.length < count) throw new Error(`could not generate ${count} streams of ${minLength} events`);
  const result = { streams };
  templateCache.set(key, result);
  return result;
}

/** One stream of the data set. */
export interface BenchStream {
  readonly id: ComplaintId;
  readonly events: readonly ComplaintEvent[];
}

/** Options of {@link makeStreams}. */
export interface StreamSetOptions {
  /** Distinguishes data sets, so two sets never share ids. */
  readonly set: number;
  readonly streams: number;
  readonly eventsPerStream: number;
  /** Shift each stream's instants by a few days, so cases spread over the year (default true). */
  readonly spread?: boolean;
  /** How many distinct generated streams to copy from (default 24). */
  readonly templates?: number;
  /** Only streams whose complaint is still open at their last event. */
  readonly open?: boolean;
  /**
   * The index of the first stream (default 0): a set made in chunks (`first` 0, then 10 000, …)
   * has the same streams and ids as the set made whole, without holding it all in memory.
   */
  readonly first?: number;
}

const DAY = 86_400_000;

function shift(instant: string, ms: number): string {
  return ms === 0 ? instant : new Date(Date.parse(instant) + ms).toISOString();
}

/**
 * `streams` streams of `eventsPerStream` events, copied from the templates under new ids.
 * Command ids are unique too: the stores treat a repeated command id as a retry.
 */
export function makeStreams(options: StreamSetOptions): BenchStream[] {
  const base = templates(options.eventsPerStream, options.templates, options.open);
  const out: BenchStream[] = [];
  const first = options.first ?? 0;
  // Templates are cut to exactly `eventsPerStream` events: stream s's events are numbered from here.
  let n = first * options.eventsPerStream;
  for (let s = first; s < first + options.streams; s++) {
    const template = base.streams[s % base.streams.length]!;
    const id = makeUlid(options.set, s) as ComplaintId;
    // Spread over about 200 days, inside the shipped holiday data (2024-2026).
    const offset = options.spread === false ? 0 : -((s * 7) % 200) * DAY;
    const events = template.map((e, i): ComplaintEvent => {
      const commandId = `${id}:${i}`;
      return {
        ...e,
        id: makeUlid(options.set + 1_000_000, n++),
        streamId: id,
        occurredAt: shift(e.occurredAt, offset),
        recordedAt: shift(e.recordedAt, offset),
        metadata: { correlationId: commandId, causationId: commandId, commandId },
      } as ComplaintEvent;
    });
    out.push({ id, events });
  }
  return out;
}
