import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { CFPB_DIR } from "./support.js";

/**
 * The CFPB extracts read the simple way, independently of the importer: the whole file with
 * `csv-parse/sync`, `columns: true`, the header found as the first physical line naming "Date
 * received", and the few columns the acceptance test counts. Expected figures come from here.
 */
export interface CsvComplaint {
  readonly file: string;
  readonly id: string | undefined;
  readonly via: string;
  readonly received: string;
  readonly sent: string;
  readonly response: string;
  readonly timely: string;
  readonly disputed: string;
}

/** One extract: its record count, its complete rows, and where its truncated records are. */
export interface CsvFile {
  readonly name: string;
  /** Every data record after the header, the truncated one included. */
  readonly records: number;
  /** Records with every header column; the others are truncated. */
  readonly complete: readonly CsvComplaint[];
  /** 1-based line numbers where the truncated records start. */
  readonly truncatedLines: readonly number[];
}

const key = (name: string) => name.toLowerCase().replace(/[^a-z]/g, "");

/** The CSV files of the data directory, in the order `readdirSync` lists them. */
export function cfpbFileNames(): string[] {
  return readdirSync(CFPB_DIR)
    .filter((f) => f.endsWith(".csv"))
    .sort();
}

/** One extract, read independently. */
export function readCfpbFile(name: string): CsvFile {
  const text = readFileSync(join(CFPB_DIR, name), "utf8");
  const headerLine = text.split("\n").findIndex((l) => /date.?received/i.test(l)) + 1;
  const records = parse(text, {
    columns: (header: string[]) => header.map(key),
    from_line: headerLine,
    relax_quotes: true,
    relax_column_count: true,
    skip_empty_lines: true,
    info: true,
  }) as { record: Record<string, string | undefined>; info: { lines: number } }[];
  const width = text.split("\n")[headerLine - 1]!.split(",").length;
  const complete: CsvComplaint[] = [];
  const truncatedLines: number[] = [];
  for (const { record, info } of records) {
    if (Object.keys(record).length < width) {
      // Every record of these files is one line except multi-line narratives, which are complete.
      truncatedLines.push(info.lines);
      continue;
    }
    complete.push({
      file: name,
      id: record.complaintid || undefined,
      via: record.submittedvia!,
      received: record.datereceived!,
      sent: record.datesenttocompany!,
      response: (record.companyresponsetoconsumer ?? record.companyresponse)!,
      timely: record.timelyresponse!,
      disputed: record.consumerdisputed!,
    });
  }
  return { name, records: records.length, complete, truncatedLines };
}

/** Days since 1970-01-01 of a date in any of the extracts' formats, read by its separators. */
export function dayOf(text: string): number {
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (iso) return Date.UTC(+iso[1]!, +iso[2]! - 1, +iso[3]!) / 86_400_000;
  const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text);
  if (us) return Date.UTC(+us[3]!, +us[1]! - 1, +us[2]!) / 86_400_000;
  const dmy = /^(\d{2})-(\d{2})-(\d{4})$/.exec(text);
  if (dmy) return Date.UTC(+dmy[3]!, +dmy[2]! - 1, +dmy[1]!) / 86_400_000;
  throw new Error(`unexpected date ${text}`);
}

/** Counts of a list by a key. */
export function tally<T>(items: Iterable<T>, by: (item: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of items) {
    const k = by(item);
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}
