import { createHash } from "node:crypto";
import type { ComplaintId } from "../domain/ids.js";

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/**
 * A row's stable key: `<prefix>:<id>` when the row carries an id, else
 * `<prefix>:row-<hash>-<n>` where the hash covers the row's normalised content and `n` counts
 * identical rows within one input (1 for the first). Re-importing an input gives every row the
 * same key, and identical rows of one extract stay distinct complaints.
 */
export function rowKey(prefix: string, id: string | undefined, content: string, occurrence: number): string {
  if (id !== undefined) return `${prefix}:${id}`;
  return `${prefix}:row-${contentHash(content)}-${occurrence}`;
}

/** The first 20 hex digits (80 bits) of the SHA-256 of a row's normalised content. */
export function contentHash(content: string): string {
  return createHash("sha256").update(content, "utf8").digest("hex").slice(0, 20);
}

/**
 * The stream id of a row: a ULID whose time part is the receipt instant and whose random part is
 * the first 80 bits of the SHA-256 of the row key, so the same row always targets the same stream
 * and streams sort by receipt.
 * @throws RangeError for an instant outside the ULID time range (1970 to 10889).
 */
export function streamIdFor(key: string, receivedAt: Date): ComplaintId {
  let ms = receivedAt.getTime();
  if (!Number.isInteger(ms) || ms < 0 || ms > 2 ** 48 - 1)
    throw new RangeError(`no ULID time for ${receivedAt.toISOString()}`);
  let time = "";
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[ms % 32] + time;
    ms = Math.floor(ms / 32);
  }
  const bytes = createHash("sha256").update(key, "utf8").digest();
  let random = "";
  // 80 bits = 16 groups of 5, read from the first 10 bytes.
  let bits = 0;
  let value = 0;
  for (let i = 0; i < 10; i++) {
    value = (value << 8) | (bytes[i] as number);
    bits += 8;
    while (bits >= 5) {
      random += CROCKFORD[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  return (time + random) as ComplaintId;
}
