import { createPolicy, type Policy } from "../domain/policy.js";
import type { ComplaintState } from "../domain/state.js";
import type { BusinessCalendar } from "../sla/calendar/businessCalendar.js";
import { CalendarInputError } from "../sla/calendar/errors.js";
import { isLocalDate } from "../sla/calendar/localDate.js";

/**
 * the food-safety hazards of 003:41-59 as complaint tags. Each one makes a retail case
 * `crisis` severity and entitles the customer to an unconditional return or exchange.
 */
export const FOOD_SAFETY_HAZARDS = [
  // 003:43 腐败变质、油脂酸败、霉变、生虫、污秽不洁、混有异物
  { tag: "food-safety:spoiled", label: "Spoiled, rancid, mouldy or contaminated 腐败变质" },
  // 003:45 含有毒、有害物质或者被有害物质污染
  { tag: "food-safety:toxic", label: "Toxic or harmful substances 有毒有害" },
  // 003:47 致病性寄生虫、微生物或者微生物含量超标
  { tag: "food-safety:pathogenic", label: "Pathogenic parasites or microbes 致病性微生物" },
  // 003:49 未经检疫或者检疫不合格
  { tag: "food-safety:unquarantined", label: "Not quarantined or failed inspection 未经检疫" },
  // 003:51 病死、毒死或者死因不明的禽、兽、水产动物及其制品
  { tag: "food-safety:dead-animal", label: "Dead or diseased animal products 病死动物制品" },
  // 003:53 掺假、掺杂、伪造
  { tag: "food-safety:adulterated", label: "Adulterated or counterfeit 掺假伪造" },
  // 003:55 超过保质期限
  { tag: "food-safety:expired", label: "Past its shelf life 超过保质期" },
  // 003:57 货物损坏、水渍、串味、受潮导致性质改变
  { tag: "food-safety:damaged", label: "Damaged, wet or tainted goods 损坏变质" },
  // 003:59 来源不明,无法溯源
  { tag: "food-safety:untraceable", label: "Untraceable origin 来源不明" },
] as const;

/** One of the {@link FOOD_SAFETY_HAZARDS} tags. */
export type FoodSafetyHazard = (typeof FOOD_SAFETY_HAZARDS)[number]["tag"];

// Pure and without spreads, so a bundler can drop the retail preset when it is not imported.
const HAZARD_TAGS: string[] = /* @__PURE__ */ FOOD_SAFETY_HAZARDS.map((h) => h.tag);

/**
 * Supermarket and food retail, from the supermarket quality-complaint procedure of seed 000
 * (000:395-409): simple / complex / major with 24 h / 3 working days / 7 working days (000:403),
 * plus `crisis` above major for the food-safety hazards of 003:41-59. Simple matters may be
 * settled on the spot.
 * @example
 * import { retail } from "kesu/presets";
 * const ctx = { clock, ids, actor, policy: retail, calendar: calendars.chinaMainland() };
 */
export const retail: Policy = /* @__PURE__ */ createPolicy({
  id: "retail",
  version: "1",
  name: "Supermarket and food retail 超市质量投诉",
  caseNumberFormat: "RT{yyyy}{mm}{dd}-{serial:3}",
  // 000:403 简单 / 复杂 / 重大; crisis (危机, 004:36) added above major for R-22.
  severities: ["simple", "complex", "major", "crisis"],
  defaultSeverity: "simple",
  severityRules: [
    {
      // 003:41-59 R-22 food-safety hazards → crisis, unconditional return or exchange
      id: "food-safety-hazard-is-crisis",
      severity: "crisis",
      source: "003:41-59",
      when: { tagsAny: HAZARD_TAGS },
    },
    {
      // 000:401 complaints through regulators and the media are serious problems (严重问题): the
      // preset makes them major at least.
      id: "regulator-or-media-is-major",
      severity: "major",
      source: "000:401",
      when: { channels: ["regulator", "media"] },
    },
  ],
  // R-20 adapted to a supermarket floor.
  categories: [
    { id: "food-safety", label: "Food safety 食品安全", routeTo: "quality-control" },
    { id: "product-quality", label: "Product quality 商品质量", routeTo: "quality-control" },
    { id: "quantity", label: "Weight and quantity 短斤缺两", routeTo: "store-operations" },
    { id: "packaging", label: "Packaging 包装", routeTo: "quality-control" },
    { id: "price", label: "Price and checkout 价格/收银", routeTo: "cashier" },
    { id: "return-exchange", label: "Return and exchange 退换货", routeTo: "customer-service" },
    { id: "delivery", label: "Home delivery 送货", routeTo: "logistics" },
    { id: "service-attitude", label: "Service attitude 服务态度", routeTo: "customer-service" },
    { id: "store-environment", label: "Store environment and hygiene 卖场环境", routeTo: "store-operations" },
    { id: "other", label: "Other 其他", routeTo: "customer-service" },
  ],
  // 000 sets no amounts; these are the preset's choice.
  authority: [
    { role: "staff", maxRemedyValue: 200 },
    { role: "store-manager", maxRemedyValue: 2_000 },
    { role: "head-office", maxRemedyValue: 50_000 },
  ],
  escalationRoles: { 1: "staff", 2: "store-manager", 3: "head-office" },
  extensionApproverRoles: ["store-manager", "head-office"],
  // 000:403 简单的投诉 … 24小时内; 002:48 能当场解决的应尽量当场解决
  onTheSpotSeverities: ["simple"],
  closure: { requireComplainantConfirmation: false, requireRevisit: false, gate: "none" },
  clocks: [
    {
      // 000:329 接到投诉后 … 24小时内受理,并向投诉人确认
      id: "acknowledge",
      label: "Acknowledge receipt 受理确认",
      source: "000:329",
      start: ["ComplaintReceived"],
      stop: ["ReceiptAcknowledged"],
      targets: [{ target: { amount: 24, unit: "calendar-hours" } }],
      escalations: [{ on: "breached", toLevel: 2 }],
    },
    {
      // 000:403 simple: result in 24 h; complex: first opinion in 3 working days; major: verified
      // and reported in 7 working days. Crisis: 003:37 问题货品立即无条件退换货 — "立即" is read
      // as 4 calendar hours (the preset's choice).
      id: "resolution",
      label: "Result to the customer 给出处理结果",
      source: "000:403; 003:37",
      start: ["ComplaintReceived"],
      stop: ["ComplaintResolved"],
      pause: ["WaitingOnComplainantStarted"],
      resume: ["WaitingOnComplainantEnded"],
      targets: [
        { severity: "crisis", target: { amount: 4, unit: "calendar-hours" } },
        { severity: "major", target: { amount: 7, unit: "working-days" } },
        { severity: "complex", target: { amount: 3, unit: "working-days" } },
        { target: { amount: 24, unit: "calendar-hours" } },
      ],
      escalations: [
        { on: "at-risk", toLevel: 2 },
        { on: "breached", toLevel: 3 },
      ],
    },
  ],
});

/** What {@link requiresUnconditionalReturn} looks at: a folded complaint, or its tags. */
export type HazardFacts = ComplaintState | readonly string[];

/**
 * R-22 (003:41-59): does the customer get an unconditional return or exchange? True when the
 * complaint carries a food-safety hazard tag, given at receipt or at classification.
 * @example
 * requiresUnconditionalReturn(["food-safety:expired"]); // true
 * requiresUnconditionalReturn(state); // looks at state.tags and state.classification.tags
 */
export function requiresUnconditionalReturn(facts: HazardFacts): boolean {
  return hazardsOf(facts).length > 0;
}

/** the food-safety hazards a complaint carries (tags at receipt and at classification). */
export function hazardsOf(facts: HazardFacts): FoodSafetyHazard[] {
  const tags = isTagList(facts) ? facts : tagsOfState(facts);
  return [...new Set(tags.filter((t): t is FoodSafetyHazard => HAZARD_TAGS.includes(t)))];
}

function isTagList(facts: HazardFacts): facts is readonly string[] {
  return Array.isArray(facts);
}

function tagsOfState(state: ComplaintState): readonly string[] {
  if (state.stage === "none") return [];
  if (state.stage === "received") return state.tags;
  return [...state.tags, ...(state.classification?.tags ?? [])];
}

/** The 7 days of 000:497 (顾客发现商品存在质量问题,需在7日内提出). */
export const QUALITY_REPORTING_WINDOW = { amount: 7, unit: "calendar-days" } as const;

/**
 * 000:497: a customer must report a quality problem within 7 days of purchase. The period is
 * counted on `calendar` by its conventions — by default PRC Civil Code arts. 201-203: the purchase
 * day is not counted, a last day that falls on a rest day or holiday moves to the next working day,
 * and the period ends at close of business (build the calendar with `periodEnd: "end-of-day"` for
 * a shop open late).
 * @throws CalendarInputError when `purchaseDate` is not a date or is after the receipt.
 * @example
 * // Bought Friday 2025-09-26; day 7 (10-03) is in the National Day holiday, so the window runs
 * // to Thursday 10-09 at close of business.
 * withinReportingWindow("2025-09-26", new Date("2025-10-09T10:00:00+08:00"), cn); // true
 */
export function withinReportingWindow(
  purchaseDate: string,
  receivedAt: Date,
  calendar: BusinessCalendar,
): boolean {
  if (!isLocalDate(purchaseDate))
    throw new CalendarInputError("purchaseDate", `expected a date "YYYY-MM-DD", got ${purchaseDate}`);
  const bought = calendar.startOfLocalDay(purchaseDate);
  if (receivedAt.getTime() < bought.getTime())
    throw new CalendarInputError("purchaseDate", `${purchaseDate} is after the receipt`);
  return receivedAt.getTime() <= calendar.dueDate(bought, QUALITY_REPORTING_WINDOW).getTime();
}
