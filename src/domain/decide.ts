import { type Command, CommandSchema, type CommandType } from "./commands.js";
import type { DecideContext } from "./context.js";
import { close, reopen, withdraw } from "./decideClosure.js";
import {
  accountability,
  answerResolution,
  corrective,
  investigate,
  propose,
  resolveOnTheSpot,
  revisit,
} from "./decideHandling.js";
import {
  acceptAssignment,
  acknowledge,
  assign,
  changePolicy,
  changeSeverity,
  classify,
  escalate,
  extend,
  receive,
  waiting,
} from "./decideIntake.js";
import { type Decision, emit, fact, refused } from "./decision.js";
import { assertNever } from "./evolve.js";
import { type Rejection, reject } from "./rejection.js";
import type { ComplaintState } from "./state.js";

/**
 * R-28 被投诉人应当回避 (002:30): the person complained about may not act on the case at all,
 * except to be the one who first received it (R-06 then obliges them to hand it over).
 */
const NOT_RECUSED: ReadonlySet<CommandType> = new Set<CommandType>(["ReceiveComplaint"]);

/**
 * Decides what a command means for a complaint: the new events, or a rejection with a stable
 * code and a message naming the DOMAIN rule. Pure (time, ids and the actor come from `ctx`);
 * never throws for a business rejection.
 * @example
 * const d = decide(state, { type: "AcceptResolution" }, ctx);
 * if (!d.ok) console.log(d.rejection.code, d.rejection.message);
 */
export function decide(state: ComplaintState, command: Command, ctx: DecideContext): Decision {
  if (command.type === "ReceiveComplaint") return receive(state, command, ctx);
  if (state.stage === "none")
    return refused(
      reject("complaint/not-found", `stream ${state.streamId} has no complaint; receive it first`),
    );
  // History is append-only in time too: SLA clocks and reports read events in stream order.
  if (command.occurredAt !== undefined && command.occurredAt < state.updatedAt)
    return refused({
      code: "command/invalid",
      message: `occurredAt: ${command.occurredAt} is before the case's last event (${state.updatedAt})`,
      fields: [{ path: "occurredAt", message: `must not be before ${state.updatedAt}` }],
    });
  if (state.stage === "closed") {
    if (command.type === "ReopenComplaint") return reopen(state, command, ctx);
    return refused(
      reject("complaint/closed", `case ${state.caseNumber} is closed; only a reopen is accepted`),
    );
  }
  if (command.type === "ReopenComplaint")
    return refused(reject("complaint/not-closed", `case ${state.caseNumber} is open`));
  if (
    command.type !== "ChangePolicy" &&
    (state.policy.id !== ctx.policy.id || state.policy.version !== ctx.policy.version)
  )
    return refused(
      reject(
        "policy/mismatch",
        `case ${state.caseNumber} is judged by ${state.policy.id}@${state.policy.version}, the context carries ${ctx.policy.id}@${ctx.policy.version}; apply ChangePolicy first`,
      ),
    );
  if (
    !NOT_RECUSED.has(command.type) &&
    state.complainedAbout?.id !== undefined &&
    state.complainedAbout.id === ctx.actor.id
  )
    return refused(
      reject("complaint/recusal", "the person complained about may not handle or investigate the complaint"),
    );
  switch (command.type) {
    case "UpdateComplainantContact":
      return emit(state, command, ctx, [
        fact("ComplainantContactChanged", {
          complainantId: state.complainantId,
          personalData: command.personalData,
        }),
      ]);
    case "AcknowledgeReceipt":
      return acknowledge(state, command, ctx);
    case "ClassifyComplaint":
      return classify(state, command, ctx);
    case "ChangeSeverity":
      return changeSeverity(state, command, ctx);
    case "AssignComplaint":
      return assign(state, command, ctx);
    case "AcceptAssignment":
      return acceptAssignment(state, command, ctx);
    case "EscalateComplaint":
      return escalate(state, command, ctx);
    case "RecordInvestigation":
      return investigate(state, command, ctx);
    case "ProposeResolution":
      return propose(state, command, ctx);
    case "ResolveOnTheSpot":
      return resolveOnTheSpot(state, command, ctx);
    case "AcceptResolution":
    case "RejectResolution":
      return answerResolution(state, command, ctx);
    case "RecordRevisit":
      return revisit(state, command, ctx);
    case "CloseComplaint":
      return close(state, command, ctx);
    case "WithdrawComplaint":
      return withdraw(state, command, ctx);
    case "ExtendDeadline":
      return extend(state, command, ctx);
    case "ReportProgress":
      return emit(state, command, ctx, [
        fact("ProgressReported", { message: command.message, channel: command.channel }),
      ]);
    case "StartWaitingOnComplainant":
    case "EndWaitingOnComplainant":
      return waiting(state, command, ctx);
    case "PlanCorrectiveAction":
    case "RecordCorrectiveActionImplemented":
    case "VerifyCorrectiveAction":
      return corrective(state, command, ctx);
    case "RecordAccountability":
      return accountability(state, command, ctx);
    case "InformRegulator":
      return emit(state, command, ctx, [
        fact("RegulatorInformed", {
          regulator: command.regulator,
          summary: command.summary,
          reference: command.reference,
        }),
      ]);
    case "ChangePolicy":
      return changePolicy(state, command, ctx);
    default:
      return assertNever(command);
  }
}

/** The result of {@link parseCommand}. */
export type CommandParseResult =
  | { readonly ok: true; readonly command: Command }
  | { readonly ok: false; readonly rejection: Rejection };

/**
 * Validates untrusted input (JSON from a form, a queue, the CLI) as a command. A malformed
 * payload gives a `command/invalid` rejection whose `fields` name every failing field.
 */
export function parseCommand(input: unknown): CommandParseResult {
  const result = CommandSchema.safeParse(input);
  if (result.success) {
    const path = unstorableText(result.data, []);
    if (!path) return { ok: true, command: result.data };
    const field = { path: path.join(".") || "(root)", message: UNSTORABLE_MESSAGE };
    return {
      ok: false,
      rejection: {
        code: "command/invalid",
        message: `invalid command: ${field.path}: ${field.message}`,
        fields: [field],
      },
    };
  }
  // An unknown key is reported on its parent object; name each key so the caller sees which field.
  const fields = result.error.issues.flatMap((issue) =>
    (issue.code === "unrecognized_keys" ? issue.keys.map((k) => [...issue.path, k]) : [issue.path]).map(
      (path) => ({ path: path.map(String).join(".") || "(root)", message: issue.message }),
    ),
  );
  return {
    ok: false,
    rejection: {
      code: "command/invalid",
      message: `invalid command: ${fields.map((f) => `${f.path}: ${f.message}`).join("; ")}`,
      fields,
    },
  };
}

const UNSTORABLE_MESSAGE = "text must not contain NUL characters or unpaired surrogates";
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * The path of the first text no store can keep as given, or undefined. PostgreSQL refuses NUL
 * and unpaired surrogates (in `jsonb` and `text` alike), and SQLite turns an unpaired surrogate
 * into U+FFFD, so two different command ids could become one: refused here, on every store.
 */
function unstorableText(value: unknown, path: string[]): string[] | undefined {
  if (typeof value === "string")
    return value.includes("\u0000") || LONE_SURROGATE.test(value) ? path : undefined;
  if (value === null || typeof value !== "object") return undefined;
  for (const [key, item] of Object.entries(value)) {
    const found = unstorableText(item, [...path, key]);
    if (found) return found;
  }
  return undefined;
}
