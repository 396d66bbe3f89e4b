/**
 * Single events for the concurrency workloads and checks: copies of generated events under
 * fresh event ids and command ids (a store treats a repeated command id as a retry of the same
 * append), each with its Emmett counterpart.
 */
import type { ComplaintEvent, ComplaintId } from "../src/index.js";
import { makeUlid, templates } from "./data.js";

/** A copy of template event `index % n` (of a 10-event generated stream) with fresh ids. */
export function freshEvent(set: number, n: number, streamId: string, index = n): ComplaintEvent {
  const pool = templates(10).streams[0]!;
  const template = pool[index % pool.length]!;
  const commandId = `bench-${set}-${n}`;
  return {
    ...template,
    id: makeUlid(set + 2_000_000, n),
    streamId: streamId as ComplaintId,
    metadata: { correlationId: commandId, causationId: commandId, commandId },
  } as ComplaintEvent;
}

/** A `ComplaintReceived` with fresh ids: what a create appends. */
export function freshReceipt(set: number, n: number, streamId: string): ComplaintEvent {
  return freshEvent(set, n, streamId, 0);
}

/** A small deterministic random source (mulberry32). */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
