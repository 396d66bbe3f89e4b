import * as crypto from "node:crypto";
import type { ComplaintId } from "../domain/ids.js";
import { canonicalJson } from "./canonicalJson.js";

/** The `prevHash` of a stream's first event and the chain digest before the log's first event. */
export const GENESIS_HASH = "0".repeat(64);

/**
 * What a store records beside each event so that editing, deleting, inserting or reordering
 * rows shows (see `verifyStream` and `verifyStore`). All three are lower-case hex SHA-256.
 */
export interface IntegritySeal {
  /** `sha256("kesu/event/v1\n" + prevHash + "\n" + canonicalJson(envelope))`. */
  readonly hash: string;
  /** The `hash` of the previous event of the same stream ({@link GENESIS_HASH} for version 1). */
  readonly prevHash: string;
  /** `sha256("kesu/log/v1\n" + chain of the previous event in position order + "\n" + hash)`. */
  readonly chain: string;
}

/**
 * One stored event as a store holds it, with its seal, for verification. `envelope` is the
 * event exactly as stored (before any parsing or upcasting): every field but `position`, with
 * the `streamId` and `version` the row is filed under. Seal fields are `null` on a row nobody
 * sealed (written around the store).
 */
export interface IntegrityRecord {
  /** The event's position in the global log. */
  readonly position: number;
  /** The stream the row is filed under. */
  readonly streamId: ComplaintId;
  /** The version the row is filed under. */
  readonly version: number;
  /** The event as stored. */
  readonly envelope: unknown;
  /** See {@link IntegritySeal.hash}; `null` when unsealed. */
  readonly hash: string | null;
  /** See {@link IntegritySeal.prevHash}; `null` when unsealed. */
  readonly prevHash: string | null;
  /** See {@link IntegritySeal.chain}; `null` when unsealed. */
  readonly chain: string | null;
}

/**
 * Which records {@link EventStoreIntegrity.readIntegrity} returns: one stream in version order
 * (from `fromVersion`, default 1), or the global log in position order (after `after`, default
 * 0). `limit` defaults to 1 000.
 */
export type IntegrityRange =
  | {
      readonly streamId: ComplaintId;
      readonly fromVersion?: number | undefined;
      readonly limit?: number | undefined;
    }
  | {
      readonly streamId?: undefined;
      readonly after?: number | undefined;
      readonly limit?: number | undefined;
    };

/** The optional part of the store port that exposes seals (every kesu store has it). */
export interface EventStoreIntegrity {
  /** The stored envelopes and seals of a range of events, for `verifyStream` / `verifyStore`. */
  readIntegrity(range: IntegrityRange): Promise<readonly IntegrityRecord[]>;
}

/**
 * Lower-case hex SHA-256 of a text's UTF-8 bytes. `crypto.hash` (Node 20.12 and later) hashes in
 * one call, several times cheaper than a `Hash` object for the short texts sealed per event;
 * older Node versions get the `Hash` object.
 */
const sha256: (text: string) => string =
  typeof crypto.hash === "function"
    ? (text) => crypto.hash("sha256", text, "hex")
    : (text) => crypto.createHash("sha256").update(text, "utf8").digest("hex");

/** The content hash of an event: its canonical envelope, chained to the stream's previous hash. */
export function eventHash(prevHash: string, envelope: unknown): string {
  return hashOfText(prevHash, canonicalJson(envelope));
}

/** {@link eventHash} of an envelope already written as canonical JSON. */
const hashOfText = (prevHash: string, envelopeText: string) =>
  sha256(`kesu/event/v1\n${prevHash}\n${envelopeText}`);

/** The global chain digest after an event whose hash is `hash`. */
export function chainDigest(prevChain: string, hash: string): string {
  return sha256(`kesu/log/v1\n${prevChain}\n${hash}`);
}

/**
 * Seals one appended batch of a stream, in order. Stores call this inside the append's
 * transaction, with the stream's last hash and the log's last chain digest read under the
 * same lock that orders positions.
 * @example sealBatch(GENESIS_HASH, GENESIS_HASH, [envelope]) // the very first event
 */
export function sealBatch(
  streamHead: string,
  logHead: string,
  envelopes: readonly unknown[],
): IntegritySeal[] {
  return sealCanonicalBatch(
    streamHead,
    logHead,
    envelopes.map((envelope) => canonicalJson(envelope)),
  );
}

/** {@link sealBatch} for envelopes already written as canonical JSON (see `canonicalRow`). */
export function sealCanonicalBatch(
  streamHead: string,
  logHead: string,
  envelopeTexts: readonly string[],
): IntegritySeal[] {
  let prevHash = streamHead;
  let chain = logHead;
  return envelopeTexts.map((text) => {
    const hash = hashOfText(prevHash, text);
    const seal = { hash, prevHash, chain: chainDigest(chain, hash) };
    prevHash = hash;
    chain = seal.chain;
    return seal;
  });
}

/**
 * Seals events one at a time in position order, keeping each stream's last hash and the log's
 * last digest: what a migration needs to seal rows written before stores sealed them.
 * @example
 * const sealer = createSealer();
 * for (const row of rowsInPositionOrder) update(row.position, sealer.seal(row.streamId, envelopeOf(row)));
 */
export function createSealer(): {
  /** Seals the next event of the log, which belongs to `streamId`. */
  seal(streamId: string, envelope: unknown): IntegritySeal;
} {
  const streams = new Map<string, string>();
  let chain = GENESIS_HASH;
  return {
    seal(streamId, envelope) {
      const prevHash = streams.get(streamId) ?? GENESIS_HASH;
      const hash = eventHash(prevHash, envelope);
      chain = chainDigest(chain, hash);
      streams.set(streamId, hash);
      return { hash, prevHash, chain };
    },
  };
}
