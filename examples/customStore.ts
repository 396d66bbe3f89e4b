/**
 * An event store adapter written from scratch: the whole log in one JSON-lines file, proved with
 * `eventStoreContract` from `kesu/testing` (test/examples/customStore.test.ts). docs/store-adapter.md
 * walks through it.
 *
 * The design, in short:
 *
 * - **One line per append.** A line is a commit record holding every event of the batch with its
 *   seal, and only a complete line (ending in `\n`) counts, so a batch is all there or not at all,
 *   even if the process dies mid-write (the next writer cuts the torn line off).
 * - **One writer at a time, across processes.** An append takes a lock (a `<file>.lock` file
 *   created with `O_EXCL`), reads the lines other writers added since it last looked, checks the
 *   command id and the expected version against that up-to-date view, writes its line and lets go.
 *   Everything under the lock is synchronous, so no two appends of one process interleave either.
 * - **Positions follow the file.** Lines are appended in lock order, so positions only grow and a
 *   reader, which reads lines in file order, never sees a position before a smaller one.
 * - **The file is the truth; memory is an index.** Each store instance keeps the records it has
 *   read (envelopes and seals, a map of streams, command ids, serials) and reads the file's new
 *   lines before answering. Events are parsed against the schema whenever they are handed out.
 *
 * Limits: the index holds the whole log in memory (fine for tens of thousands of complaints, not
 * for millions); one machine (the lock is a local file); a writer killed while it holds the lock
 * leaves `<file>.lock` behind, and appends wait, then fail naming it, until someone removes it.
 *
 * Run it: `npx tsx examples/customStore.ts [file]` handles a complaint on a new (or given) file,
 * reopens the file and verifies it.
 */
import {
  closeSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  mkdtempSync,
  openSync,
  readSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import {
  type AppendOptions,
  type AppendResult,
  type ComplaintEvent,
  type ComplaintId,
  ConcurrencyError,
  CorruptEventError,
  complaintId,
  createSubscription,
  defaultPolicy,
  type EventStore,
  expectedVersionHolds,
  GENESIS_HASH,
  handleOrThrow,
  type IntegrityRange,
  type IntegrityRecord,
  type IntegritySeal,
  parseComplaintEvent,
  type ReadStreamOptions,
  type RecordedEvent,
  type StreamInfo,
  type Subscription,
  sealBatch,
  systemClock,
  UnknownSchemaVersionError,
  ulidGenerator,
  verifyStore,
} from "kesu";

/** Options of {@link createJsonLinesStore}. */
export interface JsonLinesStoreOptions {
  /** The log file; created when missing. */
  readonly path: string;
  /** Flush every append to disk before it resolves (default true). */
  readonly fsync?: boolean | undefined;
  /** How often subscriptions look for lines other processes wrote, in ms (default 100). */
  readonly pollMs?: number | undefined;
  /** How long an append waits for another writer's lock before it fails, in ms (default 10 000). */
  readonly lockTimeoutMs?: number | undefined;
}

/** One line of the file. */
type Line =
  | {
      readonly kind: "append";
      /** The position of the first event: a check that no line went missing. */
      readonly position: number;
      readonly streamId: string;
      readonly commandId?: string | undefined;
      readonly meta?: AppendOptions["meta"];
      readonly events: readonly {
        readonly envelope: Record<string, unknown>;
        readonly seal: IntegritySeal;
      }[];
    }
  | { readonly kind: "serial"; readonly scope: string; readonly value: number };

/** An event as the file holds it: the envelope (the event without its position), and its seal. */
interface StoredEvent {
  readonly position: number;
  readonly streamId: ComplaintId;
  readonly version: number;
  readonly envelope: Record<string, unknown>;
  readonly seal: IntegritySeal;
}

interface StreamIndex {
  readonly events: StoredEvent[];
  info: StreamInfo;
}

/**
 * An {@link EventStore} that keeps the whole log in one JSON-lines file. Several store instances
 * (in one process or several on the same machine) may share the file.
 * @example
 * const store = createJsonLinesStore({ path: "complaints.jsonl" });
 * await handle(store, id, { type: "ReceiveComplaint", … }, ctx);
 */
export function createJsonLinesStore(options: JsonLinesStoreOptions): EventStore {
  const { path } = options;
  const lockPath = `${path}.lock`;
  const fd = openSync(path, "a+");
  const log: StoredEvent[] = [];
  const streams = new Map<string, StreamIndex>();
  const commands = new Map<string, { streamId: ComplaintId; from: number; to: number; created: boolean }>();
  const serials = new Map<string, number>();
  const listeners = new Set<() => void>();
  const subscriptions = new Set<Subscription>();
  /** Bytes of the file read into the index so far (always the end of a complete line). */
  let consumed = 0;
  let lineNumber = 0;
  let closed = false;

  const ensureOpen = () => {
    if (closed) throw new Error("the JSON-lines store is closed");
  };

  /** Reads the complete lines written since the last call into the index. */
  function catchUp(): void {
    const size = fstatSync(fd).size;
    if (size <= consumed) return;
    const buffer = Buffer.alloc(size - consumed);
    readSync(fd, buffer, 0, buffer.length, consumed);
    const base = consumed;
    // A line still being written (no `\n` yet) is left for a later call.
    for (
      let start = 0, end = buffer.indexOf(0x0a);
      end >= 0;
      start = end + 1, end = buffer.indexOf(0x0a, start)
    ) {
      let line: Line;
      try {
        line = JSON.parse(buffer.toString("utf8", start, end)) as Line;
      } catch {
        throw new Error(`${path}:${lineNumber + 1} is not JSON: the file was edited or damaged`);
      }
      apply(line, lineNumber + 1);
      // Only a line taken into the index counts as read: a bad one fails every read, never skipped.
      lineNumber += 1;
      consumed = base + end + 1;
    }
  }

  function apply(line: Line, at: number): void {
    if (line.kind === "serial") {
      serials.set(line.scope, Math.max(serials.get(line.scope) ?? 0, line.value));
      return;
    }
    if (line.position !== log.length + 1)
      throw new Error(`${path}:${at} starts at position ${line.position}, expected ${log.length + 1}`);
    const streamId = line.streamId as ComplaintId;
    const existing = streams.get(streamId);
    const stored = line.events.map(({ envelope, seal }, i) => ({
      position: line.position + i,
      streamId,
      version: envelope.version as number,
      envelope,
      seal,
    }));
    const first = stored[0]!;
    const last = stored[stored.length - 1]!;
    const stream: StreamIndex = existing ?? {
      events: [],
      info: {
        streamId,
        version: 0,
        createdAt: first.envelope.recordedAt as string,
        updatedAt: first.envelope.recordedAt as string,
      },
    };
    stream.events.push(...stored);
    stream.info = {
      ...stream.info,
      version: last.version,
      updatedAt: last.envelope.recordedAt as string,
      caseNumber: line.meta?.caseNumber ?? stream.info.caseNumber,
      stage: line.meta?.stage ?? stream.info.stage,
    };
    streams.set(streamId, stream);
    log.push(...stored);
    if (line.commandId !== undefined)
      commands.set(line.commandId, { streamId, from: first.version, to: last.version, created: !existing });
  }

  /** Runs `work` holding the file lock, on an index that has read every complete line. */
  async function locked<T>(work: () => T): Promise<T> {
    const deadline = Date.now() + (options.lockTimeoutMs ?? 10_000);
    for (;;) {
      ensureOpen();
      let lock: number | undefined;
      try {
        lock = openSync(lockPath, "wx");
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      }
      if (lock !== undefined) {
        try {
          writeSync(lock, String(process.pid));
          dropTornTail();
          catchUp();
          return work(); // synchronous: nothing else of this process runs until it returns
        } finally {
          closeSync(lock);
          unlinkSync(lockPath);
        }
      }
      if (Date.now() > deadline)
        throw new Error(`${lockPath} is held by another writer; remove it if no process holds it`);
      await new Promise((resolve) => setTimeout(resolve, 1 + Math.random() * 4));
    }
  }

  /** A line cut short by a writer that died mid-write is not part of the log: cut it off. */
  function dropTornTail(): void {
    const size = fstatSync(fd).size;
    if (size === 0) return;
    const last = Buffer.alloc(1);
    readSync(fd, last, 0, 1, size - 1);
    if (last[0] === 0x0a) return;
    catchUp(); // reads up to the last complete line: `consumed` is where the torn part starts
    ftruncateSync(fd, consumed);
  }

  function write(line: Line): void {
    const bytes = Buffer.from(`${JSON.stringify(line)}\n`, "utf8");
    for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done, null);
    if (options.fsync ?? true) fsyncSync(fd);
    catchUp();
  }

  /** The events of an index entry, parsed at the boundary. */
  function parsed(event: StoredEvent): RecordedEvent {
    const result = parseComplaintEvent(event.envelope);
    if (!result.ok)
      throw result.tooNew
        ? new UnknownSchemaVersionError(event.streamId, event.version, result.tooNew)
        : new CorruptEventError(event.streamId, event.version, result.issues);
    return { ...result.event, position: event.position };
  }

  function answer(commandId: string): AppendResult | undefined {
    const entry = commands.get(commandId);
    if (!entry) return undefined;
    return {
      streamId: entry.streamId,
      nextExpectedVersion: entry.to,
      createdStream: entry.created,
      alreadyAppended: true,
      events: streams
        .get(entry.streamId)!
        .events.slice(entry.from - 1, entry.to)
        .map(parsed),
    };
  }

  async function readAll(range: { after?: number | undefined; limit?: number | undefined } = {}) {
    ensureOpen();
    catchUp();
    const after = Math.max(0, range.after ?? 0);
    return log.slice(after, after + (range.limit ?? 1000)).map(parsed);
  }

  try {
    catchUp();
  } catch (error) {
    closeSync(fd);
    throw error;
  }

  return {
    appendToStream(streamId, events, append) {
      return locked(() => {
        const commandId = events[0]?.metadata.commandId;
        const previous = commandId === undefined ? undefined : answer(commandId);
        if (previous) return previous;
        const stream = streams.get(streamId);
        const actual = stream?.info.version ?? 0;
        if (!expectedVersionHolds(append.expectedVersion, actual))
          throw new ConcurrencyError(streamId, append.expectedVersion, actual);
        if (events.length === 0)
          return {
            streamId,
            nextExpectedVersion: actual,
            createdStream: false,
            alreadyAppended: false,
            events: [],
          };
        // The store numbers the events, whatever versions the caller decided them with. The
        // envelope is the event as it will be read back: JSON, without its position.
        const envelopes = events.map((event: ComplaintEvent, i) => {
          const { position: _position, ...rest } = event as ComplaintEvent & { position?: number };
          const envelope: Record<string, unknown> = JSON.parse(
            JSON.stringify({ ...rest, streamId, version: actual + i + 1 }),
          );
          return envelope;
        });
        const streamHead = stream?.events.at(-1)?.seal.hash ?? GENESIS_HASH;
        const logHead = log.at(-1)?.seal.chain ?? GENESIS_HASH;
        const seals = sealBatch(streamHead, logHead, envelopes);
        const first = log.length + 1;
        write({
          kind: "append",
          position: first,
          streamId,
          ...(commandId === undefined ? {} : { commandId }),
          ...(append.meta === undefined ? {} : { meta: append.meta }),
          events: envelopes.map((envelope, i) => ({ envelope, seal: seals[i]! })),
        });
        for (const notify of listeners) notify();
        return {
          streamId,
          nextExpectedVersion: actual + events.length,
          createdStream: !stream,
          alreadyAppended: false,
          events: log.slice(first - 1, first - 1 + events.length).map(parsed),
        };
      });
    },

    async readStream(streamId, read: ReadStreamOptions = {}) {
      ensureOpen();
      catchUp();
      const events = streams.get(streamId)?.events ?? [];
      const max = read.maxCount ?? Number.POSITIVE_INFINITY;
      if (read.direction === "backward") {
        const top = Math.min(read.fromVersion ?? events.length, events.length);
        return events
          .slice(Math.max(0, top - max), top)
          .reverse()
          .map(parsed);
      }
      const start = Math.max(1, read.fromVersion ?? 1) - 1;
      return events.slice(start, start + max).map(parsed);
    },

    readAll,

    subscribe(request) {
      ensureOpen();
      // Appends of this instance wake it at once; other writers' lines are found by polling.
      const subscription = createSubscription(
        readAll,
        request,
        (notify) => {
          listeners.add(notify);
          return () => listeners.delete(notify);
        },
        options.pollMs ?? 100,
      );
      subscriptions.add(subscription);
      return {
        caughtUp: () => subscription.caughtUp(),
        close: async () => {
          subscriptions.delete(subscription);
          await subscription.close();
        },
      };
    },

    async streamInfo(streamId) {
      ensureOpen();
      catchUp();
      const info = streams.get(streamId)?.info;
      return info ? { ...info } : undefined;
    },

    async findCommand(commandId) {
      ensureOpen();
      catchUp();
      return answer(commandId);
    },

    nextSerial(scope) {
      return locked(() => {
        const value = (serials.get(scope) ?? 0) + 1;
        write({ kind: "serial", scope, value });
        return value;
      });
    },

    async readIntegrity(range: IntegrityRange): Promise<readonly IntegrityRecord[]> {
      ensureOpen();
      catchUp();
      const limit = Math.max(0, range.limit ?? 1000);
      const from =
        range.streamId === undefined
          ? Math.max(0, range.after ?? 0)
          : Math.max(1, range.fromVersion ?? 1) - 1;
      const events = range.streamId === undefined ? log : (streams.get(range.streamId)?.events ?? []);
      return events.slice(from, from + limit).map((event) => ({
        position: event.position,
        streamId: event.streamId,
        version: event.version,
        envelope: structuredClone(event.envelope),
        ...event.seal,
      }));
    },

    async close() {
      if (closed) return;
      closed = true;
      await Promise.all([...subscriptions].map((s) => s.close()));
      listeners.clear();
      closeSync(fd);
    },
  };
}

/** Handles a complaint on a JSON-lines file, then opens the file again and checks it. */
async function main(): Promise<void> {
  const path = process.argv[2] ?? join(mkdtempSync(join(tmpdir(), "kesu-jsonl-")), "complaints.jsonl");
  const ids = ulidGenerator();
  const ctx = {
    clock: systemClock,
    ids,
    policy: defaultPolicy,
    actor: { id: "wang.li", role: "staff", unit: "service-desk" },
  };
  const store = createJsonLinesStore({ path });
  const id = complaintId(ids.next());
  await handleOrThrow(
    store,
    id,
    { type: "ReceiveComplaint", channel: "hotline", complainant: { id: "c-42" }, description: "烟支空头" },
    ctx,
  );
  await handleOrThrow(store, id, { type: "ClassifyComplaint", kind: "complaint", category: "quality" }, ctx);
  await store.close();

  const reopened = createJsonLinesStore({ path });
  const info = await reopened.streamInfo(id);
  const verified = await verifyStore(reopened);
  console.log(`${path}: case ${info?.caseNumber}, ${info?.stage}, version ${info?.version}`);
  console.log(
    verified.ok ? `verified: ${verified.events} events, seals intact` : `damaged: ${verified.broken.message}`,
  );
  await reopened.close();
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
