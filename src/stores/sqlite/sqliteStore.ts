import Database from "better-sqlite3";
import type { ComplaintEvent, RecordedEvent } from "../../domain/events.js";
import type { ComplaintId } from "../../domain/ids.js";
import { canonicalRow } from "../../integrity/canonicalJson.js";
import { GENESIS_HASH, type IntegrityRange, sealCanonicalBatch } from "../../integrity/seal.js";
import {
  type AppendOptions,
  type AppendResult,
  ConcurrencyError,
  type EventStore,
  expectedVersionHolds,
  type ReadAllOptions,
  type ReadStreamOptions,
  StoreBusyError,
  type StreamInfo,
  type SubscribeOptions,
  type Subscription,
} from "../eventStore.js";
import { createSubscription } from "../subscription.js";
import { integrityRecord, SEALED_COLUMNS, type SealedRow } from "./integrity.js";
import { type EventRow, toRecordedEvent } from "./rows.js";
import { migrate } from "./schema.js";
import { isBusy, switchToWal } from "./wal.js";

/** Tuning of {@link createSqliteStore}. */
export interface SqliteTuning {
  /** How long a writer waits for another process's write lock, in ms (default 5 000). */
  readonly busyTimeoutMs?: number | undefined;
  /**
   * How often subscriptions look for events appended by other processes, in ms (default 250;
   * 0: only appends through this store wake them).
   */
  readonly pollMs?: number | undefined;
  /**
   * `NORMAL` (default): in WAL mode a commit survives a process crash but the last commits may
   * be lost on power failure or an OS crash (the file stays consistent). `FULL`: every commit is
   * synced to disk before the append resolves, at a cost in throughput.
   */
  readonly synchronous?: "NORMAL" | "FULL" | undefined;
}

/**
 * Where the SQLite store keeps its data: a file `path` (the store opens it, sets WAL mode,
 * `busy_timeout` and `synchronous`, and closes it on `close()`), or a better-sqlite3 `database`
 * you opened yourself (its pragmas are yours, and it stays open after `close()`).
 */
export type SqliteStoreOptions = ({ readonly path: string } | { readonly database: Database.Database }) &
  SqliteTuning;

interface StreamRow {
  readonly stream_id: string;
  readonly version: number;
  readonly case_number: string | null;
  readonly stage: string | null;
  readonly created_at: string;
  readonly updated_at: string;
}

interface CommandRow {
  readonly stream_id: string;
  readonly first_version: number;
  readonly last_version: number;
  readonly created_stream: number;
}

const COLUMNS = "position, stream_id, version, event";

function prepareStatements(db: Database.Database) {
  return {
    streamVersion: db.prepare<[string], { version: number }>(
      "SELECT version FROM kesu_streams WHERE stream_id = ?",
    ),
    insertEvent: db.prepare<[string, number, string, string, string, string]>(
      "INSERT INTO kesu_events (stream_id, version, event, hash, prev_hash, chain) VALUES (?, ?, ?, ?, ?, ?)",
    ),
    streamHead: db.prepare<[string, number], { hash: string | null }>(
      "SELECT hash FROM kesu_events WHERE stream_id = ? AND version = ?",
    ),
    logHead: db.prepare<[], { chain: string | null }>(
      "SELECT chain FROM kesu_events ORDER BY position DESC LIMIT 1",
    ),
    sealedStream: db.prepare<[string, number, number], SealedRow>(
      `SELECT ${SEALED_COLUMNS} FROM kesu_events WHERE stream_id = ? AND version >= ? ORDER BY version LIMIT ?`,
    ),
    sealedLog: db.prepare<[number, number], SealedRow>(
      `SELECT ${SEALED_COLUMNS} FROM kesu_events WHERE position > ? ORDER BY position LIMIT ?`,
    ),
    upsertStream: db.prepare<[string, number, string | null, string | null, string, string]>(
      `INSERT INTO kesu_streams (stream_id, version, case_number, stage, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (stream_id) DO UPDATE SET
         version = excluded.version,
         case_number = COALESCE(excluded.case_number, kesu_streams.case_number),
         stage = COALESCE(excluded.stage, kesu_streams.stage),
         updated_at = excluded.updated_at`,
    ),
    insertCommand: db.prepare<[string, string, number, number, number]>(
      `INSERT INTO kesu_commands (command_id, stream_id, first_version, last_version, created_stream)
       VALUES (?, ?, ?, ?, ?)`,
    ),
    command: db.prepare<[string], CommandRow>(
      "SELECT stream_id, first_version, last_version, created_stream FROM kesu_commands WHERE command_id = ?",
    ),
    forward: db.prepare<[string, number, number], EventRow>(
      `SELECT ${COLUMNS} FROM kesu_events WHERE stream_id = ? AND version >= ? ORDER BY version LIMIT ?`,
    ),
    backward: db.prepare<[string, number, number], EventRow>(
      `SELECT ${COLUMNS} FROM kesu_events WHERE stream_id = ? AND version <= ? ORDER BY version DESC LIMIT ?`,
    ),
    range: db.prepare<[string, number, number], EventRow>(
      `SELECT ${COLUMNS} FROM kesu_events WHERE stream_id = ? AND version BETWEEN ? AND ? ORDER BY version`,
    ),
    all: db.prepare<[number, number], EventRow>(
      `SELECT ${COLUMNS} FROM kesu_events WHERE position > ? ORDER BY position LIMIT ?`,
    ),
    lastEvent: db.prepare<[string], { version: number | null }>(
      "SELECT MAX(version) AS version FROM kesu_events WHERE stream_id = ?",
    ),
    info: db.prepare<[string], StreamRow>("SELECT * FROM kesu_streams WHERE stream_id = ?"),
    nextSerial: db.prepare<[string], { last: number }>(
      `INSERT INTO kesu_serials (scope, last) VALUES (?, 1)
       ON CONFLICT (scope) DO UPDATE SET last = last + 1 RETURNING last`,
    ),
  };
}

const isUniqueViolation = (error: unknown) => {
  const code = error instanceof Error ? (error as { code?: unknown }).code : undefined;
  return code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY";
};

/**
 * An {@link EventStore} on SQLite (better-sqlite3), for single-node apps and tests that keep
 * their data. Several processes may share one file: every append checks the expected version
 * and writes inside one `BEGIN IMMEDIATE` transaction, unique constraints back the checks, and
 * subscriptions poll for other processes' events. The schema is created and migrated on open.
 * @throws SchemaVersionError when the file was migrated by a newer kesu.
 * @example
 * import { handle, systemClock, ulidGenerator, defaultPolicy, complaintId } from "kesu";
 * import { createSqliteStore } from "kesu/sqlite";
 *
 * const store = createSqliteStore({ path: "complaints.db" });
 * const ids = ulidGenerator();
 * const ctx = { clock: systemClock, ids, actor: { id: "u1", role: "staff", unit: "service" }, policy: defaultPolicy };
 * await handle(store, complaintId(ids.next()), { type: "ReceiveComplaint", channel: "hotline",
 *   complainant: { id: "c-1" }, description: "烟支空头" }, ctx);
 * await store.close();
 */
export function createSqliteStore(options: SqliteStoreOptions): EventStore {
  const owned = "path" in options;
  const db = owned ? new Database(options.path) : options.database;
  let sql: ReturnType<typeof prepareStatements>;
  // A database the caller opened keeps its own busy_timeout; read it back for the error message.
  const busyTimeoutMs = owned
    ? Math.max(0, Math.trunc(options.busyTimeoutMs ?? 5_000))
    : Number(options.database.pragma("busy_timeout", { simple: true }) ?? 0);
  try {
    if (owned) {
      switchToWal(db, busyTimeoutMs);
      db.pragma(`synchronous = ${options.synchronous === "FULL" ? "FULL" : "NORMAL"}`);
    }
    migrate(db);
    sql = prepareStatements(db);
  } catch (error) {
    if (owned) db.close();
    throw error;
  }

  const pollMs = (options.pollMs ?? 250) > 0 ? (options.pollMs ?? 250) : undefined;
  const listeners = new Set<() => void>();
  const subscriptions = new Set<Subscription>();
  let closed = false;
  const ensureOpen = () => {
    if (closed) throw new Error("the SQLite store is closed");
  };
  const rows = (list: readonly EventRow[]) => list.map(toRecordedEvent);

  function previous(commandId: string): AppendResult | undefined {
    const row = sql.command.get(commandId);
    if (!row) return undefined;
    return {
      streamId: row.stream_id as ComplaintId,
      nextExpectedVersion: row.last_version,
      createdStream: row.created_stream === 1,
      alreadyAppended: true,
      events: rows(sql.range.all(row.stream_id, row.first_version, row.last_version)),
    };
  }

  const append = db.transaction(
    (streamId: ComplaintId, events: readonly ComplaintEvent[], expect: AppendOptions): AppendResult => {
      const commandId = events[0]?.metadata.commandId;
      const before = commandId === undefined ? undefined : previous(commandId);
      if (before) return before;
      const actual = sql.streamVersion.get(streamId)?.version ?? 0;
      if (!expectedVersionHolds(expect.expectedVersion, actual))
        throw new ConcurrencyError(streamId, expect.expectedVersion, actual);
      if (events.length === 0)
        return {
          streamId,
          nextExpectedVersion: actual,
          createdStream: false,
          alreadyAppended: false,
          events: [],
        };
      // Sealed under the write lock: the log's last digest cannot move until this commits.
      // Each event is serialised once, for the row's text and the sealed envelope alike.
      const texts = events.map((event, i) => canonicalRow(event, streamId, actual + i + 1));
      const seals = sealCanonicalBatch(
        actual === 0 ? GENESIS_HASH : (sql.streamHead.get(streamId, actual)?.hash ?? GENESIS_HASH),
        sql.logHead.get()?.chain ?? GENESIS_HASH,
        texts.map((t) => t.envelope),
      );
      const recorded: RecordedEvent[] = [];
      for (let i = 0; i < events.length; i++) {
        const version = actual + i + 1;
        const { hash, prevHash, chain } = seals[i]!;
        const position = Number(
          sql.insertEvent.run(streamId, version, texts[i]!.body, hash, prevHash, chain).lastInsertRowid,
        );
        // Not parsed back from the JSON: that would halve batch throughput. Events from `decide`
        // are JSON-clean, so this equals what a read returns.
        recorded.push({ ...events[i]!, streamId, version, position } as RecordedEvent);
      }
      const first = recorded[0]!;
      const last = recorded[recorded.length - 1]!;
      sql.upsertStream.run(
        streamId,
        last.version,
        expect.meta?.caseNumber ?? null,
        expect.meta?.stage ?? null,
        first.recordedAt,
        last.recordedAt,
      );
      if (commandId !== undefined)
        sql.insertCommand.run(commandId, streamId, first.version, last.version, actual === 0 ? 1 : 0);
      return {
        streamId,
        nextExpectedVersion: last.version,
        createdStream: actual === 0,
        alreadyAppended: false,
        events: recorded,
      };
    },
  );

  const store: EventStore = {
    async appendToStream(streamId, events, options) {
      ensureOpen();
      let result: AppendResult;
      try {
        result = append.immediate(streamId, events, options);
      } catch (error) {
        // The lock makes this unreachable for kesu writers; a foreign writer that skipped it
        // still cannot break a version or a command id, and gets the same answers as a race.
        if (isBusy(error)) throw new StoreBusyError(`stream ${streamId}`, busyTimeoutMs, { cause: error });
        if (!isUniqueViolation(error)) throw error;
        const commandId = events[0]?.metadata.commandId;
        const won = commandId === undefined ? undefined : previous(commandId);
        if (won) return won;
        const actual = Math.max(
          sql.streamVersion.get(streamId)?.version ?? 0,
          sql.lastEvent.get(streamId)?.version ?? 0,
        );
        throw new ConcurrencyError(streamId, options.expectedVersion, actual);
      }
      if (!result.alreadyAppended && result.events.length > 0) for (const notify of listeners) notify();
      return result;
    },

    async readStream(streamId, options: ReadStreamOptions = {}) {
      ensureOpen();
      const limit = options.maxCount === undefined ? -1 : Math.max(0, Math.trunc(options.maxCount));
      if (options.direction === "backward")
        return rows(sql.backward.all(streamId, options.fromVersion ?? Number.MAX_SAFE_INTEGER, limit));
      return rows(sql.forward.all(streamId, options.fromVersion ?? 1, limit));
    },

    async readAll(options: ReadAllOptions = {}) {
      ensureOpen();
      return rows(sql.all.all(Math.max(0, options.after ?? 0), Math.max(0, options.limit ?? 1000)));
    },

    subscribe(options: SubscribeOptions): Subscription {
      ensureOpen();
      const inner = createSubscription(
        (o) => store.readAll(o),
        options,
        (notify) => {
          listeners.add(notify);
          return () => listeners.delete(notify);
        },
        pollMs,
      );
      const subscription: Subscription = {
        caughtUp: () => inner.caughtUp(),
        async close() {
          subscriptions.delete(subscription);
          await inner.close();
        },
      };
      subscriptions.add(subscription);
      return subscription;
    },

    async streamInfo(streamId) {
      ensureOpen();
      const row = sql.info.get(streamId);
      if (!row) return undefined;
      const info: StreamInfo = {
        streamId: row.stream_id as ComplaintId,
        version: row.version,
        createdAt: row.created_at,
        updatedAt: row.updated_at,
        ...(row.case_number === null ? {} : { caseNumber: row.case_number }),
        ...(row.stage === null ? {} : { stage: row.stage }),
      };
      return info;
    },

    async findCommand(commandId) {
      ensureOpen();
      return db.transaction(() => previous(commandId))();
    },

    async readIntegrity(range: IntegrityRange) {
      ensureOpen();
      const limit = Math.max(0, Math.trunc(range.limit ?? 1000));
      const rows =
        range.streamId === undefined
          ? sql.sealedLog.all(Math.max(0, range.after ?? 0), limit)
          : sql.sealedStream.all(range.streamId, range.fromVersion ?? 1, limit);
      return rows.map(integrityRecord);
    },

    async nextSerial(scope) {
      ensureOpen();
      try {
        return sql.nextSerial.get(scope)!.last;
      } catch (error) {
        if (isBusy(error)) throw new StoreBusyError(`serial ${scope}`, busyTimeoutMs, { cause: error });
        throw error;
      }
    },

    async close() {
      if (closed) return;
      closed = true;
      await Promise.all([...subscriptions].map((s) => s.close()));
      listeners.clear();
      if (owned) db.close();
    },
  };

  return store;
}
