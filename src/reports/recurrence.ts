import type { Policy } from "../domain/policy.js";
import { type ReviewReason, reviewMeetingCandidates, type Urgency } from "../presets/manufacturing.js";
import type { ComplaintListRow } from "../projections/complaintList.js";
import { categoryLabel, LEVELS, type Level } from "./labels.js";
import { categoryOf, isComplaint } from "./summary.js";

/** A case whose complainant raised the same category shortly before (R-21 "经常发生", 004:46). */
export interface RecurringCase {
  /** The later case. */
  readonly caseNumber: string;
  /** The category both cases are in. */
  readonly category: string;
  /** Its label, for people. */
  readonly label: string;
  /** The complainant's most recent earlier case in that category. */
  readonly earlierCaseNumber: string;
  /** Whole days between the two receipts. */
  readonly daysSince: number;
}

/** A category received more often than in the period before. */
export interface RisingCategory {
  /** The category id. */
  readonly category: string;
  /** Its label, for people. */
  readonly label: string;
  /** Rows received in the period. */
  readonly count: number;
  /** Rows received in the period before. */
  readonly previousCount: number;
}

/** R-21 recurrence: first occurrence vs frequent, and categories on the rise. */
export interface RecurrenceFigures {
  /** How far back an earlier case counts, in days. */
  readonly windowDays: number;
  /** Rows whose complainant raised the same category within the window before. */
  readonly frequent: number;
  /** Rows with a category and a known complainant, and no such earlier case. */
  readonly firstOccurrence: number;
  /** Rows that cannot be judged: not classified, or from an anonymous complainant. */
  readonly notJudged: number;
  /** The frequent rows, each with its earlier case. */
  readonly cases: readonly RecurringCase[];
  /** Null when no rows of the previous period were given. */
  readonly rising: readonly RisingCategory[] | null;
}

const DAY_MS = 86_400_000;

/**
 * Flags each period row as frequent or first occurrence: frequent when the same (non-anonymous)
 * complainant had a case in the same category received at most `windowDays` before it, among
 * every row given (the period's, the previous period's, and any earlier ones passed in).
 */
export function recurrence(
  period: readonly ComplaintListRow[],
  pool: readonly ComplaintListRow[],
  previous: readonly ComplaintListRow[] | null,
  policy: Policy,
  windowDays: number,
): RecurrenceFigures {
  const byKey = new Map<string, ComplaintListRow[]>();
  for (const r of pool) {
    if (r.category === null || r.anonymous) continue;
    const key = `${r.complainantId}\u0000${r.category}`;
    const list = byKey.get(key);
    if (list) list.push(r);
    else byKey.set(key, [r]);
  }
  let firstOccurrence = 0;
  let notJudged = 0;
  const cases: RecurringCase[] = [];
  for (const r of period) {
    if (r.category === null || r.anonymous) {
      notJudged++;
      continue;
    }
    const at = Date.parse(r.receivedAt);
    let earlier: ComplaintListRow | undefined;
    for (const o of byKey.get(`${r.complainantId}\u0000${r.category}`) ?? []) {
      const t = Date.parse(o.receivedAt);
      const before = t < at || (t === at && o.caseNumber < r.caseNumber);
      if (o.streamId === r.streamId || !before || at - t > windowDays * DAY_MS) continue;
      if (!earlier || t > Date.parse(earlier.receivedAt)) earlier = o;
    }
    if (!earlier) {
      firstOccurrence++;
      continue;
    }
    cases.push({
      caseNumber: r.caseNumber,
      category: r.category,
      label: categoryLabel(policy, r.category),
      earlierCaseNumber: earlier.caseNumber,
      daysSince: Math.floor((at - Date.parse(earlier.receivedAt)) / DAY_MS),
    });
  }
  let rising: RisingCategory[] | null = null;
  if (previous !== null) {
    const now = countBy(period.filter((r) => r.category !== null).map(categoryOf));
    const before = countBy(previous.filter((r) => r.category !== null).map(categoryOf));
    rising = [];
    for (const category of orderedCategories(policy, [...now.keys()])) {
      const count = now.get(category) ?? 0;
      const previousCount = before.get(category) ?? 0;
      if (count > previousCount)
        rising.push({ category, label: categoryLabel(policy, category), count, previousCount });
    }
  }
  return { windowDays, frequent: cases.length, firstOccurrence, notJudged, cases, rising };
}

/** Frequency thresholds of the 004:123 analysis: counts per month from which a category is high/medium. */
export interface FrequencyThresholds {
  /** Complaints in a month from which a category is of high frequency. */
  readonly high: number;
  /** Complaints in a month from which a category is of medium frequency. */
  readonly medium: number;
}

/** One cell of the frequency × urgency matrix. */
export interface MatrixCell {
  /** The cell's row. */
  readonly frequency: Level;
  /** The cell's column. */
  readonly urgency: Level;
  /** Complaints in the categories placed in this cell. */
  readonly count: number;
  /** The category ids placed in this cell. */
  readonly categories: readonly string[];
}

/** A category's place in the matrix. */
export interface MatrixCategory {
  /** The category id. */
  readonly category: string;
  /** Its label, for people. */
  readonly label: string;
  /** Complaints in the category. */
  readonly count: number;
  /** Its count against the thresholds. */
  readonly frequency: Level;
  /** The highest urgency among its complaints. */
  readonly urgency: Level;
}

/** A category the review meeting should discuss (001:469), with its reasons (004:123). */
export interface ReviewItem {
  /** The category id. */
  readonly category: string;
  /** Its label, for people. */
  readonly label: string;
  /** Complaints in the category. */
  readonly count: number;
  /** The highest urgency among them. */
  readonly urgency: Urgency;
  /** Frequent, urgent or both. */
  readonly reasons: readonly ReviewReason[];
  /** The count rose since the period before (false when no earlier rows were given). */
  readonly rising: boolean;
}

/**
 * The 004:123 analysis: each category of the period's complaints placed by frequency (its count
 * against the thresholds) and urgency (the highest severity rank among them); cells count
 * complaints, so they sum to the complaints analysed.
 */
export interface FrequencyUrgencyMatrix {
  /** The thresholds applied (the monthly ones, times 12 for a year). */
  readonly thresholds: FrequencyThresholds;
  /** Complaints analysed: classified as complaints, or not classified yet. */
  readonly total: number;
  /** Nine cells, high frequency and high urgency first. */
  readonly cells: readonly MatrixCell[];
  /** Every category of the period's complaints with its place, the policy's categories first. */
  readonly categories: readonly MatrixCategory[];
  /** The categories the review meeting must discuss, most pressing first. */
  readonly reviewMeeting: readonly ReviewItem[];
}

/**
 * Urgency from the severity's rank in the policy (R-18 orders severities): the most severe is
 * high, the least severe low, any in between medium. Unknown or missing severities count as the
 * policy's default severity, as the SLA clocks do before classification.
 */
export function urgencyOf(policy: Policy, severity: string | null): Level {
  const n = policy.severities.length;
  let rank = severity === null ? -1 : policy.severities.indexOf(severity);
  if (rank < 0) rank = policy.severities.indexOf(policy.defaultSeverity);
  if (n > 1 && rank === n - 1) return "high";
  if (rank <= 0) return "low";
  return "medium";
}

/** Frequency level of a count. */
export function frequencyOf(count: number, thresholds: FrequencyThresholds): Level {
  if (count >= thresholds.high) return "high";
  if (count >= thresholds.medium) return "medium";
  return "low";
}

const URGENCY_RANK: Record<Level, number> = { high: 2, medium: 1, low: 0 };

/** Builds the matrix and the review-meeting agenda (reusing the manufacturing preset's rule). */
export function frequencyUrgency(
  period: readonly ComplaintListRow[],
  previous: readonly ComplaintListRow[] | null,
  policy: Policy,
  thresholds: FrequencyThresholds,
): FrequencyUrgencyMatrix {
  const complaints = period.filter(isComplaint);
  const groups = new Map<string, ComplaintListRow[]>();
  for (const r of complaints) {
    const list = groups.get(categoryOf(r));
    if (list) list.push(r);
    else groups.set(categoryOf(r), [r]);
  }
  const categories: MatrixCategory[] = orderedCategories(policy, [...groups.keys()]).map((category) => {
    const rows = groups.get(category) ?? [];
    let urgency: Level = "low";
    for (const r of rows) {
      const u = urgencyOf(policy, r.severity);
      if (URGENCY_RANK[u] > URGENCY_RANK[urgency]) urgency = u;
    }
    return {
      category,
      label: categoryLabel(policy, category),
      count: rows.length,
      frequency: frequencyOf(rows.length, thresholds),
      urgency,
    };
  });
  const cells: MatrixCell[] = [];
  for (const frequency of LEVELS)
    for (const urgency of LEVELS) {
      const here = categories.filter((c) => c.frequency === frequency && c.urgency === urgency);
      cells.push({
        frequency,
        urgency,
        count: here.reduce((n, c) => n + c.count, 0),
        categories: here.map((c) => c.category),
      });
    }
  const before = previous === null ? null : countBy(previous.filter(isComplaint).map(categoryOf));
  const candidates = reviewMeetingCandidates(
    categories.map((c) => ({
      category: c.category,
      count: c.count,
      previousCount: before === null ? undefined : (before.get(c.category) ?? 0),
      urgency: c.urgency,
    })),
    { frequentAt: thresholds.high },
  );
  return {
    thresholds,
    total: complaints.length,
    cells,
    categories,
    reviewMeeting: candidates.map((c) => ({ ...c, label: categoryLabel(policy, c.category) })),
  };
}

function countBy(keys: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
  return counts;
}

/** Categories in the policy's order, then unknown ones by id. */
function orderedCategories(policy: Policy, present: readonly string[]): string[] {
  const known = policy.categories.map((c) => c.id).filter((id) => present.includes(id));
  const others = present.filter((id) => !known.includes(id)).sort();
  return [...known, ...others];
}
