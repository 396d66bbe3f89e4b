import type { z } from "zod";
import {
  type AuthorityRowSchema,
  type CategorySchema,
  type Policy,
  PolicyError,
  type PolicyInput,
  PolicySchema,
  type SeverityRuleSchema,
} from "../domain/policy.js";
import type { ClockSpecInput } from "../sla/clockSpec.js";

type CategoryInput = z.input<typeof CategorySchema>;
type SeverityRuleInput = z.input<typeof SeverityRuleSchema>;
type AuthorityRowInput = z.input<typeof AuthorityRowSchema>;

/** A partial entry keyed by `id`: a new id adds the entry, a known id changes the fields given. */
export type ById<T extends { id: string }> = Partial<T> & { readonly id: string };

/** Fields of a policy that {@link extendPreset} replaces wholesale when given. */
type Scalars = Omit<
  PolicyInput,
  "id" | "version" | "categories" | "clocks" | "severityRules" | "authority" | "closure" | "escalationRoles"
>;

/**
 * What {@link extendPreset} changes. `id` and `version` are required: the stream records them, so
 * an extended preset must never pass for its base.
 */
export interface PresetOverrides extends Partial<Scalars> {
  /** The new policy's id: an adapted preset is another policy, so cases record which one. */
  readonly id: string;
  /** The new policy's version; change it whenever the overrides change. */
  readonly version: string;
  /** categories by id (add, or change the fields given). */
  readonly categories?: readonly ById<CategoryInput>[] | undefined;
  /** SLA clocks by id (add, or change the fields given; `targets` etc. replace the old lists). */
  readonly clocks?: readonly ById<ClockSpecInput>[] | undefined;
  /** severity rules by id. */
  readonly severityRules?: readonly ById<SeverityRuleInput>[] | undefined;
  /** authority rows by role (add, or replace the limit). */
  readonly authority?: readonly AuthorityRowInput[] | undefined;
  /** Closure settings to change; the others stay. */
  readonly closure?: Partial<Policy["closure"]> | undefined;
  /** Escalation roles to change; the others stay. */
  readonly escalationRoles?: Partial<Policy["escalationRoles"]> | undefined;
  /** Entries of the base to drop, by id (by role for `authority`). Applied before the additions. */
  readonly remove?:
    | {
        readonly categories?: readonly string[] | undefined;
        readonly clocks?: readonly string[] | undefined;
        readonly severityRules?: readonly string[] | undefined;
        readonly authority?: readonly string[] | undefined;
      }
    | undefined;
}

type Entry = Record<string, unknown>;
type Keyed = "categories" | "clocks" | "severityRules" | "authority";
const KEY: Record<Keyed, "id" | "role"> = {
  categories: "id",
  clocks: "id",
  severityRules: "id",
  authority: "role",
};

/**
 * A new policy from a preset and overrides: categories, clocks and severity rules merge by id,
 * authority rows by role (a new key adds an entry, a known key changes the fields given), closure
 * and escalation roles merge field by field, other fields replace the base's. The result is
 * validated like any policy; the base is not changed.
 * @throws PolicyError naming each bad field — entries by their id, e.g. `clocks[handling].targets`.
 * @example
 * const guizhou = extendPreset(tobacco, {
 *   id: "tobacco-guizhou",
 *   version: "1",
 *   categories: [{ id: "e-cigarette", label: "E-cigarettes 电子烟", routeTo: "monopoly-administration" }],
 *   clocks: [{ id: "handling", targets: [{ target: { amount: 5, unit: "working-days" } }] }],
 * });
 */
export function extendPreset(base: Policy, overrides: PresetOverrides): Policy {
  const { categories, clocks, severityRules, authority, closure, escalationRoles, remove, ...scalars } =
    overrides;
  const problems: string[] = [];
  if (overrides.id === base.id && overrides.version === base.version)
    problems.push(
      `id: ${base.id}@${base.version} is the base's identity; give the extension its own id or version`,
    );

  const merge = (field: Keyed, changes: readonly Entry[] | undefined): Entry[] => {
    const key = KEY[field];
    const dropped = remove?.[field] ?? [];
    const known = new Set((base[field] as readonly Entry[]).map((e) => e[key]));
    dropped.forEach((k, i) => {
      if (!known.has(k)) problems.push(`remove.${field}.${i}: the base has no ${field} entry ${k}`);
    });
    const result = (base[field] as readonly Entry[]).filter((e) => !dropped.includes(e[key] as string));
    for (const change of changes ?? []) {
      const at = result.findIndex((e) => e[key] === change[key]);
      if (at < 0) result.push({ ...change });
      else result[at] = { ...result[at], ...change };
    }
    return result;
  };

  // A field given as undefined keeps the base's value rather than falling back to the default.
  const given = Object.fromEntries(Object.entries(scalars).filter(([, value]) => value !== undefined));
  const input = {
    ...base,
    ...given,
    categories: merge("categories", categories as readonly Entry[] | undefined),
    clocks: merge("clocks", clocks as readonly Entry[] | undefined),
    severityRules: merge("severityRules", severityRules as readonly Entry[] | undefined),
    authority: merge("authority", authority as readonly Entry[] | undefined),
    closure: { ...base.closure, ...closure },
    escalationRoles: { ...base.escalationRoles, ...escalationRoles },
  } as PolicyInput;

  const parsed = PolicySchema.safeParse(input);
  if (!parsed.success)
    for (const issue of parsed.error.issues)
      problems.push(`${fieldName(input, issue.path)}: ${issue.message}`);
  if (problems.length > 0 || !parsed.success) throw new PolicyError(problems.join("; "));
  return parsed.data;
}

/** `clocks.3.targets` → `clocks[handling].targets`: the merged index means nothing to the caller. */
function fieldName(input: PolicyInput, path: readonly PropertyKey[]): string {
  const [head, index, ...rest] = path;
  if (typeof head === "string" && head in KEY && typeof index === "number") {
    const entry = (input[head as Keyed] as readonly Entry[] | undefined)?.[index];
    const name = entry?.[KEY[head as Keyed]];
    if (typeof name === "string") return [`${head}[${name}]`, ...rest.map(String)].join(".");
  }
  return path.map(String).join(".") || "(root)";
}
