import type { SourceRecord } from "./csvRecords.js";
import {
  IMPORT_FIELDS,
  type ImportField,
  type ImportMapping,
  normaliseName,
  REQUIRED_IMPORT_FIELDS,
} from "./mapping.js";
import type { RowValues } from "./rowPlan.js";

/** The header row: where it is, how many fields rows must have, and where each column sits. */
export interface HeaderMatch {
  readonly line: number;
  readonly width: number;
  readonly index: Readonly<Partial<Record<ImportField, number>>>;
}

/** A record tried as the header: the match, or the required columns it lacks (by their first name). */
export type HeaderCandidate =
  | { readonly ok: true; readonly header: HeaderMatch }
  | { readonly ok: false; readonly missing: readonly string[] };

/**
 * Tries a record as the header row: it is the header when it names every required column (by its
 * name or an alias, ignoring case, spaces and punctuation). Lines before it are junk.
 */
export function tryHeader(mapping: ImportMapping, record: SourceRecord): HeaderCandidate {
  const cells = record.fields.map(normaliseName);
  const index: Partial<Record<ImportField, number>> = {};
  for (const field of IMPORT_FIELDS) {
    const column = mapping.columns[field];
    if (!column) continue;
    const names = new Set(column.names.map(normaliseName));
    const at = cells.findIndex((cell) => names.has(cell));
    if (at >= 0) index[field] = at;
  }
  const missing = REQUIRED_IMPORT_FIELDS.filter((f) => index[f] === undefined).map(
    (f) => mapping.columns[f].names[0]!,
  );
  if (missing.length > 0) return { ok: false, missing };
  return { ok: true, header: { line: record.line, width: record.fields.length, index } };
}

/** The cells of a data record by mapped column, trimmed. */
export function rowValues(header: HeaderMatch, fields: readonly string[]): RowValues {
  const values: Partial<Record<ImportField, string>> = {};
  for (const field of IMPORT_FIELDS) {
    const at = header.index[field];
    if (at !== undefined) values[field] = (fields[at] ?? "").trim();
  }
  return values;
}
