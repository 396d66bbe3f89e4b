import type { CommandOf } from "./commands.js";
import type { DecideContext } from "./context.js";
import { policyRef } from "./decideIntake.js";
import { type Decision, emit, type Fact, fact, refused } from "./decision.js";
import { reject } from "./rejection.js";
import type { ClosedComplaint, OpenComplaint, ResolvedComplaint, RevisitedComplaint } from "./state.js";
import type { EscalationLevel } from "./values.js";

/** The five gates of 五不放过 (002:442); 四不放过 (002:221) is the same without `solved`. */
export interface ClosureGates {
  /** 问题及其原因没有查明不放过: a root cause is recorded. */
  readonly causeFound: boolean;
  /** 问题得不到有效解决不放过: the complainant accepted the remedy or confirmed at the revisit. */
  readonly solved: boolean;
  /** 无整改措施不放过: corrective actions exist and all were verified effective. */
  readonly measuresInPlace: boolean;
  /** 责任人不受到责任追究不放过: accountability recorded. */
  readonly accountable: boolean;
  /** 有关人员没有得到启示和教育不放过: the closer states staff were educated. */
  readonly educated: boolean;
}

/** which gates a case passes now. */
export function closureGates(
  state: ResolvedComplaint | RevisitedComplaint,
  staffEducated: boolean,
): ClosureGates {
  const actions = state.correctiveActions;
  return {
    causeFound: state.findings?.rootCause !== undefined,
    solved:
      state.resolution.status === "accepted" ||
      (state.stage === "revisited" && state.revisit.complainantConfirmed),
    measuresInPlace:
      actions.length > 0 && actions.every((a) => a.status === "verified" && a.effective === true),
    accountable: state.accountabilityRecorded,
    educated: staffEducated,
  };
}

const OUTCOME = { complaint: "resolved", inquiry: "answered", suggestion: "acknowledged" } as const;

/** the conditions to close a case. */
export function close(state: OpenComplaint, c: CommandOf<"CloseComplaint">, ctx: DecideContext): Decision {
  if (state.waitingOnComplainant)
    return refused(
      reject("complaint/waiting-on-complainant", "end the wait on the complainant before closing"),
    );
  if (state.stage !== "resolved" && state.stage !== "revisited")
    return refused(reject("close/not-resolved", `case ${state.caseNumber} has no resolution to close on`));
  if (state.channel === "regulator" && !state.regulatorInformed)
    return refused(
      reject("close/regulator-not-informed", "report the outcome to the regulator that forwarded it"),
    );
  const kind = state.classification.kind;
  const validComplaint = kind === "complaint" && state.validity === "valid";
  if (validComplaint) {
    const { closure } = ctx.policy;
    if (state.accountabilityRequired && !state.accountabilityRecorded)
      return refused(
        reject(
          "close/accountability-required",
          "the case came back because it was handled badly: record accountability",
        ),
      );
    if (closure.requireRevisit && state.stage !== "revisited")
      return refused(reject("close/revisit-required", `policy ${ctx.policy.id} revisits before closing`));
    if (
      closure.requireComplainantConfirmation &&
      !(state.stage === "revisited" && state.revisit.complainantConfirmed)
    )
      return refused(
        reject("close/confirmation-required", "谁投诉谁关闭: the complainant has not confirmed closure"),
      );
    if (closure.gate !== "none") {
      const gates = closureGates(state, c.staffEducated);
      const missing = (Object.keys(gates) as (keyof ClosureGates)[]).filter(
        (g) => !gates[g] && !(closure.gate === "four" && g === "solved"),
      );
      if (missing.length > 0)
        return refused(reject("close/gate", `closure gate not passed: ${missing.join(", ")}`));
    }
  }
  const outcome = kind === "complaint" && state.validity === "invalid" ? "explained" : OUTCOME[kind];
  // Recorded as judged now, whether or not the policy requires the gate: a reopen or a later
  // policy never changes what the register says about this closure.
  return emit(state, c, ctx, [
    fact("ComplaintClosed", { outcome, summary: c.summary, gates: closureGates(state, c.staffEducated) }),
  ]);
}

/**
 * the complainant comes back on the same matter. A valid complaint reopened because it
 * was handled badly is escalated at once and needs accountability before it closes again.
 * Reopening under a newer policy records the change explicitly.
 */
export function reopen(
  state: ClosedComplaint,
  c: CommandOf<"ReopenComplaint">,
  ctx: DecideContext,
): Decision {
  const facts: Fact[] = [
    fact("ComplaintReopened", { reason: c.reason, description: c.description, cycle: state.cycle + 1 }),
  ];
  if (c.reason === "handled-badly" && state.validity === "valid" && state.escalationLevel < 3) {
    const toLevel = Math.max(2, state.escalationLevel + 1) as EscalationLevel;
    facts.push(
      fact("ComplaintEscalated", {
        fromLevel: state.escalationLevel,
        toLevel,
        reason: "R-12 a valid complaint came back because it was handled badly",
        automatic: true,
      }),
    );
  }
  const to = policyRef(ctx);
  if (state.policy.id !== to.id || state.policy.version !== to.version)
    facts.push(
      fact("PolicyChanged", { from: state.policy, to, reason: "policy in force when the case reopened" }),
    );
  return emit(state, c, ctx, facts);
}

/** withdrawal when both sides are at fault and the complainant mainly; not established. */
export function withdraw(
  state: OpenComplaint,
  c: CommandOf<"WithdrawComplaint">,
  ctx: DecideContext,
): Decision {
  if (state.stage !== "received" && state.classification.kind !== "complaint")
    return refused(reject("withdraw/not-allowed", "only a complaint can be withdrawn"));
  if (!c.complainantMainlyAtFault)
    return refused(
      reject(
        "withdraw/not-allowed",
        "withdrawal is allowed when the complainant bears the main fault (002:417)",
      ),
    );
  // A withdrawal closes the case, and a closed case takes no RegulatorInformed: report first.
  if (state.channel === "regulator" && !state.regulatorInformed)
    return refused(
      reject("close/regulator-not-informed", "report the withdrawal to the regulator that forwarded it"),
    );
  return emit(state, c, ctx, [
    fact("ComplaintWithdrawn", { reason: c.reason }),
    fact("ComplaintClosed", { outcome: "not-established", summary: c.reason, gates: {} }),
  ]);
}
