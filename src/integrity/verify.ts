import type { ComplaintId } from "../domain/ids.js";
import type { EventStore } from "../stores/eventStore.js";
import { chainDigest, eventHash, GENESIS_HASH, type IntegrityRecord } from "./seal.js";

/**
 * What kind of link is broken:
 * - `unsealed`: a row without a seal (written around the store);
 * - `version-gap`: a stream's versions do not run 1, 2, 3… (an event was removed);
 * - `stream-link`: an event's `prevHash` is not the hash of the stream's previous event
 *   (an event was removed, inserted or moved);
 * - `content`: the stored event does not hash to its seal (it was edited);
 * - `log-chain`: the global digest does not follow from the previous event in position order
 *   (an event was removed, inserted or reordered in the log);
 * - `order`: the store returned records out of order;
 * - `stream-info`: the stream's metadata names more (or fewer) events than are stored;
 * - `anchor`: a digest recorded earlier (see {@link VerifyStoreOptions.anchors}) no longer matches.
 */
export type IntegrityBreakKind =
  | "unsealed"
  | "version-gap"
  | "stream-link"
  | "content"
  | "log-chain"
  | "order"
  | "stream-info"
  | "anchor";

/** The first broken link found: where, what was expected and what was found. */
export interface IntegrityBreak {
  /** Which link is broken. */
  readonly kind: IntegrityBreakKind;
  /** The stream of the event at the break (absent for an anchor past the end of the log). */
  readonly streamId?: ComplaintId | undefined;
  /** The version of the event at the break, when known. */
  readonly version?: number | undefined;
  /** The position of the event (or anchor) at the break, when known. */
  readonly position?: number | undefined;
  /** What the chain required there: a hash, a digest, a version. */
  readonly expected: string;
  /** What the store holds there. */
  readonly found: string;
  /** One sentence for a log or an alert. */
  readonly message: string;
}

/** The last event verified: record `position` and `chain` somewhere safe to use as an anchor. */
export interface IntegrityHead {
  /** Its position in the global log. */
  readonly position: number;
  /** Its stream. */
  readonly streamId: ComplaintId;
  /** Its version in the stream. */
  readonly version: number;
  /** Its content hash. */
  readonly hash: string;
  /** The global digest up to and including it. */
  readonly chain: string;
}

/** A global digest recorded earlier: the log must still reach `chain` at `position`. */
export interface IntegrityAnchor {
  /** The position the digest was taken at. */
  readonly position: number;
  /** The digest ({@link IntegrityHead.chain}) recorded then. */
  readonly chain: string;
}

/** The outcome of {@link verifyStream} or {@link verifyStore}. */
export type IntegrityReport =
  | {
      readonly ok: true;
      /** How many events were verified. */
      readonly events: number;
      /** The last event verified; undefined when there was none. */
      readonly head: IntegrityHead | undefined;
    }
  | {
      readonly ok: false;
      /** How many events verified before the break. */
      readonly events: number;
      /** The first broken link. */
      readonly broken: IntegrityBreak;
    };

/** Options of {@link verifyStream}. */
export interface VerifyStreamOptions {
  /** Records per read (default 1 000). */
  readonly batchSize?: number | undefined;
}

/** Options of {@link verifyStore}. */
export interface VerifyStoreOptions {
  /** Records per read (default 1 000). */
  readonly batchSize?: number | undefined;
  /**
   * Heads of earlier runs, kept outside the database (a signed log, a ticket, an e-mail to
   * compliance). Whoever can rewrite every row can recompute every hash; an anchor kept
   * elsewhere is what catches that, and a log cut short after it.
   */
  readonly anchors?: readonly IntegrityAnchor[] | undefined;
  /**
   * Also compare each stream's metadata version with its last event (default true: one
   * `streamInfo` read per stream), which catches the newest events of a stream cut off.
   */
  readonly checkStreamInfo?: boolean | undefined;
}

/** Thrown when a store cannot be verified because it does not implement `readIntegrity`. */
export class IntegrityUnavailableError extends Error {
  /** Always `"IntegrityUnavailableError"`. */
  override readonly name = "IntegrityUnavailableError" as const;
  /** Stable code to match on. */
  readonly code = "store/integrity-unavailable" as const;
  constructor() {
    super("this store does not expose its seals (readIntegrity): it cannot be verified");
  }
}

/** Is `error` an {@link IntegrityUnavailableError}? */
export function isIntegrityUnavailableError(error: unknown): error is IntegrityUnavailableError {
  return error instanceof Error && error.name === "IntegrityUnavailableError";
}

type Reader = NonNullable<EventStore["readIntegrity"]>;

function readerOf(store: EventStore): Reader {
  if (typeof store.readIntegrity !== "function") throw new IntegrityUnavailableError();
  return store.readIntegrity.bind(store);
}

interface StreamTip {
  version: number;
  hash: string;
}

const at = (r: IntegrityRecord) => `stream ${r.streamId} version ${r.version} (position ${r.position})`;
const where = (r: IntegrityRecord) => ({ streamId: r.streamId, version: r.version, position: r.position });

/** The checks of one record against its stream's previous event. */
function checkRecord(record: IntegrityRecord, tip: StreamTip | undefined): IntegrityBreak | undefined {
  if (record.hash === null || record.prevHash === null || record.chain === null)
    return {
      kind: "unsealed",
      ...where(record),
      expected: "a seal",
      found: "none",
      message: `${at(record)} has no seal: it was written around the store`,
    };
  const version = (tip?.version ?? 0) + 1;
  if (record.version !== version)
    return {
      kind: "version-gap",
      ...where(record),
      expected: `version ${version}`,
      found: `version ${record.version}`,
      message: `stream ${record.streamId} jumps from version ${version - 1} to ${record.version}: events are missing`,
    };
  const prevHash = tip?.hash ?? GENESIS_HASH;
  if (record.prevHash !== prevHash)
    return {
      kind: "stream-link",
      ...where(record),
      expected: prevHash,
      found: record.prevHash,
      message: `${at(record)} does not follow the stream's previous event: an event was removed, inserted or moved`,
    };
  let hash: string;
  try {
    hash = eventHash(record.prevHash, record.envelope);
  } catch (error) {
    hash = `(no hash: ${String(error)})`;
  }
  if (record.hash !== hash)
    return {
      kind: "content",
      ...where(record),
      expected: hash,
      found: record.hash,
      message: `${at(record)} was changed after it was appended: its content no longer matches its hash`,
    };
  return undefined;
}

const headOf = (r: IntegrityRecord): IntegrityHead => ({
  position: r.position,
  streamId: r.streamId,
  version: r.version,
  hash: r.hash!,
  chain: r.chain!,
});

/**
 * Recomputes one stream's hash chain from what the store holds and reports the first broken
 * link: an edited event, a missing, inserted or moved one, or metadata that names events no
 * longer there. Verifies the stored form of events, so upcasted or decrypted reads do not
 * matter and old events stay verifiable.
 * @throws IntegrityUnavailableError when the store has no `readIntegrity`.
 * @example
 * const report = await verifyStream(store, id);
 * if (!report.ok) alert(report.broken.message);
 */
export async function verifyStream(
  store: EventStore,
  streamId: ComplaintId,
  options: VerifyStreamOptions = {},
): Promise<IntegrityReport> {
  const read = readerOf(store);
  const limit = Math.max(1, options.batchSize ?? 1000);
  let tip: StreamTip | undefined;
  let last: IntegrityRecord | undefined;
  let events = 0;
  const readOn = async (): Promise<IntegrityBreak | undefined> => {
    for (;;) {
      const batch = await read({ streamId, fromVersion: (tip?.version ?? 0) + 1, limit });
      for (const record of batch) {
        if (record.streamId !== streamId) return orderBreak(record, `stream ${streamId}`);
        const failure = checkRecord(record, tip);
        if (failure) return failure;
        tip = { version: record.version, hash: record.hash! };
        last = record;
        events += 1;
      }
      if (batch.length < limit) return undefined;
    }
  };
  let failure = await readOn();
  if (failure) return broken(events, failure);
  const info = await store.streamInfo(streamId);
  const recorded = info?.version ?? 0;
  // The metadata is written with the events, and read after them: it can only be ahead.
  if (recorded < (tip?.version ?? 0)) return broken(events, infoBreak(streamId, info?.version, tip!.version));
  if (recorded > (tip?.version ?? 0)) {
    // Events appended since the read are verified too, so a busy stream is not reported cut off.
    failure = await readOn();
    if (failure) return broken(events, failure);
    const found = tip?.version ?? 0;
    if (found < recorded) return broken(events, infoBreak(streamId, recorded, found));
  }
  return { ok: true, events, head: last ? headOf(last) : undefined };
}

/**
 * Recomputes every chain of the store: the global digest in position order and each stream's
 * hash chain, checks each stream's metadata and the anchors given, and reports the first
 * broken link in position order. Reads the whole log in batches; run it on a schedule and
 * keep the returned `head` outside the database as the next run's anchor.
 * @throws IntegrityUnavailableError when the store has no `readIntegrity`.
 * @example
 * const report = await verifyStore(store, { anchors: [lastWeeksHead] });
 * if (report.ok) saveAnchor(report.head); else alert(report.broken.message);
 */
export async function verifyStore(
  store: EventStore,
  options: VerifyStoreOptions = {},
): Promise<IntegrityReport> {
  const read = readerOf(store);
  const limit = Math.max(1, options.batchSize ?? 1000);
  const anchors = new Map((options.anchors ?? []).map((a) => [a.position, a.chain]));
  const streams = new Map<ComplaintId, StreamTip>();
  let chain = GENESIS_HASH;
  let last: IntegrityRecord | undefined;
  let events = 0;
  for (;;) {
    const batch = await read({ after: last?.position ?? 0, limit });
    for (const record of batch) {
      if (last && record.position <= last.position)
        return broken(events, orderBreak(record, `a position after ${last.position}`));
      for (const [position, digest] of anchors) {
        if (position >= record.position) continue;
        anchors.delete(position);
        return broken(events, anchorBreak(position, digest, "no event at this position"));
      }
      const failure = checkRecord(record, streams.get(record.streamId));
      if (failure) return broken(events, failure);
      const expected = chainDigest(chain, record.hash!);
      if (record.chain !== expected)
        return broken(events, {
          kind: "log-chain",
          ...where(record),
          expected,
          found: record.chain!,
          message: `the log's chain breaks at position ${record.position}: an event before it was removed, inserted or reordered`,
        });
      const anchored = anchors.get(record.position);
      if (anchored !== undefined) {
        anchors.delete(record.position);
        if (anchored !== record.chain)
          return broken(events, {
            ...anchorBreak(record.position, anchored, record.chain!),
            ...where(record),
          });
      }
      streams.set(record.streamId, { version: record.version, hash: record.hash! });
      chain = record.chain!;
      last = record;
      events += 1;
    }
    if (batch.length < limit) break;
  }
  for (const [position, digest] of anchors)
    return broken(events, anchorBreak(position, digest, "no event at this position"));
  if (options.checkStreamInfo ?? true) {
    for (const [streamId, tip] of streams) {
      const info = await store.streamInfo(streamId);
      if (info?.version === tip.version) continue;
      if (info && info.version > tip.version) {
        // Appended after the walk, or cut off: the stream's own chain tells.
        const later = await read({ streamId, fromVersion: tip.version + 1, limit: 1 });
        if (later.length > 0) continue;
      }
      return broken(events, infoBreak(streamId, info?.version, tip.version));
    }
  }
  return { ok: true, events, head: last ? headOf(last) : undefined };
}

const broken = (events: number, failure: IntegrityBreak): IntegrityReport => ({
  ok: false,
  events,
  broken: failure,
});

function orderBreak(record: IntegrityRecord, expected: string): IntegrityBreak {
  return {
    kind: "order",
    ...where(record),
    expected,
    found: `${at(record)}`,
    message: `the store returned ${at(record)} out of order`,
  };
}

function infoBreak(streamId: ComplaintId, info: number | undefined, found: number): IntegrityBreak {
  return {
    kind: "stream-info",
    streamId,
    version: found,
    expected: info === undefined ? "stream metadata" : `version ${info}`,
    found: found === 0 ? "no events" : `version ${found}`,
    message:
      info === undefined
        ? `stream ${streamId} has events but no metadata`
        : `stream ${streamId} should have ${info} events, ${found} are stored: the newest were removed`,
  };
}

function anchorBreak(position: number, expected: string, found: string): IntegrityBreak {
  return {
    kind: "anchor",
    position,
    expected,
    found,
    message: `the anchor at position ${position} no longer holds: the log was rewritten or cut short`,
  };
}
