import type { ComplaintEvent, RecordedEvent } from "../domain/events.js";
import type { ComplaintId } from "../domain/ids.js";
import { GENESIS_HASH, type IntegrityRange, type IntegrityRecord, sealBatch } from "../integrity/seal.js";
import { DigestArena } from "./arena.js";
import {
  type AppendOptions,
  type AppendResult,
  ConcurrencyError,
  type EventStore,
  expectedVersionHolds,
  type ReadAllOptions,
  type ReadStreamOptions,
  type StreamInfo,
  type SubscribeOptions,
  type Subscription,
} from "./eventStore.js";
import { createSubscription } from "./subscription.js";

interface StreamRecord {
  readonly events: RecordedEvent[];
  info: StreamInfo;
}

/** What the memory store hashes: the event as stored, without its position. */
function envelopeOf(event: RecordedEvent): unknown {
  const { position: _position, ...envelope } = event;
  return envelope;
}

/**
 * A deep copy of JSON data (objects, arrays, strings, numbers, booleans, null; `undefined`
 * members are kept). Events are such data, and this is several times faster than
 * `structuredClone`, which made copying the larger part of every read and of a projection
 * rebuild on this store.
 */
function copyJson<T>(value: T): T {
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) out[i] = copyJson(value[i]);
    return out as T;
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const member = copyJson((value as Record<string, unknown>)[key]);
    // An own `__proto__` key (JSON.parse makes them) must stay data, not become the prototype.
    if (key === "__proto__")
      Object.defineProperty(out, key, {
        value: member,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    else out[key] = member;
  }
  return out as T;
}

/**
 * The in-memory store: the reference implementation of {@link EventStore}, for tests, demos
 * and single-process apps that keep nothing. Events are copied in and out, so callers can
 * never change what was stored.
 * @example
 * const store = createMemoryStore();
 * await handle(store, id, { type: "ReceiveComplaint", … }, ctx);
 */
export function createMemoryStore(): EventStore {
  const streams = new Map<string, StreamRecord>();
  const log: RecordedEvent[] = [];
  /** The `hash` and `chain` of `log[i]`'s seal, computed at append time, at `i`. */
  const seals = new DigestArena();
  let logHead = GENESIS_HASH;
  const commands = new Map<string, { streamId: ComplaintId; from: number; to: number; created: boolean }>();
  const serials = new Map<string, number>();
  const listeners = new Set<() => void>();
  let closed = false;

  const copy = copyJson;
  const ensureOpen = () => {
    if (closed) throw new Error("the memory store is closed");
  };

  function resultOf(commandId: string): AppendResult | undefined {
    const entry = commands.get(commandId);
    if (!entry) return undefined;
    const stream = streams.get(entry.streamId)!;
    return {
      streamId: entry.streamId,
      nextExpectedVersion: entry.to,
      createdStream: entry.created,
      alreadyAppended: true,
      events: stream.events.slice(entry.from - 1, entry.to).map(copy),
    };
  }

  async function readAll(options: ReadAllOptions = {}): Promise<readonly RecordedEvent[]> {
    ensureOpen();
    const after = Math.max(0, options.after ?? 0);
    return log.slice(after, after + (options.limit ?? 1000)).map(copy);
  }

  return {
    async appendToStream(streamId: ComplaintId, events: readonly ComplaintEvent[], options: AppendOptions) {
      ensureOpen();
      const commandId = events[0]?.metadata.commandId;
      const previous = commandId === undefined ? undefined : resultOf(commandId);
      if (previous) return previous;
      const stream = streams.get(streamId);
      const actual = stream ? stream.events.length : 0;
      if (!expectedVersionHolds(options.expectedVersion, actual))
        throw new ConcurrencyError(streamId, options.expectedVersion, actual);
      if (events.length === 0)
        return {
          streamId,
          nextExpectedVersion: actual,
          createdStream: false,
          alreadyAppended: false,
          events: [],
        };
      const recorded = events.map(
        (e, i) =>
          ({ ...copy(e), streamId, version: actual + i + 1, position: log.length + i + 1 }) as RecordedEvent,
      );
      const first = recorded[0]!;
      const last = recorded[recorded.length - 1]!;
      const streamHead = actual === 0 ? GENESIS_HASH : seals.hash(stream!.events[actual - 1]!.position - 1);
      for (const seal of sealBatch(streamHead, logHead, recorded.map(envelopeOf))) {
        seals.push(seal.hash, seal.chain);
        logHead = seal.chain;
      }
      const record: StreamRecord = stream ?? {
        events: [],
        info: { streamId, version: 0, createdAt: first.recordedAt, updatedAt: first.recordedAt },
      };
      record.events.push(...recorded);
      record.info = {
        ...record.info,
        version: last.version,
        updatedAt: last.recordedAt,
        caseNumber: options.meta?.caseNumber ?? record.info.caseNumber,
        stage: options.meta?.stage ?? record.info.stage,
      };
      streams.set(streamId, record);
      log.push(...recorded);
      if (commandId !== undefined)
        commands.set(commandId, { streamId, from: first.version, to: last.version, created: !stream });
      for (const notify of listeners) notify();
      return {
        streamId,
        nextExpectedVersion: last.version,
        createdStream: !stream,
        alreadyAppended: false,
        events: recorded.map(copy),
      };
    },

    async readStream(streamId: ComplaintId, options: ReadStreamOptions = {}) {
      ensureOpen();
      const events = streams.get(streamId)?.events ?? [];
      const max = options.maxCount ?? Number.POSITIVE_INFINITY;
      if (options.direction === "backward") {
        const top = Math.min(options.fromVersion ?? events.length, events.length);
        return events
          .slice(Math.max(0, top - max), top)
          .reverse()
          .map(copy);
      }
      const start = Math.max(1, options.fromVersion ?? 1) - 1;
      return events.slice(start, start + max).map(copy);
    },

    readAll,

    subscribe(options: SubscribeOptions): Subscription {
      ensureOpen();
      return createSubscription(readAll, options, (notify) => {
        listeners.add(notify);
        return () => listeners.delete(notify);
      });
    },

    async streamInfo(streamId: ComplaintId) {
      ensureOpen();
      const info = streams.get(streamId)?.info;
      return info ? { ...info } : undefined;
    },

    async findCommand(commandId: string) {
      ensureOpen();
      return resultOf(commandId);
    },

    async nextSerial(scope: string) {
      ensureOpen();
      const next = (serials.get(scope) ?? 0) + 1;
      serials.set(scope, next);
      return next;
    },

    async readIntegrity(range: IntegrityRange): Promise<readonly IntegrityRecord[]> {
      ensureOpen();
      const limit = Math.max(0, range.limit ?? 1000);
      const events =
        range.streamId === undefined
          ? log.slice(Math.max(0, range.after ?? 0), Math.max(0, range.after ?? 0) + limit)
          : (streams.get(range.streamId)?.events ?? []).slice(
              Math.max(1, range.fromVersion ?? 1) - 1,
              Math.max(1, range.fromVersion ?? 1) - 1 + limit,
            );
      return events.map((event) => {
        const previous =
          event.version === 1 ? undefined : streams.get(event.streamId)!.events[event.version - 2]!.position;
        return {
          position: event.position,
          streamId: event.streamId as ComplaintId,
          version: event.version,
          envelope: copy(envelopeOf(event)),
          hash: seals.hash(event.position - 1),
          prevHash: previous === undefined ? GENESIS_HASH : seals.hash(previous - 1),
          chain: seals.chain(event.position - 1),
        };
      });
    },

    async close() {
      closed = true;
      listeners.clear();
    },
  };
}
