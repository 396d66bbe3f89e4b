import type { Clock, IdGenerator } from "../domain/context.js";
import { fold } from "../domain/evolve.js";
import type { ComplaintId } from "../domain/ids.js";
import type { Policy } from "../domain/policy.js";
import type { RejectionCode } from "../domain/rejection.js";
import { initialState } from "../domain/state.js";
import type { Actor, EscalationLevel } from "../domain/values.js";
import type { EventStore } from "../stores/eventStore.js";
import { handle } from "../stores/handle.js";
import type { BusinessCalendar } from "./calendar/index.js";
import { type ClockResult, evaluateSla, type PolicySource } from "./evaluate.js";

/** Options of {@link runSlaWatcher}. */
export interface SlaWatcherOptions {
  /** Where the cases are read and the escalations appended. */
  readonly store: EventStore;
  /** The policy whose clocks and escalation ladder apply, or a resolver by recorded policy. */
  readonly policy: PolicySource;
  /** The calendar the clocks run on. */
  readonly calendar: BusinessCalendar;
  /** The instant the watcher judges at. */
  readonly now: Date;
  /** The cases to check (typically the open cases of the complaint list read model). */
  readonly cases: Iterable<ComplaintId> | AsyncIterable<ComplaintId>;
  /** Who the escalations are recorded as. Default `{ id: "sla-watcher", role: "system", unit: "sla" }`. */
  readonly actor?: Actor | undefined;
  /** Stamps the escalation events. */
  readonly clock: Clock;
  /** Gives the escalation events their ids. */
  readonly ids: IdGenerator;
}

/** One clock found at risk or breached, and what the watcher did about it. */
export interface SlaFinding {
  /** The case's stream. */
  readonly streamId: ComplaintId;
  /** Its case number. */
  readonly caseNumber: string;
  /** The clock at risk or breached, as evaluated at `now`. */
  readonly clock: ClockResult;
  /** Escalations the policy's ladder asks for at this crossing. */
  readonly actions: readonly {
    readonly on: "at-risk" | "breached";
    readonly toLevel: EscalationLevel;
    readonly outcome: "escalated" | "already-escalated" | "level-reached" | RejectionCode;
  }[];
}

/** The watcher's report: every case checked, every finding, and cases it could not judge. */
export interface SlaWatchReport {
  /** The instant judged at (ISO 8601). */
  readonly at: string;
  /** Cases checked. */
  readonly checked: number;
  /** Every clock at risk or breached, with the escalations issued. */
  readonly findings: readonly SlaFinding[];
  /** Cases judged by a policy the watcher was not given (apply ChangePolicy, or pass a resolver). */
  readonly skipped: readonly { readonly streamId: ComplaintId; readonly reason: string }[];
}

const SYSTEM: Actor = { id: "sla-watcher", role: "system", unit: "sla" };

/**
 * Finds at-risk and breached clocks and issues the escalations of the policy's ladder (R-24
 * overdue handling made visible and escalated, R-26 levels). Each escalation is sent once per
 * crossing: its command id is derived from the case, clock, cycle and crossing, so running the
 * watcher on a schedule, twice, or replaying it appends nothing new.
 * @example
 * const report = await runSlaWatcher({ store, policy, calendar, now: new Date(), cases, clock, ids });
 */
export async function runSlaWatcher(options: SlaWatcherOptions): Promise<SlaWatchReport> {
  const { store, calendar, now } = options;
  const actor = options.actor ?? SYSTEM;
  const findings: SlaFinding[] = [];
  const skipped: { streamId: ComplaintId; reason: string }[] = [];
  let checked = 0;
  for await (const streamId of options.cases) {
    const events = await store.readStream(streamId);
    const state = fold(initialState(streamId), events);
    if (state.stage === "none" || state.stage === "closed") continue;
    checked += 1;
    const policy = resolvePolicy(options.policy, state.policy);
    if (!policy) {
      skipped.push({ streamId, reason: `judged by ${state.policy.id}@${state.policy.version}` });
      continue;
    }
    const sla = evaluateSla(events, policy, calendar, now);
    // One level for the whole case: an escalation made for one clock counts for the next.
    let level = state.escalationLevel;
    for (const clock of sla.clocks) {
      if (clock.status !== "at-risk" && clock.status !== "breached") continue;
      const spec = policy.clocks.find((c) => c.id === clock.clockId)!;
      const crossings =
        clock.status === "breached" ? (["at-risk", "breached"] as const) : (["at-risk"] as const);
      const actions: SlaFinding["actions"][number][] = [];
      for (const rule of spec.escalations) {
        if (!(crossings as readonly string[]).includes(rule.on)) continue;
        if (level >= rule.toLevel) {
          actions.push({ on: rule.on, toLevel: rule.toLevel, outcome: "level-reached" });
          continue;
        }
        const result = await handle(
          store,
          streamId,
          {
            type: "EscalateComplaint",
            commandId: `sla:${streamId}:${clock.clockId}:${clock.cycle}:${rule.on}:${rule.toLevel}`,
            toLevel: rule.toLevel,
            reason: `R-24 clock ${clock.clockId} ${rule.on === "breached" ? "breached" : "at risk"}, due ${clock.dueAt}`,
            clock: clock.clockId,
            automatic: true,
          },
          { clock: options.clock, ids: options.ids, actor, policy },
        );
        if (!result.ok) actions.push({ on: rule.on, toLevel: rule.toLevel, outcome: result.rejection.code });
        else {
          actions.push({
            on: rule.on,
            toLevel: rule.toLevel,
            outcome: result.alreadyHandled ? "already-escalated" : "escalated",
          });
          if (result.state.stage !== "none") level = result.state.escalationLevel;
        }
      }
      findings.push({ streamId, caseNumber: state.caseNumber, clock, actions });
    }
  }
  return { at: now.toISOString(), checked, findings, skipped };
}

function resolvePolicy(source: PolicySource, ref: { id: string; version: string }): Policy | undefined {
  const policy = typeof source === "function" ? source(ref) : source;
  return policy && policy.id === ref.id && policy.version === ref.version ? policy : undefined;
}
