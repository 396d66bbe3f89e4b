/**
 * Import historical complaints from a CSV export, then print a month's report.
 *
 * `examples/data/cfpb-2013-09.csv` holds 40 real rows of the US CFPB Consumer Complaint Database
 * (received 30 August to 25 September 2013, copied from the public extract
 * CapitalPrince100/DatabaseClass `Consumer_Complaints.csv`; a US government work). They are
 * replayed under the `usCfpb` preset with `examples/cfpb-mapping.json`: each row becomes a stream
 * (received, classified, sent to the company, answered, closed or disputed), a complaint list
 * (台账) follows the store, and `kesu/reports` turns the list's rows into the monthly statistics.
 *
 * Run it: `npx tsx examples/importAndReport.ts [file.csv] [--month YYYY-MM]` (default: the sample
 * and the month most of its complaints were received in).
 */
import { createReadStream, readFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import {
  type ComplaintListRow,
  createMemoryComplaintList,
  createMemoryStore,
  createProjectionRunner,
  type Policy,
} from "kesu";
import { type ImportReport, importCsv, parseImportMapping } from "kesu/import";
import { usCfpb, usFederalCalendar } from "kesu/presets";
import { buildReport, type ComplaintReport, formatReport } from "kesu/reports";

/** The sample export shipped with the examples. */
export const SAMPLE_CSV = fileURLToPath(new URL("./data/cfpb-2013-09.csv", import.meta.url));
/** The mapping of CFPB exports onto the `usCfpb` preset. */
export const CFPB_MAPPING = fileURLToPath(new URL("./cfpb-mapping.json", import.meta.url));

/** What {@link importAndReport} did: the import's report, the month's report and the list's rows. */
export interface ImportAndReport {
  readonly imported: ImportReport;
  readonly month: string;
  readonly report: ComplaintReport;
  readonly rows: readonly ComplaintListRow[];
}

/** The month (`YYYY-MM`, in the policy's time zone) in which most rows were received. */
export function busiestMonth(rows: readonly ComplaintListRow[], policy: Policy): string {
  const monthOf = new Intl.DateTimeFormat("en-CA", {
    timeZone: policy.timeZone,
    year: "numeric",
    month: "2-digit",
  });
  const counts = new Map<string, number>();
  for (const row of rows) {
    const month = monthOf.format(new Date(row.receivedAt)); // "2013-09"
    counts.set(month, (counts.get(month) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? "";
}

/**
 * Imports `csv` (default: the sample) into a memory store under `usCfpb`, keeps a complaint list
 * of it, and builds the report of `month` (default: the busiest month) from the list's rows.
 */
export async function importAndReport(
  options: { csv?: string; month?: string } = {},
): Promise<ImportAndReport> {
  const policy = usCfpb;
  // The federal holiday data covers 2024-2026; the CFPB's clocks count calendar days, so older
  // dates may fall back to plain weekdays for the working-hour figures.
  const calendar = usFederalCalendar({ outOfRange: "weekdays" });
  const mapping = parseImportMapping(readFileSync(CFPB_MAPPING, "utf8"));
  const store = createMemoryStore();
  const imported = await importCsv({
    store,
    input: createReadStream(options.csv ?? SAMPLE_CSV), // streamed, not read whole
    mapping,
    policy,
    calendar,
  });

  // Reports read the complaint list, never the event streams: build it with its SLA settings.
  const list = createMemoryComplaintList({ sla: { policy, calendar } });
  await createProjectionRunner({ store, ...list }).catchUp();
  const { rows } = await list.query({ limit: 100_000 }); // the default page is 50 rows
  const month = options.month ?? busiestMonth(rows, policy);
  const report = buildReport(rows, { period: { month }, policy, calendar });
  await store.close();
  return { imported, month, report, rows };
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    options: { month: { type: "string" } },
    allowPositionals: true,
  });
  const { imported, report } = await importAndReport({
    ...(positionals[0] === undefined ? {} : { csv: positionals[0] }),
    ...(values.month === undefined ? {} : { month: values.month }),
  });
  console.log(
    `imported ${imported.imported} of ${imported.rows} rows (${imported.duplicates} duplicates, ` +
      `${imported.errors.length} errors, ${imported.sentBeforeReceived} sent the day before receipt)`,
  );
  for (const error of imported.errors) console.log(`  line ${error.line}: ${error.message}`);
  console.log();
  console.log(formatReport(report, "table"));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
