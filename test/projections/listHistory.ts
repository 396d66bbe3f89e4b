import fc from "fast-check";
import { expect } from "vitest";
import {
  type ComplaintEvent,
  type ComplaintId,
  type ComplaintListDoc,
  type ComplaintListPage,
  type ComplaintListQuery,
  type ComplaintListRow,
  type ComplaintListSla,
  calendars,
  type EventStore,
  type Projection,
  type RecordedEvent,
} from "../../src/index.js";
import { generic, manufacturing, retail, tobacco } from "../../src/presets/index.js";
import { arbValidStream } from "../../src/testing/index.js";
import { readDoc, tsBlocks } from "../support/docs.js";

const POLICIES = [retail, generic, tobacco, manufacturing];
const UNITS = ["service", "hotline", "store-3"];

/**
 * The SLA settings of the durable complaint-list tests: each stream's clocks come from the
 * preset it was received under, on the mainland calendar.
 */
export const listSla: ComplaintListSla = {
  policy: (ref) => POLICIES.find((p) => p.id === ref.id && p.version === ref.version),
  calendar: calendars.chinaMainland(),
};

/** One append of the plan: a whole command's events, at the stream's version before it. */
export interface PlannedAppend {
  readonly streamId: ComplaintId;
  readonly events: readonly ComplaintEvent[];
  readonly expectedVersion: number | "no-stream";
}

const START = Date.parse("2026-01-26T01:00:00.000Z");
const HOUR = 3_600_000;

/**
 * A seeded complaint history: `streams` generated lifecycles under four presets (several SLA
 * clocks, pauses, closures, reopenings) by staff of three units, received across Spring
 * Festival 2026 so working-day targets cross holidays and 调休 days. Each lifecycle is split
 * into one append per command and the streams are interleaved round robin, so batches of the
 * global log mix streams. The same `seed` gives the same plan.
 */
export function historyPlan(streams: number, seed: number): PlannedAppend[] {
  const queues = Array.from({ length: streams }, (_, i) => {
    const arb = arbValidStream(POLICIES[i % POLICIES.length], {
      start: new Date(START + i * 23 * HOUR),
      stepMs: 3 * HOUR,
      maxLength: [16, 40, 70][i % 3],
      actor: { id: `agent-${i % 5}`, role: "staff", unit: UNITS[i % UNITS.length]! },
    });
    const [run] = fc.sample(arb, { seed: seed + i, numRuns: 1 });
    const groups: ComplaintEvent[][] = [];
    for (const event of run!.events) {
      const last = groups[groups.length - 1];
      if (last && last[0]!.metadata.commandId === event.metadata.commandId) last.push(event);
      else groups.push([event]);
    }
    let version = 0;
    return groups.map((events): PlannedAppend => {
      const append = {
        streamId: run!.streamId,
        events,
        expectedVersion: version === 0 ? ("no-stream" as const) : version,
      };
      version += events.length;
      return append;
    });
  });
  const plan: PlannedAppend[] = [];
  for (let round = 0; queues.some((q) => round < q.length); round++)
    for (const queue of queues) if (queue[round]) plan.push(queue[round]!);
  return plan;
}

/** Appends part of a plan. */
export async function appendPlan(store: EventStore, plan: readonly PlannedAppend[]): Promise<void> {
  for (const { streamId, events, expectedVersion } of plan)
    await store.appendToStream(streamId, events, { expectedVersion });
}

/**
 * Queries that exercise every filter, paging and `breachedAt` at several instants. Filter
 * values are picked from `rows` (the oracle's full list) so that each one selects something.
 */
export function listQueries(rows: readonly ComplaintListRow[]): ComplaintListQuery[] {
  const mostCommon = <T>(values: readonly T[]): T => {
    const counts = new Map<T, number>();
    for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
    return [...counts].sort((a, b) => b[1] - a[1])[0]![0];
  };
  const present = <T>(values: readonly (T | null)[]) => values.filter((v): v is T => v !== null);
  const at = (hours: number) => new Date(START + hours * HOUR);
  const all = { limit: 1_000 };
  return [
    {},
    all,
    { limit: 7, offset: 5 },
    { limit: 5, offset: 10_000 },
    { limit: 0 },
    { stage: "closed", ...all },
    { stage: ["received", "classified", "investigated"], ...all },
    { stage: [] },
    { open: true, ...all },
    { open: false, ...all },
    { severity: mostCommon(present(rows.map((r) => r.severity))), ...all },
    { severity: "crisis", ...all },
    { category: mostCommon(present(rows.map((r) => r.category))), ...all },
    { channel: mostCommon(rows.map((r) => r.channel)), ...all },
    { unit: mostCommon(rows.map((r) => r.unit)), ...all },
    { owner: mostCommon(present(rows.map((r) => r.owner))), ...all },
    { kind: "complaint", open: true, ...all },
    { receivedFrom: at(200), receivedTo: at(500), ...all },
    { receivedFrom: at(300), limit: 4, offset: 2 },
    { breachedAt: at(0), ...all },
    { breachedAt: at(300), ...all },
    { breachedAt: at(700), ...all },
    { breachedAt: at(24 * 365), ...all },
    { breachedAt: at(400), open: true, limit: 3, offset: 1 },
  ];
}

/** What a list answers: every row in list order and every document. */
export async function listSnapshot(list: {
  query(q?: ComplaintListQuery): Promise<ComplaintListPage>;
  get(id: ComplaintId): Promise<ComplaintListDoc | undefined>;
}): Promise<{ rows: readonly ComplaintListRow[]; docs: (ComplaintListDoc | undefined)[] }> {
  const { rows } = await list.query({ limit: 100_000 });
  return { rows, docs: await Promise.all(rows.map((r) => list.get(r.streamId))) };
}

/** Every row's version is its stream's version: nothing applied twice, nothing missing. */
export async function expectVersionsOfStreams(store: EventStore, rows: readonly ComplaintListRow[]) {
  for (const row of rows) expect(row.version).toBe((await store.streamInfo(row.streamId))?.version);
}

/**
 * Wraps a projection: records the positions of each batch it applies, and throws after
 * applying the batch that holds position `failAt` (once), as a crash in the middle of a run.
 */
export function crashingOnce<Tx>(inner: Projection<Tx>, failAt: number) {
  const applied: number[] = [];
  let armed = true;
  const projection: Projection<Tx> = {
    name: inner.name,
    async apply(tx, events: readonly RecordedEvent[]) {
      await inner.apply(tx, events);
      if (armed && events.some((e) => e.position === failAt)) {
        armed = false;
        throw new Error(`crash in the batch of position ${failAt}`);
      }
      applied.push(...events.map((e) => e.position));
    },
    reset: (tx) => inner.reset(tx),
  };
  return { projection, applied };
}

/** The ```ts blocks under a `###` heading of docs/stores.md (up to the next heading). */
export function docExamples(heading: string): string[] {
  const markdown = readDoc("stores.md");
  const start = markdown.indexOf(`\n### ${heading}\n`);
  if (start < 0) throw new Error(`docs/stores.md has no section "${heading}"`);
  return tsBlocks(markdown.slice(start + 1).split(/\n##+ /)[0]!);
}
