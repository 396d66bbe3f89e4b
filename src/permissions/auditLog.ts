import type { Clock } from "../domain/context.js";
import type { ComplaintId } from "../domain/ids.js";
import type { RejectionCode } from "../domain/rejection.js";
import type { Actor } from "../domain/values.js";
import type { OnRejected } from "../stores/handle.js";

/** One refused attempt, as {@link createMemoryAuditLog} records it. */
export interface AuditEntry {
  /** When it was refused, by the log's clock. */
  readonly at: string;
  /** The case the command was for. */
  readonly streamId: ComplaintId;
  /** Who tried. */
  readonly actor: Actor;
  /** The submitted command's `type` and `commandId`, when it had them. */
  readonly commandType: string | undefined;
  /** See `commandType`. */
  readonly commandId: string | undefined;
  /** The rejection's code. */
  readonly code: RejectionCode;
  /** The rule the rejection enforces, if any. */
  readonly rule: string | undefined;
  /** The rejection's message. */
  readonly message: string;
}

/** An in-memory log of refused attempts; pass `onRejected` in the handle context. */
export interface MemoryAuditLog {
  /** Records one refused attempt; give it to `handle` as the context's `onRejected`. */
  readonly onRejected: OnRejected;
  /** The entries, oldest first. */
  entries(): readonly AuditEntry[];
}

/** Options of {@link createMemoryAuditLog}. */
export interface MemoryAuditLogOptions {
  /** Stamps each entry's `at`. */
  readonly clock: Clock;
  /** Keep at most this many entries, dropping the oldest (default 10 000). */
  readonly limit?: number | undefined;
}

const field = (command: unknown, name: "type" | "commandId"): string | undefined => {
  if (command === null || typeof command !== "object") return undefined;
  const value = (command as Record<string, unknown>)[name];
  return typeof value === "string" ? value : undefined;
};

/**
 * A small in-memory audit log of refused commands (permission denials, recusals, authority
 * limits, malformed input), for tests, demos and as the model of a persistent one. It records
 * no command payload, so no personal data lands in it.
 * @example
 * const audit = createMemoryAuditLog({ clock: systemClock });
 * await handle(store, id, command, { ...ctx, permissions, onRejected: audit.onRejected });
 * audit.entries().filter((e) => e.code === "permission/denied");
 */
export function createMemoryAuditLog(options: MemoryAuditLogOptions): MemoryAuditLog {
  const limit = Math.max(1, options.limit ?? 10_000);
  const log: AuditEntry[] = [];
  return {
    onRejected(rejection, command, actor, streamId) {
      log.push({
        at: options.clock.now().toISOString(),
        streamId,
        actor: { id: actor.id, role: actor.role, unit: actor.unit },
        commandType: field(command, "type"),
        commandId: field(command, "commandId"),
        code: rejection.code,
        rule: rejection.rule,
        message: rejection.message,
      });
      if (log.length > limit) log.splice(0, log.length - limit);
    },
    entries: () => log.map((entry) => ({ ...entry, actor: { ...entry.actor } })),
  };
}
