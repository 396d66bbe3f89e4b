import { formatCaseNumber } from "./caseNumber.js";
import type { CommandOf } from "./commands.js";
import type { DecideContext } from "./context.js";
import { type Decision, emit, fact, refused } from "./decision.js";
import type { PolicyRef } from "./events.js";
import { matchSeverityRule, type Policy, severityRank } from "./policy.js";
import { reject } from "./rejection.js";
import type { ComplaintState, OpenComplaint } from "./state.js";
import type { Party } from "./values.js";

/** The policy (and calendar) in force, as recorded on the stream. */
export function policyRef(ctx: DecideContext): PolicyRef {
  const { id, version } = ctx.policy;
  return ctx.calendar
    ? { id, version, calendar: { id: ctx.calendar.id, version: ctx.calendar.version } }
    : { id, version };
}

/** register a complaint on an empty stream. */
export function receive(
  state: ComplaintState,
  c: CommandOf<"ReceiveComplaint">,
  ctx: DecideContext,
): Decision {
  if (state.stage !== "none")
    return refused(
      reject("complaint/already-received", `stream ${state.streamId} already holds a complaint`),
    );
  if (c.complainant.anonymous && c.personalData !== null)
    return refused(
      reject("complaint/anonymous-with-personal-data", "an anonymous complaint carries no personal data"),
    );
  const at = c.occurredAt ? new Date(c.occurredAt) : ctx.clock.now();
  const caseNumber =
    c.caseNumber ?? (ctx.serial === undefined ? undefined : formatCaseNumber(ctx.policy, at, ctx.serial));
  if (caseNumber === undefined)
    return refused({
      code: "command/invalid",
      message: "R-01 caseNumber: give a case number, or a serial in the context to format one",
      fields: [{ path: "caseNumber", message: "required when the context has no serial" }],
    });
  return emit(state, c, ctx, [
    fact("ComplaintReceived", {
      caseNumber,
      channel: c.channel,
      complainant: c.complainant,
      personalData: c.complainant.anonymous ? null : c.personalData,
      subject: c.subject,
      description: c.description,
      request: c.request,
      complainedAbout: c.complainedAbout,
      tags: c.tags,
      externalRef: c.externalRef,
      policy: policyRef(ctx),
    }),
  ]);
}

/** kind, category and severity, with the policy's severity rules as a floor. */
export function effectiveSeverity(
  policy: Policy,
  facts: { kind: string; category: string; channel: string; tags: readonly string[] },
  requested: string | undefined,
): { severity: string; rule?: string } {
  const base = requested ?? policy.defaultSeverity;
  const rule = matchSeverityRule(policy, facts);
  if (rule && severityRank(policy, rule.severity) > severityRank(policy, base))
    return { severity: rule.severity, rule: rule.id };
  return { severity: base };
}

/** Checks kind, category and severity against the policy; undefined when all are known. */
export function checkTaxonomy(policy: Policy, kind: string, category: string, severity: string | undefined) {
  if (!(policy.kinds as string[]).includes(kind))
    return reject("policy/kind-not-allowed", `policy ${policy.id} does not handle ${kind}s`);
  if (!policy.categories.some((x) => x.id === category))
    return reject("policy/unknown-category", `category ${category} is not in policy ${policy.id}`);
  if (severity !== undefined && severityRank(policy, severity) < 0)
    return reject(
      "policy/unknown-severity",
      `severity ${severity} is not one of ${policy.severities.join(", ")}`,
    );
  return undefined;
}

export function classify(
  state: OpenComplaint,
  c: CommandOf<"ClassifyComplaint">,
  ctx: DecideContext,
): Decision {
  if (state.stage !== "received")
    return refused(reject("complaint/already-classified", `case ${state.caseNumber} is already classified`));
  const problem = checkTaxonomy(ctx.policy, c.kind, c.category, c.severity);
  if (problem) return refused(problem);
  const tags = [...new Set([...state.tags, ...c.tags])];
  const { severity, rule } = effectiveSeverity(
    ctx.policy,
    { kind: c.kind, category: c.category, channel: state.channel, tags },
    c.severity,
  );
  return emit(state, c, ctx, [
    fact("ComplaintClassified", {
      kind: c.kind,
      severity,
      category: c.category,
      causeClass: c.causeClass,
      severityRule: rule,
      routedTo: ctx.policy.categories.find((x) => x.id === c.category)?.routeTo,
      tags: c.tags,
    }),
  ]);
}

/** a new severity; never below the floor a severity rule sets. */
export function changeSeverity(
  state: OpenComplaint,
  c: CommandOf<"ChangeSeverity">,
  ctx: DecideContext,
): Decision {
  if (state.stage === "received")
    return refused(reject("complaint/wrong-stage", "classify the complaint before changing its severity"));
  const current = state.classification;
  if (severityRank(ctx.policy, c.severity) < 0)
    return refused(
      reject(
        "policy/unknown-severity",
        `severity ${c.severity} is not one of ${ctx.policy.severities.join(", ")}`,
      ),
    );
  if (c.severity === current.severity)
    return refused(reject("complaint/wrong-stage", `severity is already ${c.severity}`));
  const floor = matchSeverityRule(ctx.policy, {
    kind: current.kind,
    category: current.category,
    channel: state.channel,
    tags: [...state.tags, ...current.tags],
  });
  if (floor && severityRank(ctx.policy, c.severity) < severityRank(ctx.policy, floor.severity))
    return refused(
      reject("policy/severity-below-rule", `rule ${floor.id} makes this case at least ${floor.severity}`),
    );
  return emit(state, c, ctx, [
    fact("SeverityChanged", { from: current.severity, to: c.severity, reason: c.reason }),
  ]);
}

function sameParty(a: Party, b: Party): boolean {
  return a.unit === b.unit && a.id === b.id;
}

/** R-05 routing and re-assignment; R-28 never to the person complained about. */
export function assign(state: OpenComplaint, c: CommandOf<"AssignComplaint">, ctx: DecideContext): Decision {
  const accused = state.complainedAbout?.id;
  if (accused !== undefined && c.assignee.id === accused)
    return refused(
      reject("complaint/recusal", "the person complained about may not be assigned the complaint"),
    );
  const current = state.pendingAssignee ?? state.owner;
  if (sameParty(current, c.assignee))
    return refused(
      reject("assignment/already-owner", `${c.assignee.id ?? c.assignee.unit} already has the case`),
    );
  if (state.assignments === 0)
    return emit(state, c, ctx, [fact("ComplaintAssigned", { assignee: c.assignee, reason: c.reason })]);
  return emit(state, c, ctx, [
    fact("ComplaintReassigned", { from: current, to: c.assignee, reason: c.reason ?? "re-assigned" }),
  ]);
}

/** the hand-over completes only when the assignee acknowledges it. */
export function acceptAssignment(
  state: OpenComplaint,
  c: CommandOf<"AcceptAssignment">,
  ctx: DecideContext,
): Decision {
  const pending = state.pendingAssignee;
  if (!pending) return refused(reject("assignment/none-pending", "no hand-over waits for acknowledgement"));
  const isAssignee = pending.id === undefined ? ctx.actor.unit === pending.unit : ctx.actor.id === pending.id;
  if (!isAssignee)
    return refused(
      reject("assignment/not-assignee", `only ${pending.id ?? pending.unit} can acknowledge the hand-over`),
    );
  return emit(state, c, ctx, [fact("AssignmentAccepted", { assignee: pending })]);
}

/** up the ladder only, levels 1 to 3. */
export function escalate(
  state: OpenComplaint,
  c: CommandOf<"EscalateComplaint">,
  ctx: DecideContext,
): Decision {
  if (c.toLevel <= state.escalationLevel)
    return refused(
      reject("escalation/invalid-level", `the case is at level ${state.escalationLevel}; escalation goes up`),
    );
  return emit(state, c, ctx, [
    fact("ComplaintEscalated", {
      fromLevel: state.escalationLevel,
      toLevel: c.toLevel,
      reason: c.reason,
      clock: c.clock,
      automatic: c.automatic,
    }),
  ]);
}

/** an approver of an authorised role, a reason, and the complainant told. */
export function extend(state: OpenComplaint, c: CommandOf<"ExtendDeadline">, ctx: DecideContext): Decision {
  if (!c.complainantNotified)
    return refused(
      reject("extension/complainant-not-notified", "the complainant must be told of the extension"),
    );
  if (!ctx.policy.extensionApproverRoles.includes(c.approvedBy.role))
    return refused(
      reject(
        "extension/approver-not-authorised",
        `role ${c.approvedBy.role} may not approve extensions (${ctx.policy.extensionApproverRoles.join(", ")})`,
      ),
    );
  if (state.complainedAbout?.id !== undefined && c.approvedBy.id === state.complainedAbout.id)
    return refused(reject("complaint/recusal", "the person complained about may not approve an extension"));
  if (!ctx.policy.clocks.some((k) => k.id === c.clock))
    return refused(reject("extension/unknown-clock", `policy ${ctx.policy.id} has no clock ${c.clock}`));
  return emit(state, c, ctx, [
    fact("DeadlineExtended", {
      clock: c.clock,
      extension: c.extension,
      reason: c.reason,
      approvedBy: c.approvedBy,
      complainantNotified: true,
    }),
  ]);
}

/** once per case. */
export function acknowledge(
  state: OpenComplaint,
  c: CommandOf<"AcknowledgeReceipt">,
  ctx: DecideContext,
): Decision {
  if (state.acknowledged)
    return refused(
      reject("complaint/already-acknowledged", `case ${state.caseNumber} was already acknowledged`),
    );
  return emit(state, c, ctx, [
    fact("ReceiptAcknowledged", {
      handler: c.handler,
      expectedResponseBy: c.expectedResponseBy,
      channel: c.channel,
    }),
  ]);
}

/** waiting on the complainant pauses the clocks that the policy says pause. */
export function waiting(
  state: OpenComplaint,
  c: CommandOf<"StartWaitingOnComplainant"> | CommandOf<"EndWaitingOnComplainant">,
  ctx: DecideContext,
): Decision {
  if (c.type === "StartWaitingOnComplainant") {
    if (state.waitingOnComplainant)
      return refused(reject("complaint/waiting-on-complainant", "the case already waits on the complainant"));
    return emit(state, c, ctx, [fact("WaitingOnComplainantStarted", { reason: c.reason })]);
  }
  if (!state.waitingOnComplainant)
    return refused(reject("complaint/not-waiting", "the case is not waiting on the complainant"));
  return emit(state, c, ctx, [fact("WaitingOnComplainantEnded", { note: c.note })]);
}

/** An explicit change of the policy that judges an open case. */
export function changePolicy(
  state: OpenComplaint,
  c: CommandOf<"ChangePolicy">,
  ctx: DecideContext,
): Decision {
  if (c.to.id !== ctx.policy.id || c.to.version !== ctx.policy.version)
    return refused(
      reject(
        "policy/mismatch",
        `the context carries policy ${ctx.policy.id}@${ctx.policy.version}, not ${c.to.id}@${c.to.version}`,
      ),
    );
  const to = policyRef(ctx);
  if (
    state.policy.id === to.id &&
    state.policy.version === to.version &&
    state.policy.calendar?.version === to.calendar?.version
  )
    return refused(reject("policy/mismatch", `the case is already judged by ${c.to.id}@${c.to.version}`));
  return emit(state, c, ctx, [fact("PolicyChanged", { from: state.policy, to, reason: c.reason })]);
}
