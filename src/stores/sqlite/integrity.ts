import type { Database } from "better-sqlite3";
import type { ComplaintId } from "../../domain/ids.js";
import { createSealer, type IntegrityRecord } from "../../integrity/seal.js";

/** A row of `kesu_events` with its seal, as `readIntegrity` selects it. */
export interface SealedRow {
  readonly position: number;
  readonly stream_id: string;
  readonly version: number;
  readonly event: string;
  readonly hash: string | null;
  readonly prev_hash: string | null;
  readonly chain: string | null;
}

/** The columns of {@link SealedRow}. */
export const SEALED_COLUMNS = "position, stream_id, version, event, hash, prev_hash, chain";

/**
 * The envelope a stored row holds: its JSON with the stream id and version of its columns (its
 * canonical JSON is the `envelope` of `canonicalRow` for the event the row was written from). A
 * body that is not a JSON object is returned as its text, so it can never hash like an event.
 */
export function rowEnvelope(row: Pick<SealedRow, "stream_id" | "version" | "event">): unknown {
  let body: unknown;
  try {
    body = JSON.parse(row.event);
  } catch {
    return row.event;
  }
  if (body === null || typeof body !== "object" || Array.isArray(body)) return row.event;
  return { ...body, streamId: row.stream_id, version: row.version };
}

/** A sealed row as an {@link IntegrityRecord}. */
export function integrityRecord(row: SealedRow): IntegrityRecord {
  return {
    position: row.position,
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
 * migration's transaction: from then on the file's history is tamper-evident (what was changed
 * before the upgrade cannot be told).
 */
export function sealUnsealedRows(db: Database): void {
  const page = db.prepare<[number], SealedRow>(
    `SELECT ${SEALED_COLUMNS} FROM kesu_events WHERE position > ? ORDER BY position LIMIT 1000`,
  );
  const update = db.prepare<[string, string, string, number]>(
    "UPDATE kesu_events SET hash = ?, prev_hash = ?, chain = ? WHERE position = ?",
  );
  const sealer = createSealer();
  for (let after = 0; ; ) {
    const rows = page.all(after);
    for (const row of rows) {
      const seal = sealer.seal(row.stream_id, rowEnvelope(row));
      update.run(seal.hash, seal.prevHash, seal.chain, row.position);
      after = row.position;
    }
    if (rows.length < 1000) return;
  }
}
