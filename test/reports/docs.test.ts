import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { example } from "./example.js";

const page = readFileSync(fileURLToPath(new URL("../../docs/reports.md", import.meta.url)), "utf8");

/** The example region of example.ts, with the package's import paths. */
function exampleSource(): string {
  const text = readFileSync(fileURLToPath(new URL("./example.ts", import.meta.url)), "utf8");
  const region = /\/\/ #region example\n([\s\S]*?)\/\/ #endregion example/.exec(text)?.[1];
  if (region === undefined) throw new Error("example.ts has no example region");
  return region
    .replaceAll('"../../src/presets/index.js"', '"kesu/presets"')
    .replaceAll('"../../src/reports/index.js"', '"kesu/reports"')
    .replaceAll('"../../src/index.js"', '"kesu"');
}

describe("docs/reports.md", () => {
  it("shows the example that the tests run", () => {
    expect(page).toContain(`\`\`\`ts\n${exampleSource()}\`\`\``);
  });

  it("R-34 the example builds February's report with its one complaint", async () => {
    const { total, table, csv, html } = await example();
    expect(total).toBe(1);
    expect(table).toContain("Delivery 卷烟配送");
    const records: string[][] = parse(csv, { bom: true });
    expect(records.find((r) => r[0] === "category" && r[1] === "delivery" && r[3] === "count")?.[4]).toBe(
      "1",
    );
    expect(html.includes('id="pareto"')).toBe(true);
  });

  it("names every dashboard chart and every figure of the report", () => {
    for (const id of ["volume", "sla", "pareto", "matrix", "satisfaction"])
      expect(page).toContain(`\`${id}\``);
    for (const figure of [
      "byCategory",
      "validity",
      "onTime",
      "handlingTime",
      "satisfaction",
      "reopens",
      "escalations",
      "statistics",
      "recurrence",
      "matrix",
      "annual",
      "expectations",
    ])
      expect(page).toContain(`\`${figure}\``);
  });
});
