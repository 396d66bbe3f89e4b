/**
 * Workload 5, kesu only (Emmett has no SLA engine or business calendar):
 * - `evaluateSla` over open cases at one instant (what a dashboard or the watcher does);
 * - calendar arithmetic, `addWorkingDays` and `addWorkingHours` from instants in the last weeks
 *   of 2024 and 2025, so most answers cross into the next year (and its 元旦 and 调休 days);
 * - one SLA watcher pass over open cases in the memory store.
 *
 * Cases are open complaints of 10 events under the tobacco preset (working-day clocks on the
 * China mainland calendar), spread over about 200 days.
 */
import {
  type BusinessCalendar,
  type ComplaintId,
  calendars,
  createMemoryStore,
  type EventStore,
  evaluateSla,
  fixedClock,
  runSlaWatcher,
  ulidGenerator,
} from "../../src/index.js";
import { type BenchStream, benchPolicy, makeStreams } from "../data.js";
import type { Workload } from "../harness.js";

const PER_CASE = 10;
const NOW = new Date("2026-03-31T06:00:00.000Z");

let casesCache: { n: number; streams: BenchStream[] } | undefined;
function cases(n: number): BenchStream[] {
  if (casesCache?.n !== n)
    casesCache = { n, streams: makeStreams({ set: 5, streams: n, eventsPerStream: PER_CASE, open: true }) };
  return casesCache.streams;
}

/** evaluateSla over `n` open cases at one instant. */
export function evaluateSlaWorkload(n: number): Workload {
  let calendar: BusinessCalendar | undefined;
  const notes: string[] = [];
  return {
    id: "sla.evaluate",
    title: `evaluateSla over ${n.toLocaleString("en")} open cases at one instant`,
    unit: "cases",
    units: n,
    rounds: 5,
    prepare() {
      calendar = calendars.chinaMainland();
      const all = cases(n);
      // Count what the pass finds, once: the statuses say the data is not trivial.
      const statuses = new Map<string, number>();
      for (const c of all)
        for (const clock of evaluateSla(c.events, benchPolicy, calendar, NOW).clocks)
          statuses.set(clock.status, (statuses.get(clock.status) ?? 0) + 1);
      notes.push(
        `Clock statuses found: ${[...statuses].map(([status, count]) => `${status} ${count.toLocaleString("en")}`).join(", ")}.`,
      );
    },
    sides: [
      {
        lib: "kesu",
        label: "kesu evaluateSla",
        run() {
          const cal = calendar!;
          for (const c of cases(n)) evaluateSla(c.events, benchPolicy, cal, NOW);
          return undefined;
        },
      },
    ],
    notes,
  };
}

/** Calendar arithmetic across year boundaries. */
export function calendarWorkload(): Workload {
  const calendar = calendars.chinaMainland();
  // 1 000 instants: 20 December to 31 December of 2024 and 2025, at any minute of the day.
  const froms: Date[] = [];
  for (let i = 0; i < 1000; i++) {
    const year = i % 2 === 0 ? 2024 : 2025;
    const start = Date.UTC(year, 11, 20) - 8 * 3_600_000;
    froms.push(new Date(start + ((i * 7919) % (12 * 24 * 60)) * 60_000));
  }
  const CALLS = 10_000;
  return {
    id: "sla.calendar",
    title: "Calendar arithmetic across year boundaries (China mainland calendar, 2024-2026 data)",
    unit: "calls",
    units: CALLS,
    mode: "micro",
    timeMs: 400,
    rounds: 5,
    sides: [
      {
        lib: "kesu",
        label: "kesu addWorkingDays (1-15 days)",
        run() {
          for (let i = 0; i < CALLS; i++) calendar.addWorkingDays(froms[i % 1000]!, 1 + (i % 15));
          return undefined;
        },
      },
      {
        lib: "kesu",
        label: "kesu addWorkingHours (1-120 h)",
        extra: true,
        run() {
          for (let i = 0; i < CALLS; i++) calendar.addWorkingHours(froms[i % 1000]!, 1 + (i % 120));
          return undefined;
        },
      },
      {
        lib: "kesu",
        label: "kesu workingTimeBetween (up to 30 days)",
        extra: true,
        run() {
          for (let i = 0; i < CALLS; i++) {
            const a = froms[i % 1000]!;
            calendar.workingTimeBetween(a, new Date(a.getTime() + (i % 30) * 86_400_000));
          }
          return undefined;
        },
      },
    ],
    notes: [
      "Each call returns a new Date; one timed run is 10 000 calls. The calendar's day table is built on first use (before timing) and answers by binary search.",
    ],
  };
}

/** One SLA watcher pass over `n` open cases in the memory store. */
export function watcherWorkload(n: number): Workload {
  let store: EventStore | undefined;
  const calendar = calendars.chinaMainland();
  const notes: string[] = [];
  const ids = () => cases(n).map((c) => c.id as ComplaintId);
  const pass = () =>
    runSlaWatcher({
      store: store!,
      policy: benchPolicy,
      calendar,
      now: NOW,
      cases: ids(),
      clock: fixedClock(NOW),
      ids: ulidGenerator({ clock: fixedClock(NOW), seed: 7 }),
    });
  return {
    id: "sla.watcher",
    title: `SLA watcher pass over ${n.toLocaleString("en")} open cases, memory store`,
    unit: "cases",
    units: n,
    rounds: 2,
    warmupRounds: 0,
    async prepare() {
      store = createMemoryStore();
      for (const c of cases(n)) await store.appendToStream(c.id, c.events, { expectedVersion: "no-stream" });
      // The first pass escalates every case at risk or breached; later passes find them escalated.
      const started = performance.now();
      const first = await pass();
      const seconds = (performance.now() - started) / 1000;
      const escalated = first.findings.reduce(
        (sum, f) => sum + f.actions.filter((a) => a.outcome === "escalated").length,
        0,
      );
      notes.push(
        `First pass (untimed above): ${seconds.toFixed(1)} s for ${first.checked.toLocaleString("en")} cases, ${first.findings.length.toLocaleString("en")} findings, ${escalated.toLocaleString("en")} escalations appended through handle.`,
        "The timed passes are the steady state: every case is read, folded and judged, and the escalations already made are recognised (no appends).",
      );
    },
    async cleanup() {
      await store?.close();
      store = undefined;
      casesCache = undefined;
    },
    sides: [
      {
        lib: "kesu",
        label: "kesu runSlaWatcher",
        async run() {
          await pass();
          return undefined;
        },
      },
    ],
    notes,
  };
}
