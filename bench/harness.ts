/**
 * The measuring loop: every workload runs each library's side in rounds, alternating which
 * side goes first, after untimed warm-up rounds. tinybench times each side; we keep every
 * round's mean so the report can give the median and the spread between rounds, which on a
 * shared machine says more than any single figure.
 */
import { loadavg } from "node:os";
import { Bench } from "tinybench";

/** Which library a side exercises. */
export type Library = "kesu" | "emmett";

/** One library's way of doing a workload. */
export interface Side {
  readonly lib: Library;
  /** Shown in the table, e.g. "kesu" or "emmett (one shared connection)". */
  readonly label: string;
  /** Untimed, before each timed run (fresh store, empty read model…). */
  readonly setup?: (() => void | Promise<void>) | undefined;
  /**
   * The timed work. Returns how many units it did when it stopped early at `deadline`
   * (`performance.now()` time); returns nothing when it did them all.
   */
  readonly run: (deadline: number) => number | undefined | Promise<number | undefined>;
  /** Untimed, after each timed run. */
  readonly teardown?: (() => void | Promise<void>) | undefined;
  /** Not compared for the ratio (an extra kesu-only or diagnostic line). */
  readonly extra?: boolean | undefined;
}

/** A workload: the same data, every side, measured the same way. */
export interface Workload {
  /** Filter key, e.g. `append.sqlite`. */
  readonly id: string;
  readonly title: string;
  /** What one unit is: "events", "folds", "cases", "calls". */
  readonly unit: string;
  /** Units per timed run. */
  readonly units: number;
  readonly sides: readonly Side[];
  /** Timed rounds per side (default 3) and untimed warm-up rounds (default 1). */
  readonly rounds?: number | undefined;
  readonly warmupRounds?: number | undefined;
  /**
   * `"macro"` (default): one timed run per round. `"micro"`: tinybench repeats the run for
   * `timeMs` per round and the round's figure is its mean.
   */
  readonly mode?: "macro" | "micro" | undefined;
  readonly timeMs?: number | undefined;
  /** A timed run stops at this budget and reports the units it did (default: none). */
  readonly budgetMs?: number | undefined;
  /** The budget of a warm-up run (default: `budgetMs`, or 5 s when that is longer). */
  readonly warmupBudgetMs?: number | undefined;
  /** Untimed, once before the rounds and once after. */
  readonly prepare?: (() => void | Promise<void>) | undefined;
  readonly cleanup?: (() => void | Promise<void>) | undefined;
  readonly notes?: readonly string[] | undefined;
}

/** One side's figures. */
export interface SideResult {
  readonly lib: Library;
  readonly label: string;
  readonly extra: boolean;
  /** Median over rounds of units per second. */
  readonly perSecond: number;
  readonly minPerSecond: number;
  readonly maxPerSecond: number;
  /** Mean and 99th percentile of one timed run, in ms (over every sample of every round). */
  readonly meanMs: number;
  readonly p99Ms: number;
  readonly samples: number;
  /** Units one run did (the median run; less than `units` when the budget stopped it). */
  readonly unitsPerRun: number;
  readonly partial: boolean;
  /**
   * CPU time of this process over wall time during the timed runs (median of rounds). Near 1
   * for CPU-bound work that had a core to itself; lower when it waited for a database, or for
   * a core other processes were using.
   */
  readonly cpuShare: number;
  readonly error?: string | undefined;
}

/** A workload's figures. */
export interface WorkloadResult {
  readonly id: string;
  readonly title: string;
  readonly unit: string;
  readonly units: number;
  readonly sides: readonly SideResult[];
  /** kesu ÷ the fastest Emmett side (units per second); above 1, kesu is faster. */
  readonly ratio: number | undefined;
  /** 1-minute load average before and after. */
  readonly load: readonly [number, number];
  readonly seconds: number;
  readonly notes: readonly string[];
}

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length === 0 ? Number.NaN : s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

const percentile = (xs: readonly number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? Number.NaN : s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};

/** Collects garbage between runs when the process allows it, so one side's garbage is not the other's cost. */
export function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

interface Accumulator {
  perSecond: number[];
  samples: number[];
  units: number[];
  cpuShare: number[];
  error?: string;
}

/** Runs one workload and returns its figures. */
export async function measure(w: Workload, log: (line: string) => void): Promise<WorkloadResult> {
  const started = performance.now();
  const loadBefore = loadavg()[0]!;
  const rounds = w.rounds ?? 3;
  const warmup = w.warmupRounds ?? 1;
  const micro = w.mode === "micro";
  const acc = new Map<Side, Accumulator>(
    w.sides.map((s) => [s, { perSecond: [], samples: [], units: [], cpuShare: [] }]),
  );
  // A driver that emits an error event nobody listens to would end the whole run: note it
  // against the side that was running, and go on.
  let runningSide = "(preparing)";
  const uncaught: string[] = [];
  const onUncaught = (error: unknown) => {
    const message = error instanceof Error ? error.message.split("\n")[0]! : String(error);
    uncaught.push(`${runningSide}: ${message}`);
    log(`  uncaught error from ${runningSide}: ${message}`);
  };
  process.on("uncaughtException", onUncaught);
  process.on("unhandledRejection", onUncaught);
  await w.prepare?.();
  try {
    for (let round = 0; round < warmup + rounds; round++) {
      const timed = round >= warmup;
      // Alternate the order so neither side always runs on a warmer (or more fragmented) heap.
      const order = round % 2 === 0 ? [...w.sides] : [...w.sides].reverse();
      for (const side of order) {
        const a = acc.get(side)!;
        if (a.error !== undefined) continue;
        let done: number | undefined;
        // Warm-up only has to get the code hot: it need not run the whole budget.
        const budget = timed
          ? w.budgetMs
          : (w.warmupBudgetMs ?? (w.budgetMs === undefined ? undefined : Math.min(w.budgetMs, 5000)));
        let cpuMs = 0;
        let wallMs = 0;
        const bench = new Bench({
          name: w.id,
          time: micro ? (w.timeMs ?? 500) : 0,
          iterations: micro ? 5 : 1,
          warmup: micro && !timed,
          warmupTime: micro ? 100 : 0,
          warmupIterations: micro ? 5 : 0,
          retainSamples: true,
          throws: true,
        });
        bench.add(
          side.label,
          async () => {
            const deadline = budget === undefined ? Number.POSITIVE_INFINITY : performance.now() + budget;
            const cpu = process.cpuUsage();
            const wall = performance.now();
            runningSide = side.label;
            // A run that never settles (a lost driver callback) is abandoned after its budget and a minute.
            const limit = (w.budgetMs ?? 10 * 60_000) + 60_000;
            let timer: ReturnType<typeof setTimeout> | undefined;
            const outcome = await Promise.race([
              Promise.resolve(side.run(deadline)),
              new Promise<"hung">((resolve) => {
                timer = setTimeout(() => resolve("hung"), limit);
              }),
            ]);
            clearTimeout(timer);
            if (outcome === "hung") throw new Error(`did not finish within ${Math.round(limit / 1000)} s`);
            done = outcome ?? undefined;
            wallMs += performance.now() - wall;
            const used = process.cpuUsage(cpu);
            cpuMs += (used.user + used.system) / 1000;
          },
          {
            beforeEach: async () => {
              await side.setup?.();
            },
            afterEach: async () => {
              await side.teardown?.();
            },
          },
        );
        collectGarbage();
        try {
          await bench.run();
        } catch (error) {
          a.error = error instanceof Error ? error.message : String(error);
          log(`  ${side.label}: failed: ${a.error}`);
          continue;
        }
        const task = bench.tasks[0]!;
        const result = task.result;
        if (result.state === "errored") {
          a.error = result.error.message;
          log(`  ${side.label}: failed: ${a.error}`);
          continue;
        }
        if (result.state !== "completed") continue;
        const units = done ?? w.units;
        const mean = result.latency.mean;
        if (timed) {
          a.perSecond.push((units / mean) * 1000);
          a.samples.push(...(result.latency.samples ?? [mean]));
          a.units.push(units);
          a.cpuShare.push(wallMs > 0 ? cpuMs / wallMs : Number.NaN);
        }
        log(
          `  ${timed ? `round ${round - warmup + 1}` : "warm-up"} ${side.label}: ${format((units / mean) * 1000)} ${w.unit}/s` +
            (micro ? ` (${result.latency.samples?.length ?? 0} runs` : ` (${mean.toFixed(0)} ms`) +
            `, cpu ${((cpuMs / wallMs) * 100).toFixed(0)}%)` +
            (done !== undefined ? ` [stopped at the ${budget} ms budget after ${done} ${w.unit}]` : ""),
        );
      }
    }
  } finally {
    await w.cleanup?.();
    process.off("uncaughtException", onUncaught);
    process.off("unhandledRejection", onUncaught);
  }
  const sides: SideResult[] = w.sides.map((side) => {
    const a = acc.get(side)!;
    const unitsPerRun = median(a.units);
    return {
      lib: side.lib,
      label: side.label,
      extra: side.extra ?? false,
      perSecond: median(a.perSecond),
      minPerSecond: Math.min(...a.perSecond),
      maxPerSecond: Math.max(...a.perSecond),
      meanMs: a.samples.reduce((x, y) => x + y, 0) / a.samples.length,
      p99Ms: percentile(a.samples, 99),
      samples: a.samples.length,
      unitsPerRun,
      partial: unitsPerRun < w.units,
      cpuShare: median(a.cpuShare),
      error: a.error,
    };
  });
  const kesu = sides.find((s) => s.lib === "kesu" && !s.extra && s.error === undefined);
  const emmett = sides
    .filter((s) => s.lib === "emmett" && !s.extra && s.error === undefined && Number.isFinite(s.perSecond))
    .sort((a, b) => b.perSecond - a.perSecond)[0];
  return {
    id: w.id,
    title: w.title,
    unit: w.unit,
    units: w.units,
    sides,
    ratio: kesu && emmett ? kesu.perSecond / emmett.perSecond : undefined,
    load: [loadBefore, loadavg()[0]!],
    seconds: (performance.now() - started) / 1000,
    notes: [
      ...(w.notes ?? []),
      ...[...new Set(uncaught)].map((u) => `Uncaught error during the runs (the run went on): ${u}`),
    ],
  };
}

/** 1234567 → "1.23 M", 12345 → "12.3 k". */
export function format(x: number): string {
  if (!Number.isFinite(x)) return "–";
  if (x >= 1e6) return `${(x / 1e6).toFixed(2)} M`;
  if (x >= 1e4) return `${(x / 1e3).toFixed(1)} k`;
  if (x >= 100) return x.toFixed(0);
  return x.toFixed(2);
}

const ms = (x: number) =>
  !Number.isFinite(x) ? "–" : x >= 100 ? `${x.toFixed(0)} ms` : `${x.toFixed(2)} ms`;

/** The results as a plain-text table. */
export function table(results: readonly WorkloadResult[]): string {
  const header = [
    "workload",
    "library",
    "units/run",
    "units/s (median)",
    "spread",
    "mean/run",
    "p99/run",
    "cpu",
    "kesu ÷ emmett",
  ];
  const rows: string[][] = [];
  for (const r of results) {
    const kesu = r.sides.find((s) => s.lib === "kesu" && !s.extra);
    r.sides.forEach((s, i) => {
      const spread = s.samples === 0 ? "–" : `${format(s.minPerSecond)}–${format(s.maxPerSecond)}`;
      const ratio =
        s.lib === "emmett" && kesu && s.error === undefined && kesu.error === undefined
          ? `${(kesu.perSecond / s.perSecond).toFixed(2)}×`
          : "";
      rows.push([
        i === 0 ? r.id : "",
        s.label,
        s.error !== undefined ? "" : `${format(s.unitsPerRun)} ${r.unit}${s.partial ? " (budget)" : ""}`,
        s.error !== undefined ? `failed: ${s.error.slice(0, 60)}` : format(s.perSecond),
        s.error !== undefined ? "" : spread,
        s.error !== undefined ? "" : ms(s.meanMs),
        s.error !== undefined ? "" : ms(s.p99Ms),
        s.error !== undefined || !Number.isFinite(s.cpuShare) ? "" : `${(s.cpuShare * 100).toFixed(0)}%`,
        ratio,
      ]);
    });
  }
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c]!.length)));
  const line = (cells: readonly string[]) => cells.map((cell, c) => cell.padEnd(widths[c]!)).join("  ");
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}
