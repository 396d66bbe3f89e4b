/**
 * kesu/reports: the monthly statistics (客户月投诉统计表), the annual report (客户投诉处理年报表),
 * the 客户期望分析报告 and a self-contained HTML dashboard, built from complaint-list rows
 * . See docs/reports.md.
 * @packageDocumentation
 */

export {
  type AnnualLine,
  type AnnualReport,
  type BuildReportOptions,
  buildReport,
  type ComplaintReport,
  DEFAULT_FREQUENCY,
  DEFAULT_RECURRENCE_WINDOW_DAYS,
  type WeekFigures,
} from "./buildReport.js";
export { CSV_COLUMNS, type ReportRecord, reportRecords } from "./csv.js";
export {
  DASHBOARD_CHARTS,
  DASHBOARD_FONT_FAMILY,
  type DashboardOptions,
  renderDashboard,
} from "./dashboard.js";
export { type ChartSeries, type DashboardData, dashboardData } from "./dashboardData.js";
export {
  type CategoryExpectation,
  type ExpectationAnalysis,
  type Improvement,
  type ImprovementReason,
  type KindSummary,
  LOW_SATISFACTION_BELOW,
} from "./expectations.js";
export { type FormatOptions, formatReport, type ReportFormat } from "./formatReport.js";
export { type Level, UNCLASSIFIED } from "./labels.js";
export {
  isReportError,
  ReportError,
  type ReportPeriod,
  type ResolvedPeriod,
} from "./period.js";
export {
  type FrequencyThresholds,
  type FrequencyUrgencyMatrix,
  type MatrixCategory,
  type MatrixCell,
  type RecurrenceFigures,
  type RecurringCase,
  type ReviewItem,
  type RisingCategory,
  urgencyOf,
} from "./recurrence.js";
export type {
  ClockCompliance,
  EscalationFigures,
  HandlingTime,
  RejectionFigures,
  ReopenFigures,
  SatisfactionFigures,
  SatisfactionStep,
  SeverityCompliance,
  StatisticsLine,
  Summary,
  ValidityFigures,
} from "./summary.js";
export type { Count } from "./tally.js";
