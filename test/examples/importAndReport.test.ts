import { readFileSync } from "node:fs";
import { parse } from "csv-parse/sync";
import { beforeAll, describe, expect, it } from "vitest";
import { type ImportAndReport, importAndReport, SAMPLE_CSV } from "../../examples/importAndReport.js";
import { runExample } from "./runExample.js";

// Every figure is computed again here from the CSV itself, read the simple way (csv-parse with a
// header row), from the CFPB's own columns: no importer, no mapping file, no kesu.

type Row = Record<string, string>;
const rows = parse(readFileSync(SAMPLE_CSV, "utf8"), { columns: true }) as Row[];

/** Days since the epoch of an `M/D/YYYY` date. */
const day = (mdy: string) => {
  const [m, d, y] = mdy.split("/").map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d) / 86_400_000;
};
const september = rows.filter((r) => /^9\/\d+\/2013$/.test(r.date_received!));
const response = (r: Row) => r.company_response_to_consumer!;
const answered = (r: Row) => response(r).startsWith("Closed");
const relief = (r: Row) => /relief/.test(response(r)) && !/without relief/.test(response(r));
const disputed = (r: Row) => r["consumer_disputed?"] === "Yes";
/** Days from receipt to the hand-over (the answer is placed on that day); never below 0. */
const daysToAnswer = (r: Row) => Math.max(0, day(r.date_sent_to_company!) - day(r.date_received!));

const CHANNEL: Row = {
  Web: "online-form",
  Referral: "referral",
  Phone: "phone",
  "Postal mail": "letter",
  Fax: "fax",
  Email: "email",
};
const categoryOf = (r: Row) =>
  r.product === "Consumer Loan" && /^Vehicle (loan|lease)$/.test(r.sub_product!)
    ? "vehicle-loan"
    : ({
        "Credit reporting": "credit-reporting",
        "Debt collection": "debt-collection",
        Mortgage: "mortgage",
        "Bank account or service": "checking-savings",
        "Credit card": "credit-card",
        "Student loan": "student-loan",
        "Consumer Loan": "personal-loan",
        "Money transfers": "money-transfer",
      }[r.product!] ?? "other");

/** `{ key: count }` of the rows, keys sorted. */
function countBy(list: readonly Row[], key: (r: Row) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of list) counts[key(r)] = (counts[key(r)] ?? 0) + 1;
  return Object.fromEntries(Object.entries(counts).sort());
}
const nonZero = (lines: readonly { key: string; count: number }[]) =>
  Object.fromEntries(
    lines
      .filter((l) => l.count > 0)
      .map((l) => [l.key, l.count])
      .sort(),
  );

describe("examples/importAndReport.ts on examples/data/cfpb-2013-09.csv", () => {
  let result: ImportAndReport;
  beforeAll(async () => {
    result = await importAndReport();
  });

  it("the sample is what the example says: 40 real rows, most of them received in September 2013", () => {
    expect(rows).toHaveLength(40);
    expect(september.length).toBeGreaterThan(30);
    expect(result.month).toBe("2013-09");
  });

  it("R-33 every row becomes a complaint in the list; hand-overs dated before receipt are counted", () => {
    expect(result.imported).toMatchObject({ rows: 40, imported: 40, duplicates: 0, skipped: 0, errors: [] });
    expect(result.imported.sentBeforeReceived).toBe(
      rows.filter((r) => day(r.date_sent_to_company!) < day(r.date_received!)).length,
    );
    expect(result.rows).toHaveLength(40);
    expect(result.rows.map((r) => r.caseNumber).sort()).toEqual(
      rows.map((r) => `${formatYymmdd(r.date_received!)}-${r.complaint_id!.padStart(7, "0")}`).sort(),
    );
  });

  it("R-34 the month counts September's complaints only, by category and by channel", () => {
    const { report } = result;
    expect(report.total).toBe(september.length);
    expect(nonZero(report.byCategory)).toEqual(countBy(september, categoryOf));
    expect(nonZero(report.byChannel)).toEqual(countBy(september, (r) => CHANNEL[r.submitted_via!]!));
    const total = report.statistics.find((line) => line.key === "(total)")!;
    const closed = september.filter((r) => answered(r) && !disputed(r)).length;
    expect(total).toMatchObject({ received: september.length, complaints: september.length, closed });
    expect(total.open).toBe(september.length - closed);
    // Late: a clock met after its due instant; here the 15-day answer, given after day 15.
    expect(total.late).toBe(september.filter((r) => answered(r) && daysToAnswer(r) > 15).length);
  });

  it("R-15 validity follows the company's response: relief valid, explanation invalid, none undetermined", () => {
    expect(result.report.validity).toMatchObject({
      complaints: september.length,
      valid: september.filter(relief).length,
      invalid: september.filter((r) => answered(r) && !relief(r)).length,
      notEstablished: 0,
      undetermined: september.filter((r) => !answered(r)).length,
    });
    expect(result.report.validity.undetermined).toBeGreaterThan(0); // the untimely response
  });

  it("R-09 a disputed response is a rejected remedy and keeps the case open", () => {
    const disputes = september.filter(disputed).length;
    expect(disputes).toBeGreaterThan(0);
    expect(result.report.rejections).toEqual({ cases: disputes, rejections: disputes });
  });

  it("R-35 on-time rates of the 15-day and 60-day clocks match the dates in the CSV", () => {
    const clock = (id: string) => result.report.onTime.find((c) => c.clockId === id)!;
    const within = (days: number) => september.filter((r) => answered(r) && daysToAnswer(r) <= days).length;
    const late = (days: number) => september.filter((r) => answered(r) && daysToAnswer(r) > days).length;
    const unanswered = september.filter((r) => !answered(r)).length;
    expect(late(15)).toBeGreaterThan(0);
    expect(clock("company-response")).toMatchObject({
      met: within(15),
      metLate: late(15),
      breached: 0,
      pending: unanswered,
      onTimeRate: within(15) / (within(15) + late(15)),
    });
    expect(clock("final-response")).toMatchObject({
      met: within(60),
      metLate: late(60),
      pending: unanswered,
    });
  });

  it("runs as a script and prints the import and the month's table", async () => {
    const output = await runExample("importAndReport.ts");
    const sentEarly = rows.filter((r) => day(r.date_sent_to_company!) < day(r.date_received!)).length;
    expect(output.split("\n")[0]).toBe(
      `imported 40 of 40 rows (0 duplicates, 0 errors, ${sentEarly} sent the day before receipt)`,
    );
    expect(output).toContain("客户月投诉统计表 Monthly complaint statistics — 2013-09");
    expect(output).toMatch(new RegExp(`Received 受理总数 +${september.length}\\n`));
    const august = await runExample("importAndReport.ts", { args: ["--month", "2013-08"] });
    expect(august).toMatch(new RegExp(`Received 受理总数 +${rows.length - september.length}\\n`));
  });
});

/** `8/30/2013` → `130830`, the `{yy}{mm}{dd}` of the mapping's case numbers. */
function formatYymmdd(mdy: string): string {
  const [m, d, y] = mdy.split("/") as [string, string, string];
  return `${y.slice(2)}${m.padStart(2, "0")}${d.padStart(2, "0")}`;
}
