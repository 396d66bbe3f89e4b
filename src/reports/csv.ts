import type { ComplaintReport } from "./buildReport.js";
import { channelLabel, FREQUENCY_LABELS, URGENCY_LABELS } from "./labels.js";
import type { Count } from "./tally.js";

/** One figure of a report in long form: section, key, label, measure and value. */
export interface ReportRecord {
  /** The part of the report, e.g. `report`, `by-category`, `on-time`. */
  readonly section: string;
  /** What the figure is about within the section (a category id, a clock id…). */
  readonly key: string;
  /** The key's label, for people. */
  readonly label: string;
  /** What kind of figure: `count`, `rate`, `date`, `text`… */
  readonly measure: string;
  /** The figure; null where a rate has nothing to divide. */
  readonly value: string | number | null;
}

/** The CSV header, in column order. */
export const CSV_COLUMNS = ["section", "key", "label", "measure", "value"] as const;

/**
 * Every figure of a report as long-form records: one line per figure, so the whole report fits
 * one table a spreadsheet can pivot. Null figures (a rate with nothing to divide) stay null.
 */
export function reportRecords(report: ComplaintReport): ReportRecord[] {
  const out: ReportRecord[] = [];
  const put = (section: string, key: string, label: string, measure: string, value: ReportRecord["value"]) =>
    out.push({ section, key, label, measure, value });
  const p = report.period;
  put("report", "title", report.title, "text", report.title);
  put("report", "period", "Period 统计期间", p.type, p.label);
  put("report", "from", "From 起", "date", p.from);
  put("report", "to", "To 止", "date", p.to);
  put("report", "time-zone", "Time zone 时区", "text", p.timeZone);
  put("report", "policy", report.policy.name, "id@version", `${report.policy.id}@${report.policy.version}`);
  put(
    "report",
    "calendar",
    "Calendar 日历",
    "id@version",
    `${report.calendar.id}@${report.calendar.version}`,
  );
  put("report", "total", "Received 受理总数", "count", report.total);
  const counts = (section: string, lines: readonly Count[]) => {
    for (const c of lines) {
      put(section, c.key, c.label, "count", c.count);
      put(section, c.key, c.label, "share", c.share);
    }
  };
  counts("kind", report.byKind);
  counts("category", report.byCategory);
  counts("severity", report.bySeverity);
  counts("channel", report.byChannel);
  counts("unit", report.byUnit);
  const v = report.validity;
  put("validity", "complaints", "Complaints 投诉", "count", v.complaints);
  put("validity", "valid", "Valid 有效", "count", v.valid);
  put("validity", "valid", "Valid 有效", "rate", v.validRate);
  put("validity", "invalid", "Invalid 无效", "count", v.invalid);
  put("validity", "invalid", "Invalid 无效", "rate", v.invalidRate);
  put("validity", "not-established", "Not established 不成立", "count", v.notEstablished);
  put("validity", "not-established", "Not established 不成立", "rate", v.notEstablishedRate);
  put("validity", "undetermined", "Undetermined 未认定", "count", v.undetermined);
  const clocks = (section: string, prefix: string, list: ComplaintReport["onTime"]) => {
    for (const c of list) {
      const key = `${prefix}${c.clockId}`;
      put(section, key, c.label, "met", c.met);
      put(section, key, c.label, "met-late", c.metLate);
      put(section, key, c.label, "breached", c.breached);
      put(section, key, c.label, "pending", c.pending);
      put(section, key, c.label, "on-time-rate", c.onTimeRate);
    }
  };
  clocks("on-time", "", report.onTime);
  for (const s of report.onTimeBySeverity) clocks("on-time-by-severity", `${s.severity}/`, s.clocks);
  const h = report.handlingTime;
  put("handling-time", "closed", "Closed 已结案", "count", h.closed);
  put("handling-time", "average", "Average 平均", "working-hours", h.averageHours);
  put("handling-time", "p90", "90th percentile 第90百分位", "working-hours", h.p90Hours);
  const sat = report.satisfaction;
  put("satisfaction", "revisited", "Revisited 已回访", "count", sat.revisited);
  put("satisfaction", "average", "Average score 平均分", "score", sat.average);
  for (const step of sat.distribution) {
    put("satisfaction", String(step.score), step.label, "count", step.count);
    put("satisfaction", String(step.score), step.label, "share", step.share);
  }
  put("reopens", "cases", "Reopened cases 重新投诉件数", "count", report.reopens.cases);
  put("reopens", "reopens", "Reopens 重新投诉次数", "count", report.reopens.reopens);
  put("reopens", "rate", "Reopen rate 重新投诉率", "rate", report.reopens.rate);
  put("rejections", "cases", "Cases with a rejected remedy 方案被拒件数", "count", report.rejections.cases);
  put("rejections", "rejections", "Rejected remedies 方案被拒次数", "count", report.rejections.rejections);
  counts("escalation", report.escalations.byLevel);
  put("escalation", "escalated", "Escalated 已升级", "count", report.escalations.escalated);
  put("escalation", "escalated", "Escalated 已升级", "rate", report.escalations.rate);
  for (const line of report.statistics)
    for (const [measure, value] of Object.entries(line))
      if (measure !== "key" && measure !== "label")
        put("statistics", line.key, line.label, kebab(measure), value);
  const r = report.recurrence;
  put("recurrence", "window", "Window 统计窗口", "days", r.windowDays);
  put("recurrence", "frequent", "Frequent 经常发生", "count", r.frequent);
  put("recurrence", "first-occurrence", "First occurrence 初次发生", "count", r.firstOccurrence);
  put("recurrence", "not-judged", "Not judged 无法判断", "count", r.notJudged);
  for (const c of r.cases) {
    put("recurring-case", c.caseNumber, c.label, "earlier-case", c.earlierCaseNumber);
    put("recurring-case", c.caseNumber, c.label, "days-since", c.daysSince);
  }
  for (const c of r.rising ?? []) {
    put("rising", c.category, c.label, "count", c.count);
    put("rising", c.category, c.label, "previous-count", c.previousCount);
  }
  const m = report.matrix;
  put("matrix", "threshold", "High frequency from 高频阈值", "count", m.thresholds.high);
  put("matrix", "threshold", "Medium frequency from 中频阈值", "count", m.thresholds.medium);
  for (const cell of m.cells) {
    const key = `${cell.frequency}/${cell.urgency}`;
    const label = `${FREQUENCY_LABELS[cell.frequency]} × ${URGENCY_LABELS[cell.urgency]}`;
    put("matrix", key, label, "count", cell.count);
    put("matrix", key, label, "categories", cell.categories.join(" "));
  }
  for (const item of m.reviewMeeting) {
    put("review-meeting", item.category, item.label, "count", item.count);
    put("review-meeting", item.category, item.label, "urgency", item.urgency);
    put("review-meeting", item.category, item.label, "reasons", item.reasons.join(" "));
    put("review-meeting", item.category, item.label, "rising", item.rising ? "yes" : "no");
  }
  for (const w of report.weekly) {
    put("week", w.weekStart, `${w.from}..${w.to}`, "total", w.total);
    for (const [channel, n] of Object.entries(w.byChannel))
      put("week", w.weekStart, channelLabel(channel), `channel:${channel}`, n);
    put("week", w.weekStart, `${w.from}..${w.to}`, "satisfaction-average", w.satisfactionAverage);
  }
  if (report.annual)
    for (const line of report.annual.lines) {
      report.annual.months.forEach((month, i) => {
        put("annual", line.key, line.label, month, line.months[i] ?? null);
      });
      put("annual", line.key, line.label, "year", line.year);
    }
  if (report.expectations) {
    for (const k of report.expectations.summary) {
      put("expectation-summary", k.kind, k.label, "received", k.received);
      put("expectation-summary", k.kind, k.label, "closed", k.closed);
      put("expectation-summary", k.kind, k.label, "satisfaction-average", k.satisfactionAverage);
    }
    for (const c of report.expectations.byCategory)
      for (const measure of ["complaints", "inquiries", "suggestions", "total", "share"] as const)
        put("expectation-category", c.category, c.label, measure, c[measure]);
    for (const i of report.expectations.improvements)
      put("improvement", i.category, i.label, i.reason, i.figure);
  }
  return out;
}

const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** Rounds a figure for text output: integers as they are, others to `digits` decimals. */
export function roundFigure(value: number, digits = 4): number {
  return Number.isInteger(value) ? value : Number(value.toFixed(digits));
}

/** A field quoted per RFC 4180 when it holds a comma, a quote, CR or LF. */
function field(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** The records as RFC 4180 CSV: a header line, CRLF line ends, numbers rounded to 4 decimals. */
export function toCsv(records: readonly ReportRecord[]): string {
  const lines = [CSV_COLUMNS.join(",")];
  for (const r of records) {
    const value =
      r.value === null ? "" : typeof r.value === "number" ? String(roundFigure(r.value)) : r.value;
    lines.push([r.section, r.key, r.label, r.measure, value].map(field).join(","));
  }
  return `${lines.join("\r\n")}\r\n`;
}
