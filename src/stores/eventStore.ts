import type { ComplaintEvent, RecordedEvent } from "../domain/events.js";
import type { ComplaintId } from "../domain/ids.js";
import type { IntegrityRange, IntegrityRecord } from "../integrity/seal.js";

/**
 * What the writer believes the stream's version is:
 * a number (exactly that version), `"no-stream"` (the stream must not exist),
 * `"stream-exists"` (it must exist, any version) or `"any"` (no check).
 */
export type ExpectedVersion = number | "no-stream" | "stream-exists" | "any";

/** Options of {@link EventStore.appendToStream}. */
export interface AppendOptions {
  /** The version the writer decided on; the append fails with a {@link ConcurrencyError} otherwise. */
  readonly expectedVersion: ExpectedVersion;
  /** Stream metadata kept beside the events, so lists need no fold. */
  readonly meta?:
    | { readonly caseNumber?: string | undefined; readonly stage?: string | undefined }
    | undefined;
}

/** The outcome of an append. */
export interface AppendResult {
  /** The stream appended to. */
  readonly streamId: ComplaintId;
  /** The stream's version after the append. */
  readonly nextExpectedVersion: number;
  /** True when this append created the stream. */
  readonly createdStream: boolean;
  /**
   * True when the batch's `commandId` had been appended before: nothing was written and
   * `events` are the events of that first append (idempotent intake).
   */
  readonly alreadyAppended: boolean;
  /** The events as stored, with their positions. */
  readonly events: readonly RecordedEvent[];
}

/** Options of {@link EventStore.readStream}. */
export interface ReadStreamOptions {
  /** Forward: the first version to read (default 1). Backward: the highest (default: the last). */
  readonly fromVersion?: number | undefined;
  /** Oldest first (default) or newest first. */
  readonly direction?: "forward" | "backward" | undefined;
  /** The most events to return (default: all). */
  readonly maxCount?: number | undefined;
}

/** Options of {@link EventStore.readAll}: one batch of the global log. */
export interface ReadAllOptions {
  /** Read events whose position is greater than this (default 0: from the start). */
  readonly after?: number | undefined;
  /** The most events to return (default 1000). */
  readonly limit?: number | undefined;
}

/** Stream metadata, available without folding. */
export interface StreamInfo {
  /** The stream. */
  readonly streamId: ComplaintId;
  /** Its current version (the number of events). */
  readonly version: number;
  /** The case number, as the last append's metadata gave it. */
  readonly caseNumber?: string | undefined;
  /** The stage, as the last append's metadata gave it. */
  readonly stage?: string | undefined;
  /** When the first event was stored (ISO 8601). */
  readonly createdAt: string;
  /** When the last event was stored (ISO 8601). */
  readonly updatedAt: string;
}

/** A live feed of the global log, see {@link EventStore.subscribe}. */
export interface Subscription {
  /** Stops delivery; resolves when the handler is no longer running. */
  close(): Promise<void>;
  /** Resolves when the handler has seen every event appended so far (for tests and shutdown). */
  caughtUp(): Promise<void>;
}

/** Options of {@link EventStore.subscribe}. */
export interface SubscribeOptions {
  /** Deliver events after this position (default 0: everything). */
  readonly after?: number | undefined;
  /** The most events per call of `onEvents` (default 500). */
  readonly batchSize?: number | undefined;
  /** Called with batches in position order; the next batch waits for the returned promise. */
  readonly onEvents: (events: readonly RecordedEvent[]) => void | Promise<void>;
  /** Called when the handler throws; delivery stops. Default: rethrown on `caughtUp()`. */
  readonly onError?: ((error: unknown) => void) | undefined;
}

/**
 * The port every store implements (memory in the core; SQLite and PostgreSQL behind their
 * subpaths). Prove an implementation with `eventStoreContract` from `kesu/testing`.
 *
 * The store is authoritative for versions and positions: `appendToStream` numbers the events
 * after the stream's current version and gives each a global `position`.
 */
export interface EventStore {
  /**
   * Appends a batch atomically.
   * @throws ConcurrencyError when `expectedVersion` does not hold.
   */
  appendToStream(
    streamId: ComplaintId,
    events: readonly ComplaintEvent[],
    options: AppendOptions,
  ): Promise<AppendResult>;
  /** A stream's events (empty when the stream does not exist). */
  readStream(streamId: ComplaintId, options?: ReadStreamOptions): Promise<readonly RecordedEvent[]>;
  /** One batch of the global log, in position order, after `options.after`. */
  readAll(options?: ReadAllOptions): Promise<readonly RecordedEvent[]>;
  /** Catches up from `after`, then follows new events. */
  subscribe(options: SubscribeOptions): Subscription;
  /** Stream metadata without folding, or undefined. */
  streamInfo(streamId: ComplaintId): Promise<StreamInfo | undefined>;
  /** The result of the append that carried this command id, if any (idempotency). */
  findCommand(commandId: string): Promise<AppendResult | undefined>;
  /** The next serial (1, 2, …) in a case-number scope. Gaps are possible, duplicates never. */
  nextSerial(scope: string): Promise<number>;
  /** Releases connections and timers. */
  close(): Promise<void>;
  /**
   * Optional: the events of a range as stored, with the seals the store computed when it
   * appended them (content hash chained per stream, digest chained over the log), so
   * `verifyStream` and `verifyStore` can prove nothing was edited, removed, inserted or
   * reordered. Every kesu store implements it; a wrapper that changes events (encryption)
   * should pass it through unchanged.
   */
  readIntegrity?(range: IntegrityRange): Promise<readonly IntegrityRecord[]>;
}

/** Thrown when an append's expected version does not hold. */
export class ConcurrencyError extends Error {
  /** Always `"ConcurrencyError"`. */
  override readonly name = "ConcurrencyError" as const;
  /** Stable code to match on. */
  readonly code = "store/concurrency" as const;
  constructor(
    /** The stream appended to. */
    readonly streamId: string,
    /** The version the writer expected. */
    readonly expected: ExpectedVersion,
    /** The stream's real version (0 when it does not exist). */
    readonly actual: number,
  ) {
    super(`stream ${streamId}: expected version ${String(expected)}, actual ${actual}`);
  }
}

/** Is `error` a {@link ConcurrencyError}? */
export function isConcurrencyError(error: unknown): error is ConcurrencyError {
  return error instanceof Error && error.name === "ConcurrencyError";
}

/** Does `actual` (0 = no stream) satisfy `expected`? Shared by every adapter. */
export function expectedVersionHolds(expected: ExpectedVersion, actual: number): boolean {
  if (expected === "any") return true;
  if (expected === "no-stream") return actual === 0;
  if (expected === "stream-exists") return actual > 0;
  return expected === actual;
}

/**
 * Thrown when the store could not get its write lock in time (SQLite: another connection held
 * the database past `busyTimeoutMs`). Nothing was written; the append may be retried as is (its
 * command id keeps a retry idempotent).
 */
export class StoreBusyError extends Error {
  /** Always `"StoreBusyError"`. */
  override readonly name = "StoreBusyError" as const;
  /** Stable code to match on. */
  readonly code = "store/busy" as const;
  constructor(
    /** What was being written: `stream <id>` or `serial <scope>`. */
    readonly resource: string,
    /** How long the store waited for the lock, in milliseconds. */
    readonly waitedMs: number,
    options?: { cause?: unknown },
  ) {
    super(
      `${resource}: the store stayed locked by another connection for ${waitedMs} ms; nothing was written, retry`,
      options,
    );
  }
}

/** Is `error` a {@link StoreBusyError}? */
export function isStoreBusyError(error: unknown): error is StoreBusyError {
  return error instanceof Error && error.name === "StoreBusyError";
}

/** Thrown when a stored row no longer matches the event schema; never silently skipped. */
export class CorruptEventError extends Error {
  /** Always `"CorruptEventError"`. */
  override readonly name = "CorruptEventError" as const;
  /** Stable code to match on. */
  readonly code = "store/corrupt-event" as const;
  constructor(
    /** The stream holding the row. */
    readonly streamId: string,
    /** The row's version. */
    readonly version: number,
    /** What does not match the event schema. */
    readonly issues: string,
  ) {
    super(`stream ${streamId} version ${version} does not match the event schema: ${issues}`);
  }
}

/** Is `error` a {@link CorruptEventError}? */
export function isCorruptEventError(error: unknown): error is CorruptEventError {
  return error instanceof Error && error.name === "CorruptEventError";
}

/**
 * Reads the whole global log in batches.
 * @example for await (const batch of readAllBatches(store)) for (const e of batch) project(e);
 */
export async function* readAllBatches(
  store: Pick<EventStore, "readAll">,
  options: { after?: number; batchSize?: number } = {},
): AsyncGenerator<readonly RecordedEvent[]> {
  let after = options.after ?? 0;
  const limit = options.batchSize ?? 1000;
  for (;;) {
    const batch = await store.readAll({ after, limit });
    if (batch.length === 0) return;
    yield batch;
    after = batch[batch.length - 1]!.position;
    if (batch.length < limit) return;
  }
}
