import type { Policy } from "../domain/policy.js";
import { CHANNELS, SATISFACTION_SCORES, type Satisfaction } from "../domain/values.js";
import type { ComplaintListRow } from "../projections/complaintList.js";
import type { BusinessCalendar } from "../sla/calendar/index.js";
import {
  categoryLabel,
  channelLabel,
  clockLabel,
  escalationLabel,
  kindLabel,
  satisfactionLabel,
  severityLabel,
  UNCLASSIFIED,
} from "./labels.js";
import { type Count, mean, percentile, ratio, tally } from "./tally.js";

/** valid / invalid / not established among complaints (inquiries and suggestions aside). */
export interface ValidityFigures {
  /** Complaints, and rows not classified yet (a complaint may be withdrawn before classification). */
  readonly complaints: number;
  /** Found valid (有效). */
  readonly valid: number;
  /** Found invalid (无效). */
  readonly invalid: number;
  /** Not established (不成立): withdrawn. */
  readonly notEstablished: number;
  /** Not investigated yet. */
  readonly undetermined: number;
  /** Shares among the determined ones (valid + invalid + not established); null when none. */
  readonly validRate: number | null;
  /** See `validRate`. */
  readonly invalidRate: number | null;
  /** See `validRate`. */
  readonly notEstablishedRate: number | null;
}

/** R-35 on-time rate of one clock over a set of rows. */
export interface ClockCompliance {
  /** The policy's clock id. */
  readonly clockId: string;
  /** The clock's label, for people. */
  readonly label: string;
  /** Stopped in time. */
  readonly met: number;
  /** Stopped, but after the due instant. */
  readonly metLate: number;
  /** Still running past the due instant (as of each case's last event). */
  readonly breached: number;
  /** Running, at risk or paused: not judged yet. */
  readonly pending: number;
  /** `met / (met + metLate + breached)`; null when no clock finished or ran late. */
  readonly onTimeRate: number | null;
}

/** On-time rates of every clock for the rows of one severity. */
export interface SeverityCompliance {
  /** The severity (or the unclassified key). */
  readonly severity: string;
  /** Its label, for people. */
  readonly label: string;
  /** Every clock of the policy, over the rows of this severity. */
  readonly clocks: readonly ClockCompliance[];
}

/** R-35 handling time: receipt to closure, in working hours on the business calendar. */
export interface HandlingTime {
  /** Closed rows measured. */
  readonly closed: number;
  /** The mean, in working hours; null when none closed. */
  readonly averageHours: number | null;
  /** Nearest-rank 90th percentile. */
  readonly p90Hours: number | null;
}

/** One step of the 90/80/70/60 scale (004:25) and how many revisits gave it. */
export interface SatisfactionStep {
  /** 90, 80, 70 or 60. */
  readonly score: Satisfaction;
  /** The step's label, for people. */
  readonly label: string;
  /** Revisits that gave it. */
  readonly count: number;
  /** `count` over all revisits (0 when there were none). */
  readonly share: number;
}

/** satisfaction of the revisited rows. */
export interface SatisfactionFigures {
  /** Rows with a revisit score. */
  readonly revisited: number;
  /** Their mean score; null when none. */
  readonly average: number | null;
  /** Every step of the scale, highest first, zeros included. */
  readonly distribution: readonly SatisfactionStep[];
}

/** re-complaints: cases the complainant brought back. */
export interface ReopenFigures {
  /** Cases reopened at least once. */
  readonly cases: number;
  /** Reopens in all (a case reopened twice counts 2). */
  readonly reopens: number;
  /** `cases / total`; null when there are no rows. */
  readonly rate: number | null;
}

/** R-09 rejected resolutions. */
export interface RejectionFigures {
  /** Cases with at least one rejected resolution. */
  readonly cases: number;
  /** Rejections in all. */
  readonly rejections: number;
}

/** R-26 escalations: rows by the level they stand at. */
export interface EscalationFigures {
  /** Rows at level 1, 2 and 3. */
  readonly byLevel: readonly Count[];
  /** Rows above level 1. */
  readonly escalated: number;
  /** `escalated / total`; null when there are no rows. */
  readonly rate: number | null;
}

/** One line of the 客户月投诉统计表 (002:71): a category, or the total. */
export interface StatisticsLine {
  /** The category id, or `"(total)"` for the total line. */
  readonly key: string;
  /** The category's label, for people. */
  readonly label: string;
  /** Rows in the line. */
  readonly received: number;
  /** Of them, classified as complaints. */
  readonly complaints: number;
  /** Classified as inquiries. */
  readonly inquiries: number;
  /** Classified as suggestions. */
  readonly suggestions: number;
  /** Found valid. */
  readonly valid: number;
  /** Found invalid. */
  readonly invalid: number;
  /** Closed. */
  readonly closed: number;
  /** Not closed. */
  readonly open: number;
  /** Rows with a clock met late or breached. */
  readonly late: number;
  /** Rows with a revisit score. */
  readonly revisited: number;
  /** Their mean score; null when none. */
  readonly satisfactionAverage: number | null;
}

/** The figures of R-35 over one set of rows. */
export interface Summary {
  /** Rows summarized. */
  readonly total: number;
  /** Rows by kind (unclassified apart). */
  readonly byKind: readonly Count[];
  /** Rows by category, every category of the policy included. */
  readonly byCategory: readonly Count[];
  /** Rows by severity, every severity of the policy included. */
  readonly bySeverity: readonly Count[];
  /** Rows by channel. */
  readonly byChannel: readonly Count[];
  /** Rows by owning unit, largest first. */
  readonly byUnit: readonly Count[];
  /** Valid, invalid and not established complaints. */
  readonly validity: ValidityFigures;
  /** On-time rate of each clock. */
  readonly onTime: readonly ClockCompliance[];
  /** The same, per severity. */
  readonly onTimeBySeverity: readonly SeverityCompliance[];
  /** Receipt to closure, in working hours. */
  readonly handlingTime: HandlingTime;
  /** Revisit scores. */
  readonly satisfaction: SatisfactionFigures;
  /** Re-complaints. */
  readonly reopens: ReopenFigures;
  /** Rejected resolutions. */
  readonly rejections: RejectionFigures;
  /** Escalation levels. */
  readonly escalations: EscalationFigures;
  /** The monthly statistics table (002:71): one line per category, then the total. */
  readonly statistics: readonly StatisticsLine[];
}

/** The category key of a row; unclassified rows under {@link UNCLASSIFIED}. */
export const categoryOf = (row: ComplaintListRow): string => row.category ?? UNCLASSIFIED;
/** The severity key of a row; unclassified rows under {@link UNCLASSIFIED}. */
export const severityOf = (row: ComplaintListRow): string => row.severity ?? UNCLASSIFIED;
/** The kind key of a row; unclassified rows under {@link UNCLASSIFIED}. */
export const kindOf = (row: ComplaintListRow): string => row.kind ?? UNCLASSIFIED;
/** Complaints for R-15 and 004:123: classified as complaints, or not classified yet. */
export const isComplaint = (row: ComplaintListRow): boolean => row.kind === null || row.kind === "complaint";
/** A row with a clock met late or breached. */
export const isLate = (row: ComplaintListRow): boolean => row.slaLate.length > 0;

const HOUR_MS = 3_600_000;
/** The key of the total line of the statistics table. */
export const TOTAL = "(total)";

/** Computes the R-35 figures over rows already chosen for a period. Pure. */
export function summarize(
  rows: readonly ComplaintListRow[],
  policy: Policy,
  calendar: BusinessCalendar,
): Summary {
  const total = rows.length;
  const categoryOrder = [...policy.categories.map((c) => c.id), UNCLASSIFIED];
  const severityOrder = [...policy.severities, UNCLASSIFIED];
  const byKind = tally(rows.map(kindOf), kindLabel, { order: [...policy.kinds, UNCLASSIFIED] });
  const byCategory = tally(rows.map(categoryOf), (c) => categoryLabel(policy, c), {
    order: policy.categories.map((c) => c.id),
    keepZero: true,
  });
  const bySeverity = tally(rows.map(severityOf), severityLabel, { order: policy.severities, keepZero: true });
  const byChannel = tally(
    rows.map((r) => r.channel),
    channelLabel,
    { order: CHANNELS },
  );
  const byUnit = tally(
    rows.map((r) => r.unit),
    (u) => u,
  );

  const complaints = rows.filter(isComplaint);
  const v = (value: string) => complaints.filter((r) => r.validity === value).length;
  const valid = v("valid");
  const invalid = v("invalid");
  const notEstablished = v("not-established");
  const determined = valid + invalid + notEstablished;

  const severities = severityOrder.filter((s) => rows.some((r) => severityOf(r) === s));
  for (const r of rows) if (!severities.includes(severityOf(r))) severities.push(severityOf(r));

  const hours: number[] = [];
  for (const r of rows)
    if (r.closedAt !== null)
      hours.push(calendar.workingTimeBetween(new Date(r.receivedAt), new Date(r.closedAt)) / HOUR_MS);

  const scores = rows.flatMap((r) => (r.satisfaction === null ? [] : [r.satisfaction]));
  const reopened = rows.filter((r) => r.cycle > 1);
  const rejected = rows.filter((r) => r.rejections > 0);
  const escalated = rows.filter((r) => r.escalationLevel > 1).length;

  const categories = categoryOrder.filter((c) => c !== UNCLASSIFIED || rows.some((r) => r.category === null));
  for (const r of rows) if (!categories.includes(categoryOf(r))) categories.push(categoryOf(r));

  return {
    total,
    byKind,
    byCategory,
    bySeverity,
    byChannel,
    byUnit,
    validity: {
      complaints: complaints.length,
      valid,
      invalid,
      notEstablished,
      undetermined: complaints.length - determined,
      validRate: ratio(valid, determined),
      invalidRate: ratio(invalid, determined),
      notEstablishedRate: ratio(notEstablished, determined),
    },
    onTime: compliance(rows, policy),
    onTimeBySeverity: severities.map((severity) => ({
      severity,
      label: severityLabel(severity),
      clocks: compliance(
        rows.filter((r) => severityOf(r) === severity),
        policy,
      ),
    })),
    handlingTime: { closed: hours.length, averageHours: mean(hours), p90Hours: percentile(hours, 0.9) },
    satisfaction: {
      revisited: scores.length,
      average: mean(scores),
      distribution: SATISFACTION_SCORES.map((score) => {
        const count = scores.filter((s) => s === score).length;
        return {
          score,
          label: satisfactionLabel(score),
          count,
          share: scores.length === 0 ? 0 : count / scores.length,
        };
      }),
    },
    reopens: {
      cases: reopened.length,
      reopens: reopened.reduce((n, r) => n + r.cycle - 1, 0),
      rate: ratio(reopened.length, total),
    },
    rejections: { cases: rejected.length, rejections: rejected.reduce((n, r) => n + r.rejections, 0) },
    escalations: {
      byLevel: tally(
        rows.map((r) => String(r.escalationLevel)),
        (l) => escalationLabel(policy, Number(l) as 1 | 2 | 3),
        { order: ["1", "2", "3"], keepZero: true },
      ),
      escalated,
      rate: ratio(escalated, total),
    },
    statistics: [
      ...categories.map((c) =>
        statisticsLine(
          c,
          categoryLabel(policy, c),
          rows.filter((r) => categoryOf(r) === c),
        ),
      ),
      statisticsLine(TOTAL, "Total 合计", rows),
    ],
  };
}

function compliance(rows: readonly ComplaintListRow[], policy: Policy): ClockCompliance[] {
  return policy.clocks.map((clock) => {
    let met = 0;
    let metLate = 0;
    let breached = 0;
    let pending = 0;
    for (const r of rows) {
      const status = r.slaStatus[clock.id];
      if (status === "met") met++;
      else if (status === "met-late") metLate++;
      else if (status === "breached") breached++;
      else if (status === "running" || status === "at-risk" || status === "paused") pending++;
    }
    return {
      clockId: clock.id,
      label: clockLabel(policy, clock.id),
      met,
      metLate,
      breached,
      pending,
      onTimeRate: ratio(met, met + metLate + breached),
    };
  });
}

function statisticsLine(key: string, label: string, rows: readonly ComplaintListRow[]): StatisticsLine {
  const count = (keep: (r: ComplaintListRow) => boolean) => rows.filter(keep).length;
  const scores = rows.flatMap((r) => (r.satisfaction === null ? [] : [r.satisfaction]));
  return {
    key,
    label,
    received: rows.length,
    complaints: count((r) => r.kind === "complaint"),
    inquiries: count((r) => r.kind === "inquiry"),
    suggestions: count((r) => r.kind === "suggestion"),
    valid: count((r) => r.validity === "valid"),
    invalid: count((r) => r.validity === "invalid"),
    closed: count((r) => r.closedAt !== null),
    open: count((r) => r.closedAt === null),
    late: count(isLate),
    revisited: scores.length,
    satisfactionAverage: mean(scores),
  };
}
