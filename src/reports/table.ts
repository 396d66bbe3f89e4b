import type { ComplaintReport } from "./buildReport.js";
import { FREQUENCY_LABELS, LEVELS, URGENCY_LABELS } from "./labels.js";
import type { Count } from "./tally.js";

/**
 * Columns the terminal draws two cells wide: CJK ideographs and punctuation, Hangul, full-width
 * forms (East Asian Wide and Fullwidth).
 */
const WIDE =
  /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]|[\u{20000}-\u{3fffd}]/u;

/** The number of terminal columns a text takes (wide characters count two). */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += WIDE.test(ch) ? 2 : 1;
  return width;
}

type Cell = string | number | null;
type Align = "left" | "right";

/** Aligned columns: text left, numbers right, widths by display width. */
export function alignedTable(headers: readonly string[], rows: readonly (readonly Cell[])[]): string[] {
  const text = (c: Cell) => (c === null ? "—" : typeof c === "number" ? number(c) : c);
  const cells = [headers as readonly Cell[], ...rows].map((row) => row.map(text));
  const align: Align[] = headers.map((_, i) =>
    rows.length > 0 &&
    rows.every((r) => {
      const c = r[i] ?? null;
      return typeof c === "number" || c === null || isFigure(c);
    })
      ? "right"
      : "left",
  );
  const widths = headers.map((_, i) => Math.max(...cells.map((row) => displayWidth(row[i] ?? ""))));
  const line = (row: readonly string[]) =>
    row
      .map((c, i) => {
        const pad = " ".repeat((widths[i] ?? 0) - displayWidth(c));
        return align[i] === "right" ? pad + c : c + pad;
      })
      .join("  ")
      .trimEnd();
  const rule = widths.map((w) => "-".repeat(w)).join("  ");
  const [head, ...body] = cells;
  return [line(head ?? []), rule, ...body.map(line)].map((l) => `  ${l}`);
}

function isFigure(c: Cell): boolean {
  return typeof c === "string" && /^-?[\d.,]+(%| h)?$/.test(c);
}

function number(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

/** A rate as a percentage with one decimal, or null. */
export function percent(rate: number | null): string | null {
  return rate === null ? null : `${(rate * 100).toFixed(1)}%`;
}

function hours(h: number | null): string | null {
  return h === null ? null : `${h.toFixed(1)} h`;
}

function counts(title: string, head: string, lines: readonly Count[]): string[] {
  return [
    title,
    ...alignedTable(
      [head, "Count 件数", "Share 占比"],
      lines.map((c) => [c.label, c.count, percent(c.share)]),
    ),
    "",
  ];
}

/** The report as aligned text: Chinese and English labels, one section per figure group. */
export function toTable(report: ComplaintReport): string {
  const p = report.period;
  const out: string[] = [
    `${report.title} — ${p.label} (${p.from}..${p.to}, ${p.timeZone})`,
    `${report.policy.name} (${report.policy.id}@${report.policy.version}) · calendar ${report.calendar.id}@${report.calendar.version}`,
    "",
  ];
  const v = report.validity;
  out.push(
    "Summary 概况",
    ...alignedTable(
      ["Measure 指标", "Value 数值"],
      [
        ["Received 受理总数", report.total],
        ["Valid 有效", percent(v.validRate)],
        ["Invalid 无效", percent(v.invalidRate)],
        ["Not established 不成立", percent(v.notEstablishedRate)],
        ["Average handling 平均处理工时", hours(report.handlingTime.averageHours)],
        ["90th percentile handling 90%处理工时", hours(report.handlingTime.p90Hours)],
        ["Satisfaction average 满意度均分", report.satisfaction.average],
        ["Reopen rate 重新投诉率", percent(report.reopens.rate)],
        ["Rejected remedies 方案被拒次数", report.rejections.rejections],
        ["Escalated 已升级", report.escalations.escalated],
      ],
    ),
    "",
  );
  out.push(
    "By category 分类统计 (002:71)",
    ...alignedTable(
      [
        "Category 类别",
        "Recv 受理",
        "Compl 投诉",
        "Inq 咨询",
        "Sugg 建议",
        "Valid 有效",
        "Inval 无效",
        "Closed 结案",
        "Open 未结",
        "Late 超时",
        "Revisit 回访",
        "Satis 满意度",
      ],
      report.statistics.map((l) => [
        l.label,
        l.received,
        l.complaints,
        l.inquiries,
        l.suggestions,
        l.valid,
        l.invalid,
        l.closed,
        l.open,
        l.late,
        l.revisited,
        l.satisfactionAverage,
      ]),
    ),
    "",
  );
  out.push(...counts("By kind 按类型", "Kind 类型", report.byKind));
  out.push(...counts("By severity 按严重程度", "Severity 严重程度", report.bySeverity));
  out.push(...counts("By channel 按渠道", "Channel 渠道", report.byChannel));
  out.push(...counts("By unit 按部门", "Unit 部门", report.byUnit));
  out.push(
    "On-time rate per clock 各时限按时率",
    ...alignedTable(
      ["Clock 时限", "Met 按时", "Late 逾期完成", "Breached 超时未完", "Pending 进行中", "On time 按时率"],
      report.onTime.map((c) => [c.label, c.met, c.metLate, c.breached, c.pending, percent(c.onTimeRate)]),
    ),
    "",
  );
  if (report.onTimeBySeverity.length > 0)
    out.push(
      "On-time rate by severity 按严重程度的按时率",
      ...alignedTable(
        ["Severity 严重程度", ...report.onTime.map((c) => c.label)],
        report.onTimeBySeverity.map((s) => [s.label, ...s.clocks.map((c) => percent(c.onTimeRate))]),
      ),
      "",
    );
  out.push(
    "Satisfaction 满意度 (004:25)",
    ...alignedTable(
      ["Score 评价", "Count 件数", "Share 占比"],
      report.satisfaction.distribution.map((s) => [s.label, s.count, percent(s.share)]),
    ),
    "",
  );
  out.push(...counts("Escalations by level 升级层级", "Level 层级", report.escalations.byLevel));
  const r = report.recurrence;
  out.push(
    `Recurrence 类似投诉 (004:46, window ${r.windowDays} days)`,
    ...alignedTable(
      ["Flag 标记", "Count 件数"],
      [
        ["Frequent 经常发生", r.frequent],
        ["First occurrence 初次发生", r.firstOccurrence],
        ["Not judged 无法判断", r.notJudged],
      ],
    ),
  );
  if (r.cases.length > 0)
    out.push(
      ...alignedTable(
        ["Case 编号", "Category 类别", "Earlier case 前次编号", "Days 间隔天数"],
        r.cases.map((c) => [c.caseNumber, c.label, c.earlierCaseNumber, c.daysSince]),
      ),
    );
  out.push("");
  if (r.rising !== null)
    out.push(
      "Rising categories 环比上升",
      ...alignedTable(
        ["Category 类别", "This period 本期", "Previous 上期"],
        r.rising.map((c) => [c.label, c.count, c.previousCount]),
      ),
      "",
    );
  const m = report.matrix;
  out.push(
    `Frequency × urgency 频次×紧急程度 (004:123; high from ${m.thresholds.high}, medium from ${m.thresholds.medium})`,
    ...alignedTable(
      ["", ...LEVELS.map((u) => URGENCY_LABELS[u])],
      LEVELS.map((f) => [
        FREQUENCY_LABELS[f],
        ...LEVELS.map((u) => m.cells.find((c) => c.frequency === f && c.urgency === u)?.count ?? 0),
      ]),
    ),
    "",
    "Review meeting 客户抱怨检讨会议 (001:469)",
    ...alignedTable(
      ["Category 类别", "Count 件数", "Urgency 紧急程度", "Reasons 原因", "Rising 上升"],
      m.reviewMeeting.map((i) => [
        i.label,
        i.count,
        i.urgency,
        i.reasons.join(", "),
        i.rising ? "yes" : "no",
      ]),
    ),
    "",
  );
  out.push(
    "By week 按周",
    ...alignedTable(
      ["Week 周", "Received 受理", "Satisfaction 满意度"],
      report.weekly.map((w) => [`${w.from}..${w.to}`, w.total, w.satisfactionAverage]),
    ),
    "",
  );
  if (report.annual) {
    const a = report.annual;
    out.push(
      "Annual report 年报表 (001:9)",
      ...alignedTable(
        ["Measure 指标", ...a.months.map((mm) => mm.slice(5)), "Year 全年"],
        a.lines.map((l) => {
          const rate = l.key.startsWith("on-time:");
          const fmt = (x: number | null) => (rate ? percent(x) : x);
          return [l.label, ...l.months.map(fmt), fmt(l.year)];
        }),
      ),
      "",
    );
  }
  if (report.expectations) {
    const e = report.expectations;
    out.push(
      "客户期望分析报告 Customer expectation analysis (002:447)",
      ...alignedTable(
        ["Kind 类型", "Received 受理", "Closed 结案", "Satisfaction 满意度"],
        e.summary.map((k) => [k.label, k.received, k.closed, k.satisfactionAverage]),
      ),
      "",
      "Main expectations 主要期望",
      ...alignedTable(
        ["Category 类别", "Compl 投诉", "Inq 咨询", "Sugg 建议", "Total 合计", "Share 占比"],
        e.byCategory.map((c) => [
          c.label,
          c.complaints,
          c.inquiries,
          c.suggestions,
          c.total,
          percent(c.share),
        ]),
      ),
      "",
      "Improvement suggestions 改进建议",
      ...alignedTable(
        ["Category 类别", "Reason 原因", "Figure 数值"],
        e.improvements.map((i) => [i.label, i.reason, i.figure]),
      ),
      "",
    );
  }
  return `${out.join("\n").trimEnd()}\n`;
}
