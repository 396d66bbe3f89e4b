import { createPolicy, type Policy } from "../domain/policy.js";

/**
 * A general-purpose policy shaped like ISO 10002:2018 and its Chinese adoption GB/T 19012-2019:
 * acknowledge, assess, investigate, respond, close, follow up. Acceptance in 24 h (002:265) and a
 * response in 15 working days (002:270); a major complaint is answered within the 7-working-day
 * ceiling of 002:48 and goes to senior management (002:54).
 */
export const generic: Policy = /* @__PURE__ */ createPolicy({
  id: "generic",
  version: "1",
  name: "Generic complaint handling (ISO 10002 / GB/T 19012)",
  caseNumberFormat: "{yyyy}{mm}{dd}-{serial:4}",
  kinds: ["complaint", "inquiry", "suggestion"],
  severities: ["general", "major"],
  defaultSeverity: "general",
  severityRules: [
    {
      // 002:54 遇重大情况和涉及赔偿的须向总经理汇报; 002:58 上级监管部门转来的投诉. Complaints
      // through a regulator or the media are major: the preset's reading.
      id: "regulator-or-media-is-major",
      severity: "major",
      source: "002:54; 002:58",
      when: { channels: ["regulator", "media"] },
    },
  ],
  // R-20 (001:350-356, 004:45)
  categories: [
    { id: "quality", label: "Product quality 产品质量", routeTo: "quality" },
    { id: "quantity", label: "Quantity 数量", routeTo: "quality" },
    { id: "packaging", label: "Packaging 包装", routeTo: "quality" },
    { id: "transport-damage", label: "Transport damage 运输损坏", routeTo: "logistics" },
    { id: "delivery", label: "Delivery 交期", routeTo: "logistics" },
    { id: "spec-mismatch", label: "Spec/model mismatch 规格型号不符", routeTo: "quality" },
    { id: "billing", label: "Price, billing, accounts 价格/账务", routeTo: "finance" },
    { id: "service-attitude", label: "Service attitude 服务态度", routeTo: "customer-service" },
    { id: "service-content", label: "Service content 服务内容", routeTo: "customer-service" },
    { id: "cooperation", label: "Cooperation 工作配合", routeTo: "customer-service" },
    { id: "other", label: "Other 其他", routeTo: "customer-service" },
  ],
  // R-27 and R-26 (002:165-168): front line, department head, senior management. The amounts are
  // the preset's choice.
  authority: [
    { role: "staff", maxRemedyValue: 500 },
    { role: "department-head", maxRemedyValue: 5_000 },
    { role: "senior-management", maxRemedyValue: 100_000 },
  ],
  escalationRoles: { 1: "staff", 2: "department-head", 3: "senior-management" },
  extensionApproverRoles: ["department-head", "senior-management"],
  // 002:48 对于能当场解决的投诉事项应尽量当场解决
  onTheSpotSeverities: ["general"],
  closure: { requireComplainantConfirmation: false, requireRevisit: false, gate: "none" },
  clocks: [
    {
      // 002:265 接到投诉后24小时内进行受理,并向客户告知受理人员 (ISO 10002 8.2 acknowledgement)
      id: "acknowledge",
      label: "Acknowledge 受理",
      source: "002:265",
      start: ["ComplaintReceived"],
      stop: ["ReceiptAcknowledged"],
      targets: [{ target: { amount: 24, unit: "calendar-hours" } }],
      escalations: [{ on: "breached", toLevel: 2 }],
    },
    {
      // 002:128 接到投诉后的24小时内完成初步调查 (ISO 10002 8.3 initial assessment)
      id: "assess",
      label: "Initial assessment 初步评估",
      source: "002:128",
      start: ["ComplaintReceived"],
      stop: ["ComplaintClassified"],
      targets: [{ target: { amount: 24, unit: "calendar-hours" } }],
      escalations: [{ on: "breached", toLevel: 2 }],
    },
    {
      // 002:270 收到投诉后15个工作日内完成处理,并向客户告知处理结果; major: 002:48 一般承诺期
      // 不应超过七个工作日 (ISO 10002 8.5-8.6 response and communicating the decision)
      id: "respond",
      label: "Respond 处理并告知结果",
      source: "002:270; 002:48",
      start: ["ComplaintReceived"],
      stop: ["ComplaintResolved"],
      pause: ["WaitingOnComplainantStarted"],
      resume: ["WaitingOnComplainantEnded"],
      targets: [
        { severity: "major", target: { amount: 7, unit: "working-days" } },
        { target: { amount: 15, unit: "working-days" } },
      ],
      escalations: [
        { on: "at-risk", toLevel: 2 },
        { on: "breached", toLevel: 3 },
      ],
    },
    {
      // 002:55 进行客户满意度回访 (ISO 10002 8.8 follow-up). No time is given: 5 working days
      // after the response is the preset's choice; closing the case stops it.
      id: "follow-up",
      label: "Follow up 回访",
      source: "002:55",
      after: "respond",
      stop: ["ComplaintRevisited"],
      targets: [{ target: { amount: 5, unit: "working-days" } }],
      kinds: ["complaint"],
    },
  ],
});
