import type { Clock } from "../../domain/context.js";
import { ulidGenerator } from "../../domain/context.js";
import type { ComplaintId } from "../../domain/ids.js";
import type { RejectionCode } from "../../domain/rejection.js";
import { presets } from "../../presets/catalog.js";
import type { ComplaintListRow } from "../../projections/complaintList.js";
import type { LocalDate } from "../../sla/calendar/index.js";
import { evaluateSla } from "../../sla/evaluate.js";
import { runSlaWatcher } from "../../sla/watcher.js";
import { handle } from "../../stores/handle.js";
import type { CliStream } from "../io.js";
import { progressBar } from "../progress.js";
import { calendarFor, policyByRef } from "../settings.js";
import { openSqliteBackend, removeDatabase } from "../sqliteBackend.js";
import { createRandom, deriveSeed } from "./random.js";
import { type CaseScript, caseScript, type Step } from "./scripts.js";

/** The presets the demo can simulate (the Chinese ones: the month has a statutory holiday). */
export const DEMO_PRESETS = ["tobacco", "retail", "manufacturing", "property"] as const;
/** A preset the demo simulates. */
export type DemoPreset = (typeof DEMO_PRESETS)[number];

/** Options of {@link simulateMonth}. */
export interface SimulationOptions {
  readonly preset: DemoPreset;
  readonly seed: number;
  /** `YYYY-MM`; 2025-10 holds the National Day holiday (10-01..10-08) and a 调休 Saturday. */
  readonly month: string;
  /** How many complaints, inquiries and suggestions arrive in the month. */
  readonly cases: number;
  /** The SQLite file; deleted and created anew. */
  readonly dbPath: string;
  /** Where progress bars go (drawn only on a terminal). */
  readonly progress?: CliStream | undefined;
}

/** What happened, for the summary: the read model's rows and the tallies of the run. */
export interface SimulationResult {
  readonly rows: readonly ComplaintListRow[];
  readonly events: number;
  readonly escalations: { readonly automatic: number; readonly manual: number };
  readonly watcherRuns: number;
  /** Commands refused on purpose, by code (rejections are data). */
  readonly refused: Readonly<Record<string, number>>;
  /** Commands refused that the script did not expect (0 in a healthy run), with the first few. */
  readonly unexpected: readonly string[];
  /** The instant the simulation stopped (the first instant of the next month). */
  readonly horizon: Date;
}

interface Pending {
  readonly at: number;
  readonly seq: number;
  readonly caseIndex: number; // -1: a watcher run
  readonly step?: Step;
}

/** A small binary heap on (at, seq): the simulation's agenda. */
class Agenda {
  private readonly items: Pending[] = [];
  private static less(a: Pending, b: Pending) {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }
  get size() {
    return this.items.length;
  }
  push(p: Pending) {
    const h = this.items;
    h.push(p);
    for (let i = h.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (!Agenda.less(h[i]!, h[parent]!)) break;
      [h[i], h[parent]] = [h[parent]!, h[i]!];
      i = parent;
    }
  }
  pop(): Pending | undefined {
    const h = this.items;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last) {
      h[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const rgt = l + 1;
        let m = i;
        if (l < h.length && Agenda.less(h[l]!, h[m]!)) m = l;
        if (rgt < h.length && Agenda.less(h[rgt]!, h[m]!)) m = rgt;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top;
  }
}

/**
 * Simulates a month of complaint handling under a preset on a SQLite file: arrivals across
 * channels and kinds, handling on the business calendar (holidays and 调休 included), the SLA
 * watcher every morning at 09:00 escalating what is late, then the complaint-list
 * projection. Deterministic for a seed: a simulated clock, seeded ids, and one random stream per case.
 */
export async function simulateMonth(options: SimulationOptions): Promise<SimulationResult> {
  const policy = presets[options.preset];
  const calendar = calendarFor(policy);
  const calendarRef = { id: calendar.id, version: calendar.version };
  const [year, month] = options.month.split("-").map(Number) as [number, number];
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const day = (d: number) => `${options.month}-${String(d).padStart(2, "0")}` as LocalDate;
  const monthStart = calendar.startOfLocalDay(day(1));
  const horizon = calendar.addCalendarDays(calendar.startOfLocalDay(day(days)), 1);

  removeDatabase(options.dbPath);
  const backend = openSqliteBackend(options.dbPath, { create: true });
  try {
    await backend.writeSettings({ preset: options.preset });
    const store = backend.store;
    let now = monthStart;
    const clock: Clock = { now: () => new Date(now.getTime()) };
    const ids = ulidGenerator({ clock, seed: options.seed });

    // Arrivals: fewer on weekends and holidays; mostly office hours, some evenings (hotline, web).
    const arrivals = createRandom(deriveSeed(options.seed, 0));
    const dayWeights = Array.from(
      { length: days },
      (_, i) => [i + 1, calendar.isWorkingDay(day(i + 1)) ? 1 : 0.35] as const,
    );
    const receivedAt = Array.from({ length: options.cases }, () => {
      const d = arrivals.weighted(dayWeights);
      const hour = arrivals.chance(0.75) ? arrivals.between(8.5, 17.5) : arrivals.between(0, 24);
      return calendar.addCalendarHours(calendar.startOfLocalDay(day(d)), hour);
    }).sort((a, b) => a.getTime() - b.getTime());

    const streams: (ComplaintId | undefined)[] = [];
    const scripts: CaseScript[] = [];
    const agenda = new Agenda();
    let seq = 0;
    const dueOf = async (streamId: () => ComplaintId | undefined, stop: string, at: Date) => {
      const id = streamId();
      if (!id) return undefined;
      let due: string | undefined;
      for (const c of evaluateSla(await store.readStream(id), policy, calendar, at).clocks) {
        const spec = policy.clocks.find((s) => s.id === c.clockId);
        const running = c.status === "running" || c.status === "at-risk" || c.status === "breached";
        if (spec?.stop.includes(stop as never) && running && c.dueAt && (!due || c.dueAt < due))
          due = c.dueAt;
      }
      return due ? new Date(due) : undefined;
    };
    for (const [i, at] of receivedAt.entries()) {
      const script = caseScript({
        r: createRandom(deriveSeed(options.seed, i + 1)),
        policy,
        calendar,
        receivedAt: at,
        dueOf: (stop, when) => dueOf(() => streams[i], stop, when),
      });
      scripts.push(script);
      const first = await script.next(undefined as never);
      if (!first.done)
        agenda.push({ at: first.value.at.getTime(), seq: seq++, caseIndex: i, step: first.value });
    }
    for (let d = 2; d <= days; d++)
      agenda.push({
        at: calendar.addCalendarHours(calendar.startOfLocalDay(day(d)), 9).getTime(),
        seq: seq++,
        caseIndex: -1,
      });
    agenda.push({ at: horizon.getTime() - 1, seq: seq++, caseIndex: -1 });

    const open = new Set<ComplaintId>();
    const refused: Record<string, number> = {};
    const unexpected: string[] = [];
    const escalations = { automatic: 0, manual: 0 };
    let watcherRuns = 0;
    const totalHours = Math.round((horizon.getTime() - monthStart.getTime()) / 3_600_000);
    const bar = progressBar(options.progress ?? { write: () => true }, "simulate");
    bar.start(totalHours);

    for (let item = agenda.pop(); item; item = agenda.pop()) {
      now = new Date(item.at);
      bar.update(Math.round((item.at - monthStart.getTime()) / 3_600_000));
      if (item.caseIndex < 0) {
        const report = await runSlaWatcher({ store, policy, calendar, now, cases: [...open], clock, ids });
        watcherRuns += 1;
        for (const f of report.findings)
          for (const a of f.actions) if (a.outcome === "escalated") escalations.automatic += 1;
        continue;
      }
      const step = item.step!;
      const i = item.caseIndex;
      streams[i] ??= ids.next() as ComplaintId;
      const streamId = streams[i]!;
      const result = await handle(store, streamId, step.command, {
        clock,
        ids,
        actor: step.actor,
        policy,
        calendar: calendarRef,
      });
      if (result.ok) {
        for (const e of result.events)
          if (e.type === "ComplaintEscalated") escalations[e.data.automatic ? "automatic" : "manual"] += 1;
        if (result.state.stage === "closed") open.delete(streamId);
        else open.add(streamId);
      } else if (result.rejection.code === step.expect) {
        refused[result.rejection.code] = (refused[result.rejection.code] ?? 0) + 1;
      } else {
        const code: RejectionCode = result.rejection.code;
        if (unexpected.length < 5)
          unexpected.push(`${String(step.command.type)}: ${code} ${result.rejection.message}`);
        else unexpected.push(code);
      }
      const next = await scripts[i]!.next(result);
      if (!next.done && next.value.at.getTime() < horizon.getTime())
        agenda.push({
          at: Math.max(next.value.at.getTime(), item.at),
          seq: seq++,
          caseIndex: i,
          step: next.value,
        });
    }
    bar.stop();

    const project = progressBar(options.progress ?? { write: () => true }, "projection");
    project.start(await backend.lastPosition());
    const list = await backend.complaintList({
      sla: { policy: policyByRef, calendar },
      onProgress: (position) => project.update(position),
    });
    await list.runner.catchUp();
    project.stop();
    const { rows } = await list.query({ limit: Number.MAX_SAFE_INTEGER });
    const events = await backend.lastPosition();
    return { rows, events, escalations, watcherRuns, refused, unexpected, horizon };
  } finally {
    await backend.close();
  }
}
