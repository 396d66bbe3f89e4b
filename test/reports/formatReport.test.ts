import { parse } from "csv-parse/sync";
import { beforeAll, describe, expect, it } from "vitest";
import type { ComplaintListRow } from "../../src/index.js";
import { extendPreset } from "../../src/presets/index.js";
import {
  buildReport,
  type ComplaintReport,
  CSV_COLUMNS,
  formatReport,
  reportRecords,
} from "../../src/reports/index.js";
import { displayWidth } from "../../src/reports/table.js";
import { calendar, policy, seedHistory } from "./history.js";

let rows: ComplaintListRow[];
let month: ComplaintReport;
let year: ComplaintReport;

beforeAll(async () => {
  ({ rows } = await seedHistory());
  month = buildReport(rows, { period: { month: "2026-02" }, policy, calendar, previous: rows });
  year = buildReport(rows, { period: { year: 2026 }, policy, calendar });
});

describe("formatReport", () => {
  it("R-34 json round-trips the whole report, annual columns and expectation sections included", () => {
    for (const report of [month, year])
      expect(JSON.parse(formatReport(report, "json"))).toStrictEqual(report);
    expect(year.annual).not.toBeNull();
    expect(month.expectations).not.toBeNull();
  });

  it("R-34 csv is RFC 4180 and parses back to every figure", () => {
    const text = formatReport(year, "csv");
    expect(text.endsWith("\r\n")).toBe(true);
    expect(text.split("\r\n")[0]).toBe(CSV_COLUMNS.join(","));
    const parsed: string[][] = parse(text, { relax_column_count: false });
    const [header, ...body] = parsed;
    expect(header).toEqual([...CSV_COLUMNS]);
    const records = reportRecords(year);
    expect(body).toHaveLength(records.length);
    body.forEach((line, i) => {
      const r = records[i];
      expect(line.slice(0, 4)).toEqual([r?.section, r?.key, r?.label, r?.measure]);
      const value = r?.value ?? null;
      if (typeof value === "number") expect(Number(line[4])).toBeCloseTo(value, 4);
      else expect(line[4]).toBe(value ?? "");
    });
    // A few figures by name, as a spreadsheet would look them up.
    const find = (section: string, key: string, measure: string) =>
      body.find((l) => l[0] === section && l[1] === key && l[3] === measure)?.[4];
    expect(find("report", "total", "count")).toBe(String(rows.length));
    expect(find("annual", "received", "2026-02")).toBe("11");
    expect(find("handling-time", "p90", "working-hours")).toBe("31");
  });

  it("csv quotes commas, quotes and line breaks, and can start with a BOM for spreadsheets", () => {
    const odd = extendPreset(policy, {
      id: "tobacco-odd",
      version: "1",
      categories: [{ id: "odd", label: 'Odd, "quoted"\nlabel 奇怪' }],
    });
    const first = rows[0];
    if (!first) throw new Error("no rows");
    const report = buildReport([{ ...first, category: "odd" }], {
      period: { month: "2026-01" },
      policy: odd,
      calendar,
    });
    const text = formatReport(report, "csv", { bom: true });
    expect(text.startsWith("\ufeff")).toBe(true);
    expect(text).toContain('category,odd,"Odd, ""quoted""\nlabel 奇怪",count,1\r\n');
    const parsed: string[][] = parse(text, { bom: true });
    expect(parsed.find((l) => l[0] === "category" && l[1] === "odd" && l[3] === "count")?.[2]).toBe(
      'Odd, "quoted"\nlabel 奇怪',
    );
  });

  it("R-34 table: Chinese and English labels in columns aligned by display width", () => {
    const text = formatReport(month, "table");
    expect(text).toContain("客户月投诉统计表 Monthly complaint statistics — 2026-02");
    expect(text).toContain("Frequency × urgency 频次×紧急程度");
    expect(text).toContain("客户期望分析报告 Customer expectation analysis (002:447)");
    // In the "By kind" table numbers are right-aligned, so every line, header and rule included,
    // ends at the same display column although the labels mix Chinese and Latin letters.
    const lines = text.split("\n");
    const start = lines.indexOf("By kind 按类型");
    const table = lines.slice(start + 1, start + 7);
    expect(table[2]).toMatch(/^ {2}Complaint 投诉 +8 +72\.7%$/);
    expect(new Set(table.map(displayWidth)).size).toBe(1);
    expect(formatReport(year, "table")).toContain("Annual report 年报表 (001:9)");
  });
});
