import type { ComplaintEvent, RecordedEvent } from "../../domain/events.js";
import type { ComplaintId } from "../../domain/ids.js";
import {
  type AppendOptions,
  type AppendResult,
  ConcurrencyError,
  expectedVersionHolds,
} from "../eventStore.js";
import { quoteIdent, type SqlRunner } from "./driver.js";
import { unversionedEnvelopeText } from "./integrity.js";
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
  /** The advisory-lock key that orders position assignment (see {@link appendToStream}). */
  readonly appendLock: string;
  /** The function that makes a whole append (migration 4). */
  readonly appendToStream: string;
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
    appendToStream: `${s}.append_to_stream`,
  };
}

/** A `commands` row: what an earlier append of one command wrote. */
interface CommandEntry {
  readonly stream_id: string;
  readonly from_version: number;
  readonly to_version: number;
  readonly created_stream: boolean;
}

/** The answer to a repeated command: the events its first append wrote. */
async function earlierAppend(db: SqlRunner, t: StoreSchema, entry: CommandEntry): Promise<AppendResult> {
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

/** The result of an earlier append that carried `commandId`, if any. */
export async function commandResult(
  db: SqlRunner,
  t: StoreSchema,
  commandId: string,
): Promise<AppendResult | undefined> {
  const { rows } = await db.query<CommandEntry>(
    `SELECT stream_id, from_version, to_version, created_stream FROM ${t.commands} WHERE command_id = $1`,
    [commandId],
  );
  return rows[0] ? earlierAppend(db, t, rows[0]) : undefined;
}

/** What `append_to_stream` answers. */
interface AppendRow {
  /** `appended`; `duplicate` (the command was appended before); `conflict` (expected version failed). */
  readonly outcome: "appended" | "duplicate" | "conflict";
  /** For a duplicate: the stream its first append went to. */
  readonly command_stream: string | null;
  readonly first_version: number | null;
  /** The stream's version after the append; for a conflict, its actual version. */
  readonly last_version: number;
  readonly created: boolean | null;
  readonly positions: readonly (number | string | bigint)[] | null;
}

/** Versions are `integer` columns: a number outside them can never be the stream's version. */
const MAX_VERSION = 2_147_483_647;

/**
 * One append, as one call to `append_to_stream` (migration 4): one round trip in autocommit.
 * A repeated command costs a second one, to read the events its first append wrote.
 *
 * The expected version is checked against the stream's row while it is locked (`FOR UPDATE`,
 * or created by `INSERT … ON CONFLICT DO NOTHING`, which waits for a concurrent creator), so two
 * writers can never both pass the check; `UNIQUE (stream_id, version)` stays as a backstop.
 *
 * Positions: the events are inserted last, after taking a transaction-scoped advisory lock that
 * is held until the commit. Positions are therefore handed out in commit order, and a reader
 * that follows `position` can never see a later position before an earlier one commits (the
 * sequence-gap problem). Every writer of the schema queues for that lock, so the function takes
 * it after all the rest (bookkeeping, hashing) and holds it for the chain digests, the insert
 * and the commit.
 *
 * Hashes are computed by the database from the canonical text of each envelope without its
 * version, which sorts last and is spliced in there: the bytes of `eventHash` exactly.
 */
export async function appendToStream(
  db: SqlRunner,
  t: StoreSchema,
  streamId: ComplaintId,
  events: readonly ComplaintEvent[],
  options: AppendOptions,
): Promise<AppendResult> {
  const expected = options.expectedVersion;
  const first = events[0];
  if (!first) {
    const { rows } = await db.query<{ version: number }>(
      `SELECT version FROM ${t.streams} WHERE stream_id = $1`,
      [streamId],
    );
    const actual = rows[0]?.version ?? 0;
    if (!expectedVersionHolds(expected, actual)) throw new ConcurrencyError(streamId, expected, actual);
    return {
      streamId,
      nextExpectedVersion: actual,
      createdStream: false,
      alreadyAppended: false,
      events: [],
    };
  }

  const exact = typeof expected === "number";
  const { rows } = await db.query<AppendRow>(
    `SELECT outcome, command_stream, first_version, last_version, created, positions
     FROM ${t.appendToStream}($1::text, $2::text, $3::text, $4::text, $5::integer, $6::text,
       $7::timestamptz, $8::timestamptz, $9::text, $10::text, $11::text[])`,
    [
      t.appendLock,
      t.channel,
      streamId,
      exact ? "version" : expected,
      // -1 is never a stream's version: an expected version no row can have fails the check.
      exact && Number.isInteger(expected) && expected >= 0 && expected <= MAX_VERSION ? expected : -1,
      first.metadata.commandId,
      first.recordedAt,
      events[events.length - 1]!.recordedAt,
      options.meta?.caseNumber ?? null,
      options.meta?.stage ?? null,
      events.map((event) => unversionedEnvelopeText(event, streamId)),
    ],
  );
  const row = rows[0]!;
  if (row.outcome === "duplicate")
    return earlierAppend(db, t, {
      stream_id: row.command_stream!,
      from_version: row.first_version!,
      to_version: row.last_version,
      created_stream: row.created!,
    });
  if (row.outcome === "conflict") throw new ConcurrencyError(streamId, expected, row.last_version);

  const actual = row.last_version - events.length;
  const positions = row.positions!.map(Number);
  const recorded = events.map((event, i) => {
    const version = actual + i + 1;
    return {
      ...structuredClone(event),
      streamId,
      version,
      position: positions[i]!,
    } as RecordedEvent;
  });
  return {
    streamId,
    nextExpectedVersion: row.last_version,
    createdStream: row.created === true,
    alreadyAppended: false,
    events: recorded,
  };
}
