import { createPolicy, type Policy } from "../domain/policy.js";

/**
 * A tobacco monopoly bureau, from 客户投诉、咨询、建议管理办法 ASYC/ZH-QD-04 (002:378-447):
 * complaints, inquiries and suggestions (002:407-421); major complaints — payment, accounts,
 * cigarette quality or quantity, or anything that could turn into a dispute — are accepted at once
 * and given a named owner at once (002:429-432); first-responder duty (R-06, 002:399-405, enforced
 * by the core); 五不放过 (002:442), revisit (002:446) and the complainant's confirmation before
 * closing; complaints forwarded by a regulator are reported back (R-32, 002:441, enforced by the
 * core when closing).
 */
export const tobacco: Policy = /* @__PURE__ */ createPolicy({
  id: "tobacco",
  version: "1",
  name: "Tobacco bureau 客户投诉、咨询、建议管理办法 (ASYC/ZH-QD-04)",
  caseNumberFormat: "YC{yyyy}{mm}{dd}-{serial:3}",
  // 002:407-421 投诉 / 咨询 / 建议
  kinds: ["complaint", "inquiry", "suggestion"],
  // 002:428 有效投诉可分为重大投诉和一般投诉
  severities: ["general", "major"],
  defaultSeverity: "general",
  severityRules: [
    {
      // 002:430 款项、帐务或卷烟质量、数量方面的问题 → 重大投诉
      id: "payment-accounts-quality-quantity-is-major",
      severity: "major",
      source: "002:429-432",
      when: {
        categories: ["payment", "accounts", "cigarette-quality", "cigarette-quantity"],
        kinds: ["complaint"],
      },
    },
    {
      // 002:431 不及时解决可能导致争执、吵闹 … 对本单位正常业务或社会形象造成影响的
      id: "dispute-risk-is-major",
      severity: "major",
      source: "002:431",
      when: { tagsAny: ["dispute-risk"], kinds: ["complaint"] },
    },
    {
      // 002:441 被投诉到上级部门或有关部门,或被新闻媒体曝光 → investigate at once, report back
      id: "regulator-or-media-is-major",
      severity: "major",
      source: "002:441",
      when: { channels: ["regulator", "media"], kinds: ["complaint"] },
    },
  ],
  // R-20 adapted to cigarette sales and monopoly administration (002:390, 002:394, 002:412).
  categories: [
    { id: "payment", label: "Payment 款项", routeTo: "finance" },
    { id: "accounts", label: "Accounts 帐务", routeTo: "finance" },
    { id: "cigarette-quality", label: "Cigarette quality 卷烟质量", routeTo: "marketing" },
    { id: "cigarette-quantity", label: "Cigarette quantity 卷烟数量", routeTo: "logistics" },
    { id: "ordering", label: "Ordering and supply 订货供货", routeTo: "marketing" },
    { id: "delivery", label: "Delivery 卷烟配送", routeTo: "logistics" },
    { id: "licensing", label: "Retail licence 许可证办理", routeTo: "monopoly-administration" },
    { id: "enforcement", label: "Market enforcement 专卖执法", routeTo: "monopoly-administration" },
    { id: "leaf-procurement", label: "Tobacco-leaf procurement 烟叶收购", routeTo: "leaf-procurement" },
    { id: "service-attitude", label: "Service attitude 服务态度", routeTo: "inspection-office" },
    { id: "policy", label: "Policy and regulations 政策法规", routeTo: "inspection-office" },
    { id: "other", label: "Other 其他", routeTo: "inspection-office" },
  ],
  // 002:444 makes a person at fault pay for losses they caused; the seed sets no limits.
  // These amounts are the preset's choice.
  authority: [
    { role: "staff", maxRemedyValue: 200 },
    { role: "inspection-office", maxRemedyValue: 2_000 },
    { role: "leader-in-charge", maxRemedyValue: 20_000 },
  ],
  // 002:394 督察机构 supervises every complaint under a 分管领导.
  escalationRoles: { 1: "staff", 2: "inspection-office", 3: "leader-in-charge" },
  extensionApproverRoles: ["inspection-office", "leader-in-charge"],
  // 002:402 内容属于接待者业务范围的,接待者应及时以予解答或办理. A major complaint is never
  // settled on the spot: it needs a named owner (002:432).
  onTheSpotSeverities: ["general"],
  // 002:442 五不放过; 002:446 回访; 谁投诉谁关闭 is the preset's choice for a valid complaint.
  closure: { requireComplainantConfirmation: true, requireRevisit: true, gate: "five" },
  clocks: [
    {
      // 002:432 重大投诉应第一时间受理: "第一时间" is read as 1 calendar hour (the preset's
      // choice). General complaints: 002:434 only says 在规定的时间内; 24 h follows 002:265.
      id: "acceptance",
      label: "Accept 受理",
      source: "002:432; 002:265",
      start: ["ComplaintReceived"],
      stop: ["ReceiptAcknowledged"],
      targets: [
        { severity: "major", target: { amount: 1, unit: "calendar-hours" } },
        { target: { amount: 24, unit: "calendar-hours" } },
      ],
      warnAt: 0.5,
      escalations: [{ on: "breached", toLevel: 2 }],
    },
    {
      // 002:432 立即明确专人处理: "立即" is read as 1 calendar hour (the preset's choice), met when
      // the named owner acknowledges the hand-over or the case is settled. General
      // complaints: one working day (the preset's choice).
      id: "ownership",
      label: "Named owner 明确专人",
      source: "002:432; 002:399-405",
      start: ["ComplaintReceived"],
      stop: ["AssignmentAccepted", "ComplaintResolved"],
      targets: [
        { severity: "major", target: { amount: 1, unit: "calendar-hours" } },
        { target: { amount: 1, unit: "working-days" } },
      ],
      warnAt: 0.5,
      escalations: [{ on: "breached", toLevel: 2 }],
    },
    {
      // ASYC/ZH-QD-04 sets no handling time (002:434 在规定的时间内). The preset takes the
      // 7-working-day ceiling of 002:48 for general complaints, 3 working days for major ones,
      // 2 for inquiries (002:405 一次性告知) and 10 for suggestions.
      id: "handling",
      label: "Handle and answer 处理答复",
      source: "002:48; 002:434",
      start: ["ComplaintReceived"],
      stop: ["ComplaintResolved"],
      pause: ["WaitingOnComplainantStarted"],
      resume: ["WaitingOnComplainantEnded"],
      targets: [
        { severity: "major", target: { amount: 3, unit: "working-days" } },
        { kind: "inquiry", target: { amount: 2, unit: "working-days" } },
        { kind: "suggestion", target: { amount: 10, unit: "working-days" } },
        { target: { amount: 7, unit: "working-days" } },
      ],
      escalations: [
        { on: "at-risk", toLevel: 2 },
        { on: "breached", toLevel: 3 },
      ],
    },
    {
      // 002:397 对已经处理的投诉进行调查、回访; 002:446 定期或随机 … 回访. The seed gives no
      // time; 5 working days after the answer is the preset's choice.
      id: "revisit",
      label: "Revisit 回访",
      source: "002:397; 002:446",
      after: "handling",
      stop: ["ComplaintRevisited"],
      targets: [{ target: { amount: 5, unit: "working-days" } }],
      kinds: ["complaint"],
      escalations: [{ on: "breached", toLevel: 2 }],
    },
  ],
});
