import { decide, parseCommand } from "../domain/decide.js";
import { fold } from "../domain/evolve.js";
import { type ComplaintState, initialState } from "../domain/state.js";
import type { HandleContext } from "../stores/handle.js";
import type { RowPlan } from "./rowPlan.js";

// Placeholder ids for decisions that are never stored, so a dry run spends none of the caller's.
const NO_IDS = { next: () => "00000000000000000000000000" };

/**
 * Decides a row's whole replay on an empty stream without touching the store, so a row the rules
 * refuse halfway is reported and nothing of it is written. Answers the refusal, or undefined.
 */
export function dryRun(plan: RowPlan, ctx: HandleContext): string | undefined {
  let state: ComplaintState = initialState(plan.streamId);
  const dry = { ...ctx, ids: NO_IDS, serial: 0 };
  for (const { step, command } of plan.steps) {
    const parsed = parseCommand(command);
    if (!parsed.ok) return `step ${step}: ${parsed.rejection.message}`;
    const decision = decide(state, parsed.command, dry);
    if (!decision.ok)
      return `step ${step} refused (${decision.rejection.code}): ${decision.rejection.message}`;
    state = fold(state, decision.events);
  }
  return undefined;
}
