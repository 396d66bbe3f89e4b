import type { z } from "zod";
import type { Command } from "./commands.js";
import type { DecideContext } from "./context.js";
import {
  type ComplaintEvent,
  type ComplaintEventType,
  CURRENT_SCHEMA_VERSIONS,
  type EventData,
} from "./events.js";
import type { Rejection } from "./rejection.js";
import type { ComplaintState } from "./state.js";

/** The outcome of `decide`: the new events, or a rejection. Never thrown. */
export type Decision =
  | { readonly ok: true; readonly events: readonly ComplaintEvent[] }
  | { readonly ok: false; readonly rejection: Rejection };

/** An event to emit: its type and payload; the envelope is filled by {@link emit}. */
export type Fact = {
  [T in ComplaintEventType]: { readonly type: T; readonly data: z.output<(typeof EventData)[T]> };
}[ComplaintEventType];

/** A type-checked fact. */
export function fact<T extends ComplaintEventType>(type: T, data: z.output<(typeof EventData)[T]>): Fact {
  return { type, data } as Fact;
}

/** Wraps facts in envelopes: ids, versions after the state's, timestamps, actor and tracing. */
export function emit(
  state: ComplaintState,
  command: Command,
  ctx: DecideContext,
  facts: readonly Fact[],
): Decision {
  const now = ctx.clock.now().toISOString();
  const occurredAt = command.occurredAt ?? now;
  const commandId = command.commandId ?? ctx.ids.next();
  const metadata = {
    correlationId: command.correlationId ?? commandId,
    causationId: command.causationId ?? commandId,
    commandId,
  };
  const actor = { id: ctx.actor.id, role: ctx.actor.role, unit: ctx.actor.unit };
  const events = facts.map(
    (f, i) =>
      ({
        id: ctx.ids.next(),
        streamId: state.streamId,
        version: state.version + i + 1,
        type: f.type,
        data: withoutUndefined(f.data),
        occurredAt,
        recordedAt: now,
        actor,
        metadata,
        schemaVersion: CURRENT_SCHEMA_VERSIONS[f.type],
      }) as ComplaintEvent,
  );
  return { ok: true, events };
}

/** A rejected decision. */
export function refused(rejection: Rejection): Decision {
  return { ok: false, rejection };
}

// Optional fields left undefined would vanish in JSON and -0 (which the money and quantity
// schemas accept) would come back as 0; dropping and normalising them here makes every event
// survive a JSON round trip exactly.
function withoutUndefined<T>(value: T): T {
  if (Array.isArray(value)) return value.map(withoutUndefined) as T;
  if (Object.is(value, -0)) return 0 as T;
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = withoutUndefined(v);
  return out as T;
}
