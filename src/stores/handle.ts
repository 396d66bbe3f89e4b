import { caseNumberScope } from "../domain/caseNumber.js";
import type { Command } from "../domain/commands.js";
import type { DecideContext } from "../domain/context.js";
import { decide, parseCommand } from "../domain/decide.js";
import type { RecordedEvent } from "../domain/events.js";
import { fold } from "../domain/evolve.js";
import type { ComplaintId } from "../domain/ids.js";
import type { Rejection } from "../domain/rejection.js";
import { type ComplaintState, initialState } from "../domain/state.js";
import type { Actor } from "../domain/values.js";
import {
  checkPermission,
  maySeePersonalData,
  type PermissionPolicy,
} from "../permissions/permissionPolicy.js";
import { redactPersonalData } from "../privacy/redact.js";
import { type AppendResult, type EventStore, isConcurrencyError } from "./eventStore.js";

/**
 * Called with every rejection {@link handle} answers: `command` is the input as submitted
 * (it may not even parse), `actor` who submitted it.
 */
export type OnRejected = (
  rejection: Rejection,
  command: unknown,
  actor: Actor,
  streamId: ComplaintId,
) => void | Promise<void>;

/** The context of {@link handle}: the decide context without the serial (the store allocates it). */
export interface HandleContext extends Omit<DecideContext, "serial"> {
  /** How many times a concurrency conflict is retried (reload, decide again). Default 5. */
  readonly maxRetries?: number | undefined;
  /**
   * Who may issue which command, by `actor.role`: a command the role may not issue is a
   * `permission/denied` rejection before anything is read, and a role that may not see
   * personal data gets the result's events redacted. Without it, nothing is checked.
   * Recusal and authority hold whatever the permissions say.
   */
  readonly permissions?: PermissionPolicy | undefined;
  /** Observes refused attempts (an audit log, an alert); awaited before `handle` answers, and a throw propagates. */
  readonly onRejected?: OnRejected | undefined;
}

/** The outcome of {@link handle}. */
export type HandleResult =
  | {
      readonly ok: true;
      readonly streamId: ComplaintId;
      readonly events: readonly RecordedEvent[];
      readonly state: ComplaintState;
      /** True when this command id had been handled before: nothing new was appended. */
      readonly alreadyHandled: boolean;
    }
  | { readonly ok: false; readonly streamId: ComplaintId; readonly rejection: Rejection };

/**
 * Handles one command: parse, load, decide, append with the expected version. A concurrency
 * conflict reloads and decides again (bounded); the same `commandId` twice appends once and
 * answers the first result. Malformed input is a `command/invalid` rejection naming the fields;
 * nothing is appended for any rejection.
 * @example
 * const r = await handle(store, id, { type: "AcceptResolution", commandId: "msg-42" }, ctx);
 * if (!r.ok) console.error(r.rejection.message);
 */
export async function handle(
  store: EventStore,
  streamId: ComplaintId,
  input: unknown,
  ctx: HandleContext,
): Promise<HandleResult> {
  const result = await handleCommand(store, streamId, input, ctx);
  if (!result.ok) {
    await ctx.onRejected?.(result.rejection, input, ctx.actor, streamId);
    return result;
  }
  if (!ctx.permissions || maySeePersonalData(ctx.permissions, ctx.actor.role)) return result;
  // The events of an earlier command with the same id are answered too: never in clear to a
  // role that may not see them.
  return { ...result, events: result.events.map((e) => redactPersonalData(e, false)) };
}

async function handleCommand(
  store: EventStore,
  streamId: ComplaintId,
  input: unknown,
  ctx: HandleContext,
): Promise<HandleResult> {
  const parsed = parseCommand(input);
  if (!parsed.ok) return { ok: false, streamId, rejection: parsed.rejection };
  const denied = ctx.permissions && checkPermission(ctx.permissions, ctx.actor.role, parsed.command.type);
  if (denied) return { ok: false, streamId, rejection: denied };
  // A fixed id before the first attempt: retries and duplicates are the same command.
  const command: Command = { ...parsed.command, commandId: parsed.command.commandId ?? ctx.ids.next() };
  const commandId = command.commandId!;

  const previous = await store.findCommand(commandId);
  if (previous) return answered(store, streamId, commandId, previous);

  const maxRetries = ctx.maxRetries ?? 5;
  for (let attempt = 0; ; attempt++) {
    const history = await store.readStream(streamId);
    const state = fold(initialState(streamId), history);
    const needsSerial =
      command.type === "ReceiveComplaint" && command.caseNumber === undefined && state.stage === "none";
    // A registration is checked before a serial is spent on it, so refusals leave no gaps.
    if (needsSerial) {
      const dryRun = decide(state, command, { ...ctx, serial: 0 });
      if (!dryRun.ok) return { ok: false, streamId, rejection: dryRun.rejection };
    }
    const serial = needsSerial
      ? await store.nextSerial(
          caseNumberScope(ctx.policy, command.occurredAt ? new Date(command.occurredAt) : ctx.clock.now()),
        )
      : undefined;
    const decision = decide(state, command, serial === undefined ? ctx : { ...ctx, serial });
    if (!decision.ok) {
      // Another writer may have handled this very command since the check above (a retried
      // intake racing its first delivery); its result, not "already received", is the answer.
      const raced = await store.findCommand(commandId);
      if (raced) return answered(store, streamId, commandId, raced);
      return { ok: false, streamId, rejection: decision.rejection };
    }
    const next = fold(state, decision.events);
    try {
      const appended = await store.appendToStream(streamId, decision.events, {
        expectedVersion: state.version === 0 ? "no-stream" : state.version,
        meta: { caseNumber: next.stage === "none" ? undefined : next.caseNumber, stage: next.stage },
      });
      if (appended.alreadyAppended) return answered(store, streamId, commandId, appended);
      return { ok: true, streamId, events: appended.events, state: next, alreadyHandled: false };
    } catch (error) {
      if (isConcurrencyError(error) && attempt < maxRetries) continue;
      throw error;
    }
  }
}

/** The answer to a command id seen before: the first result, or a refusal on another stream. */
async function answered(
  store: EventStore,
  streamId: ComplaintId,
  commandId: string,
  previous: AppendResult,
): Promise<HandleResult> {
  if (previous.streamId === streamId) return already(store, previous.streamId, previous.events);
  return {
    ok: false,
    streamId,
    rejection: {
      code: "command/id-reused",
      message: `command id ${commandId} was already used for stream ${previous.streamId}`,
      fields: [{ path: "commandId", message: "already used for another stream" }],
    },
  };
}

async function already(
  store: EventStore,
  streamId: ComplaintId,
  events: readonly RecordedEvent[],
): Promise<HandleResult> {
  const state = fold(initialState(streamId), await store.readStream(streamId));
  return { ok: true, streamId, events, state, alreadyHandled: true };
}

/** Thrown by {@link handleOrThrow} when a command is rejected. */
export class CommandRejectedError extends Error {
  /** Always `"CommandRejectedError"`. */
  override readonly name = "CommandRejectedError" as const;
  /** The rejection's code, to match on. */
  readonly code: Rejection["code"];
  constructor(
    /** The rejection `handle` returned. */
    readonly rejection: Rejection,
  ) {
    super(rejection.message);
    this.code = rejection.code;
  }
}

/** Is `error` a {@link CommandRejectedError}? */
export function isCommandRejectedError(error: unknown): error is CommandRejectedError {
  return error instanceof Error && error.name === "CommandRejectedError";
}

/**
 * {@link handle} for callers who prefer exceptions.
 * @throws CommandRejectedError carrying the rejection.
 */
export async function handleOrThrow(
  store: EventStore,
  streamId: ComplaintId,
  input: unknown,
  ctx: HandleContext,
): Promise<Extract<HandleResult, { ok: true }>> {
  const result = await handle(store, streamId, input, ctx);
  if (!result.ok) throw new CommandRejectedError(result.rejection);
  return result;
}
