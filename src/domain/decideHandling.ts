import type { CommandOf } from "./commands.js";
import type { DecideContext } from "./context.js";
import { checkTaxonomy, effectiveSeverity } from "./decideIntake.js";
import { type Decision, emit, fact, refused } from "./decision.js";
import { authorityLimit, type Policy } from "./policy.js";
import { type Rejection, reject } from "./rejection.js";
import type { OpenComplaint } from "./state.js";
import type { Actor, Remedy } from "./values.js";

/** R-27: a remedy's value must be within the authority of the actor or of the approver named. */
export function checkAuthority(
  policy: Policy,
  actor: Actor,
  remedy: Remedy,
  approvedBy?: Actor | undefined,
): Rejection | undefined {
  if (!remedy.value) return undefined;
  const { amount, currency } = remedy.value;
  if (currency !== policy.currency)
    return reject(
      "policy/currency-mismatch",
      `remedy in ${currency}; policy ${policy.id} decides in ${policy.currency}`,
    );
  const own = authorityLimit(policy, actor.role);
  const approved = approvedBy ? authorityLimit(policy, approvedBy.role) : 0;
  const limit = Math.max(own, approved);
  if (amount > limit)
    return reject(
      "policy/authority-exceeded",
      `a remedy of ${amount} ${currency} exceeds the authority of ${approvedBy ? `${actor.role} approved by ${approvedBy.role}` : actor.role} (${limit} ${currency})`,
    );
  return undefined;
}

/** R-07: findings for the current round. */
export function investigate(
  state: OpenComplaint,
  c: CommandOf<"RecordInvestigation">,
  ctx: DecideContext,
): Decision {
  if (state.stage !== "classified" && state.stage !== "investigated")
    return refused(reject("complaint/wrong-stage", `cannot investigate a case in stage ${state.stage}`));
  return emit(state, c, ctx, [fact("ComplaintInvestigated", { round: state.round, findings: c.findings })]);
}

/** R-08, R-16, R-17, R-27: propose a remedy and ask the complainant's opinion. */
export function propose(
  state: OpenComplaint,
  c: CommandOf<"ProposeResolution">,
  ctx: DecideContext,
): Decision {
  if (state.stage === "received")
    return refused(reject("complaint/wrong-stage", "classify the complaint before proposing a resolution"));
  if (state.stage === "resolved" || state.stage === "revisited")
    return refused(reject("complaint/wrong-stage", "a resolution is already on the table"));
  const kind = state.classification.kind;
  if (kind === "complaint" && state.stage !== "investigated")
    return refused(
      reject("resolution/not-investigated", "investigate the complaint before proposing a remedy"),
    );
  if (state.validity === "invalid" && !c.remedy.kinds.includes("explanation"))
    return refused(
      reject(
        "resolution/explanation-required",
        "an invalid complaint is closed after an explanation (耐心解释)",
      ),
    );
  const problem = checkAuthority(ctx.policy, ctx.actor, c.remedy, c.approvedBy);
  if (problem) return refused(problem);
  return emit(state, c, ctx, [
    fact("ComplaintResolved", {
      round: state.round,
      remedy: c.remedy,
      onTheSpot: false,
      approvedBy: c.approvedBy,
    }),
  ]);
}

const OUTCOME_BY_KIND = { complaint: "resolved", inquiry: "answered", suggestion: "acknowledged" } as const;

/** R-04: settle a simple matter at once; the stream still records classification and outcome. */
export function resolveOnTheSpot(
  state: OpenComplaint,
  c: CommandOf<"ResolveOnTheSpot">,
  ctx: DecideContext,
): Decision {
  if (state.stage !== "received")
    return refused(reject("on-the-spot/not-allowed", "only a case just received can be settled on the spot"));
  // Settling on the spot closes the case, so it meets close()'s R-23 condition too.
  if (state.waitingOnComplainant)
    return refused(
      reject("complaint/waiting-on-complainant", "end the wait on the complainant before settling the case"),
    );
  if (state.channel === "regulator")
    return refused(
      reject(
        "on-the-spot/not-allowed",
        "a complaint forwarded by a regulator is reported back, not settled on the spot",
      ),
    );
  const problem = checkTaxonomy(ctx.policy, c.kind, c.category, c.severity);
  if (problem) return refused(problem);
  const { severity, rule } = effectiveSeverity(
    ctx.policy,
    { kind: c.kind, category: c.category, channel: state.channel, tags: state.tags },
    c.severity,
  );
  if (!ctx.policy.onTheSpotSeverities.includes(severity))
    return refused(
      reject(
        "on-the-spot/not-allowed",
        `policy ${ctx.policy.id} does not settle ${severity} cases on the spot`,
      ),
    );
  const authority = checkAuthority(ctx.policy, ctx.actor, c.remedy);
  if (authority) return refused(authority);
  return emit(state, c, ctx, [
    fact("ComplaintClassified", {
      kind: c.kind,
      severity,
      category: c.category,
      severityRule: rule,
      routedTo: ctx.policy.categories.find((x) => x.id === c.category)?.routeTo,
      tags: [],
    }),
    fact("ComplaintResolved", { round: state.round, remedy: c.remedy, onTheSpot: true }),
    fact("ResolutionAccepted", { round: state.round, onTheSpot: true }),
    fact("ComplaintClosed", { outcome: OUTCOME_BY_KIND[c.kind], gates: {} }),
  ]);
}

/** R-08 / R-09: the complainant's answer to the proposal. */
export function answerResolution(
  state: OpenComplaint,
  c: CommandOf<"AcceptResolution"> | CommandOf<"RejectResolution">,
  ctx: DecideContext,
): Decision {
  if (state.stage !== "resolved" && state.stage !== "revisited")
    return refused(reject("resolution/not-proposed", "no resolution waits for the complainant's answer"));
  const round = state.resolution.round;
  if (c.type === "RejectResolution")
    return emit(state, c, ctx, [fact("ResolutionRejected", { round, reason: c.reason })]);
  if (state.resolution.status === "accepted")
    return refused(reject("resolution/already-accepted", `round ${round}'s resolution was already accepted`));
  return emit(state, c, ctx, [fact("ResolutionAccepted", { round, onTheSpot: false })]);
}

/** R-10: satisfaction on the 90/80/70/60 scale, after a resolution. */
export function revisit(state: OpenComplaint, c: CommandOf<"RecordRevisit">, ctx: DecideContext): Decision {
  if (state.stage !== "resolved" && state.stage !== "revisited")
    return refused(reject("revisit/not-resolved", "a revisit follows a resolution"));
  return emit(state, c, ctx, [
    fact("ComplaintRevisited", {
      satisfaction: c.satisfaction,
      comment: c.comment,
      complainantConfirmed: c.complainantConfirmed,
      followUp: c.followUp,
    }),
  ]);
}

function correctiveApplies(state: OpenComplaint): Rejection | undefined {
  if (state.stage === "received")
    return reject("complaint/wrong-stage", "classify the complaint before planning corrective action");
  if (state.classification.kind !== "complaint" || state.validity === "invalid")
    return reject(
      "corrective/not-applicable",
      "invalid complaints, inquiries and suggestions need no corrective action (002:432, 441)",
    );
  return undefined;
}

/** R-31: corrective and preventive action, planned → implemented → verified. */
export function corrective(
  state: OpenComplaint,
  c:
    | CommandOf<"PlanCorrectiveAction">
    | CommandOf<"RecordCorrectiveActionImplemented">
    | CommandOf<"VerifyCorrectiveAction">,
  ctx: DecideContext,
): Decision {
  const problem = correctiveApplies(state);
  if (problem) return refused(problem);
  const existing = state.correctiveActions.find((a) => a.actionId === c.actionId);
  if (c.type === "PlanCorrectiveAction") {
    if (existing) return refused(reject("corrective/duplicate", `action ${c.actionId} is already planned`));
    return emit(state, c, ctx, [
      fact("CorrectiveActionPlanned", {
        actionId: c.actionId,
        description: c.description,
        owner: c.owner,
        dueDate: c.dueDate,
        preventive: c.preventive,
      }),
    ]);
  }
  if (!existing) return refused(reject("corrective/unknown", `no corrective action ${c.actionId}`));
  if (c.type === "RecordCorrectiveActionImplemented") {
    if (existing.status !== "planned")
      return refused(reject("corrective/out-of-order", `action ${c.actionId} is already ${existing.status}`));
    return emit(state, c, ctx, [fact("CorrectiveActionImplemented", { actionId: c.actionId, note: c.note })]);
  }
  if (existing.status !== "implemented")
    return refused(
      reject("corrective/out-of-order", `action ${c.actionId} is ${existing.status}, not implemented`),
    );
  return emit(state, c, ctx, [
    fact("CorrectiveActionVerified", { actionId: c.actionId, effective: c.effective, note: c.note }),
  ]);
}

/** R-29: the responsible unit or person and the measure taken. */
export function accountability(
  state: OpenComplaint,
  c: CommandOf<"RecordAccountability">,
  ctx: DecideContext,
): Decision {
  return emit(state, c, ctx, [
    fact("AccountabilityRecorded", { responsible: c.responsible, measure: c.measure, penalty: c.penalty }),
  ]);
}
