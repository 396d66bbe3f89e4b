import type { Policy } from "../domain/policy.js";
import type { ComplaintListRow } from "../projections/complaintList.js";
import type { BusinessCalendar } from "../sla/calendar/index.js";
import { type ExpectationAnalysis, expectationAnalysis } from "./expectations.js";
import {
  categoryLabel,
  clockLabel,
  kindLabel,
  severityLabel,
  UNCLASSIFIED,
  VALIDITY_LABELS,
} from "./labels.js";
import {
  dayOf,
  inPeriod,
  monthsOf,
  type PeriodDays,
  previousPeriod,
  publicPeriod,
  type ReportPeriod,
  type ResolvedPeriod,
  resolvePeriod,
  weeksOf,
} from "./period.js";
import {
  type FrequencyThresholds,
  type FrequencyUrgencyMatrix,
  frequencyUrgency,
  type RecurrenceFigures,
  recurrence,
} from "./recurrence.js";
import { categoryOf, type Summary, summarize, TOTAL } from "./summary.js";
import { mean } from "./tally.js";

/** Options of {@link buildReport}. */
export interface BuildReportOptions {
  /** A month (`{ month: "2026-02" }`, 客户月投诉统计表) or a year (`{ year: 2026 }`, 年报表). */
  readonly period: ReportPeriod;
  /** The policy the rows were handled under: category labels, severity order, clocks. */
  readonly policy: Policy;
  /** The business calendar handling time is measured on (working hours). */
  readonly calendar: BusinessCalendar;
  /** Zone in which a receipt instant gets its day, month and week (default: the policy's). */
  readonly timeZone?: string | undefined;
  /**
   * Rows of the period before (or any earlier rows): enables month-over-month comparison (rising
   * categories, R-21) and lets recurrence look back across the period's start. Rows outside the
   * previous period only serve the look-back.
   */
  readonly previous?: readonly ComplaintListRow[] | undefined;
  /** R-21 window in which the same complainant and category make a case "frequent" (default 90 days). */
  readonly recurrenceWindowDays?: number | undefined;
  /** 004:123 monthly counts from which a category is high / medium frequency (default 3 / 2). */
  readonly frequency?: Partial<FrequencyThresholds> | undefined;
  /** Include the 客户期望分析报告 sections (default: when the policy takes inquiries or suggestions). */
  readonly expectations?: boolean | undefined;
}

/** One week of the period (Monday to Sunday, clipped to the period). */
export interface WeekFigures {
  /** The Monday the week starts on (`YYYY-MM-DD`), even when it falls before the period. */
  readonly weekStart: string;
  /** The week's first day inside the period (`YYYY-MM-DD`). */
  readonly from: string;
  /** The week's last day inside the period (`YYYY-MM-DD`). */
  readonly to: string;
  /** Rows received in the week. */
  readonly total: number;
  /** Rows received in the week by channel (only channels with rows). */
  readonly byChannel: Readonly<Record<string, number>>;
  /** Of them, rows with a revisit score. */
  readonly revisited: number;
  /** Their mean score; null when none. */
  readonly satisfactionAverage: number | null;
}

/** One line of the annual report: a measure with its twelve monthly values and the year's. */
export interface AnnualLine {
  /** What is measured, e.g. `received`, `category:payment`, `on-time:handling`. */
  readonly key: string;
  /** Its label, for people. */
  readonly label: string;
  /** January to December. */
  readonly months: readonly (number | null)[];
  /** The year's figure (the sum for counts; the year's rate or average otherwise). */
  readonly year: number | null;
}

/** 客户投诉处理年报表 (001:9): measures by month. */
export interface AnnualReport {
  /** `2026-01` … `2026-12`. */
  readonly months: readonly string[];
  /** One line per measure, each with a figure per month and for the year. */
  readonly lines: readonly AnnualLine[];
}

/** A report over one period, built from complaint-list rows. Plain JSON data. */
export interface ComplaintReport extends Summary {
  /** 客户月投诉统计表 or 客户投诉处理年报表, with the English name. */
  readonly title: string;
  /** The month or year reported on. */
  readonly period: ResolvedPeriod;
  /** The period compared with, when previous rows were given. */
  readonly previousPeriod: ResolvedPeriod | null;
  /** The policy the figures were computed under. */
  readonly policy: { readonly id: string; readonly version: string; readonly name: string };
  /** The calendar handling times were measured on. */
  readonly calendar: { readonly id: string; readonly version: string };
  /** Repeat complaints and rising categories. */
  readonly recurrence: RecurrenceFigures;
  /** Categories by frequency and urgency, for the review meeting (004:123). */
  readonly matrix: FrequencyUrgencyMatrix;
  /** Week by week. */
  readonly weekly: readonly WeekFigures[];
  /** Only for a year. */
  readonly annual: AnnualReport | null;
  /** 客户期望分析报告 (002:447), when enabled. */
  readonly expectations: ExpectationAnalysis | null;
}

/** Default R-21 window (the seeds name none; a quarter is kesu's choice). */
export const DEFAULT_RECURRENCE_WINDOW_DAYS = 90;
/** Default monthly thresholds (high 3 matches the manufacturing preset's review rule). */
export const DEFAULT_FREQUENCY: FrequencyThresholds = { high: 3, medium: 2 };

/**
 * Builds the report of a month or a year from complaint-list rows (the projection, not the event
 * streams): counts by kind, category, severity, channel and unit; validity; on-time rate per clock
 * and severity; handling time in working hours; satisfaction; reopens, rejections and escalations;
 * recurrence and the frequency × urgency matrix with the review-meeting agenda; the monthly
 * statistics table; for a year the twelve monthly columns; and the 客户期望分析报告 sections.
 * Rows received outside the period are ignored, so the whole list may be passed. Pure.
 * @throws ReportError for a malformed period or unknown time zone.
 * @example
 * const { rows } = await list.query({ limit: 100_000 });
 * const report = buildReport(rows, { period: { month: "2026-02" }, policy: tobacco, calendar });
 * console.log(formatReport(report, "table"));
 */
export function buildReport(rows: readonly ComplaintListRow[], options: BuildReportOptions): ComplaintReport {
  const { policy, calendar } = options;
  const period = resolvePeriod(options.period, options.timeZone ?? policy.timeZone);
  const inThis = rows.filter((r) => inPeriod(period, r.receivedAt));
  const before = options.previous === undefined ? null : previousPeriod(period);
  const previous =
    before === null ? null : (options.previous ?? []).filter((r) => inPeriod(before, r.receivedAt));
  const pool = dedupe([...rows, ...(options.previous ?? [])]);
  const months = period.type === "year" ? 12 : 1;
  const thresholds: FrequencyThresholds = {
    high: (options.frequency?.high ?? DEFAULT_FREQUENCY.high) * months,
    medium: (options.frequency?.medium ?? DEFAULT_FREQUENCY.medium) * months,
  };
  const summary = summarize(inThis, policy, calendar);
  const flags = recurrence(
    inThis,
    pool,
    previous,
    policy,
    options.recurrenceWindowDays ?? DEFAULT_RECURRENCE_WINDOW_DAYS,
  );
  const matrix = frequencyUrgency(inThis, previous, policy, thresholds);
  const withExpectations =
    options.expectations ?? (policy.kinds.includes("inquiry") || policy.kinds.includes("suggestion"));
  return {
    title:
      period.type === "month"
        ? "客户月投诉统计表 Monthly complaint statistics"
        : "客户投诉处理年报表 Annual complaint report",
    period: publicPeriod(period),
    previousPeriod: before === null ? null : publicPeriod(before),
    policy: { id: policy.id, version: policy.version, name: policy.name },
    calendar: { id: calendar.id, version: calendar.version },
    ...summary,
    recurrence: flags,
    matrix,
    weekly: weekly(inThis, period),
    annual: period.type === "year" ? annual(inThis, period, summary, policy, calendar) : null,
    expectations: withExpectations ? expectationAnalysis(inThis, policy, matrix, flags) : null,
  };
}

function dedupe(rows: readonly ComplaintListRow[]): ComplaintListRow[] {
  const seen = new Set<string>();
  return rows.filter((r) => {
    if (seen.has(r.streamId)) return false;
    seen.add(r.streamId);
    return true;
  });
}

function weekly(rows: readonly ComplaintListRow[], period: PeriodDays): WeekFigures[] {
  return weeksOf(period).map((week) => {
    const of = rows.filter((r) => {
      const day = dayOf(period, r.receivedAt);
      return day >= week.firstDay && day <= week.lastDay;
    });
    const byChannel: Record<string, number> = {};
    for (const r of of) byChannel[r.channel] = (byChannel[r.channel] ?? 0) + 1;
    const scores = of.flatMap((r) => (r.satisfaction === null ? [] : [r.satisfaction]));
    return {
      weekStart: week.weekStart,
      from: week.from,
      to: week.to,
      total: of.length,
      byChannel,
      revisited: scores.length,
      satisfactionAverage: mean(scores),
    };
  });
}

type Measure = (s: Summary) => number | null;

function annual(
  rows: readonly ComplaintListRow[],
  period: PeriodDays,
  year: Summary,
  policy: Policy,
  calendar: BusinessCalendar,
): AnnualReport {
  const months = monthsOf(period);
  const summaries = months.map((m) =>
    summarize(
      rows.filter((r) => inPeriod(m, r.receivedAt)),
      policy,
      calendar,
    ),
  );
  const count = (list: (s: Summary) => readonly { key: string; count: number }[], key: string): Measure => {
    return (s) => list(s).find((c) => c.key === key)?.count ?? 0;
  };
  const measures: [string, string, Measure][] = [
    ["received", "Received 受理总数", (s) => s.total],
    ...policy.kinds.map((k): [string, string, Measure] => [
      `kind:${k}`,
      kindLabel(k),
      count((s) => s.byKind, k),
    ]),
  ];
  const categories = [...policy.categories.map((c) => c.id)];
  for (const r of rows) if (!categories.includes(categoryOf(r))) categories.push(categoryOf(r));
  for (const c of categories)
    measures.push([`category:${c}`, categoryLabel(policy, c), count((s) => s.byCategory, c)]);
  for (const s of [...policy.severities, ...(rows.some((r) => r.severity === null) ? [UNCLASSIFIED] : [])])
    measures.push([`severity:${s}`, severityLabel(s), count((x) => x.bySeverity, s)]);
  measures.push(
    ["validity:valid", VALIDITY_LABELS.valid, (s) => s.validity.valid],
    ["validity:invalid", VALIDITY_LABELS.invalid, (s) => s.validity.invalid],
    ["validity:not-established", VALIDITY_LABELS["not-established"], (s) => s.validity.notEstablished],
    ["closed", "Closed 已结案", (s) => total(s).closed],
    ["late", "Late on a clock 超时", (s) => total(s).late],
  );
  for (const clock of policy.clocks)
    measures.push([
      `on-time:${clock.id}`,
      `On-time rate 按时率 · ${clockLabel(policy, clock.id)}`,
      (s) => s.onTime.find((c) => c.clockId === clock.id)?.onTimeRate ?? null,
    ]);
  measures.push(
    ["reopened", "Reopened 重新投诉", (s) => s.reopens.cases],
    ["escalated", "Escalated 升级", (s) => s.escalations.escalated],
    ["revisited", "Revisited 已回访", (s) => s.satisfaction.revisited],
    ["satisfaction", "Satisfaction average 满意度均分", (s) => s.satisfaction.average],
    ["handling-hours", "Average handling, working hours 平均处理工时", (s) => s.handlingTime.averageHours],
  );
  return {
    months: months.map((m) => m.label),
    lines: measures.map(([key, label, measure]) => ({
      key,
      label,
      months: summaries.map(measure),
      year: measure(year),
    })),
  };
}

function total(s: Summary) {
  const line = s.statistics.find((l) => l.key === TOTAL);
  if (!line) throw new Error("statistics without a total line");
  return line;
}
