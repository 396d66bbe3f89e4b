import fc from "fast-check";
import { expect } from "vitest";
import {
  type ComplaintId,
  type ComplaintListDoc,
  type ComplaintListSla,
  calendars,
  createMemoryComplaintList,
  createPolicy,
  createProjectionRunner,
  defaultPolicy,
  type EventStore,
  fold,
  type HandleResult,
  handle,
  initialState,
  type RecordedEvent,
  runSlaWatcher,
  ulidGenerator,
  verifyStore,
} from "../../src/index.js";
import { arbCommandFor, createSteppingClock, defaultTestActor } from "../../src/testing/index.js";

/** The default policy plus one SLA clock whose ladder the watcher climbs during the soak. */
export const soakPolicy = createPolicy({
  ...defaultPolicy,
  id: "soak",
  clocks: [
    {
      id: "handling",
      label: "Handling",
      start: ["ComplaintReceived"],
      stop: ["ComplaintResolved"],
      targets: [{ target: { amount: 8, unit: "working-hours" } }],
      warnAt: 0.5,
      escalations: [
        { on: "at-risk", toLevel: 2 },
        { on: "breached", toLevel: 3 },
      ],
    },
  ],
});
const calendar = calendars.chinaMainland();
const sla: ComplaintListSla = { policy: soakPolicy, calendar };

/** Shape of one soak. */
export interface SoakPlan {
  /** One store per writer (each on its own connections on a server). */
  readonly writers: readonly EventStore[];
  readonly watcher: EventStore;
  /** The store the live projection follows. */
  readonly follower: EventStore;
  /** A store for the checks at the end (a fresh connection). */
  readonly checker: EventStore;
  readonly opsPerWriter: number;
  /** Called after each finished operation with the running total (connection drops hook in here). */
  readonly afterOp?: ((done: number) => Promise<void>) | undefined;
}

/** What a soak did, for the log line and the checks. */
export interface SoakReport {
  ops: number;
  accepted: number;
  rejected: number;
  /** Thrown errors retried with the same command id (dropped connections, mostly). */
  retried: number;
  /** Retries answered as already handled: the first try had committed. */
  answeredOnRetry: number;
  watcherRuns: number;
  watcherFailures: number;
  escalations: number;
  events: number;
  streams: number;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Retries `work` on thrown errors (never on a rejection, which is an answer), a bounded number of times. */
async function retrying<T>(work: () => Promise<T>, onRetry: () => void, attempts = 40): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= attempts) throw error;
      onRetry();
      await sleep(Math.min(1_000, 20 * 2 ** Math.min(attempt, 6)));
    }
  }
}

/**
 * The store as a flaky network shows it: every ninth append commits, but its answer is lost
 * (the error a dropped connection gives), so the writer must retry with the same command id
 * and be answered with the first append, not append twice.
 */
function lossy(store: EventStore): EventStore {
  let appends = 0;
  return {
    ...store,
    subscribe: (options) => store.subscribe(options),
    async appendToStream(streamId, events, options) {
      const result = await store.appendToStream(streamId, events, options);
      if (!result.alreadyAppended && ++appends % 9 === 0)
        throw new Error("Connection terminated unexpectedly (after the commit)");
      return result;
    },
  };
}

/**
 * Runs writers, the SLA watcher and a live projection together for a fixed number of
 * operations, then checks: the live read model equals a fresh rebuild, the projection saw every
 * position once and in order, every accepted command's events are stored once, streams are
 * whole, and the store verifies.
 */
export async function soak(plan: SoakPlan): Promise<SoakReport> {
  const clock = createSteppingClock("2026-03-02T01:00:00.000Z", 6 * 60_000);
  const ids = ulidGenerator({ clock, seed: 11 });
  const ctx = { clock, ids, actor: defaultTestActor, policy: soakPolicy, maxRetries: 50 };
  const report: SoakReport = {
    ops: 0,
    accepted: 0,
    rejected: 0,
    retried: 0,
    answeredOnRetry: 0,
    watcherRuns: 0,
    watcherFailures: 0,
    escalations: 0,
    events: 0,
    streams: 0,
  };
  const streams: ComplaintId[] = [];
  const appended = new Map<string, readonly RecordedEvent[]>();

  const list = createMemoryComplaintList({ sla });
  const delivered: number[] = [];
  const projection = {
    ...list.projection,
    apply: (tx: Parameters<typeof list.projection.apply>[0], events: readonly RecordedEvent[]) => {
      delivered.push(...events.map((e) => e.position));
      return list.projection.apply(tx, events);
    },
  };
  const runner = createProjectionRunner({
    store: plan.follower,
    target: list.target,
    projection,
    batchSize: 50,
  });
  await retrying(
    () => runner.start(),
    () => {},
  );

  // The watcher runs beside the writers, woken every few commands (not by timers: an embedded
  // database can keep the event loop busy enough to starve them). Its command ids are derived
  // from the case and the crossing, so a run cut short by a dropped connection is simply rerun.
  let writing = true;
  let pulse!: () => void;
  let pulsed = new Promise<void>((resolve) => (pulse = resolve));
  const wake = () => {
    const done = pulse;
    pulsed = new Promise<void>((resolve) => (pulse = resolve));
    done();
  };
  const watching = (async () => {
    for (;;) {
      const last = !writing; // read before waiting, so the final wake-up cannot be missed
      if (!last) await pulsed;
      const open = await list.query({ open: true, limit: 10_000 });
      try {
        const found = await runSlaWatcher({
          store: plan.watcher,
          policy: soakPolicy,
          calendar,
          now: clock.now(),
          cases: open.rows.map((row) => row.streamId),
          clock,
          ids,
        });
        report.escalations += found.findings
          .flatMap((f) => f.actions)
          .filter((a) => a.outcome === "escalated").length;
      } catch {
        report.watcherFailures += 1;
      }
      report.watcherRuns += 1;
      if (last) return;
    }
  })();

  await Promise.all(
    plan.writers.map(lossy).map(async (store, w) => {
      for (let i = 0; i < plan.opsPerWriter; i++) {
        clock.advance();
        const seed = w * 100_000 + i;
        const fresh = streams.length < 3 || (seed * 7919) % 5 === 0;
        const streamId = fresh ? (ids.next() as ComplaintId) : streams[(seed * 104_729) % streams.length]!;
        const state = fresh
          ? initialState(streamId)
          : fold(
              initialState(streamId),
              await retrying(
                () => store.readStream(streamId),
                () => {},
              ),
            );
        const [sampled] = fc.sample(arbCommandFor(state, soakPolicy), { numRuns: 1, seed });
        const input: Record<string, unknown> = { ...sampled!, commandId: `soak-${w}-${i}` };
        if (input.type === "ReceiveComplaint") delete input.caseNumber; // serials are allocated by the store
        let tries = 0;
        const result: HandleResult = await retrying(
          () => {
            tries += 1;
            return handle(store, streamId, input, ctx);
          },
          () => (report.retried += 1),
        );
        if (result.ok) {
          report.accepted += 1;
          if (result.alreadyHandled && tries > 1) report.answeredOnRetry += 1;
          appended.set(`soak-${w}-${i}`, result.events);
          if (fresh) streams.push(streamId);
        } else report.rejected += 1;
        report.ops += 1;
        if (report.ops % 10 === 0) wake();
        await plan.afterOp?.(report.ops);
      }
    }),
  );
  writing = false;
  wake();
  await watching;
  await retrying(
    () => runner.idle(),
    () => {},
  );
  await runner.stop();

  // Nothing lost, nothing twice: the log, the commands and the projection agree.
  const log: RecordedEvent[] = [];
  for (let after = 0; ; ) {
    const batch = await plan.checker.readAll({ after, limit: 500 });
    if (batch.length === 0) break;
    log.push(...batch);
    after = batch[batch.length - 1]!.position;
  }
  const positions = log.map((e) => e.position);
  expect(positions.every((p, i) => i === 0 || p > positions[i - 1]!)).toBe(true);
  expect(new Set(log.map((e) => e.id)).size).toBe(log.length);
  expect(delivered).toEqual(positions);
  const byCommand = groupBy(log, (e) => e.metadata.commandId);
  for (const [commandId, events] of appended) {
    expect(
      byCommand.get(commandId)?.map((e) => e.id),
      commandId,
    ).toEqual(events.map((e) => e.id));
  }
  for (const [id, events] of groupBy(log, (e) => e.streamId)) {
    expect(events.map((e) => e.version)).toEqual(events.map((_, i) => i + 1));
    fold(initialState(id as ComplaintId), events);
  }
  const fresh = createMemoryComplaintList({ sla });
  await createProjectionRunner({ store: plan.checker, ...fresh }).catchUp();
  const docs = async (l: typeof list) => {
    const rows = (await l.query({ limit: 100_000 })).rows;
    return Promise.all(rows.map((row) => l.get(row.streamId))) as Promise<ComplaintListDoc[]>;
  };
  expect(await docs(list)).toEqual(await docs(fresh));
  expect(await verifyStore(plan.checker)).toMatchObject({ ok: true, events: log.length });
  report.events = log.length;
  report.streams = new Set(log.map((e) => e.streamId)).size;
  return report;
}

/** One line for the test log. */
export function describeSoak(label: string, r: SoakReport, drops = ""): string {
  return (
    `${label}: ${r.ops} commands (${r.accepted} accepted, ${r.rejected} rejected), ${r.events} events in ` +
    `${r.streams} complaints; ${r.retried} retries after errors (${r.answeredOnRetry} answered as already ` +
    `handled); watcher ${r.watcherRuns} runs, ${r.escalations} escalations, ${r.watcherFailures} interrupted${drops}`
  );
}
