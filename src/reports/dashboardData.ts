import type { ComplaintReport } from "./buildReport.js";
import { channelLabel, FREQUENCY_LABELS, LEVELS, URGENCY_LABELS } from "./labels.js";

/** A named series of a chart. */
export interface ChartSeries {
  /** The legend entry. */
  readonly name: string;
  /** One value per point of the chart's axis; null where there is nothing to draw. */
  readonly data: readonly (number | null)[];
}

/** The figures each dashboard chart draws, taken from the reports. Plain JSON. */
export interface DashboardData {
  /** The page title. */
  readonly title: string;
  /** The policy, the periods covered and the time zone. */
  readonly subtitle: string;
  /** Headline figures of the latest report. */
  readonly headline: readonly { readonly label: string; readonly value: string }[];
  /** Received per week (Monday start), stacked by channel. */
  readonly volume: { readonly weeks: readonly string[]; readonly series: readonly ChartSeries[] };
  /** On-time rate in percent per clock (x) and severity (series). */
  readonly sla: { readonly clocks: readonly string[]; readonly series: readonly ChartSeries[] };
  /** Categories by count, most first, and the cumulative share in percent. */
  readonly pareto: {
    readonly categories: readonly string[];
    readonly counts: readonly number[];
    readonly cumulative: readonly number[];
  };
  /** Complaints per frequency × urgency cell: `[urgency index, frequency index, count]`. */
  readonly matrix: {
    readonly urgencies: readonly string[];
    readonly frequencies: readonly string[];
    readonly cells: readonly (readonly [number, number, number])[];
    readonly categories: readonly (readonly string[])[];
  };
  /** Average revisit score and revisits per point (week, month or report). */
  readonly satisfaction: {
    readonly labels: readonly string[];
    readonly average: readonly (number | null)[];
    readonly revisited: readonly number[];
  };
}

const round = (n: number, digits = 1) => Number(n.toFixed(digits));
const pct = (rate: number | null) => (rate === null ? null : round(rate * 100));

/**
 * What the dashboard draws. Volume covers every report's weeks (summed where a week spans two
 * months); the satisfaction trend has a point per report when there are several, per month in a
 * year report, per week in a month report; the other charts show the latest report.
 */
export function dashboardData(reports: readonly ComplaintReport[], title?: string): DashboardData {
  const latest = reports[reports.length - 1];
  if (!latest) throw new TypeError("renderDashboard needs at least one report");
  const periods = reports.map((r) => r.period.label);
  const subtitle = `${latest.policy.name} · ${periods.length > 1 ? `${periods[0]} – ${periods[periods.length - 1]}` : latest.period.label} · ${latest.period.timeZone}`;

  const weekTotals = new Map<string, Map<string, number>>();
  for (const r of reports)
    for (const w of r.weekly) {
      const byChannel = weekTotals.get(w.weekStart) ?? new Map<string, number>();
      for (const [channel, n] of Object.entries(w.byChannel))
        byChannel.set(channel, (byChannel.get(channel) ?? 0) + n);
      weekTotals.set(w.weekStart, byChannel);
    }
  const weeks = [...weekTotals.keys()].sort();
  const channels = [...new Set([...weekTotals.values()].flatMap((m) => [...m.keys()]))].sort();
  const volume = {
    weeks,
    series: channels.map((c) => ({
      name: channelLabel(c),
      data: weeks.map((w) => weekTotals.get(w)?.get(c) ?? 0),
    })),
  };

  const sla = {
    clocks: latest.onTime.map((c) => c.label),
    // A severity none of whose clocks was judged yet has nothing to draw.
    series: latest.onTimeBySeverity
      .map((s) => ({ name: s.label, data: s.clocks.map((c) => pct(c.onTimeRate)) }))
      .filter((s) => s.data.some((x) => x !== null)),
  };

  const sorted = latest.byCategory.filter((c) => c.count > 0).sort((a, b) => b.count - a.count);
  const sum = sorted.reduce((n, c) => n + c.count, 0);
  let running = 0;
  const pareto = {
    categories: sorted.map((c) => c.label),
    counts: sorted.map((c) => c.count),
    cumulative: sorted.map((c) => {
      running += c.count;
      return round((running / sum) * 100);
    }),
  };

  // Rows top to bottom: low, medium, high frequency (the y axis grows upward).
  const frequencies = [...LEVELS].reverse();
  const cells: [number, number, number][] = [];
  const cellCategories: string[][] = [];
  for (const cell of latest.matrix.cells) {
    cells.push([LEVELS.indexOf(cell.urgency), frequencies.indexOf(cell.frequency), cell.count]);
    cellCategories.push(
      cell.categories.map((id) => latest.matrix.categories.find((c) => c.category === id)?.label ?? id),
    );
  }
  const matrix = {
    urgencies: LEVELS.map((u) => URGENCY_LABELS[u]),
    frequencies: frequencies.map((f) => FREQUENCY_LABELS[f]),
    cells,
    categories: cellCategories,
  };

  const satisfaction =
    reports.length > 1
      ? {
          labels: periods,
          average: reports.map((r) => r.satisfaction.average),
          revisited: reports.map((r) => r.satisfaction.revisited),
        }
      : latest.annual
        ? {
            labels: [...latest.annual.months],
            average: [...(latest.annual.lines.find((l) => l.key === "satisfaction")?.months ?? [])],
            revisited: (latest.annual.lines.find((l) => l.key === "revisited")?.months ?? []).map(
              (n) => n ?? 0,
            ),
          }
        : {
            labels: latest.weekly.map((w) => w.from),
            average: latest.weekly.map((w) => w.satisfactionAverage),
            revisited: latest.weekly.map((w) => w.revisited),
          };

  const onTime = latest.onTime.reduce(
    (acc, c) => ({ met: acc.met + c.met, judged: acc.judged + c.met + c.metLate + c.breached }),
    { met: 0, judged: 0 },
  );
  const show = (x: number | null, unit = "") => (x === null ? "—" : `${round(x)}${unit}`);
  const headline = [
    { label: "Received 受理总数", value: String(latest.total) },
    {
      label: "On time, all clocks 按时率",
      value: show(pct(onTime.judged === 0 ? null : onTime.met / onTime.judged), "%"),
    },
    { label: "Average handling 平均处理工时", value: show(latest.handlingTime.averageHours, " h") },
    { label: "Satisfaction 满意度", value: show(latest.satisfaction.average) },
    { label: "Reopen rate 重新投诉率", value: show(pct(latest.reopens.rate), "%") },
    { label: "Review meeting 检讨会议议题", value: String(latest.matrix.reviewMeeting.length) },
  ];
  return {
    title: title ?? `${latest.title} · ${latest.period.label}`,
    subtitle,
    headline,
    volume,
    sla,
    pareto,
    matrix,
    satisfaction,
  };
}
