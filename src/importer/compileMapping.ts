import type { Policy } from "../domain/policy.js";
import type { Channel } from "../domain/values.js";
import { type CompiledDateFormat, compileDateFormat } from "./dates.js";
import {
  type ImportField,
  type ImportMapping,
  ImportMappingError,
  type ImportMappingIssue,
  type ImportOutcomeRule,
  normaliseValue,
} from "./mapping.js";

type CategoryField = "product" | "subProduct" | "issue" | "subIssue";

/** A mapping prepared for fast row lookups and checked against the policy it replays under. */
export interface CompiledMapping {
  readonly mapping: ImportMapping;
  readonly formats: readonly CompiledDateFormat[];
  readonly channels: ReadonlyMap<string, Channel>;
  readonly outcomes: ReadonlyMap<string, ImportOutcomeRule>;
  readonly categoryRules: readonly {
    readonly when: readonly (readonly [CategoryField, ReadonlySet<string>])[];
    readonly category: string;
  }[];
  readonly booleans: ReadonlyMap<string, boolean | undefined>;
}

/**
 * Prepares a mapping and checks it fits the policy: the preset id, the complaint kind, and every
 * category it names.
 * @throws ImportMappingError naming the field that does not fit.
 */
export function compileMapping(mapping: ImportMapping, policy: Policy): CompiledMapping {
  const issues: ImportMappingIssue[] = [];
  if (mapping.preset !== policy.id)
    issues.push({
      path: "preset",
      message: `the mapping is written for ${mapping.preset}, the importer was given policy ${policy.id}`,
    });
  if (!policy.kinds.includes("complaint"))
    issues.push({ path: "preset", message: `policy ${policy.id} does not handle complaints` });
  const known = new Set(policy.categories.map((c) => c.id));
  mapping.categories.rules.forEach((rule, i) => {
    if (!known.has(rule.category))
      issues.push({
        path: `categories.rules.${i}.category`,
        message: `${rule.category} is not a category of policy ${policy.id}`,
      });
  });
  if (!known.has(mapping.categories.fallback))
    issues.push({
      path: "categories.fallback",
      message: `${mapping.categories.fallback} is not a category of policy ${policy.id}`,
    });
  const booleans = new Map<string, boolean | undefined>();
  for (const [list, value] of [
    [mapping.booleans.yes, true],
    [mapping.booleans.no, false],
    [mapping.booleans.unknown, undefined],
  ] as const)
    for (const spelling of list) {
      const key = normaliseValue(spelling);
      if (booleans.has(key)) issues.push({ path: "booleans", message: `${spelling} is listed twice` });
      booleans.set(key, value);
    }
  if (issues.length > 0) throw new ImportMappingError(issues);
  return {
    mapping,
    formats: mapping.dateFormats.map(compileDateFormat),
    channels: lookup(mapping.channels),
    outcomes: lookup(mapping.outcomes),
    categoryRules: mapping.categories.rules.map((rule) => ({
      category: rule.category,
      when: (Object.entries(rule.when) as [CategoryField, string[] | undefined][])
        .filter((entry): entry is [CategoryField, string[]] => entry[1] !== undefined)
        .map(([field, values]) => [field, new Set(values.map(normaliseValue))] as const),
    })),
    booleans,
  };
}

function lookup<T>(record: Readonly<Record<string, T>>): Map<string, T> {
  return new Map(Object.entries(record).map(([k, v]) => [normaliseValue(k), v]));
}

/** The category of a row: the first rule whose every column matches, else the fallback. */
export function categoryOf(
  compiled: CompiledMapping,
  values: Readonly<Partial<Record<ImportField, string>>>,
): string {
  for (const rule of compiled.categoryRules)
    if (rule.when.every(([field, allowed]) => allowed.has(normaliseValue(values[field] ?? ""))))
      return rule.category;
  return compiled.mapping.categories.fallback;
}
