import type { ComplaintEvent, PolicyRef } from "../domain/events.js";
import type { Policy } from "../domain/policy.js";
import type { Duration, Kind } from "../domain/values.js";
import type { BusinessCalendar } from "./calendar/index.js";
import type { ClockSpec } from "./clockSpec.js";
import { formatInstant, parseInstant } from "./instant.js";

/** Where a clock stands at the instant of evaluation. */
export type ClockStatus = "not-started" | "running" | "paused" | "at-risk" | "breached" | "met" | "met-late";

/** One clock in one cycle of a case (a reopen starts a new cycle). */
export interface ClockCycle {
  /** The case cycle: 1, then +1 per reopen. */
  readonly cycle: number;
  /** Where the clock stands at the instant of evaluation. */
  readonly status: ClockStatus;
  /** When a start event started it (ISO 8601); undefined until then. */
  readonly startedAt?: string | undefined;
  /** When it stopped (ISO 8601); undefined while it runs. */
  readonly stoppedAt?: string | undefined;
  /** How the clock stopped: one of its stop events, or the case closing. */
  readonly stoppedBy?: "stop-event" | "case-closed" | undefined;
  /** The due instant, pauses and extensions applied (undefined until started). */
  readonly dueAt?: string | undefined;
  /** The target in force: chosen by the severity and kind at evaluation. */
  readonly target?: Duration | undefined;
  /** The severity the target was chosen for (the policy's default before classification). */
  readonly severity: string;
  /** Time used so far, in the clock's measure (working time for working units), pauses excluded. */
  readonly elapsedMs: number;
  /** Time left before the due instant in the same measure; negative once breached. */
  readonly remainingMs: number;
  /** Time spent paused waiting on the complainant, in the same measure. */
  readonly pausedMs: number;
  /** Deadline extensions applied. */
  readonly extensions: number;
}

/** The evaluation of one clock: its current cycle, plus completed cycles that stay visible. */
export interface ClockResult extends ClockCycle {
  /** The policy's clock id. */
  readonly clockId: string;
  /** The clock's label, for people. */
  readonly label: string;
  /** The cycles before a reopen, oldest first; the current cycle is this result itself. */
  readonly cycles: readonly ClockCycle[];
}

/** The SLA of one case at one instant. */
export interface SlaEvaluation {
  /** The policy the clocks were judged under. */
  readonly policy: PolicyRef;
  /** The calendar the answer was computed on. */
  readonly calendar: { readonly id: string; readonly version: string };
  /** True when the stream recorded another calendar data version than the one used now. */
  readonly calendarChanged: boolean;
  /** The instant of evaluation (ISO 8601). */
  readonly at: string;
  /** The policy's clocks that apply to the case's kind, in the policy's order. */
  readonly clocks: readonly ClockResult[];
}

/** Thrown when a case is evaluated under another policy than the one recorded on its stream. */
export class SlaPolicyMismatchError extends Error {
  /** Always `"SlaPolicyMismatchError"`. */
  override readonly name = "SlaPolicyMismatchError" as const;
  /** Stable code to match on. */
  readonly code = "sla/policy-mismatch" as const;
  constructor(
    /** The policy the stream recorded. */
    readonly recorded: PolicyRef,
    /** The policy evaluation was asked under. */
    readonly given: { id: string; version: string },
  ) {
    super(
      `the case is judged by policy ${recorded.id}@${recorded.version}, not ${given.id}@${given.version}; pass a resolver or apply ChangePolicy`,
    );
  }
}

/** Is `error` an {@link SlaPolicyMismatchError}? */
export function isSlaPolicyMismatchError(error: unknown): error is SlaPolicyMismatchError {
  return error instanceof Error && error.name === "SlaPolicyMismatchError";
}

/** A policy, or a function that returns the policy a stream recorded (for replays of old cases). */
export type PolicySource = Policy | ((ref: PolicyRef) => Policy | undefined);

type Mark =
  | { readonly kind: "pause"; readonly at: number }
  | { readonly kind: "resume"; readonly at: number }
  | { readonly kind: "extend"; readonly at: number; readonly by: Duration };

interface Track {
  startAt?: number;
  stopAt?: number;
  stoppedBy?: "stop-event" | "case-closed";
  marks: Mark[];
}

const isWorkingUnit = (unit: Duration["unit"]) => unit !== "calendar-hours" && unit !== "calendar-days";

/**
 * Judges a case's SLA clocks at `now`: for each clock of the policy, its status (not started,
 * running, paused, at risk, breached, met, met late), due instant, elapsed and remaining time, and
 * its cycles. A pure function of (events, policy, calendar, now): events after `now` are ignored.
 *
 * - A clock starts on its first start event in a cycle, or when the clock it is chained `after`
 *   stops (002:128-132); it stops on a stop event or when the case closes.
 * - Pause and resume events freeze it: the time left at the pause is granted again from
 *   the resume, in the clock's measure (working time for working units).
 * - `DeadlineExtended` moves its due instant by the approved extension.
 * - The target comes from the severity and kind at evaluation, so a severity change
 *   re-judges the running clocks from their start.
 * - A reopen starts a new cycle; completed cycles stay in `cycles`.
 *
 * @throws SlaPolicyMismatchError when `policy` is not the one the stream recorded.
 * @example
 * const sla = evaluateSla(events, policy, calendars.chinaMainland(), new Date());
 * for (const c of sla.clocks) console.log(c.clockId, c.status, c.dueAt);
 */
export function evaluateSla(
  events: readonly ComplaintEvent[],
  policy: PolicySource,
  calendar: BusinessCalendar,
  now: Date,
): SlaEvaluation {
  const nowMs = now.getTime();
  let ref: PolicyRef | undefined;
  let active: Policy | undefined;
  let severity: string | undefined;
  let kind: Kind = "complaint";
  let cycle = 1;
  let tracks = new Map<string, Track>();
  const done = new Map<string, ClockCycle[]>();

  const resolve = (r: PolicyRef): Policy => {
    const p = typeof policy === "function" ? policy(r) : policy;
    if (!p || p.id !== r.id || p.version !== r.version)
      throw new SlaPolicyMismatchError(r, p ?? { id: "(none)", version: "(none)" });
    return p;
  };

  const finishCycle = (p: Policy, at: number) => {
    for (const clock of p.clocks) {
      const list = done.get(clock.id) ?? [];
      list.push(judge(clock, tracks.get(clock.id), calendar, severity ?? p.defaultSeverity, kind, cycle, at));
      done.set(clock.id, list);
    }
    tracks = new Map();
  };

  const startedNow = new Set<string>();
  for (const e of events) {
    const at = parseInstant(e.occurredAt);
    if (at > nowMs) break;
    switch (e.type) {
      case "ComplaintReceived":
        ref = e.data.policy;
        active = resolve(ref);
        break;
      case "PolicyChanged":
        ref = e.data.to;
        active = resolve(ref);
        break;
      case "ComplaintClassified":
        severity = e.data.severity;
        kind = e.data.kind;
        break;
      case "SeverityChanged":
        severity = e.data.to;
        break;
      case "ComplaintReopened":
        if (active) finishCycle(active, at);
        cycle = e.data.cycle;
        break;
      default:
        break;
    }
    if (!active) continue;
    startedNow.clear();
    step(active.clocks, tracks, e, at, startedNow);
  }

  if (!ref || !active) throw new TypeError("evaluateSla: the events hold no ComplaintReceived");
  const p = active;
  const sev = severity ?? p.defaultSeverity;
  const clocks = p.clocks
    .filter((clock) => !clock.kinds || clock.kinds.includes(kind))
    .map((clock): ClockResult => {
      const c = judge(clock, tracks.get(clock.id), calendar, sev, kind, cycle, nowMs);
      // Written out rather than spread: spreading every result was a large share of the time.
      return c.status === "not-started"
        ? {
            cycle: c.cycle,
            severity: c.severity,
            pausedMs: c.pausedMs,
            extensions: c.extensions,
            elapsedMs: c.elapsedMs,
            remainingMs: c.remainingMs,
            status: c.status,
            target: c.target,
            clockId: clock.id,
            label: clock.label,
            cycles: done.get(clock.id) ?? [],
          }
        : {
            cycle: c.cycle,
            status: c.status,
            severity: c.severity,
            target: c.target,
            startedAt: c.startedAt,
            stoppedAt: c.stoppedAt,
            stoppedBy: c.stoppedBy,
            dueAt: c.dueAt,
            elapsedMs: c.elapsedMs,
            remainingMs: c.remainingMs,
            pausedMs: c.pausedMs,
            extensions: c.extensions,
            clockId: clock.id,
            label: clock.label,
            cycles: done.get(clock.id) ?? [],
          };
    });
  return {
    policy: ref,
    calendar: { id: calendar.id, version: calendar.version },
    calendarChanged: ref.calendar !== undefined && ref.calendar.version !== calendar.version,
    at: formatInstant(nowMs),
    clocks,
  };
}

/** A clock's track, created empty on first use. */
function trackOf(tracks: Map<string, Track>, id: string): Track {
  let t = tracks.get(id);
  if (!t) {
    t = { marks: [] };
    tracks.set(id, t);
  }
  return t;
}

/**
 * Applies one event to every clock's track, chained clocks starting when their parent stops.
 * `startedNow` (empty on entry) collects the clocks this event started.
 */
function step(
  clocks: readonly ClockSpec[],
  tracks: Map<string, Track>,
  e: ComplaintEvent,
  at: number,
  startedNow: Set<string>,
) {
  // Parents are processed before children: repeat while a stop starts a chained clock.
  // Kinds are only known after classification: every clock runs, results are filtered by kind.
  for (const clock of clocks) {
    const t = trackOf(tracks, clock.id);
    if (t.startAt === undefined) {
      if (clock.start.includes(e.type)) {
        t.startAt = at;
        startedNow.add(clock.id);
      }
      continue;
    }
    if (t.stopAt !== undefined) continue;
    if (clock.stop.includes(e.type)) stop(clocks, clock, t, at, "stop-event", startedNow, tracks);
    else if (e.type === "ComplaintClosed") stop(clocks, clock, t, at, "case-closed", startedNow, tracks);
    else if (clock.pause.includes(e.type)) t.marks.push({ kind: "pause", at });
    else if (clock.resume.includes(e.type)) t.marks.push({ kind: "resume", at });
    else if (e.type === "DeadlineExtended" && e.data.clock === clock.id)
      t.marks.push({ kind: "extend", at, by: e.data.extension });
  }
}

function stop(
  clocks: readonly ClockSpec[],
  clock: ClockSpec,
  t: Track,
  at: number,
  by: "stop-event" | "case-closed",
  startedNow: Set<string>,
  tracks: Map<string, Track>,
) {
  if (startedNow.has(clock.id)) return;
  t.stopAt = at;
  t.stoppedBy = by;
  if (by === "case-closed") return;
  for (const child of clocks) {
    if (child.after !== clock.id) continue;
    const c = trackOf(tracks, child.id);
    if (c.startAt === undefined) {
      c.startAt = at;
      startedNow.add(child.id);
    }
  }
}

/** The target row for a severity and kind: the first row whose conditions hold. */
export function targetFor(clock: ClockSpec, severity: string, kind: Kind): Duration | undefined {
  for (const row of clock.targets) {
    if (row.severity !== undefined && row.severity !== severity) continue;
    if (row.kind !== undefined && row.kind !== kind) continue;
    return row.target;
  }
  return undefined;
}

function judge(
  clock: ClockSpec,
  t: Track | undefined,
  calendar: BusinessCalendar,
  severity: string,
  kind: Kind,
  cycle: number,
  nowMs: number,
): ClockCycle {
  const target = targetFor(clock, severity, kind);
  if (!t || t.startAt === undefined || !target)
    return {
      cycle,
      severity,
      pausedMs: 0,
      extensions: 0,
      elapsedMs: 0,
      remainingMs: 0,
      status: "not-started",
      target,
    };
  const working = isWorkingUnit(target.unit);
  const measure = (a: number, b: number) =>
    working ? calendar.workingTimeBetween(new Date(a), new Date(b)) : b - a;
  const shift = (from: number, ms: number) =>
    working ? calendar.addWorkingHours(new Date(from), ms / 3_600_000).getTime() : from + ms;

  const end = t.stopAt ?? nowMs;
  let due = calendar.dueDate(new Date(t.startAt), target).getTime();
  let pausedAt: number | undefined;
  let frozen = 0; // time left when paused
  let pausedMs = 0;
  let extensions = 0;
  const pendingExtensions: Duration[] = [];
  for (const mark of t.marks) {
    if (mark.at > end) break;
    if (mark.kind === "pause" && pausedAt === undefined) {
      pausedAt = mark.at;
      frozen = measure(mark.at, due);
    } else if (mark.kind === "resume" && pausedAt !== undefined) {
      pausedMs += measure(pausedAt, mark.at);
      due = shift(mark.at, frozen);
      pausedAt = undefined;
      for (const by of pendingExtensions.splice(0)) due = calendar.dueDate(new Date(due), by).getTime();
    } else if (mark.kind === "extend") {
      extensions += 1;
      if (pausedAt === undefined) due = calendar.dueDate(new Date(due), mark.by).getTime();
      else pendingExtensions.push(mark.by);
    }
  }
  let remainingMs: number;
  let dueAt: number;
  if (pausedAt !== undefined) {
    pausedMs += measure(pausedAt, end);
    remainingMs = frozen;
    // While paused the due instant moves with the clock: time left, counted from now.
    dueAt = shift(end, frozen);
    for (const by of pendingExtensions) dueAt = calendar.dueDate(new Date(dueAt), by).getTime();
  } else {
    remainingMs = measure(end, due);
    dueAt = due;
  }
  const elapsedMs = measure(t.startAt, end) - pausedMs;
  const total = elapsedMs + remainingMs;
  let status: ClockStatus;
  if (t.stopAt !== undefined) status = t.stopAt <= dueAt ? "met" : "met-late";
  else if (remainingMs < 0 || (pausedAt === undefined && nowMs > dueAt)) status = "breached";
  else if (pausedAt !== undefined) status = "paused";
  else if (total > 0 && elapsedMs >= clock.warnAt * total) status = "at-risk";
  else status = "running";
  return {
    cycle,
    status,
    severity,
    target,
    startedAt: formatInstant(t.startAt),
    stoppedAt: t.stopAt === undefined ? undefined : formatInstant(t.stopAt),
    stoppedBy: t.stoppedBy,
    dueAt: formatInstant(dueAt),
    elapsedMs,
    remainingMs,
    pausedMs,
    extensions,
  };
}
