import type { ComplaintReport } from "./buildReport.js";
import { reportRecords, toCsv } from "./csv.js";
import { toTable } from "./table.js";

/** Output formats of {@link formatReport}. */
export type ReportFormat = "table" | "json" | "csv";

/** Options of {@link formatReport}. */
export interface FormatOptions {
  /**
   * CSV only: start with a UTF-8 byte-order mark, which spreadsheet programs need to read Chinese
   * labels as UTF-8 (default false: plain RFC 4180).
   */
  readonly bom?: boolean | undefined;
}

/**
 * A report as text:
 * - `"table"`: aligned columns with Chinese and English labels, for a terminal or a printout;
 * - `"json"`: the report object, indented; `JSON.parse` gives it back unchanged;
 * - `"csv"`: RFC 4180, one figure per line (`section,key,label,measure,value`), CRLF line ends.
 * @example
 * writeFileSync("2026-02.csv", formatReport(report, "csv", { bom: true }));
 */
export function formatReport(
  report: ComplaintReport,
  format: ReportFormat,
  options: FormatOptions = {},
): string {
  switch (format) {
    case "table":
      return toTable(report);
    case "json":
      return `${JSON.stringify(report, null, 2)}\n`;
    case "csv":
      return (options.bom ? "\ufeff" : "") + toCsv(reportRecords(report));
    default: {
      const never: never = format;
      throw new TypeError(`unknown report format ${String(never)}`);
    }
  }
}
