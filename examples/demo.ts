/**
 * A month of complaint handling, simulated on the embedded SQLite store: several hundred
 * complaints, inquiries and suggestions under a preset, handled on the Chinese business calendar
 * (October 2025: the National Day holiday and a 调休 Saturday), with late answers, SLA escalations,
 * rejected remedies, reopenings, invalid complaints and withdrawals. Prints a summary and writes
 * an HTML report. Run with `npm run demo` (options: `--preset tobacco|retail|manufacturing|property`,
 * `--seed <n>`, `--cases <n>`, `--month YYYY-MM`).
 *
 * It leaves `kesu-demo.db` behind, initialised for the CLI: try
 * `npx tsx src/cli/main.ts --db kesu-demo.db list --breached`.
 */
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { DEMO_PRESETS, type DemoPreset, simulateMonth } from "../src/cli/demo/simulate.js";
import { formatSummary, summarize } from "../src/cli/demo/summary.js";
import { calendarFor } from "../src/cli/settings.js";
import { presets } from "../src/presets/index.js";
import { buildReport, renderDashboard } from "../src/reports/index.js";

const { values } = parseArgs({
  options: {
    preset: { type: "string", default: "tobacco" },
    seed: { type: "string", default: "2025" },
    cases: { type: "string", default: "400" },
    month: { type: "string", default: "2025-10" },
  },
});
const preset = values.preset as DemoPreset;
if (!DEMO_PRESETS.includes(preset)) {
  console.error(`demo: unknown preset ${JSON.stringify(values.preset)}; one of ${DEMO_PRESETS.join(", ")}`);
  process.exit(2);
}
const seed = Number(values.seed);
const cases = Number(values.cases);
if (!Number.isInteger(seed) || !Number.isInteger(cases) || cases < 1 || !/^\d{4}-\d{2}$/.test(values.month)) {
  console.error("demo: --seed and --cases take whole numbers, --month YYYY-MM");
  process.exit(2);
}

const started = performance.now();
const run = await simulateMonth({
  preset,
  seed,
  cases,
  month: values.month,
  dbPath: "kesu-demo.db",
  progress: process.stderr,
});
const summary = summarize(run.rows, run.horizon);
console.log(formatSummary(presets[preset], { preset, month: values.month, seed }, summary, run));

// The month's statistics as a self-contained HTML dashboard.
const policy = presets[preset];
const report = buildReport(run.rows, {
  period: { month: values.month },
  policy,
  calendar: calendarFor(policy),
});
writeFileSync("kesu-demo-report.html", renderDashboard(report));
console.log("\nwrote kesu-demo.db and kesu-demo-report.html");
// Timing goes to stderr: stdout is the same for the same seed.
console.error(`done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
