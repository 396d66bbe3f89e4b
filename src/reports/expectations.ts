import type { Policy } from "../domain/policy.js";
import type { Kind } from "../domain/values.js";
import type { ComplaintListRow } from "../projections/complaintList.js";
import { categoryLabel, kindLabel } from "./labels.js";
import type { FrequencyUrgencyMatrix, RecurrenceFigures } from "./recurrence.js";
import { categoryOf, isLate } from "./summary.js";
import { mean } from "./tally.js";

/** One kind in the summary section: how many were received, closed, and how satisfied. */
export interface KindSummary {
  /** Complaint, inquiry or suggestion. */
  readonly kind: Kind;
  /** The kind's label, for people. */
  readonly label: string;
  /** Rows of this kind. */
  readonly received: number;
  /** Of them, closed. */
  readonly closed: number;
  /** Their mean revisit score; null when none was revisited. */
  readonly satisfactionAverage: number | null;
}

/** A category customers raised, by kind: what they expect of the organisation. */
export interface CategoryExpectation {
  /** The category id. */
  readonly category: string;
  /** Its label, for people. */
  readonly label: string;
  /** Complaints in the category. */
  readonly complaints: number;
  /** Inquiries in the category. */
  readonly inquiries: number;
  /** Suggestions in the category. */
  readonly suggestions: number;
  /** All three together. */
  readonly total: number;
  /** Share of all classified rows of the period. */
  readonly share: number;
}

/** Why a category is proposed for improvement. */
export type ImprovementReason =
  | "review-meeting"
  | "rising"
  | "recurring"
  | "late-handling"
  | "low-satisfaction"
  | "customer-suggestions";

/**
 * An improvement suggestion as data: a category, the reason, and the figure behind it (count,
 * rise, late rows, average score or suggestions received, by reason).
 */
export interface Improvement {
  /** The category id. */
  readonly category: string;
  /** Its label, for people. */
  readonly label: string;
  /** Why it is on the list. */
  readonly reason: ImprovementReason;
  /** The figure behind the reason (see above). */
  readonly figure: number;
}

/** The sections of the tobacco 客户期望分析报告 (002:447). */
export interface ExpectationAnalysis {
  /** 投诉、咨询、建议 summary. */
  readonly summary: readonly KindSummary[];
  /** Main expectations: categories by how often customers raised them, most first. */
  readonly byCategory: readonly CategoryExpectation[];
  /** 改进投诉管理工作的意见或建议, as data. */
  readonly improvements: readonly Improvement[];
}

/** Average revisit score below which a category is proposed for improvement (较满意 80). */
export const LOW_SATISFACTION_BELOW = 80;

const REASONS: readonly ImprovementReason[] = [
  "review-meeting",
  "rising",
  "recurring",
  "late-handling",
  "low-satisfaction",
  "customer-suggestions",
];

/**
 * 002:447 编写《客户期望分析报告》: summary by kind, the categories customers raised most, and
 * the categories to improve with the figure that puts each on the list.
 */
export function expectationAnalysis(
  rows: readonly ComplaintListRow[],
  policy: Policy,
  matrix: FrequencyUrgencyMatrix,
  recurrence: RecurrenceFigures,
): ExpectationAnalysis {
  const summary = policy.kinds.map((kind) => {
    const of = rows.filter((r) => r.kind === kind);
    return {
      kind,
      label: kindLabel(kind),
      received: of.length,
      closed: of.filter((r) => r.closedAt !== null).length,
      satisfactionAverage: mean(of.flatMap((r) => (r.satisfaction === null ? [] : [r.satisfaction]))),
    };
  });
  const classified = rows.filter((r) => r.category !== null);
  const groups = new Map<string, ComplaintListRow[]>();
  for (const r of classified) {
    const list = groups.get(categoryOf(r));
    if (list) list.push(r);
    else groups.set(categoryOf(r), [r]);
  }
  const order = policy.categories.map((c) => c.id);
  const position = (c: string) => (order.includes(c) ? order.indexOf(c) : order.length);
  const byCategory: CategoryExpectation[] = [...groups]
    .map(([category, of]) => ({
      category,
      label: categoryLabel(policy, category),
      complaints: of.filter((r) => r.kind === "complaint").length,
      inquiries: of.filter((r) => r.kind === "inquiry").length,
      suggestions: of.filter((r) => r.kind === "suggestion").length,
      total: of.length,
      share: of.length / classified.length,
    }))
    .sort((a, b) => b.total - a.total || position(a.category) - position(b.category));

  const found = new Map<string, Map<ImprovementReason, number>>();
  const add = (category: string, reason: ImprovementReason, figure: number) => {
    const reasons = found.get(category) ?? new Map<ImprovementReason, number>();
    reasons.set(reason, figure);
    found.set(category, reasons);
  };
  for (const item of matrix.reviewMeeting) add(item.category, "review-meeting", item.count);
  for (const item of recurrence.rising ?? []) add(item.category, "rising", item.count - item.previousCount);
  for (const c of recurrence.cases)
    add(c.category, "recurring", recurrence.cases.filter((o) => o.category === c.category).length);
  for (const [category, of] of groups) {
    const late = of.filter(isLate).length;
    if (late > 0) add(category, "late-handling", late);
    const score = mean(of.flatMap((r) => (r.satisfaction === null ? [] : [r.satisfaction])));
    if (score !== null && score < LOW_SATISFACTION_BELOW) add(category, "low-satisfaction", score);
    const suggestions = of.filter((r) => r.kind === "suggestion").length;
    if (suggestions > 0) add(category, "customer-suggestions", suggestions);
  }
  const improvements: Improvement[] = [];
  const categories = [...found.keys()].sort((a, b) => position(a) - position(b) || (a < b ? -1 : 1));
  for (const category of categories)
    for (const reason of REASONS) {
      const figure = found.get(category)?.get(reason);
      if (figure !== undefined)
        improvements.push({ category, label: categoryLabel(policy, category), reason, figure });
    }
  return { summary, byCategory, improvements };
}
