import type { Policy } from "../domain/policy.js";
import {
  type Channel,
  type Kind,
  SATISFACTION_LABELS,
  type Satisfaction,
  type Validity,
} from "../domain/values.js";

/** The key under which rows without a kind, category or severity are counted. */
export const UNCLASSIFIED = "(unclassified)";
/** Label of {@link UNCLASSIFIED}. */
export const UNCLASSIFIED_LABEL = "Unclassified 未分类";

/** Labels of the kinds of R-16, English then Chinese like the presets' category labels. */
export const KIND_LABELS: Readonly<Record<Kind, string>> = {
  complaint: "Complaint 投诉",
  inquiry: "Inquiry 咨询",
  suggestion: "Suggestion 建议",
};

/** Labels of the channels of R-02. */
export const CHANNEL_LABELS: Readonly<Record<Channel, string>> = {
  phone: "Phone 电话",
  hotline: "Hotline 热线",
  letter: "Letter 信函",
  email: "E-mail 电子邮件",
  fax: "Fax 传真",
  "walk-in": "Walk-in 来访",
  "on-site": "On site 现场",
  "online-form": "Online form 网上",
  "suggestion-box": "Suggestion box 意见箱",
  regulator: "Forwarded by a regulator 上级转办",
  referral: "Referral 转介",
  media: "Media 媒体",
  internal: "Internal 内部",
};

/** Labels of the validities of R-15. */
export const VALIDITY_LABELS: Readonly<Record<Validity | "undetermined", string>> = {
  valid: "Valid 有效",
  invalid: "Invalid 无效",
  "not-established": "Not established 不成立",
  undetermined: "Undetermined 未认定",
};

/** The severity ids the presets use, with their seed words. */
const SEVERITY_WORDS: Readonly<Record<string, string>> = {
  general: "General 一般",
  major: "Major 重大",
  simple: "Simple 简单",
  complex: "Complex 复杂",
  minor: "Minor 轻微",
  serious: "Serious 严重",
  larger: "Larger 较大",
  crisis: "Crisis 危机",
};

/** English words of the 90/80/70/60 scale (004:25). */
const SATISFACTION_WORDS: Readonly<Record<Satisfaction, string>> = {
  90: "Satisfied",
  80: "Fairly satisfied",
  70: "Average",
  60: "Poor",
};

/** A satisfaction score's label, e.g. `Satisfied 满意 (90)`. */
export function satisfactionLabel(score: Satisfaction): string {
  return `${SATISFACTION_WORDS[score]} ${SATISFACTION_LABELS[score]} (${score})`;
}

/** A kind's label; unclassified rows under {@link UNCLASSIFIED}. */
export function kindLabel(kind: string): string {
  return KIND_LABELS[kind as Kind] ?? (kind === UNCLASSIFIED ? UNCLASSIFIED_LABEL : kind);
}

/** A channel's label. */
export function channelLabel(channel: string): string {
  return CHANNEL_LABELS[channel as Channel] ?? channel;
}

/** A severity's label: the known seed word, else the id. */
export function severityLabel(severity: string): string {
  if (severity === UNCLASSIFIED) return UNCLASSIFIED_LABEL;
  return SEVERITY_WORDS[severity] ?? severity;
}

/** A category's label from the policy, else the id. */
export function categoryLabel(policy: Policy, category: string): string {
  if (category === UNCLASSIFIED) return UNCLASSIFIED_LABEL;
  return policy.categories.find((c) => c.id === category)?.label ?? category;
}

/** A clock's label from the policy, else the id. */
export function clockLabel(policy: Policy, clockId: string): string {
  return policy.clocks.find((c) => c.id === clockId)?.label ?? clockId;
}

/** Levels of the frequency × urgency analysis (004:123: 高, 中, 低). */
export type Level = "high" | "medium" | "low";
/** The levels, most pressing first. */
export const LEVELS: readonly Level[] = ["high", "medium", "low"];
/** Labels of the frequency levels. */
export const FREQUENCY_LABELS: Readonly<Record<Level, string>> = {
  high: "High frequency 频次高",
  medium: "Medium frequency 频次中",
  low: "Low frequency 频次低",
};
/** Labels of the urgency levels. */
export const URGENCY_LABELS: Readonly<Record<Level, string>> = {
  high: "High urgency 紧急程度高",
  medium: "Medium urgency 紧急程度中",
  low: "Low urgency 紧急程度低",
};

/** An escalation level's label with the role the policy hands it to. */
export function escalationLabel(policy: Policy, level: 1 | 2 | 3): string {
  const word = { 1: "Level 1 一级", 2: "Level 2 二级", 3: "Level 3 三级" }[level];
  return `${word} (${policy.escalationRoles[level]})`;
}
