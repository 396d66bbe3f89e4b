import type { ComplaintId, EventStore, IntegrityRecord, RecordedEvent } from "../../src/index.js";
import { contractScenario } from "../../src/testing/contractScenario.js";

/** Three complaints whose events interleave in the log: A1 B1 A2 C1 B2 A3 C2 B3. */
export interface History {
  readonly a: ComplaintId;
  readonly b: ComplaintId;
  readonly c: ComplaintId;
  /** The log as read back, in position order. */
  readonly log: readonly RecordedEvent[];
  /** The event of `stream` at `version`. */
  at(stream: ComplaintId, version: number): RecordedEvent;
}

/** Writes {@link History} to an empty store. */
export async function writeHistory(store: EventStore): Promise<History> {
  const s = contractScenario();
  const [a, b, c] = [s.streamId(), s.streamId(), s.streamId()];
  for (const id of [a, b, a, c, b, a, c, b]) {
    s.advance(7);
    const stream = await store.readStream(id);
    const command = stream.length === 0 ? s.receive() : s.progress(`进展 ${stream.length} · ${id.slice(-4)}`);
    const events = s.decideOn(id, stream, command);
    await store.appendToStream(id, events, {
      expectedVersion: stream.length === 0 ? "no-stream" : stream.length,
    });
  }
  const log = await store.readAll();
  return {
    a,
    b,
    c,
    log,
    at: (stream, version) => log.find((e) => e.streamId === stream && e.version === version)!,
  };
}

/** Every integrity record of the store, in position order. */
export async function records(store: EventStore): Promise<IntegrityRecord[]> {
  return [...(await store.readIntegrity!({ limit: 100_000 }))];
}
