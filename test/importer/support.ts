import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { RecordedEvent } from "../../src/domain/events.js";
import { type ImportMapping, parseImportMapping } from "../../src/importer/index.js";
import { type EventStore, readAllBatches } from "../../src/stores/eventStore.js";

/** The example CFPB mapping shipped in examples/. */
export function cfpbMapping(): ImportMapping {
  return parseImportMapping(
    readFileSync(new URL("../../examples/cfpb-mapping.json", import.meta.url), "utf8"),
  );
}

/**
 * The seven public CFPB extracts, kept in the repository (`test/fixtures/cfpb`, with a README
 * naming each file's origin) so the real-data suites run on every machine.
 */
export const CFPB_DIR = join(import.meta.dirname, "..", "fixtures", "cfpb");
/** Whether the extracts are there (a checkout without test fixtures skips the real-data suites). */
export const CFPB_AVAILABLE = existsSync(join(CFPB_DIR, "README.md"));
/** Appended to a suite's title, so a skipped run says why. */
export const CFPB_SKIP_NOTE = CFPB_AVAILABLE
  ? ""
  : " (skipped: CFPB extracts not found in test/fixtures/cfpb)";

/** Every event of the store, grouped by stream in stream order. */
export async function eventsByStream(store: EventStore): Promise<Map<string, RecordedEvent[]>> {
  const streams = new Map<string, RecordedEvent[]>();
  for await (const batch of readAllBatches(store, { batchSize: 5_000 }))
    for (const e of batch) {
      const list = streams.get(e.streamId) ?? [];
      list.push(e);
      streams.set(e.streamId, list);
    }
  return streams;
}

/** Milliseconds of a ULID's time part, decoded here independently of the importer. */
export function ulidTime(ulid: string): number {
  const alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  let ms = 0;
  for (const ch of ulid.slice(0, 10)) ms = ms * 32 + alphabet.indexOf(ch);
  return ms;
}

/** A compact view of an event for event-by-event checks. */
export function brief(e: RecordedEvent): { type: string; at: string; data: unknown } {
  return { type: e.type, at: e.occurredAt, data: e.data };
}
