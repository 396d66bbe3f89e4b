import { createPolicy, type Policy } from "../domain/policy.js";

/**
 * Manufacturing, from flow C-CR-005 and 客户抱怨处理办法 (seed 001): acceptance in 24 h and
 * completion in 5 working days (001:228), cause analysis and countermeasure in 3 working days
 * (001:56), a written reply within 7 days (001:32, 001:496); the QA manager / vice GM / GM authority
 * table (001:89-90, 001:502); 五不放过 with corrective action; revisit and
 * 谁投诉谁关闭 (004:129); case numbers by year, month and serial (001:140).
 *
 * Not modelled as clocks: the on-site visit within 48 h "if necessary" (001:228) — clocks cannot
 * be switched on per case, so record the visit as progress; the customer's own deadline (001:228)
 * — record a later deadline as an approved `ExtendDeadline` on `completion`, an earlier one is not
 * representable; the follow-up survey three months after closure (004:129) — a closed case takes
 * no revisit, so schedule it outside the stream.
 */
export const manufacturing: Policy = /* @__PURE__ */ createPolicy({
  id: "manufacturing",
  version: "1",
  name: "Manufacturing 客户抱怨处理 (C-CR-005)",
  // 001:140 年度(____)月份(____)流水编号(____): the widths are blank; 4 digits is the preset's choice.
  caseNumberFormat: "{yyyy}-{mm}-{serial:4}",
  // 001:479 严重抱怨事件 are reviewed monthly; everything else is general.
  severities: ["general", "serious"],
  defaultSeverity: "general",
  severityRules: [
    {
      // 004:135 A级投诉: the customer went to the media or another outside body
      id: "outside-complaint-is-serious",
      severity: "serious",
      source: "004:135",
      when: { channels: ["media", "regulator"] },
    },
  ],
  // R-20 from 001:350-360 and 004:119; routing per 001:431-439 and 001:86-90.
  categories: [
    { id: "quality", label: "Product quality 产品品质瑕疵", routeTo: "qa" }, // 001:350, 001:431
    { id: "spec-mismatch", label: "Spec/model mismatch 规格型号不符", routeTo: "qa" }, // 001:356
    { id: "quantity", label: "Quantity 数量不符", routeTo: "qa" }, // 001:356, 001:431
    { id: "packaging", label: "Packaging 包装不良", routeTo: "qa" }, // 001:354
    { id: "transport-damage", label: "Transport damage 运送损坏", routeTo: "after-sales" }, // 001:352, 001:88
    { id: "power-supply", label: "Power-supply quality 电源质量", routeTo: "power-supply" }, // 001:86, 001:90
    { id: "improvement", label: "Product improvement 产品改进", routeTo: "engineering" }, // 001:360
    { id: "contract", label: "Contract only 合同问题", routeTo: "sales-management" }, // 001:434
    { id: "sales-process", label: "Sales procedure 业务作业程序", routeTo: "sales-operations" }, // 001:438
    { id: "delivery", label: "Delivery 产品交货", routeTo: "production-control" }, // 004:119
    { id: "price", label: "Price 价格问题", routeTo: "sales-management" }, // 004:119
    { id: "service", label: "Service quality 服务质量", routeTo: "after-sales" }, // 004:119
    { id: "other", label: "Other 其他", routeTo: "gm-office" },
  ],
  // R-27, 001:89-90, 001:502: sales may promise nothing of value on its own (营业单位不得超越核决
  // 权限); quality notices are approved by the QA manager, but anything with a cost needs the vice
  // GM (及到成本的还需副总经理审批); power-supply quality goes to the (vice) GM. The amounts are
  // the preset's choice.
  authority: [
    { role: "sales", maxRemedyValue: 0 },
    { role: "qa-manager", maxRemedyValue: 0 },
    { role: "vice-gm", maxRemedyValue: 50_000 },
    { role: "gm", maxRemedyValue: 1_000_000 },
  ],
  // 001:124 总经理室 … 处理时效管理及逾期反应: overdue cases go up to the GM office.
  escalationRoles: { 1: "sales", 2: "qa-manager", 3: "gm-office" },
  extensionApproverRoles: ["qa-manager", "vice-gm", "gm"],
  onTheSpotSeverities: [],
  // 谁投诉谁关闭 (004:129); R-30 五不放过 with R-31 corrective action (001:31).
  closure: { requireComplainantConfirmation: true, requireRevisit: true, gate: "five" },
  clocks: [
    {
      // 001:228 业务员必须在24小时内受理
      id: "accept",
      label: "Accept 受理",
      source: "001:228",
      start: ["ComplaintReceived"],
      stop: ["ReceiptAcknowledged"],
      targets: [{ target: { amount: 24, unit: "calendar-hours" } }],
      escalations: [{ on: "breached", toLevel: 2 }],
    },
    {
      // 001:56 《客户抱怨处理通知单》三个工作日之内须完成原因分析及对策: from the notice (the
      // case routed to its 对策单位 at classification) to the findings with their root cause.
      id: "cause-analysis",
      label: "Cause analysis and countermeasure 原因分析及对策",
      source: "001:56",
      start: ["ComplaintClassified"],
      stop: ["ComplaintInvestigated"],
      pause: ["WaitingOnComplainantStarted"],
      resume: ["WaitingOnComplainantEnded"],
      targets: [{ target: { amount: 3, unit: "working-days" } }],
      // Inquiries and suggestions are answered without an investigation.
      kinds: ["complaint"],
      escalations: [
        { on: "at-risk", toLevel: 2 },
        { on: "breached", toLevel: 3 },
      ],
    },
    {
      // 001:32 回复的时间是接到客诉起一周内; 001:496 所有对策答复均应在七日内为之
      id: "reply",
      label: "Written reply to the customer 书面答复",
      source: "001:32; 001:496",
      start: ["ComplaintReceived"],
      stop: ["ComplaintResolved"],
      pause: ["WaitingOnComplainantStarted"],
      resume: ["WaitingOnComplainantEnded"],
      targets: [{ target: { amount: 7, unit: "calendar-days" } }],
      escalations: [{ on: "breached", toLevel: 3 }],
    },
    {
      // 001:228 在顾客指定的期限处理完成(如顾客未指定期限须在五个工作日内完成): the customer's
      // later deadline is an approved extension of this clock.
      id: "completion",
      label: "Handling complete 处理完成",
      source: "001:228",
      start: ["ComplaintReceived"],
      stop: ["ResolutionAccepted"],
      pause: ["WaitingOnComplainantStarted"],
      resume: ["WaitingOnComplainantEnded"],
      targets: [{ target: { amount: 5, unit: "working-days" } }],
      escalations: [
        { on: "at-risk", toLevel: 2 },
        { on: "breached", toLevel: 3 },
      ],
    },
  ],
});

/** 004:123 紧急程度: how urgent a category's complaints were in the month. */
export type Urgency = "high" | "medium" | "low";

/** One category's complaints in the month under review. */
export interface CategoryMonth {
  /** The category id. */
  readonly category: string;
  /** Complaints received in the month. */
  readonly count: number;
  /** The same count for the month before, to flag rising categories. */
  readonly previousCount?: number | undefined;
  /** The highest urgency among the month's complaints in this category. */
  readonly urgency: Urgency;
}

/** Why a category is put on the review meeting's agenda (004:123: frequency or urgency). */
export type ReviewReason = "frequent" | "urgent";

/** A category the monthly review meeting should discuss, with its reasons. */
export interface ReviewCandidate {
  /** The category id. */
  readonly category: string;
  /** Complaints received in the month. */
  readonly count: number;
  /** The highest urgency among them. */
  readonly urgency: Urgency;
  /** Why it is on the agenda: frequent, urgent or both. */
  readonly reasons: readonly ReviewReason[];
  /** the count rose since the month before (false when no earlier count was given). */
  readonly rising: boolean;
}

/** Options of {@link reviewMeetingCandidates}. */
export interface ReviewOptions {
  /**
   * The monthly count from which a category is "frequent" (频次较高). The seeds give no number;
   * the default, 3, is the preset's choice.
   */
  readonly frequentAt?: number | undefined;
}

/**
 * R-21, 004:123, 001:469: the categories the monthly complaint review meeting (客户抱怨检讨会议)
 * must discuss — those whose frequency or urgency is high (对于频次较高或者紧急程度较高的投诉,定期
 * 召开…沟通会). Each is flagged `rising` when its count grew since the month before. Pure; most
 * pressing first (high urgency, then count, then category id).
 * @example
 * reviewMeetingCandidates([
 *   { category: "quality", count: 4, previousCount: 2, urgency: "medium" },
 *   { category: "delivery", count: 1, urgency: "high" },
 *   { category: "price", count: 1, urgency: "low" },
 * ]); // delivery (urgent), quality (frequent, rising)
 */
export function reviewMeetingCandidates(
  rows: readonly CategoryMonth[],
  options: ReviewOptions = {},
): ReviewCandidate[] {
  const frequentAt = options.frequentAt ?? 3;
  const candidates: ReviewCandidate[] = [];
  for (const row of rows) {
    if (row.count <= 0) continue;
    const reasons: ReviewReason[] = [];
    if (row.count >= frequentAt) reasons.push("frequent");
    if (row.urgency === "high") reasons.push("urgent");
    if (reasons.length === 0) continue;
    const rising = row.previousCount !== undefined && row.count > row.previousCount;
    candidates.push({ category: row.category, count: row.count, urgency: row.urgency, reasons, rising });
  }
  const rank: Record<Urgency, number> = { high: 0, medium: 1, low: 2 };
  return candidates.sort(
    (a, b) =>
      rank[a.urgency] - rank[b.urgency] ||
      b.count - a.count ||
      (a.category < b.category ? -1 : a.category > b.category ? 1 : 0),
  );
}
