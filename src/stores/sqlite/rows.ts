import { parseComplaintEvent, type RecordedEvent } from "../../domain/events.js";
import { UnknownSchemaVersionError } from "../../domain/upcasters.js";
import { CorruptEventError } from "../eventStore.js";

/** A row of `kesu_events`. */
export interface EventRow {
  readonly position: number;
  readonly stream_id: string;
  readonly version: number;
  readonly event: string;
}

/**
 * Parses a row at the boundary. A row that no longer matches the event schema is a
 * {@link CorruptEventError} naming the stream, the version and every failing field.
 */
export function toRecordedEvent(row: EventRow): RecordedEvent {
  let body: unknown;
  try {
    body = JSON.parse(row.event);
  } catch (error) {
    throw new CorruptEventError(row.stream_id, row.version, `(root): not JSON (${String(error)})`);
  }
  if (body === null || typeof body !== "object" || Array.isArray(body))
    throw new CorruptEventError(row.stream_id, row.version, "(root): expected a JSON object");
  const parsed = parseComplaintEvent({ ...body, streamId: row.stream_id, version: row.version });
  if (!parsed.ok)
    throw parsed.tooNew
      ? new UnknownSchemaVersionError(row.stream_id, row.version, parsed.tooNew)
      : new CorruptEventError(row.stream_id, row.version, parsed.issues);
  return { ...parsed.event, position: row.position };
}
