import type { ComplaintEvent } from "../../domain/events.js";
import type { ComplaintId } from "../../domain/ids.js";
import { canonicalJson } from "../../integrity/canonicalJson.js";
import { createSealer, type IntegrityRecord } from "../../integrity/seal.js";
import { quoteIdent, type SqlRunner } from "./driver.js";
import { EVENT_COLUMNS, type EventRow } from "./rows.js";

/** An event row with its seal. */
export interface SealedRow extends EventRow {
  readonly hash: string | null;
  readonly prev_hash: string | null;
  readonly chain: string | null;
}

/** The columns of {@link SealedRow}. */
export const SEALED_COLUMNS = `${EVENT_COLUMNS}, hash, prev_hash, chain`;

/**
 * What the PostgreSQL store hashes: the fields its columns keep, as a read returns them
 * (instants as `…T…:…:….mmmZ` text, JSON columns as parsed JSON).
 */
export function rowEnvelope(row: EventRow): unknown {
  return {
    id: row.event_id,
    streamId: row.stream_id,
    version: row.version,
    type: row.type,
    schemaVersion: row.schema_version,
    occurredAt: row.occurred_at,
    recordedAt: row.recorded_at,
    actor: row.actor,
    metadata: row.metadata,
    data: row.data,
  };
}

/**
 * The canonical JSON text of the envelope of an event about to be inserted, field for field
 * what {@link rowEnvelope} reads back from its row (instants are schema-checked UTC text with
 * milliseconds, which `timestamptz` keeps exactly; `jsonb` keeps every JSON value, key order
 * aside), but without `version`: only the append function knows it. `version` is the key that
 * sorts last, so `text.slice(0, -1) + ',"version":' + version + "}"` — what the function
 * hashes — is `canonicalJson` of the whole envelope, byte for byte.
 */
export function unversionedEnvelopeText(event: ComplaintEvent, streamId: string): string {
  return canonicalJson({
    id: event.id,
    streamId,
    type: event.type,
    schemaVersion: event.schemaVersion,
    occurredAt: event.occurredAt,
    recordedAt: event.recordedAt,
    actor: event.actor,
    metadata: event.metadata,
    data: event.data,
  });
}

/** A sealed row as an {@link IntegrityRecord}. */
export function integrityRecord(row: SealedRow): IntegrityRecord {
  return {
    position: Number(row.position),
    streamId: row.stream_id as ComplaintId,
    version: row.version,
    envelope: rowEnvelope(row),
    hash: row.hash,
    prevHash: row.prev_hash,
    chain: row.chain,
  };
}

/**
 * Seals the rows an earlier schema wrote without seals, in position order, inside the
 * migration's transaction (which holds the append lock, so no append interleaves).
 */
export async function sealUnsealedRows(tx: SqlRunner, schema: string): Promise<void> {
  const events = `${quoteIdent(schema)}.events`;
  const sealer = createSealer();
  for (let after = 0; ; ) {
    const { rows } = await tx.query<SealedRow>(
      `SELECT ${SEALED_COLUMNS} FROM ${events} WHERE position > $1 ORDER BY position LIMIT 1000`,
      [after],
    );
    if (rows.length === 0) return;
    const seals = rows.map((row) => sealer.seal(row.stream_id, rowEnvelope(row)));
    await tx.query(
      `UPDATE ${events} AS e SET hash = s.hash, prev_hash = s.prev_hash, chain = s.chain
       FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[]) AS s(position, hash, prev_hash, chain)
       WHERE e.position = s.position`,
      [
        rows.map((row) => String(row.position)),
        seals.map((seal) => seal.hash),
        seals.map((seal) => seal.prevHash),
        seals.map((seal) => seal.chain),
      ],
    );
    after = Number(rows[rows.length - 1]!.position);
    if (rows.length < 1000) return;
  }
}
