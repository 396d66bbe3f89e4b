import type { Command, CommandInput } from "../domain/commands.js";
import { type DecideContext, fixedClock, ulidGenerator } from "../domain/context.js";
import { decide, parseCommand } from "../domain/decide.js";
import type { Decision } from "../domain/decision.js";
import type { ComplaintEvent, ComplaintEventType } from "../domain/events.js";
import { fold } from "../domain/evolve.js";
import type { ComplaintId } from "../domain/ids.js";
import { defaultPolicy, type Policy } from "../domain/policy.js";
import type { RejectionCode } from "../domain/rejection.js";
import { type ComplaintState, initialState } from "../domain/state.js";
import type { Actor } from "../domain/values.js";

/** Options of {@link deciderSpec}. */
export interface DeciderSpecOptions {
  /** The policy decisions are made under (default `defaultPolicy`). */
  readonly policy?: Policy | undefined;
  /** Who issues the commands unless a step names someone else (default front-line staff). */
  readonly actor?: Actor | undefined;
  /** The instant every decision happens at (default 2026-03-02T01:00:00Z, a Monday 09:00 in Shanghai). */
  readonly at?: Date | string | undefined;
  /** Seed of the id generator (default 1): the same seed gives the same ids. */
  readonly seed?: number | undefined;
  /** The serial a new case number gets (default 1). */
  readonly serial?: number | undefined;
}

/** The outcome of `when`, with assertions that throw a readable `Error` when they fail. */
export interface DeciderThen {
  /** What `decide` returned: events, or a rejection. */
  readonly decision: Decision;
  /** The events decided (throws when the command was rejected). */
  readonly events: readonly ComplaintEvent[];
  /** The state after the given history and the decided events (throws when rejected). */
  readonly state: ComplaintState;
  /** Asserts the decided events have exactly these types, in order. */
  thenEmits(...types: ComplaintEventType[]): DeciderThen;
  /** Asserts a rejection with this code; returns its message. */
  thenRejects(code: RejectionCode): string;
}

/** The history step of a spec. */
export interface DeciderGiven {
  /** Commands that must be accepted to build the history, then the command under test. */
  when(command: CommandInput, options?: { actor?: Actor }): DeciderThen;
  /** Extends the history with more commands (each must be accepted). */
  given(...commands: (CommandInput | { command: CommandInput; actor: Actor })[]): DeciderGiven;
  /** The state folded from the history so far. */
  readonly state: ComplaintState;
  /** The events of the history so far. */
  readonly history: readonly ComplaintEvent[];
}

function parse(input: CommandInput): Command {
  const parsed = parseCommand(input);
  if (!parsed.ok) throw new Error(`spec command is malformed: ${parsed.rejection.message}`);
  return parsed.command;
}

/**
 * Given/when/then for `decide`, in the shape of Emmett's decider specification: commands
 * build the history (each must be accepted), then one command is decided and asserted.
 * @example
 * const spec = deciderSpec({ policy });
 * spec.given(receive, classify).when({ type: "CloseComplaint" }).thenRejects("close/not-resolved");
 */
export function deciderSpec(options: DeciderSpecOptions = {}) {
  const policy = options.policy ?? defaultPolicy;
  const clock = fixedClock(options.at ?? "2026-03-02T01:00:00.000Z");
  const ids = ulidGenerator({ clock, seed: options.seed ?? 1 });
  const actor: Actor = options.actor ?? { id: "staff-1", role: "staff", unit: "service" };
  const streamId = ids.next() as ComplaintId;
  const ctxFor = (who: Actor): DecideContext => ({
    clock,
    ids,
    actor: who,
    policy,
    serial: options.serial ?? 1,
  });

  function build(history: readonly ComplaintEvent[]): DeciderGiven {
    const state = fold(initialState(streamId), history);
    return {
      state,
      history,
      given(...steps) {
        let events = [...history];
        let current = state;
        for (const step of steps) {
          const { command, actor: who } = "command" in step ? step : { command: step, actor };
          const decision = decide(current, parse(command), ctxFor(who));
          if (!decision.ok)
            throw new Error(
              `given ${command.type} was rejected: ${decision.rejection.code} ${decision.rejection.message}`,
            );
          events = [...events, ...decision.events];
          current = fold(current, decision.events);
        }
        return build(events);
      },
      when(command, whenOptions = {}) {
        const decision = decide(state, parse(command), ctxFor(whenOptions.actor ?? actor));
        const then: DeciderThen = {
          decision,
          get events() {
            if (!decision.ok)
              throw new Error(
                `expected events, got rejection ${decision.rejection.code}: ${decision.rejection.message}`,
              );
            return decision.events;
          },
          get state() {
            return fold(state, then.events);
          },
          thenEmits(...types) {
            const expected = types.join(", ") || "none";
            if (!decision.ok)
              throw new Error(
                `expected events ${expected}; got rejection ${decision.rejection.code}: ${decision.rejection.message}`,
              );
            const actual = decision.events.map((e) => e.type);
            if (JSON.stringify(actual) !== JSON.stringify(types))
              throw new Error(`expected events ${expected}; got ${actual.join(", ") || "none"}`);
            return then;
          },
          thenRejects(code) {
            if (decision.ok)
              throw new Error(
                `expected rejection ${code}; got events ${decision.events.map((e) => e.type).join(", ")}`,
              );
            if (decision.rejection.code !== code)
              throw new Error(
                `expected rejection ${code}; got ${decision.rejection.code}: ${decision.rejection.message}`,
              );
            return decision.rejection.message;
          },
        };
        return then;
      },
    };
  }
  return build([]);
}
