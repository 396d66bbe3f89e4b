import { parseComplaintEvent, type RecordedEvent } from "../../domain/events.js";
import type { ComplaintId } from "../../domain/ids.js";
import { UnknownSchemaVersionError } from "../../domain/upcasters.js";
import { CorruptEventError, type StreamInfo } from "../eventStore.js";

/** An instant column as the exact `…T…:…:….mmmZ` text events carry, whatever the session zone. */
export const isoUtc = (column: string) =>
  `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** The columns every event read selects, in the shape of {@link EventRow}. */
export const EVENT_COLUMNS = `position, stream_id, version, event_id, type, schema_version,
  ${isoUtc("occurred_at")} AS occurred_at, ${isoUtc("recorded_at")} AS recorded_at, actor, metadata, data`;

/** An event row as the drivers return it (`bigint` may arrive as a string). */
export interface EventRow {
  readonly position: number | string;
  readonly stream_id: string;
  readonly version: number;
  readonly event_id: string;
  readonly type: string;
  readonly schema_version: number;
  readonly occurred_at: string;
  readonly recorded_at: string;
  readonly actor: unknown;
  readonly metadata: unknown;
  readonly data: unknown;
}

/**
 * Turns a row back into an event, checked against the event schema: rows are a boundary, and
 * a row that no longer matches is reported, never skipped.
 * @throws CorruptEventError naming the stream, the version and the failing fields.
 */
export function eventFromRow(row: EventRow): RecordedEvent {
  const parsed = parseComplaintEvent({
    id: row.event_id,
    streamId: row.stream_id,
    version: row.version,
    type: row.type,
    occurredAt: row.occurred_at,
    recordedAt: row.recorded_at,
    actor: row.actor,
    metadata: row.metadata,
    schemaVersion: row.schema_version,
    data: row.data,
  });
  if (!parsed.ok)
    throw parsed.tooNew
      ? new UnknownSchemaVersionError(row.stream_id, row.version, parsed.tooNew)
      : new CorruptEventError(row.stream_id, row.version, parsed.issues);
  return { ...parsed.event, position: Number(row.position) };
}

/** The columns of a stream-metadata read, in the shape of {@link StreamRow}. */
export const STREAM_COLUMNS = `stream_id, version, case_number, stage,
  ${isoUtc("created_at")} AS created_at, ${isoUtc("updated_at")} AS updated_at`;

/** A `streams` row. */
export interface StreamRow {
  readonly stream_id: string;
  readonly version: number;
  readonly case_number: string | null;
  readonly stage: string | null;
  readonly created_at: string;
  readonly updated_at: string;
}

/** Stream metadata from its row; absent fields stay absent. */
export function streamInfoFromRow(row: StreamRow): StreamInfo {
  return {
    streamId: row.stream_id as ComplaintId,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    ...(row.case_number === null ? {} : { caseNumber: row.case_number }),
    ...(row.stage === null ? {} : { stage: row.stage }),
  };
}
