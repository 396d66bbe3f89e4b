import type { ComplaintEvent, RecordedEvent } from "../../domain/events.js";
import type { ComplaintId } from "../../domain/ids.js";
import { eventHash, GENESIS_HASH } from "../../integrity/seal.js";
import {
  type AppendOptions,
  type AppendResult,
  ConcurrencyError,
  expectedVersionHolds,
} from "../eventStore.js";
import { quoteIdent, type SqlRunner } from "./driver.js";
import { eventEnvelope } from "./integrity.js";
import { EVENT_COLUMNS, type EventRow, eventFromRow } from "./rows.js";

/** Table names and keys of one store schema. */
export interface StoreSchema {
  readonly name: string;
  readonly streams: string;
  readonly events: string;
  readonly commands: string;
  readonly serials: string;
  /** The NOTIFY channel of this schema. */
  readonly channel: string;
  /** The advisory-lock key that orders position assignment (see {@link appendInTransaction}). */
  readonly appendLock: string;
  /** The function that takes that lock, chains and inserts a batch (migration 3). */
  readonly appendEvents: string;
}

/** Names for schema `name` (already validated as a plain lower-case identifier). */
export function storeSchema(name: string): StoreSchema {
  const s = quoteIdent(name);
  return {
    name,
    streams: `${s}.streams`,
    events: `${s}.events`,
    commands: `${s}.commands`,
    serials: `${s}.serials`,
    channel: `${name}_events`,
    appendLock: `kesu:append:${name}`,
    appendEvents: `${s}.append_events`,
  };
}

/** The result of an earlier append that carried `commandId`, if any. */
export async function commandResult(
  db: SqlRunner,
  t: StoreSchema,
  commandId: string,
): Promise<AppendResult | undefined> {
  const { rows } = await db.query<{
    stream_id: string;
    from_version: number;
    to_version: number;
    created_stream: boolean;
  }>(`SELECT stream_id, from_version, to_version, created_stream FROM ${t.commands} WHERE command_id = $1`, [
    commandId,
  ]);
  const entry = rows[0];
  if (!entry) return undefined;
  const events = await db.query<EventRow>(
    `SELECT ${EVENT_COLUMNS} FROM ${t.events}
     WHERE stream_id = $1 AND version BETWEEN $2 AND $3 ORDER BY version`,
    [entry.stream_id, entry.from_version, entry.to_version],
  );
  return {
    streamId: entry.stream_id as ComplaintId,
    nextExpectedVersion: entry.to_version,
    createdStream: entry.created_stream,
    alreadyAppended: true,
    events: events.rows.map(eventFromRow),
  };
}

/** The stream's committed version, with its row locked until the transaction ends; undefined when absent. */
async function lockStream(tx: SqlRunner, t: StoreSchema, streamId: string): Promise<number | undefined> {
  const { rows } = await tx.query<{ version: number }>(
    `SELECT version FROM ${t.streams} WHERE stream_id = $1 FOR UPDATE`,
    [streamId],
  );
  return rows[0]?.version;
}

/**
 * One append, inside the caller's transaction.
 *
 * The expected version is checked against the stream's row while it is locked (`FOR UPDATE`,
 * or created by `INSERT … ON CONFLICT DO NOTHING`, which waits for a concurrent creator), so two
 * writers can never both pass the check; `UNIQUE (stream_id, version)` stays as a backstop.
 *
 * Positions: the events are inserted last, after taking a transaction-scoped advisory lock that
 * is held until COMMIT. Positions are therefore handed out in commit order, and a reader that
 * follows `position` can never see a later position before an earlier one commits (the
 * sequence-gap problem). Every writer of the schema queues for that lock, so it is held for one
 * round trip and the commit: one call to `append_events` takes it, reads the log's last digest,
 * chains the hashes computed before and inserts the events.
 */
export async function appendInTransaction(
  tx: SqlRunner,
  t: StoreSchema,
  streamId: ComplaintId,
  events: readonly ComplaintEvent[],
  options: AppendOptions,
): Promise<AppendResult> {
  const first = events[0];
  if (!first) {
    const { rows } = await tx.query<{ version: number }>(
      `SELECT version FROM ${t.streams} WHERE stream_id = $1`,
      [streamId],
    );
    const actual = rows[0]?.version ?? 0;
    if (!expectedVersionHolds(options.expectedVersion, actual))
      throw new ConcurrencyError(streamId, options.expectedVersion, actual);
    return {
      streamId,
      nextExpectedVersion: actual,
      createdStream: false,
      alreadyAppended: false,
      events: [],
    };
  }

  const commandId = first.metadata.commandId;
  let current = await lockStream(tx, t, streamId);
  // Checked with the stream locked: a duplicate racing the first append waits for it, then finds it.
  const previous = await commandResult(tx, t, commandId);
  if (previous) return previous;

  let createdStream = false;
  if (current === undefined && expectedVersionHolds(options.expectedVersion, 0)) {
    const inserted = await tx.query(
      `INSERT INTO ${t.streams} (stream_id, version, created_at, updated_at) VALUES ($1, 0, $2, $2)
       ON CONFLICT (stream_id) DO NOTHING RETURNING version`,
      [streamId, first.recordedAt],
    );
    if (inserted.rows.length > 0) {
      current = 0;
      createdStream = true;
    } else {
      // Another writer created the stream while we looked; it has committed by now.
      current = await lockStream(tx, t, streamId);
      const theirs = await commandResult(tx, t, commandId);
      if (theirs) return theirs;
    }
  }
  const actual = current ?? 0;
  if (!expectedVersionHolds(options.expectedVersion, actual))
    throw new ConcurrencyError(streamId, options.expectedVersion, actual);

  const last = actual + events.length;
  // One round trip for the bookkeeping: record the command, move the stream's row, queue the
  // NOTIFY (delivered at commit, and only if it commits) and read the stream's last hash (its
  // row is locked: the hash cannot change before this commits). Data-modifying CTEs run once
  // whether or not the query reads them.
  const bookkeeping = await tx.query<{ hash: string | null }>(
    `WITH command AS (
       INSERT INTO ${t.commands} (command_id, stream_id, from_version, to_version, created_stream)
       VALUES ($1, $2, $3, $4, $5)
     ), stream AS (
       UPDATE ${t.streams} SET version = $4, updated_at = $6,
         case_number = COALESCE($7, case_number), stage = COALESCE($8, stage)
       WHERE stream_id = $2
     ), notified AS (SELECT pg_notify($9, $2))
     SELECT (SELECT hash FROM ${t.events} WHERE stream_id = $2 AND version = $10) AS hash FROM notified`,
    [
      commandId,
      streamId,
      actual + 1,
      last,
      createdStream,
      events[events.length - 1]!.recordedAt,
      options.meta?.caseNumber ?? null,
      options.meta?.stage ?? null,
      t.channel,
      actual,
    ],
  );
  // The events' own hashes depend only on the stream's head, which its locked row keeps still:
  // computed here, before the append lock, so that the lock is held for one call and the commit.
  let prevHash = actual === 0 ? GENESIS_HASH : (bookkeeping.rows[0]?.hash ?? GENESIS_HASH);
  const links = events.map((event, i) => {
    const hash = eventHash(prevHash, eventEnvelope(event, streamId, actual + i + 1));
    const link = { hash, prevHash };
    prevHash = hash;
    return link;
  });
  // Takes the append lock, reads the log's last digest, chains and inserts (migration 3).
  const { rows } = await tx.query<{ positions: readonly (number | string | bigint)[] }>(
    `SELECT ${t.appendEvents}($1::text, $2::text, $3::integer, $4::jsonb, $5::text[], $6::text[]) AS positions`,
    [
      t.appendLock,
      streamId,
      actual,
      JSON.stringify(events),
      links.map((link) => link.hash),
      links.map((link) => link.prevHash),
    ],
  );
  const positions = rows[0]!.positions.map(Number);
  const recorded = events.map((event, i) => {
    const version = actual + i + 1;
    return {
      ...structuredClone(event),
      streamId,
      version,
      position: positions[i]!,
    } as RecordedEvent;
  });
  return { streamId, nextExpectedVersion: last, createdStream, alreadyAppended: false, events: recorded };
}
