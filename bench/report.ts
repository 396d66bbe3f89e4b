/**
 * Turns benchmark results into the Markdown tables of docs/benchmarks.md.
 *
 *   npm run bench:report                         bench/results/latest.json
 *   npm run bench:report -- a.json b.json        several runs (say a full run and a --growth run)
 *
 * Per workload: each side's median units per second over the rounds, the spread between the
 * slowest and the fastest round, the mean and p99 of one timed run, and kesu ÷ the fastest Emmett
 * side. Then the growth table (the same workload at a tenth, at full size, at ten times) and the
 * correctness checks.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { CheckResult } from "./correctness.js";
import type { SideResult, WorkloadResult } from "./harness.js";

interface RunFile {
  readonly startedAt: string;
  readonly machine: { cpus: number; cpuModel: string; node: string; memoryGb: number };
  readonly results: readonly WorkloadResult[];
  readonly checks: readonly CheckResult[];
}

const here = dirname(fileURLToPath(import.meta.url));
const files = process.argv.slice(2);
const runs: RunFile[] = (files.length > 0 ? files : [join(here, "results", "latest.json")]).map(
  (file) => JSON.parse(readFileSync(file, "utf8")) as RunFile,
);

/** 1234567 → "1.23 M", 12345 → "12.3 k". */
export function si(x: number): string {
  if (!Number.isFinite(x)) return "–";
  const [div, suffix] = x >= 1e6 ? [1e6, " M"] : x >= 1e3 ? [1e3, " k"] : [1, ""];
  const v = x / div;
  return `${v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2)}${suffix}`;
}

const ms = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));

/** The spread of the rounds around the median, in percent: (max − min) ÷ median. */
const spread = (s: SideResult) => `±${((50 * (s.maxPerSecond - s.minPerSecond)) / s.perSecond).toFixed(0)} %`;

function workloadTable(w: WorkloadResult): string {
  const lines = [
    `**${w.id}**: ${w.title}`,
    "",
    `| side | ${w.unit}/s (median) | rounds' spread | mean of a run (ms) | p99 (ms) | CPU | kesu ÷ emmett |`,
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  const fastestEmmett = Math.max(
    ...w.sides.filter((s) => s.lib === "emmett" && !s.extra && !s.error).map((s) => s.perSecond),
  );
  for (const s of w.sides) {
    const label = s.partial ? `${s.label} (stopped by the time budget)` : s.label;
    const ratio =
      s.lib === "kesu" && !s.extra && Number.isFinite(fastestEmmett)
        ? `${(s.perSecond / fastestEmmett).toFixed(2)}×`
        : "";
    lines.push(
      s.error
        ? `| ${label} | failed: ${s.error} | | | | | |`
        : `| ${label} | ${si(s.perSecond)} | ${spread(s)} | ${ms(s.meanMs)} | ${ms(s.p99Ms)} | ${(100 * s.cpuShare).toFixed(0)} % | ${ratio} |`,
    );
  }
  return lines.join("\n");
}

/** `growth.append.memory.x10` and `append.memory` belong to one growth row. */
function growthTable(results: readonly WorkloadResult[]): string {
  const byId = new Map(results.map((r) => [r.id, r]));
  const bases = new Set<string>();
  for (const r of results) {
    const m = /^growth\.(.+)\.x(0\.1|10)$/.exec(r.id);
    if (m) bases.add(m[1]!);
  }
  const lines = [
    "| workload | side | ×0.1 | ×1 | ×10 | largest ÷ smallest, per unit |",
    "| --- | --- | ---: | ---: | ---: | ---: |",
  ];
  for (const base of bases) {
    const sizes = [byId.get(`growth.${base}.x0.1`), byId.get(base), byId.get(`growth.${base}.x10`)];
    const labels = new Set(sizes.flatMap((w) => w?.sides.map((s) => s.label) ?? []));
    for (const label of labels) {
      const rate = sizes.map((w) => w?.sides.find((s) => s.label === label));
      const cell = (s: SideResult | undefined, w: WorkloadResult | undefined) =>
        s && w ? `${si(s.perSecond)}/s (${si(s.unitsPerRun)} ${w.unit})` : "–";
      // The largest size measured against the smallest: 1.00 is linear growth (the same rate per
      // unit), below 1 the cost per unit grows with the size.
      const measured = rate.filter((s): s is SideResult => s !== undefined);
      const small = measured[0]?.perSecond;
      const large = measured.length > 1 ? measured[measured.length - 1]?.perSecond : undefined;
      const ratio = small && large ? `${(large / small).toFixed(2)}` : "–";
      lines.push(
        `| ${base} | ${label} | ${cell(rate[0], sizes[0])} | ${cell(rate[1], sizes[1])} | ${cell(rate[2], sizes[2])} | ${ratio} |`,
      );
    }
  }
  return lines.join("\n");
}

function checkTable(checks: readonly CheckResult[]): string {
  const rows = new Map<string, Map<string, CheckResult>>();
  for (const c of checks) {
    const key = `${c.check} | ${c.backend}`;
    const row = rows.get(key) ?? new Map<string, CheckResult>();
    row.set(c.lib, c);
    rows.set(key, row);
  }
  const lines = ["| check | backend | kesu | Emmett |", "| --- | --- | --- | --- |"];
  for (const [key, row] of rows) {
    const cell = (lib: string) => {
      const c = row.get(lib);
      return c ? `${c.ok ? "✅" : "❌"} ${c.summary.replaceAll("|", "\\|")}` : "–";
    };
    lines.push(`| ${key} | ${cell("kesu")} | ${cell("emmett")} |`);
  }
  return lines.join("\n");
}

const results = runs.flatMap((r) => r.results);
const checks = runs.flatMap((r) => r.checks);
const out: string[] = [];
for (const run of runs)
  out.push(
    `Run of ${run.startedAt}: ${run.machine.cpus} × ${run.machine.cpuModel}, ${run.machine.memoryGb} GiB, Node ${run.machine.node}.`,
  );
for (const w of results.filter((r) => !r.id.startsWith("growth."))) out.push("", workloadTable(w));
if (results.some((r) => r.id.startsWith("growth."))) out.push("", growthTable(results));
if (checks.length > 0) out.push("", checkTable(checks));
process.stdout.write(`${out.join("\n")}\n`);
