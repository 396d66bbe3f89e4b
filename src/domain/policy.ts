import { z } from "zod";
import { ClockSpecSchema } from "../sla/clockSpec.js";
import { findClockTraps } from "../sla/traps.js";
import { ChannelSchema, KindSchema, RemedyKindSchema } from "./values.js";

/** a declarative severity rule. It matches when every given condition holds. */
export const SeverityRuleSchema = z.object({
  id: z.string().min(1),
  severity: z.string().min(1),
  /** Seed reference, e.g. `002:429-434`. */
  source: z.string().optional(),
  when: z.object({
    categories: z.array(z.string().min(1)).optional(),
    /** Matches when the complaint carries any of these tags (e.g. food-safety hazards, R-22). */
    tagsAny: z.array(z.string().min(1)).optional(),
    channels: z.array(ChannelSchema).optional(),
    kinds: z.array(KindSchema).optional(),
  }),
});
/** A declarative severity rule: it matches when every given condition holds. */
export type SeverityRule = z.infer<typeof SeverityRuleSchema>;

/** one category of the taxonomy; `routeTo` is the responsible unit of R-05. */
export const CategorySchema = z.object({
  id: z.string().min(1),
  label: z.string().min(1),
  routeTo: z.string().min(1).optional(),
});

/** the highest remedy value a role may promise (in the policy currency). */
export const AuthorityRowSchema = z.object({
  role: z.string().min(1),
  maxRemedyValue: z.number().finite().nonnegative(),
});

const CaseNumberFormat = z
  .string()
  .min(1)
  .refine((f) => /\{serial(:\d+)?\}/.test(f), "must contain a {serial} or {serial:N} token")
  .refine(
    (f) => f.replace(/\{(yyyy|yy|mm|dd|serial(:\d+)?)\}/g, "").indexOf("{") === -1,
    "unknown token; use {yyyy} {yy} {mm} {dd} {serial} {serial:N}",
  );

/**
 * A complaint-handling policy: the data that makes a preset. Validated with zod; the
 * `id` and `version` are recorded on every stream so replays judge a case by the policy it had.
 */
export const PolicySchema = z
  .object({
    id: z.string().min(1),
    version: z.string().min(1),
    /** For people: reports and the CLI print it. */
    name: z.string().min(1),
    /** IANA zone for case-number dates and SLA calendars. */
    timeZone: z.string().min(1).default("Asia/Shanghai"),
    /** ISO 4217 code of remedy values and authority limits. */
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/)
      .default("CNY"),
    /** e.g. `{yyyy}-{mm}-{serial:4}` (年度-月份-流水编号, 001:140). */
    caseNumberFormat: CaseNumberFormat.default("{yyyy}{mm}{dd}-{serial:4}"),
    /** The kinds of case the organisation takes. */
    kinds: z.array(KindSchema).min(1).default(["complaint", "inquiry", "suggestion"]),
    /** Ordered from least to most severe. */
    severities: z.array(z.string().min(1)).min(1),
    /** The severity before classification, and when classification names none (rules may raise it). */
    defaultSeverity: z.string().min(1),
    severityRules: z.array(SeverityRuleSchema).default([]),
    categories: z.array(CategorySchema).min(1),
    authority: z.array(AuthorityRowSchema).default([]),
    /** Remedies that need no authority check because they promise no value. */
    freeRemedies: z.array(RemedyKindSchema).default(["explanation", "apology", "answer"]),
    /** the role each escalation level hands the case to. */
    escalationRoles: z
      .object({ 1: z.string(), 2: z.string(), 3: z.string() })
      .default({ 1: "staff", 2: "department-head", 3: "senior-management" }),
    /** roles whose approval an extension needs. */
    extensionApproverRoles: z
      .array(z.string().min(1))
      .min(1)
      .default(["department-head", "senior-management"]),
    /** on-the-spot resolution is allowed for these severities (empty: never). */
    onTheSpotSeverities: z.array(z.string().min(1)).default([]),
    closure: z
      .object({
        /** R-11 谁投诉谁关闭: a valid complaint closes only on the complainant's confirmation. */
        requireComplainantConfirmation: z.boolean().default(false),
        /** a valid complaint is revisited before it closes. */
        requireRevisit: z.boolean().default(false),
        /** 五不放过 (five), 四不放过 (four, without "solved"), or none. */
        gate: z.enum(["none", "four", "five"]).default("none"),
      })
      .default({ requireComplainantConfirmation: false, requireRevisit: false, gate: "none" }),
    clocks: z.array(ClockSpecSchema).default([]),
  })
  .superRefine((policy, ctx) => {
    const severities = new Set(policy.severities);
    if (severities.size !== policy.severities.length)
      ctx.addIssue({ code: "custom", path: ["severities"], message: "severities must be unique" });
    if (!severities.has(policy.defaultSeverity))
      ctx.addIssue({ code: "custom", path: ["defaultSeverity"], message: "must be one of severities" });
    policy.severityRules.forEach((rule, i) => {
      if (!severities.has(rule.severity))
        ctx.addIssue({ code: "custom", path: ["severityRules", i, "severity"], message: "unknown severity" });
    });
    policy.onTheSpotSeverities.forEach((s, i) => {
      if (!severities.has(s))
        ctx.addIssue({ code: "custom", path: ["onTheSpotSeverities", i], message: "unknown severity" });
    });
    const categories = new Set(policy.categories.map((c) => c.id));
    if (categories.size !== policy.categories.length)
      ctx.addIssue({ code: "custom", path: ["categories"], message: "category ids must be unique" });
    policy.severityRules.forEach((rule, i) => {
      rule.when.categories?.forEach((c, j) => {
        if (!categories.has(c))
          ctx.addIssue({
            code: "custom",
            path: ["severityRules", i, "when", "categories", j],
            message: `unknown category ${c}`,
          });
      });
    });
    const clockIds = new Set<string>();
    policy.clocks.forEach((clock, i) => {
      if (clockIds.has(clock.id))
        ctx.addIssue({ code: "custom", path: ["clocks", i, "id"], message: "clock ids must be unique" });
      clockIds.add(clock.id);
    });
    for (const trap of findClockTraps(policy.clocks, policy.severities, policy.kinds))
      ctx.addIssue({ code: "custom", path: [...trap.path], message: trap.message });
  });

/** A validated policy. */
export type Policy = z.infer<typeof PolicySchema>;
/** What a user writes: defaults may be left out. */
export type PolicyInput = z.input<typeof PolicySchema>;

/** Thrown by {@link createPolicy} for an invalid policy; `issues` names each field. */
export class PolicyError extends Error {
  /** Always `"PolicyError"`. */
  override readonly name = "PolicyError" as const;
  /** Stable code to match on. */
  readonly code = "policy/invalid" as const;
  constructor(
    /** Every problem found, `path: message`, separated by `; `. */
    readonly issues: string,
  ) {
    super(`invalid policy: ${issues}`);
  }
}

/** Is `error` a {@link PolicyError}? */
export function isPolicyError(error: unknown): error is PolicyError {
  return error instanceof Error && error.name === "PolicyError";
}

/**
 * Validates a policy and fills its defaults.
 * @throws PolicyError naming every invalid field.
 */
export function createPolicy(input: PolicyInput): Policy {
  const result = PolicySchema.safeParse(input);
  if (!result.success)
    throw new PolicyError(
      result.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; "),
    );
  return result.data;
}

/** The rank of a severity in the policy's order (0 = least severe); -1 when unknown. */
export function severityRank(policy: Policy, severity: string): number {
  return policy.severities.indexOf(severity);
}

/**
 * the most severe rule that matches, or undefined.
 * @example matchSeverityRule(policy, { category: "payment", tags: [], channel: "phone", kind: "complaint" })
 */
export function matchSeverityRule(
  policy: Policy,
  facts: { category: string; tags: readonly string[]; channel: string; kind: string },
): SeverityRule | undefined {
  let best: SeverityRule | undefined;
  for (const rule of policy.severityRules) {
    const { when } = rule;
    if (when.categories && !when.categories.includes(facts.category)) continue;
    if (when.tagsAny && !when.tagsAny.some((t) => facts.tags.includes(t))) continue;
    if (when.channels && !(when.channels as string[]).includes(facts.channel)) continue;
    if (when.kinds && !(when.kinds as string[]).includes(facts.kind)) continue;
    if (!best || severityRank(policy, rule.severity) > severityRank(policy, best.severity)) best = rule;
  }
  return best;
}

/** the highest remedy value `role` may promise; 0 when the role is not in the table. */
export function authorityLimit(policy: Policy, role: string): number {
  let limit = 0;
  for (const row of policy.authority)
    if (row.role === role && row.maxRemedyValue > limit) limit = row.maxRemedyValue;
  return limit;
}

/**
 * The default policy: ISO 10002-shaped, no closure gate, general/major severities, a broad
 * category list. Presets (`kesu/presets`) replace it for real organisations.
 */
export const defaultPolicy: Policy = createPolicy({
  id: "default",
  version: "1",
  name: "Default complaint policy",
  caseNumberFormat: "{yyyy}-{mm}-{serial:4}",
  severities: ["general", "major"],
  defaultSeverity: "general",
  severityRules: [
    { id: "payment-or-quality-is-major", severity: "major", when: { categories: ["billing", "quality"] } },
  ],
  categories: [
    { id: "quality", label: "Product quality 产品质量", routeTo: "qa" },
    { id: "quantity", label: "Quantity 数量", routeTo: "qa" },
    { id: "packaging", label: "Packaging 包装", routeTo: "qa" },
    { id: "transport-damage", label: "Transport damage 运输损坏", routeTo: "logistics" },
    { id: "delivery", label: "Delivery 交期", routeTo: "logistics" },
    { id: "spec-mismatch", label: "Spec/model mismatch 规格不符", routeTo: "qa" },
    { id: "billing", label: "Price, billing, accounts 价格/账务", routeTo: "finance" },
    { id: "service-attitude", label: "Service attitude 服务态度", routeTo: "service" },
    { id: "service-content", label: "Service content 服务内容", routeTo: "service" },
    { id: "cooperation", label: "Cooperation 工作配合", routeTo: "service" },
    { id: "other", label: "Other 其他" },
  ],
  authority: [
    { role: "staff", maxRemedyValue: 500 },
    { role: "department-head", maxRemedyValue: 5_000 },
    { role: "senior-management", maxRemedyValue: 100_000 },
  ],
  onTheSpotSeverities: ["general"],
});
