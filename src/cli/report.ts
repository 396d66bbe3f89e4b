import { renameSync, rmSync, writeFileSync } from "node:fs";
import {
  buildReport,
  formatReport,
  isReportError,
  type ReportPeriod,
  renderDashboard,
} from "../reports/index.js";
import { CliError, type CliIo, EXIT, type ExitCode } from "./io.js";
import type { Session } from "./session.js";
import { calendarFor } from "./settings.js";

/** Output formats of `kesu report`. */
export const REPORT_FORMATS = ["table", "json", "csv", "html"] as const;
/** An output format of `kesu report`. */
export type ReportOutputFormat = (typeof REPORT_FORMATS)[number];

/** Options of `kesu report`. */
export interface ReportOptions {
  readonly month?: string | undefined;
  readonly year?: string | undefined;
  readonly format: ReportOutputFormat;
  readonly out?: string | undefined;
}

/** `--month YYYY-MM` or `--year YYYY` as a report period; exactly one of them. */
export function reportPeriod(o: Pick<ReportOptions, "month" | "year">): ReportPeriod {
  if ((o.month === undefined) === (o.year === undefined))
    throw new CliError("give --month YYYY-MM or --year YYYY");
  if (o.month !== undefined) {
    if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(o.month))
      throw new CliError(`--month ${JSON.stringify(o.month)} is not YYYY-MM`);
    return { month: o.month };
  }
  if (!/^\d{4}$/.test(o.year ?? "")) throw new CliError(`--year ${JSON.stringify(o.year)} is not YYYY`);
  return { year: Number(o.year) };
}

/** Writes a file whole or not at all: a temporary file beside it, then a rename. */
export function writeWhole(path: string, text: string): void {
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, text);
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw new CliError(`cannot write ${path}: ${(error as Error).message}`);
  }
}

/**
 * `kesu report`: the monthly statistics (客户月投诉统计表) or the annual report (年报表) from the
 * complaint list, as a table, JSON, CSV or a self-contained HTML dashboard.
 */
export async function runReport(io: CliIo, session: Session, o: ReportOptions): Promise<ExitCode> {
  const period = reportPeriod(o);
  const list = await session.complaintList();
  const { rows } = await list.query({ limit: Number.MAX_SAFE_INTEGER });
  let text: string;
  try {
    // Every row is also passed as history: month-over-month comparison and recurrence look back.
    const report = buildReport(rows, {
      period,
      policy: session.policy,
      calendar: calendarFor(session.policy),
      previous: rows,
    });
    text = o.format === "html" ? renderDashboard(report) : formatReport(report, o.format);
  } catch (error) {
    if (isReportError(error)) throw new CliError(error.message);
    throw error;
  }
  if (o.out === undefined) io.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
  else {
    writeWhole(o.out, text);
    io.stderr.write(`wrote ${o.out}\n`);
  }
  return EXIT.ok;
}
