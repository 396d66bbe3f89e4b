import type { Clock, IdGenerator } from "../domain/context.js";
import { systemClock, ulidGenerator } from "../domain/context.js";
import type { Policy } from "../domain/policy.js";
import type { Actor } from "../domain/values.js";
import type { EventStore } from "../stores/eventStore.js";
import { type HandleContext, handle } from "../stores/handle.js";
import { compileMapping } from "./compileMapping.js";
import { type ImportInput, readCsvRecords } from "./csvRecords.js";
import { dryRun } from "./dryRun.js";
import { type HeaderMatch, rowValues, tryHeader } from "./header.js";
import { type ImportMapping, REQUIRED_IMPORT_FIELDS } from "./mapping.js";
import { OccurrenceCounter, planRow, type RowPlan } from "./rowPlan.js";

/** A row that was not imported (or not completely), by the line it starts on. */
export interface ImportRowError {
  /** The line of the input the row starts on (1-based). */
  readonly line: number;
  /** What is wrong with the row. */
  readonly message: string;
  /** The input's name, in a report of several files. */
  readonly file?: string | undefined;
}

/** Counts of one import. `rows = imported + duplicates + skipped`. */
export interface ImportReport {
  /** Data records after the header (blank lines not counted), readable or not. */
  readonly rows: number;
  /** Rows whose complaint was new and is now in the store with its whole replay. */
  readonly imported: number;
  /** Rows whose complaint was already in the store (an earlier import, another file). */
  readonly duplicates: number;
  /** Of the duplicates, those whose row added steps the store did not have yet (a newer extract). */
  readonly updated: number;
  /** Rows not imported: each has an entry in `errors`. */
  readonly skipped: number;
  /** Rows whose sent date was before receipt and was moved to the receipt. */
  readonly sentBeforeReceived: number;
  /** Every row not imported, or imported only in part, with the reason. */
  readonly errors: readonly ImportRowError[];
  /** The line the header row was found on (1-based); absent in a report of several files. */
  readonly headerLine?: number | undefined;
  /** Per-file reports, for {@link importCsvFiles}. */
  readonly byFile?: Readonly<Record<string, ImportReport>> | undefined;
}

/** Progress of an import, reported every `progressEvery` rows and at the end. */
export type ImportProgress = Omit<ImportReport, "errors" | "byFile" | "headerLine"> & {
  /** Rows with an error so far. */
  readonly errors: number;
  /** The last line read. */
  readonly line: number;
};

/** Options of {@link importCsv}. */
export interface ImportCsvOptions {
  /** Where the replayed complaints are appended. */
  readonly store: EventStore;
  /** The CSV export to read. */
  readonly input: ImportInput;
  /** A mapping from {@link parseImportMapping}. */
  readonly mapping: ImportMapping;
  /** The policy rows are replayed under; its id must be the mapping's `preset`. */
  readonly policy: Policy;
  /** The business calendar recorded on each stream for its SLA clocks. */
  readonly calendar?: { readonly id: string; readonly version: string } | undefined;
  /** Who recorded the imported events. Default `{ id: "importer", role: "importer", unit: "import" }`. */
  readonly actor?: Actor | undefined;
  /** The clock for `recordedAt`. Default: the system clock. */
  readonly clock?: Clock | undefined;
  /** Event ids. Default: ULIDs. */
  readonly ids?: IdGenerator | undefined;
  /** Called every `progressEvery` rows and once at the end (a progress bar, a log line). */
  readonly onProgress?: ((progress: ImportProgress) => void) | undefined;
  /** Rows between progress reports (default 500). */
  readonly progressEvery?: number | undefined;
}

/** The default actor of imported events. */
export const IMPORT_ACTOR: Actor = { id: "importer", role: "importer", unit: "import" };

/**
 * Imports historical complaints from a CSV export: finds the header row by the mapping's column
 * names, replays each good row's lifecycle through {@link handle} with the row's own dates, and
 * reports bad rows by line while keeping the rest. Every command id derives from the row's key,
 * so importing the same rows again (the same file, or another file that shares complaints)
 * appends nothing and counts them as duplicates.
 * @throws ImportMappingError when the mapping does not fit `policy`.
 * @throws ImportInputError when no header row is found.
 * @example
 * const report = await importCsv({ store, input: createReadStream(file), mapping, policy: usCfpb });
 * console.log(report.imported, report.duplicates, report.errors);
 */
export async function importCsv(options: ImportCsvOptions): Promise<ImportReport> {
  const compiled = compileMapping(options.mapping, options.policy);
  const clock = options.clock ?? systemClock;
  const ctx: HandleContext = {
    clock,
    ids: options.ids ?? ulidGenerator(),
    actor: options.actor ?? IMPORT_ACTOR,
    policy: options.policy,
    calendar: options.calendar ? { id: options.calendar.id, version: options.calendar.version } : undefined,
  };
  const every = Math.max(1, options.progressEvery ?? 500);
  const occurrences = new OccurrenceCounter();
  const errors: ImportRowError[] = [];
  const count = { rows: 0, imported: 0, duplicates: 0, updated: 0, skipped: 0, sentBeforeReceived: 0 };
  let header: HeaderMatch | undefined;
  // Before the header: the candidate that came closest, and records the parser could not read.
  let closest: readonly string[] | undefined;
  const early: { line: number; message: string }[] = [];
  let lastLine = 0;

  const progress = () => options.onProgress?.({ ...count, errors: errors.length, line: lastLine });
  const fail = (line: number, message: string) => {
    count.skipped++;
    errors.push({ line, message });
  };

  for await (const item of readCsvRecords(options.input)) {
    lastLine = item.line;
    if (!header) {
      if (item.kind === "error") early.push(item);
      else {
        const candidate = tryHeader(compiled.mapping, item);
        if (candidate.ok) header = candidate.header;
        else if (!closest || candidate.missing.length < closest.length) closest = candidate.missing;
      }
      continue;
    }
    if (item.kind === "error") {
      count.rows++;
      fail(item.line, item.message);
    } else {
      if (item.fields.every((f) => f.trim() === "")) continue;
      count.rows++;
      if (item.fields.length !== header.width) {
        const what = item.fields.length < header.width ? "truncated record" : "record too long";
        fail(item.line, `${what}: ${item.fields.length} fields, the header has ${header.width}`);
      } else {
        const plan = planRow(compiled, rowValues(header, item.fields), occurrences);
        if ("problem" in plan) fail(item.line, plan.problem);
        else await replay(plan, item.line);
      }
    }
    if (count.rows % every === 0) progress();
  }
  if (!header) throw headerNotFound(compiled.mapping, closest, early);
  progress();
  return { ...count, errors, headerLine: header.line };

  async function replay(plan: RowPlan, line: number): Promise<void> {
    const last = plan.steps[plan.steps.length - 1]!;
    const done = await options.store.findCommand(last.command.commandId!);
    if (done && done.streamId === plan.streamId) {
      count.duplicates++;
      return;
    }
    const refused = dryRun(plan, ctx);
    if (refused) return fail(line, `${plan.key}: ${refused}`);
    let existed = false;
    let added = false;
    for (const { step, command } of plan.steps) {
      const result = await handle(options.store, plan.streamId, command, ctx);
      if (!result.ok) {
        const why = `${plan.key}: step ${step} refused (${result.rejection.code}): ${result.rejection.message}`;
        return fail(line, existed ? `${why}; the complaint was imported before with other facts` : why);
      }
      if (step === "receive") existed = result.alreadyHandled;
      else if (!result.alreadyHandled) added = true;
    }
    if (plan.sentClamped && !existed) count.sentBeforeReceived++;
    if (!existed) count.imported++;
    else {
      count.duplicates++;
      if (added) count.updated++;
    }
  }
}

/** Options of {@link importCsvFiles}: those of {@link importCsv}, with named inputs. */
export interface ImportCsvFilesOptions extends Omit<ImportCsvOptions, "input"> {
  /** The inputs, imported in this order; `name` keys the per-file reports. */
  readonly files: readonly { readonly name: string; readonly input: ImportInput }[];
}

/**
 * Imports several files into one store in order, one {@link importCsv} each; the report sums
 * them and keeps each file's report in `byFile`. A complaint found in an earlier file counts as
 * a duplicate in the later one.
 * @example
 * const report = await importCsvFiles({ store, mapping, policy: usCfpb, files: [{ name, input }] });
 */
export async function importCsvFiles(options: ImportCsvFilesOptions): Promise<ImportReport> {
  const { files, ...common } = options;
  const byFile: Record<string, ImportReport> = {};
  const total = { rows: 0, imported: 0, duplicates: 0, updated: 0, skipped: 0, sentBeforeReceived: 0 };
  const errors: ImportRowError[] = [];
  for (const { name, input } of files) {
    const report = await importCsv({ ...common, input });
    byFile[name] = report;
    for (const k of Object.keys(total) as (keyof typeof total)[]) total[k] += report[k];
    errors.push(...report.errors.map((e) => ({ ...e, file: name })));
  }
  return { ...total, errors, byFile };
}

/** Thrown when an input cannot be imported at all (no header row). */
export class ImportInputError extends Error {
  /** Always `"ImportInputError"`. */
  override readonly name = "ImportInputError" as const;
  /** Stable code to match on. */
  readonly code = "import/header-not-found" as const;
  constructor(
    message: string,
    /** The required columns missing from the best candidate header row. */
    readonly missing: readonly string[],
  ) {
    super(message);
  }
}

/** Is `error` an {@link ImportInputError}? */
export function isImportInputError(error: unknown): error is ImportInputError {
  return error instanceof Error && error.name === "ImportInputError";
}

function headerNotFound(
  mapping: ImportMapping,
  closest: readonly string[] | undefined,
  early: readonly { line: number; message: string }[],
): ImportInputError {
  const required = REQUIRED_IMPORT_FIELDS.map((f) => mapping.columns[f].names[0]!);
  const missing = closest ?? required;
  const extra = early.length > 0 ? `; ${early.map((e) => `line ${e.line}: ${e.message}`).join("; ")}` : "";
  return new ImportInputError(
    `no header row names the columns ${required.join(", ")} (the closest lacks ${missing.join(", ")})${extra}`,
    missing,
  );
}
