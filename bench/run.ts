/**
 * kesu benchmarks, against Emmett where both libraries do the same job.
 *
 *   npm run bench                          every workload
 *   npm run bench -- --quick               smaller sizes, fewer rounds (a smoke run)
 *   npm run bench -- --filter append       only workloads whose id contains "append"
 *   npm run bench -- --growth              add the 10x smaller and 10x larger sizes
 *   npm run bench -- --no-correctness      skip the concurrency checks
 *   npm run bench -- --side kesu           run only one library's sides (and make only its data)
 *   npm run bench -- --heap-mb 20000       the child process's heap limit (default 8192)
 *
 * Prints a table and writes bench/results/latest.json. PostgreSQL workloads need a server:
 * KESU_BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres); the benchmark
 * creates databases of its own there (kesu_bench, kesu_bench_emmett, and one
 * kesu_bench_emmett_projection_<events> per projection size) and drops nothing else.
 * See docs/benchmarks.md for the method and the figures.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { CheckResult } from "./correctness.js";
import { measure, table, type Workload, type WorkloadResult } from "./harness.js";

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const flag = (name: string) => args.includes(name);
const option = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};

// Run again as a child process with the flags the benchmark needs: a bigger heap (the large
// workloads keep a million events per library in memory), `gc()` between runs, and TypeScript
// compiled the way the published build compiles it (see loader/hooks.mjs: tsx keeps function
// names, which costs time in closures that the published package does not spend).
if (process.env.KESU_BENCH_CHILD === undefined) {
  const child = spawnSync(
    process.execPath,
    [
      `--max-old-space-size=${option("--heap-mb") ?? 8192}`,
      "--expose-gc",
      "--import",
      new URL("./loader/register.mjs", import.meta.url).href,
      fileURLToPath(import.meta.url),
      ...args,
    ],
    { stdio: "inherit", env: { ...process.env, KESU_BENCH_CHILD: "1" } },
  );
  process.exit(child.status ?? 1);
}

export interface RunOptions {
  readonly quick: boolean;
  readonly fresh: boolean;
  readonly growth: boolean;
  readonly pgUrl: string;
  /** Only this library's sides run (`--side`). */
  readonly side: "kesu" | "emmett" | undefined;
}

const sideOption = option("--side");
if (sideOption !== undefined && sideOption !== "kesu" && sideOption !== "emmett")
  throw new Error(`--side must be kesu or emmett, not ${sideOption}`);

const options: RunOptions = {
  quick: flag("--quick"),
  fresh: flag("--fresh"),
  growth: flag("--growth"),
  side: sideOption,
  pgUrl: process.env.KESU_BENCH_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres",
};
const filter = option("--filter");

const versionOf = (pkg: string) => {
  try {
    const path = join(here, "..", "node_modules", ...pkg.split("/"), "package.json");
    return (JSON.parse(readFileSync(path, "utf8")) as { version: string }).version;
  } catch {
    return "not installed";
  }
};

const log = (line: string) => process.stdout.write(`${line}\n`);

/** Every workload, lazily built (building one generates its data). */
interface Entry {
  readonly id: string;
  /** Needs the PostgreSQL server. */
  readonly pg?: boolean;
  readonly build: () => Promise<Workload | readonly Workload[]>;
}

async function entries(): Promise<Entry[]> {
  const { rehydrateFromStoreWorkload, rehydrateWorkload } = await import("./workloads/rehydrate.js");
  const { appendMemoryWorkload, appendPostgresWorkload, appendSqliteWorkload } = await import(
    "./workloads/append.js"
  );
  const { projectionMemoryWorkload, projectionSqliteWorkload } = await import("./workloads/projection.js");
  const { projectionPostgresWorkload } = await import("./workloads/projectionPostgres.js");
  const { concurrentPostgresWorkload } = await import("./workloads/concurrent.js");
  const { importWorkload } = await import("./workloads/import.js");
  const { calendarWorkload, evaluateSlaWorkload, watcherWorkload } = await import("./workloads/sla.js");
  const { preparePostgres } = await import("./pg.js");
  const q = options.quick;
  const pg = await preparePostgres(options.pgUrl);
  const appendStreams = q ? 1_000 : 10_000;
  const projectionEvents = q ? 100_000 : 1_000_000;
  const list: Entry[] = [
    // 1. Appends: 10 events per append (a complaint's first days), then 100 (an import).
    { id: "append.memory", build: async () => appendMemoryWorkload(appendStreams) },
    { id: "append.sqlite", build: async () => appendSqliteWorkload(appendStreams) },
    {
      id: "append.postgres",
      pg: true,
      build: async () => appendPostgresWorkload(options.pgUrl, appendStreams),
    },
    {
      id: "append.sqlite.batch100",
      build: async () => appendSqliteWorkload(appendStreams / 10, 100, "append.sqlite.batch100"),
    },
    {
      id: "append.postgres.batch100",
      pg: true,
      build: async () =>
        appendPostgresWorkload(options.pgUrl, appendStreams / 10, 100, "append.postgres.batch100"),
    },
    // 2. Rehydrate.
    { id: "rehydrate", build: async () => rehydrateWorkload(q ? 10_000 : 100_000) },
    { id: "rehydrate.memory-store", build: async () => rehydrateFromStoreWorkload(q ? 2_000 : 10_000) },
    // 5. kesu only: SLA (before the large workloads, whose heaps would slow its small calls).
    { id: "sla.evaluate", build: async () => evaluateSlaWorkload(q ? 10_000 : 100_000) },
    { id: "sla.calendar", build: async () => calendarWorkload() },
    { id: "sla.watcher", build: async () => watcherWorkload(q ? 10_000 : 100_000) },
    // The largest CFPB extract through the importer (kesu only).
    { id: "import.cfpb", build: async () => importWorkload() },
    // 3. Projection rebuild.
    { id: "projection.memory", build: async () => projectionMemoryWorkload(projectionEvents) },
    { id: "projection.sqlite", build: async () => projectionSqliteWorkload(projectionEvents, options.fresh) },
    {
      id: "projection.postgres",
      pg: true,
      build: async () => projectionPostgresWorkload(options.pgUrl, projectionEvents, options.fresh),
    },
    // 4. Concurrent appends.
    {
      id: "concurrent.postgres",
      pg: true,
      build: async () => concurrentPostgresWorkload(options.pgUrl, q ? 50 : 250),
    },
  ];
  // 6. Growth: workloads 1-3 at a tenth and at ten times the size (see docs/benchmarks.md for
  // what is left out at ten times and why).
  if (options.growth)
    list.push(
      {
        id: "growth.append.memory.x0.1",
        build: async () => appendMemoryWorkload(appendStreams / 10, 10, "growth.append.memory.x0.1"),
      },
      {
        id: "growth.append.memory.x10",
        build: async () => appendMemoryWorkload(appendStreams * 10, 10, "growth.append.memory.x10"),
      },
      {
        id: "growth.append.sqlite.x0.1",
        build: async () => appendSqliteWorkload(appendStreams / 10, 10, "growth.append.sqlite.x0.1"),
      },
      {
        id: "growth.append.sqlite.x10",
        build: async () => appendSqliteWorkload(appendStreams * 10, 10, "growth.append.sqlite.x10"),
      },
      {
        id: "growth.append.postgres.x0.1",
        pg: true,
        build: async () =>
          appendPostgresWorkload(options.pgUrl, appendStreams / 10, 10, "growth.append.postgres.x0.1"),
      },
      {
        // A million events at a few thousand a second: one timed round per side, with a budget
        // large enough to write them all (about 7 minutes in all).
        id: "growth.append.postgres.x10",
        pg: true,
        build: async () => ({
          ...appendPostgresWorkload(options.pgUrl, appendStreams * 10, 10, "growth.append.postgres.x10"),
          rounds: 1,
          budgetMs: 600_000,
        }),
      },
      {
        id: "growth.rehydrate.x0.1",
        build: async () => rehydrateWorkload(q ? 100_000 : 1_000_000, 5, "growth.rehydrate.x0.1"),
      },
      {
        id: "growth.rehydrate.x10",
        build: async () => rehydrateWorkload(q ? 1_000 : 10_000, 500, "growth.rehydrate.x10"),
      },
      {
        id: "growth.projection.memory.x0.1",
        build: async () => projectionMemoryWorkload(projectionEvents / 10, "growth.projection.memory.x0.1"),
      },
      {
        id: "growth.projection.sqlite.x0.1",
        build: async () =>
          projectionSqliteWorkload(projectionEvents / 10, options.fresh, "growth.projection.sqlite.x0.1"),
      },
      {
        id: "growth.projection.postgres.x0.1",
        pg: true,
        build: async () =>
          projectionPostgresWorkload(
            options.pgUrl,
            projectionEvents / 10,
            options.fresh,
            "growth.projection.postgres.x0.1",
          ),
      },
      {
        // Ten million events on the server: both logs are written through each library's own
        // append (about an hour in all, kept on the server between runs).
        id: "growth.projection.postgres.x10",
        pg: true,
        build: async () =>
          projectionPostgresWorkload(
            options.pgUrl,
            projectionEvents * 10,
            options.fresh,
            "growth.projection.postgres.x10",
          ),
      },
      {
        // Ten million events in memory: either library's data alone fills most of the machine
        // (about 14 GB for kesu's store, 13 GB for Emmett's log), so this one runs a library
        // at a time, in its own run: --side kesu, then --side emmett, with --heap-mb 20000.
        id: "growth.projection.memory.x10",
        build: async () => {
          if (options.side === undefined) {
            log(
              "growth.projection.memory.x10 skipped: it needs --side kesu or --side emmett (and --heap-mb 20000)",
            );
            return [];
          }
          return projectionMemoryWorkload(
            projectionEvents * 10,
            "growth.projection.memory.x10",
            options.side,
          );
        },
      },
      {
        // Ten million events: the files are filled a chunk of streams at a time (about 9 GB
        // each, kept in the cache between runs); the rebuild is timed for its budget.
        id: "growth.projection.sqlite.x10",
        build: async () =>
          projectionSqliteWorkload(projectionEvents * 10, options.fresh, "growth.projection.sqlite.x10"),
      },
    );
  if (!pg) log(`no PostgreSQL at ${options.pgUrl}: PostgreSQL workloads skipped`);
  return list.filter((entry) => pg || !entry.pg);
}

async function main() {
  const machine = {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? "unknown",
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    loadAtStart: loadavg(),
    versions: {
      "@event-driven-io/emmett": versionOf("@event-driven-io/emmett"),
      "@event-driven-io/emmett-sqlite": versionOf("@event-driven-io/emmett-sqlite"),
      "@event-driven-io/emmett-postgresql": versionOf("@event-driven-io/emmett-postgresql"),
      "better-sqlite3": versionOf("better-sqlite3"),
      sqlite3: versionOf("sqlite3"),
      pg: versionOf("pg"),
      tinybench: versionOf("tinybench"),
    },
  };
  log(
    `kesu benchmarks — ${machine.cpus} × ${machine.cpuModel}, Node ${machine.node}, load ${machine.loadAtStart.map((x) => x.toFixed(2)).join(" ")}${options.quick ? " (quick)" : ""}`,
  );
  const results: WorkloadResult[] = [];
  const started = performance.now();
  for (const entry of await entries()) {
    if (filter !== undefined && !entry.id.includes(filter)) continue;
    const built = await entry.build();
    for (const all of (Array.isArray(built) ? built : [built]) as readonly Workload[]) {
      if (filter !== undefined && !all.id.includes(filter) && !entry.id.includes(filter)) continue;
      const workload =
        options.side === undefined ? all : { ...all, sides: all.sides.filter((s) => s.lib === options.side) };
      if (workload.sides.length === 0) continue;
      log(`\n${workload.id}: ${workload.title}`);
      const result = await measure(workload, log);
      results.push(result);
      const r = result.ratio;
      log(
        `  → load ${result.load.map((x) => x.toFixed(2)).join(" → ")}, ${result.seconds.toFixed(0)} s` +
          (r === undefined ? "" : `, kesu ÷ emmett ${r.toFixed(2)}×`),
      );
    }
  }
  let checks: CheckResult[] = [];
  const wantChecks = !flag("--no-correctness") && (filter === undefined || "correctness".includes(filter));
  if (wantChecks) {
    const { runChecks } = await import("./correctness.js");
    const { preparePostgres } = await import("./pg.js");
    log("\ncorrectness: the same concurrency checks against both libraries");
    checks = await runChecks((await preparePostgres(options.pgUrl)) ? options.pgUrl : undefined, log);
  }
  if (results.length > 0) log(`\n${table(results)}`);
  if (checks.length > 0) log(`\n${checkTable(checks)}`);
  const seconds = (performance.now() - started) / 1000;
  log(
    `\n${results.length} workloads in ${seconds.toFixed(0)} s, load at the end ${loadavg()
      .map((x) => x.toFixed(2))
      .join(" ")}`,
  );
  const out = join(here, "results", "latest.json");
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(
    out,
    `${JSON.stringify({ startedAt: new Date().toISOString(), options: { ...options, filter }, machine, seconds, loadAtEnd: loadavg(), results, checks }, null, 2)}\n`,
  );
  log(`wrote ${join("bench", "results", "latest.json")}`);
}

/** The checks as a table: one row per check and backend, one column per library. */
function checkTable(checks: readonly CheckResult[]): string {
  const rows = new Map<string, Map<string, CheckResult>>();
  for (const c of checks) {
    const key = `${c.check} | ${c.backend}`;
    const row = rows.get(key) ?? new Map<string, CheckResult>();
    row.set(c.lib, c);
    rows.set(key, row);
  }
  const lines = ["check | backend | kesu | emmett", "--- | --- | --- | ---"];
  for (const [key, row] of rows) {
    const cell = (lib: string) => {
      const c = row.get(lib);
      return c ? `${c.ok ? "ok" : "NO"}: ${c.summary}` : "–";
    };
    lines.push(`${key} | ${cell("kesu")} | ${cell("emmett")}`);
  }
  return lines.join("\n");
}

await main();
