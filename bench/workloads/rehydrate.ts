/**
 * Workload 2, rehydrate: fold one 50-event complaint stream many times, the first step of
 * every command (`handle` reads the stream, folds it, then decides).
 *
 * - kesu: `fold(initialState(id), events)` — one mutable draft per fold.
 * - Emmett: what `aggregateStream` and the command handler do, `events.reduce(evolve,
 *   initialState())`, with the Emmett-style `evolve` of `emmett/domain.ts` (a new state object
 *   per event) over the events as Emmett reads them back.
 *
 * Both fold to the same complaint; this is checked before anything is timed.
 */
import { getInMemoryEventStore, STREAM_DOES_NOT_EXIST } from "@event-driven-io/emmett";
import {
  type ComplaintId,
  createMemoryStore,
  decide,
  fixedClock,
  fold,
  initialState,
  parseCommand,
} from "../../src/index.js";
import { benchPolicy, makeStreams } from "../data.js";
import {
  type EmmettReadEvent,
  evolve,
  initialDoc,
  sameState,
  streamName,
  toEmmettEvent,
  toEmmettReadEvent,
} from "../emmett/domain.js";
import type { Workload } from "../harness.js";

const EVENTS = 50;

function stream(length = EVENTS) {
  const [s] = makeStreams({ set: 2, streams: 1, eventsPerStream: length, spread: false, templates: 1 });
  const events = s!.events;
  const emmettEvents: EmmettReadEvent[] = events.map((e, i) => toEmmettReadEvent(e, i + 1));
  const kesuState = fold(initialState(s!.id), events);
  const emmettState = emmettEvents.reduce(evolve, initialDoc());
  if (!sameState(kesuState, emmettState))
    throw new Error("rehydrate: kesu and the Emmett-style evolve fold the stream to different states");
  return { id: s!.id, events, emmettEvents };
}

/** Pure fold, `folds` times per run. */
export function rehydrateWorkload(folds: number, length = EVENTS, id = "rehydrate"): Workload {
  const { id: streamId, events, emmettEvents } = stream(length);
  const ctx = {
    clock: fixedClock("2026-12-31T00:00:00.000Z"),
    ids: { next: () => "01KESUBENCHDECIDE000000000" },
    actor: { id: "staff-1", role: "staff", unit: "service" },
    policy: benchPolicy,
    serial: 1,
  };
  const parsed = parseCommand({ type: "ReportProgress", message: "已联系客户", channel: "phone" });
  if (!parsed.ok) throw new Error(parsed.rejection.message);
  const command = parsed.command;
  // Checked once: the decision on the folded state must be accepted, or the extra line measures a refusal.
  const check = decide(fold(initialState(streamId), events), command, ctx);
  if (!check.ok) throw new Error(`rehydrate: ${check.rejection.message}`);
  const step = 1000;
  return {
    id,
    title: `Rehydrate: fold a ${length}-event stream ${folds.toLocaleString("en")} times`,
    unit: "events",
    units: folds * length,
    rounds: 5,
    budgetMs: 3000,
    sides: [
      {
        lib: "kesu",
        label: "kesu fold",
        run(deadline) {
          for (let i = 0; i < folds; i += step) {
            for (let j = 0; j < step && i + j < folds; j++) fold(initialState(streamId), events);
            if (performance.now() > deadline) return Math.min(folds, i + step) * length;
          }
          return undefined;
        },
      },
      {
        lib: "emmett",
        label: "emmett reduce(evolve)",
        run(deadline) {
          for (let i = 0; i < folds; i += step) {
            for (let j = 0; j < step && i + j < folds; j++) emmettEvents.reduce(evolve, initialDoc());
            if (performance.now() > deadline) return Math.min(folds, i + step) * length;
          }
          return undefined;
        },
      },
      {
        lib: "kesu",
        label: "kesu fold + decide",
        extra: true,
        run(deadline) {
          for (let i = 0; i < folds; i += step) {
            for (let j = 0; j < step && i + j < folds; j++)
              decide(fold(initialState(streamId), events), command, ctx);
            if (performance.now() > deadline) return Math.min(folds, i + step) * length;
          }
          return undefined;
        },
      },
    ],
    notes: [
      "Emmett has no fold of its own: its command handler and aggregateStream reduce the stream with the app's evolve, which in Emmett's examples returns a new state object per event. The Emmett line runs that reduce with an evolve that mirrors kesu's field by field (bench/emmett/domain.ts), over the events as Emmett reads them back.",
      "'kesu fold + decide' adds one decide (ReportProgress) to each fold: the whole pure part of handling a command.",
    ],
  };
}

/** Read the stream from each library's in-memory store and fold it, `reads` times per run. */
export function rehydrateFromStoreWorkload(reads: number): Workload {
  const { id: streamId, events } = stream();
  const kesuStore = createMemoryStore();
  const emmettStore = getInMemoryEventStore();
  const name = streamName(streamId);
  return {
    id: "rehydrate.memory-store",
    title: `Rehydrate from the in-memory store: read a ${EVENTS}-event stream and fold it, ${reads.toLocaleString("en")} times`,
    unit: "events",
    units: reads * EVENTS,
    rounds: 3,
    budgetMs: 3000,
    async prepare() {
      await kesuStore.appendToStream(streamId as ComplaintId, events, { expectedVersion: "no-stream" });
      await emmettStore.appendToStream(name, events.map(toEmmettEvent), {
        expectedStreamVersion: STREAM_DOES_NOT_EXIST,
      });
    },
    sides: [
      {
        lib: "kesu",
        label: "kesu readStream + fold",
        async run(deadline) {
          for (let i = 0; i < reads; i++) {
            fold(initialState(streamId), await kesuStore.readStream(streamId));
            if (i % 100 === 99 && performance.now() > deadline) return (i + 1) * EVENTS;
          }
          return undefined;
        },
      },
      {
        lib: "emmett",
        label: "emmett aggregateStream",
        async run(deadline) {
          for (let i = 0; i < reads; i++) {
            await emmettStore.aggregateStream(name, { evolve, initialState: initialDoc });
            if (i % 100 === 99 && performance.now() > deadline) return (i + 1) * EVENTS;
          }
          return undefined;
        },
      },
    ],
    notes: [
      "kesu's memory store copies events out with structuredClone, so a caller can never change what was stored; Emmett's in-memory store hands out its own objects.",
    ],
  };
}
