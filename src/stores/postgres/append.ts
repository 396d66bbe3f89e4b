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
  /** The function that makes several appends in one transaction (migration 5). */
  readonly appendGroup: string;
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
    appendGroup: `${s}.append_group`,
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
  /** The events' {@link envelopeTexts}, when the caller has written them out already. */
  envelopes: readonly string[] = envelopeTexts(streamId, events),
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

  const a = appendArguments({ streamId, events, options, envelopes });
  const { rows } = await db.query<AppendRow>(
    `SELECT outcome, command_stream, first_version, last_version, created, to_json(positions) AS positions
     FROM ${t.appendToStream}($1::text, $2::text, $3::text, $4::text, $5::integer, $6::text,
       $7::timestamptz, $8::timestamptz, $9::text, $10::text, $11::text[])`,
    [
      t.appendLock,
      t.channel,
      streamId,
      a.expectedKind,
      a.expectedVersion,
      a.commandId,
      a.firstRecorded,
      a.lastRecorded,
      a.caseNumber,
      a.stage,
      a.envelopes,
    ],
  );
  const row = rows[0]!;
  return answer(db, t, streamId, events, expected, row, row.positions?.map(Number) ?? []);
}

/** The canonical envelope texts `append_to_stream` and `append_group` take (without `version`). */
export function envelopeTexts(streamId: ComplaintId, events: readonly ComplaintEvent[]): string[] {
  return events.map((event) => unversionedEnvelopeText(event, streamId));
}

/** One append waiting to be made, its envelopes already written out. */
export interface PendingAppend {
  readonly streamId: ComplaintId;
  /** At least one event. */
  readonly events: readonly ComplaintEvent[];
  readonly options: AppendOptions;
  readonly envelopes: readonly string[];
}

/** The arguments of one append, as the SQL functions take them. */
function appendArguments(append: PendingAppend) {
  const { events, options } = append;
  const expected = options.expectedVersion;
  const exact = typeof expected === "number";
  return {
    expectedKind: exact ? "version" : expected,
    // -1 is never a stream's version: an expected version no row can have fails the check.
    expectedVersion:
      exact && Number.isInteger(expected) && expected >= 0 && expected <= MAX_VERSION ? expected : -1,
    commandId: events[0]!.metadata.commandId,
    firstRecorded: events[0]!.recordedAt,
    lastRecorded: events[events.length - 1]!.recordedAt,
    caseNumber: options.meta?.caseNumber ?? null,
    stage: options.meta?.stage ?? null,
    envelopes: append.envelopes,
  };
}

/** What one append's row of outcome says, as its result (or its conflict, thrown). */
async function answer(
  db: SqlRunner,
  t: StoreSchema,
  streamId: ComplaintId,
  events: readonly ComplaintEvent[],
  expected: AppendOptions["expectedVersion"],
  row: AppendRow,
  positions: readonly number[],
): Promise<AppendResult> {
  if (row.outcome === "duplicate")
    return earlierAppend(db, t, {
      stream_id: row.command_stream!,
      from_version: row.first_version!,
      to_version: row.last_version,
      created_stream: row.created!,
    });
  if (row.outcome === "conflict") throw new ConcurrencyError(streamId, expected, row.last_version);

  const actual = row.last_version - events.length;
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

/** What `append_group` answers: one entry per member, in the order they were sent. */
interface GroupRow {
  readonly outcomes: readonly AppendRow["outcome"][];
  readonly command_streams: readonly (string | null)[];
  readonly first_versions: readonly (number | null)[];
  readonly last_versions: readonly number[];
  readonly createds: readonly (boolean | null)[];
  readonly positions: readonly (number | string | bigint)[];
}

/** How one member of a group append ended. */
export type GroupOutcome =
  | { readonly ok: true; readonly result: AppendResult }
  | { readonly ok: false; readonly error: unknown };

/**
 * Several appends as one call to `append_group` (migration 5): one transaction, one commit,
 * each member answered as {@link appendToStream} would have answered it alone. Members are sent
 * sorted by stream (stably, so one stream's appends keep their order), the order in which the
 * function takes the streams' row locks, so two groups can never wait for each other in a cycle.
 *
 * Throws when the call fails as a whole (nothing was written): the caller retries the members
 * one by one, so that one bad member fails alone.
 */
export async function appendGroup(
  db: SqlRunner,
  t: StoreSchema,
  members: readonly PendingAppend[],
): Promise<GroupOutcome[]> {
  const order = members
    .map((_, i) => i)
    .sort((a, b) => compareText(members[a]!.streamId, members[b]!.streamId) || a - b);
  const sent = order.map((i) => members[i]!);
  const args = sent.map(appendArguments);
  const { rows } = await db.query<GroupRow>(
    `SELECT to_json(outcomes) AS outcomes, to_json(command_streams) AS command_streams,
       to_json(first_versions) AS first_versions, to_json(last_versions) AS last_versions,
       to_json(createds) AS createds, to_json(positions) AS positions
     FROM ${t.appendGroup}($1::text, $2::text, $3::text[], $4::text[], $5::integer[], $6::text[],
       $7::timestamptz[], $8::timestamptz[], $9::text[], $10::text[], $11::integer[], $12::text[])`,
    [
      t.appendLock,
      t.channel,
      sent.map((m) => m.streamId),
      args.map((a) => a.expectedKind),
      args.map((a) => a.expectedVersion),
      args.map((a) => a.commandId),
      args.map((a) => a.firstRecorded),
      args.map((a) => a.lastRecorded),
      args.map((a) => a.caseNumber),
      args.map((a) => a.stage),
      sent.map((m) => m.events.length),
      sent.flatMap((m) => m.envelopes),
    ],
  );
  const group = rows[0]!;
  const positions = group.positions.map(Number);
  let next = 0;
  const outcomes: GroupOutcome[] = new Array(members.length);
  for (let k = 0; k < sent.length; k++) {
    const member = sent[k]!;
    const row: AppendRow = {
      outcome: group.outcomes[k]!,
      command_stream: group.command_streams[k] ?? null,
      first_version: group.first_versions[k] ?? null,
      last_version: group.last_versions[k]!,
      created: group.createds[k] ?? null,
      positions: null,
    };
    const own: number[] = [];
    if (row.outcome === "appended") {
      own.push(...positions.slice(next, next + member.events.length));
      next += member.events.length;
    }
    outcomes[order[k]!] = await answer(
      db,
      t,
      member.streamId,
      member.events,
      member.options.expectedVersion,
      row,
      own,
    ).then(
      (result) => ({ ok: true, result }),
      (error: unknown) => ({ ok: false, error }),
    );
  }
  return outcomes;
}

/** Code-unit order: any total order keeps groups from deadlocking, as long as every group uses it. */
const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
