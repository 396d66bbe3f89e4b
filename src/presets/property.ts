import { createPolicy, type Policy } from "../domain/policy.js";

/**
 * 002:69: the major or sudden incidents (重大或突发事件) of property management, as complaint tags.
 * Any of them makes the case `major` and starts the report-to-the-manager clock.
 */
export const MAJOR_INCIDENTS = [
  { tag: "fire", label: "Fire 火灾" },
  { tag: "lift-entrapment", label: "Lift entrapment 电梯困人" },
  { tag: "explosion", label: "Explosion 爆炸" },
  { tag: "power-cut", label: "Sudden power cut 突发性停电" },
  { tag: "flooding", label: "Flooding 水浸" },
  { tag: "theft-or-crime", label: "Theft, vandalism or crime 盗窃等破坏性行为、刑事案件" },
  { tag: "collective", label: "Collective complaint by three or more households 客户集体投诉(三家以上)" },
  {
    tag: "main-equipment-failure",
    label: "Main equipment failure 主要设备设施故障 (central air, generator, switchgear, communications)",
  },
  { tag: "structural-damage", label: "Structural damage 大厦主体结构遭受破坏" },
] as const;

/** One of the {@link MAJOR_INCIDENTS} tags. */
export type MajorIncident = (typeof MAJOR_INCIDENTS)[number]["tag"];

// Pure, so a bundler can drop the property preset when it is not imported.
const INCIDENT_TAGS: string[] = /* @__PURE__ */ MAJOR_INCIDENTS.map((i) => i.tag);

/** 002:69 客户集体投诉(三家以上): households from which a complaint is collective. */
export const COLLECTIVE_MIN_HOUSEHOLDS = 3;

/**
 * Property management (物业管理), from 002:60-71: 五清楚一报告 — a major complaint is reported to
 * the department manager and the management-centre leaders at once (002:66, 002:69); general
 * complaints are passed to the function department and answered at once (002:67-68); the answer is
 * confirmed by the customer and filed (002:65); complaints are summed up monthly and revisited
 * (002:71).
 */
export const property: Policy = /* @__PURE__ */ createPolicy({
  id: "property",
  version: "1",
  name: "Property management 物业客户投诉",
  caseNumberFormat: "WY{yyyy}{mm}-{serial:4}",
  // 002:67 一般性投诉; 002:69 重大投诉
  severities: ["general", "major"],
  defaultSeverity: "general",
  severityRules: [
    {
      // 002:69 火灾、电梯困人、爆炸、突发性停电、水浸、盗窃、刑事案件、集体投诉(三家以上)、
      // 主要设备设施故障、主体结构遭受破坏 → 重大投诉
      id: "major-incident",
      severity: "major",
      source: "002:69",
      when: { tagsAny: INCIDENT_TAGS },
    },
  ],
  // R-20 adapted to a building: the general complaints of 002:68, plus the incident areas of 002:69.
  categories: [
    { id: "renovation-noise", label: "Renovation noise 装修噪音滋扰", routeTo: "engineering" },
    { id: "public-facilities", label: "Public facilities 公共设施故障", routeTo: "engineering" },
    { id: "indoor-repair", label: "Indoor repairs 室内设施维修", routeTo: "engineering" },
    { id: "lifts", label: "Lifts 电梯", routeTo: "engineering" },
    { id: "power-water", label: "Power and water supply 供电供水", routeTo: "engineering" },
    { id: "mail", label: "Lost or missing mail 邮件报纸遗失", routeTo: "customer-service" },
    { id: "cleaning-greening", label: "Cleaning and greening 环境卫生及绿化", routeTo: "environment" },
    { id: "pest-control", label: "Pest control 鼠虫害防治", routeTo: "environment" },
    { id: "security", label: "Security and safety 安全保卫", routeTo: "security" },
    { id: "fees", label: "Property fees 物业费", routeTo: "finance" },
    { id: "service", label: "Management services 物业服务", routeTo: "customer-service" },
    { id: "other", label: "Other 其他", routeTo: "customer-service" },
  ],
  // the seed sets no limits; these amounts are the preset's choice.
  authority: [
    { role: "customer-service", maxRemedyValue: 500 },
    { role: "department-manager", maxRemedyValue: 5_000 },
    { role: "centre-leader", maxRemedyValue: 50_000 },
  ],
  // 002:66 重大投诉,必须马上报告部门经理和物业管理中心领导
  escalationRoles: { 1: "customer-service", 2: "department-manager", 3: "centre-leader" },
  extensionApproverRoles: ["department-manager", "centre-leader"],
  // 002:67 一般性投诉 … 立即将情况回复客户
  onTheSpotSeverities: ["general"],
  // 002:65 由客户确认后收回存档; 002:71 进行客户回访
  closure: { requireComplainantConfirmation: true, requireRevisit: true, gate: "none" },
  clocks: [
    {
      // 002:67 立即将情况回复客户; 002:69 向投诉客户解释原因,确定回复时间. The seed gives no
      // number: 2 calendar hours is the preset's choice.
      id: "first-reply",
      label: "First reply to the customer 回复客户",
      source: "002:67; 002:69",
      start: ["ComplaintReceived"],
      stop: ["ReceiptAcknowledged"],
      targets: [{ target: { amount: 2, unit: "calendar-hours" } }],
      escalations: [{ on: "breached", toLevel: 2 }],
    },
    {
      // 002:66 马上报告: a major case is reported up (escalated) within 30 minutes — the preset's
      // reading of 马上. A clock cannot be switched off for one severity, so for a general case the
      // same clock is met by settling it or passing it up, with the handling clock's target.
      id: "report",
      label: "Report to the manager 马上报告",
      source: "002:66; 002:69",
      start: ["ComplaintReceived"],
      stop: ["ComplaintEscalated", "ComplaintResolved"],
      targets: [
        { severity: "major", target: { amount: 0.5, unit: "calendar-hours" } },
        { target: { amount: 3, unit: "working-days" } },
      ],
      warnAt: 0.5,
      escalations: [{ on: "breached", toLevel: 3 }],
    },
    {
      // The seed sets no handling time. The preset's choice: 3 working days for a general
      // complaint, 7 for a major one (the incident itself is handled by the emergency plan; this
      // is the answer to the complainant), after 000:403.
      id: "handling",
      label: "Handle and answer 处理回复",
      source: "002:67-69",
      start: ["ComplaintReceived"],
      stop: ["ComplaintResolved"],
      pause: ["WaitingOnComplainantStarted"],
      resume: ["WaitingOnComplainantEnded"],
      targets: [
        { severity: "major", target: { amount: 7, unit: "working-days" } },
        { target: { amount: 3, unit: "working-days" } },
      ],
      escalations: [
        { on: "at-risk", toLevel: 2 },
        { on: "breached", toLevel: 3 },
      ],
    },
  ],
});

/**
 * 002:69 客户集体投诉(三家以上): returns the command (or any object with `tags`) with the
 * `collective` tag added when `households` is three or more, which makes the case major. The
 * input is not changed.
 * @example
 * const command = tagCollective({ type: "ReceiveComplaint", channel: "walk-in", … }, 5);
 * command.tags; // ["collective"]
 */
export function tagCollective<T extends { readonly tags?: readonly string[] | undefined }>(
  command: T,
  households: number,
): T {
  if (!Number.isFinite(households) || households < COLLECTIVE_MIN_HOUSEHOLDS) return command;
  const tags = command.tags ?? [];
  if (tags.includes("collective")) return command;
  return { ...command, tags: [...tags, "collective"] };
}
