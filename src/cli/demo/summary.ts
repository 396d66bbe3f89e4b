import type { Policy } from "../../domain/policy.js";
import type { ComplaintListRow } from "../../projections/complaintList.js";
import type { SimulationResult } from "./simulate.js";

/** Per clock: how many cases met it, met it late, are past due, or still run. */
export interface ClockTally {
  met: number;
  late: number;
  pending: number;
}

/** The figures the demo prints (R-35 measures), all derived from the read model's rows. */
export interface DemoSummary {
  readonly received: number;
  readonly byKind: Readonly<Record<string, number>>;
  readonly byChannel: Readonly<Record<string, number>>;
  readonly bySeverity: Readonly<Record<string, number>>;
  readonly byStage: Readonly<Record<string, number>>;
  readonly byOutcome: Readonly<Record<string, number>>;
  readonly invalid: number;
  readonly reopened: number;
  readonly rejectedResolutions: number;
  readonly overdueOpen: number;
  readonly clocks: Readonly<Record<string, ClockTally>>;
  readonly satisfaction: number | null;
}

function countBy(rows: readonly ComplaintListRow[], key: (row: ComplaintListRow) => string) {
  const out: Record<string, number> = {};
  for (const row of rows) out[key(row)] = (out[key(row)] ?? 0) + 1;
  return Object.fromEntries(Object.entries(out).sort(([a, x], [b, y]) => y - x || a.localeCompare(b)));
}

/** The summary of a simulated month. */
export function summarize(rows: readonly ComplaintListRow[], horizon: Date): DemoSummary {
  const clocks: Record<string, ClockTally> = {};
  for (const row of rows)
    for (const [clock, status] of Object.entries(row.slaStatus)) {
      clocks[clock] ??= { met: 0, late: 0, pending: 0 };
      const tally = clocks[clock];
      if (status === "met") tally.met += 1;
      else if (status === "met-late" || status === "breached") tally.late += 1;
      else if (status !== "not-started") tally.pending += 1;
    }
  const scores = rows.map((r) => r.satisfaction).filter((s): s is number => s !== null);
  const at = horizon.toISOString();
  return {
    received: rows.length,
    byKind: countBy(rows, (r) => r.kind ?? "unclassified"),
    byChannel: countBy(rows, (r) => r.channel),
    bySeverity: countBy(rows, (r) => r.severity ?? "unclassified"),
    byStage: countBy(rows, (r) => r.stage),
    byOutcome: countBy(
      rows.filter((r) => r.outcome !== null),
      (r) => r.outcome!,
    ),
    invalid: rows.filter((r) => r.validity === "invalid").length,
    reopened: rows.filter((r) => r.cycle > 1).length,
    rejectedResolutions: rows.reduce((n, r) => n + r.rejections, 0),
    overdueOpen: rows.filter(
      (r) => r.stage !== "closed" && (r.slaLate.length > 0 || (r.slaDueAt !== null && r.slaDueAt < at)),
    ).length,
    clocks,
    satisfaction:
      scores.length === 0 ? null : Math.round((scores.reduce((a, b) => a + b, 0) / scores.length) * 10) / 10,
  };
}

const list = (counts: Readonly<Record<string, number>>) =>
  Object.entries(counts)
    .map(([k, n]) => `${k} ${n}`)
    .join(", ");
const pct = (part: number, whole: number) => (whole === 0 ? "-" : `${((100 * part) / whole).toFixed(1)}%`);

/** The summary as text: the same run always gives the same lines (no timings in it). */
export function formatSummary(
  policy: Policy,
  options: { preset: string; month: string; seed: number },
  s: DemoSummary,
  run: SimulationResult,
): string {
  const out = [
    `kesu demo · preset ${options.preset} (${policy.name}) · ${options.month} · seed ${options.seed}`,
    "",
    `received     ${s.received}: ${list(s.byKind)}`,
    `channels     ${list(s.byChannel)}`,
    `severities   ${list(s.bySeverity)}`,
    `stages       ${list(s.byStage)} (at month end)`,
    `outcomes     ${list(s.byOutcome)}`,
    `invalid complaints ${s.invalid} · withdrawn ${s.byOutcome["not-established"] ?? 0} · reopened ${s.reopened} · rejected remedies ${s.rejectedResolutions}`,
    `escalations  ${run.escalations.automatic} automatic (SLA watcher, ${run.watcherRuns} runs; reopened badly handled), ${run.escalations.manual} manual`,
    `refused on purpose ${list(run.refused) || "none"}${run.unexpected.length > 0 ? ` · UNEXPECTED ${run.unexpected.length}: ${run.unexpected.slice(0, 5).join(" | ")}` : ""}`,
    `satisfaction ${s.satisfaction ?? "-"} (90 满意 / 80 较满意 / 70 一般 / 60 较差)`,
    "",
    "on time per clock (met / met or late; still running not counted)",
  ];
  for (const clock of policy.clocks) {
    const t = s.clocks[clock.id] ?? { met: 0, late: 0, pending: 0 };
    out.push(
      `  ${clock.id.padEnd(16)} ${pct(t.met, t.met + t.late).padStart(6)}  met ${t.met}, late ${t.late}, running ${t.pending}`,
    );
  }
  out.push("", `open cases past a due time at month end: ${s.overdueOpen}`, `events: ${run.events}`);
  return out.join("\n");
}
