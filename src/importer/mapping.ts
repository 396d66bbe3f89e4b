import { z } from "zod";
import { ChannelSchema, RemedyKindSchema } from "../domain/values.js";
import { isKnownTimeZone } from "../sla/calendar/timeZone.js";
import { compileDateFormat } from "./dates.js";

/**
 * The columns an import mapping can name. `received`, `channel`, `product`, `company` and
 * `response` are required: the header row is found by them. The others are optional.
 */
export const IMPORT_FIELDS = [
  "id",
  "received",
  "sent",
  "channel",
  "product",
  "subProduct",
  "issue",
  "subIssue",
  "narrative",
  "company",
  "publicResponse",
  "tags",
  "response",
  "timely",
  "disputed",
] as const;
/** One column an import mapping can name. */
export type ImportField = (typeof IMPORT_FIELDS)[number];
/** The columns without which a row cannot be replayed; the header row must name them all. */
export const REQUIRED_IMPORT_FIELDS = [
  "received",
  "channel",
  "product",
  "company",
  "response",
] as const satisfies readonly ImportField[];

const Column = z.strictObject({
  /** The column's name, then its aliases; compared ignoring case, spaces and punctuation. */
  names: z.array(z.string().trim().min(1)).min(1),
});

const Clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be a 24-hour time HH:MM");

const DateFormat = z
  .string()
  .min(1)
  .superRefine((format, ctx) => {
    const problem = compileDateFormat(format).problem;
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

/** What a value of the outcome column means for the case (see docs/import.md, "Replay rules"). */
const OutcomeRule = z.discriminatedUnion("status", [
  z.strictObject({
    status: z.literal("closed"),
    /** The remedy kinds of the resolution recorded for the response. */
    remedyKinds: z.array(RemedyKindSchema).min(1),
    /** R-15: `invalid` closes as "explained" and needs an explanation among the remedies (R-17). */
    validity: z.enum(["valid", "invalid"]),
  }),
  /** The company reported the case in progress: a progress report, the case stays open. */
  z.strictObject({ status: z.literal("in-progress"), channel: ChannelSchema }),
  /** The company did not answer in time: nothing after the hand-over, the case stays open. */
  z.strictObject({ status: z.literal("untimely") }),
]);
/** The meaning of one value of the outcome column. */
export type ImportOutcomeRule = z.infer<typeof OutcomeRule>;

const CategoryRule = z.strictObject({
  /** Every named column must hold one of the listed values (ignoring case and surrounding spaces). */
  when: z
    .strictObject({
      product: z.array(z.string()).min(1).optional(),
      subProduct: z.array(z.string()).min(1).optional(),
      issue: z.array(z.string()).min(1).optional(),
      subIssue: z.array(z.string()).min(1).optional(),
    })
    .refine((w) => Object.keys(w).length > 0, "name at least one column"),
  category: z.string().min(1),
});

/**
 * The declarative description of a complaint CSV: which columns hold what (with aliases, since
 * names vary between exports), how dates are written, and what the values mean for a case under
 * the named preset. See `examples/cfpb-mapping.json` and docs/import.md.
 */
export const ImportMappingSchema = z
  .strictObject({
    version: z.literal(1),
    /** The id of the policy the rows are replayed under (`us-cfpb` for the `usCfpb` preset). */
    preset: z.string().min(1),
    /** Prefix of row keys and command ids: `<prefix>:<id>:<step>`. */
    keyPrefix: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "lowercase letters, digits and dashes"),
    /** IANA zone the whole-day dates are placed in. */
    timeZone: z.string().refine(isKnownTimeZone, "unknown IANA time zone"),
    /** Accepted date formats, tried in order; tokens YYYY MM DD hh mm ss A. */
    dateFormats: z.array(DateFormat).min(1),
    /** Local times of the replayed steps on their days: received ≤ sent ≤ response. */
    times: z
      .strictObject({ received: Clock, sent: Clock, response: Clock })
      .refine((t) => t.received <= t.sent && t.sent <= t.response, "must satisfy received ≤ sent ≤ response")
      .default({ received: "09:00", sent: "12:00", response: "17:00" }),
    /** A sent date up to this many days before receipt is moved to the receipt (a 2013 quirk). */
    maxSentBeforeReceivedDays: z.number().int().nonnegative().default(1),
    /** Case-number template: `{yyyy}` `{yy}` `{mm}` `{dd}` of receipt, `{id}` or `{id:N}` (zero-padded). */
    caseNumber: z
      .string()
      .refine(
        (t) => /\{id(:\d+)?\}/.test(t) && t.replace(/\{(yyyy|yy|mm|dd|id(:\d+)?)\}/g, "").indexOf("{") === -1,
        "must contain {id} or {id:N}; other tokens: {yyyy} {yy} {mm} {dd}",
      )
      .optional(),
    columns: z.strictObject({
      id: Column.optional(),
      received: Column,
      sent: Column.optional(),
      channel: Column,
      product: Column,
      subProduct: Column.optional(),
      issue: Column.optional(),
      subIssue: Column.optional(),
      narrative: Column.optional(),
      company: Column,
      publicResponse: Column.optional(),
      tags: Column.optional(),
      response: Column,
      timely: Column.optional(),
      disputed: Column.optional(),
    }),
    /** Values of the channel column → kesu channels. */
    channels: z.record(z.string().min(1), ChannelSchema),
    /** Values of the outcome column → what they mean. A blank outcome leaves the case open. */
    outcomes: z.record(z.string().min(1), OutcomeRule),
    categories: z.strictObject({ rules: z.array(CategoryRule), fallback: z.string().min(1) }),
    /** Spellings of yes / no / not applicable in the timely and disputed columns (blank = unknown). */
    booleans: z
      .strictObject({
        yes: z.array(z.string().min(1)).min(1),
        no: z.array(z.string().min(1)).min(1),
        unknown: z.array(z.string().min(1)),
      })
      .default({ yes: ["Yes"], no: ["No"], unknown: ["N/A"] }),
    /** Values of the tags column are split on this separator and kept as registration tags. */
    tagSeparator: z.string().min(1).default(","),
  })
  .superRefine((mapping, ctx) => {
    for (const [value, rule] of Object.entries(mapping.outcomes))
      if (
        rule.status === "closed" &&
        rule.validity === "invalid" &&
        !rule.remedyKinds.includes("explanation")
      )
        ctx.addIssue({
          code: "custom",
          path: ["outcomes", value, "remedyKinds"],
          message: "an invalid complaint closes after an explanation (R-17): include explanation",
        });
  });

/** A validated import mapping (defaults filled). */
export type ImportMapping = z.infer<typeof ImportMappingSchema>;
/** An import mapping as written (defaults may be left out). */
export type ImportMappingInput = z.input<typeof ImportMappingSchema>;

/** One problem of an import mapping: the field's dotted path and what is wrong with it. */
export interface ImportMappingIssue {
  /** The field's dotted path, e.g. `columns.received`; `(root)` for the whole mapping. */
  readonly path: string;
  /** What is wrong with it. */
  readonly message: string;
}

/** Thrown for an invalid mapping, or one that does not fit the policy given to the importer. */
export class ImportMappingError extends Error {
  /** Always `"ImportMappingError"`. */
  override readonly name = "ImportMappingError" as const;
  /** Stable code to match on. */
  readonly code = "import/invalid-mapping" as const;
  constructor(
    /** Every problem found. */
    readonly issues: readonly ImportMappingIssue[],
  ) {
    super(`invalid import mapping: ${issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`);
  }
}

/** Is `error` an {@link ImportMappingError}? */
export function isImportMappingError(error: unknown): error is ImportMappingError {
  return error instanceof Error && error.name === "ImportMappingError";
}

/**
 * Validates an import mapping (a parsed object or JSON text) and fills its defaults. Unknown keys
 * are refused at any depth, so a misspelt field is reported rather than ignored.
 * @throws ImportMappingError whose `issues` name every invalid field.
 * @example
 * const mapping = parseImportMapping(readFileSync("examples/cfpb-mapping.json", "utf8"));
 */
export function parseImportMapping(input: unknown): ImportMapping {
  let value = input;
  if (typeof input === "string") {
    try {
      value = JSON.parse(input);
    } catch (error) {
      throw new ImportMappingError([{ path: "(root)", message: `not JSON: ${(error as Error).message}` }]);
    }
  }
  const result = ImportMappingSchema.safeParse(value);
  if (result.success) return result.data;
  throw new ImportMappingError(
    result.error.issues.flatMap((issue) =>
      (issue.code === "unrecognized_keys" ? issue.keys.map((k) => [...issue.path, k]) : [issue.path]).map(
        (path) => ({ path: path.map(String).join(".") || "(root)", message: issue.message }),
      ),
    ),
  );
}

/** Compares column names and values: case, spaces and punctuation are ignored. */
export function normaliseName(name: string): string {
  return name.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, "");
}

/** Compares cell values: case and runs of spaces are ignored. */
export function normaliseValue(value: string): string {
  return value.trim().replace(/\s+/g, " ").toLowerCase();
}
