import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ensureBuiltCopy, root } from "../support/build.js";
import { kesu, scratchDir } from "./run.js";

// Each test runs the binary several times; a loaded machine needs more than the default 30 s.
vi.setConfig({ testTimeout: 120_000 });

/** `kesu import` of a small CFPB-layout CSV with one bad row, through examples/cfpb-mapping.json. */

const HEADER =
  "Date received,Product,Sub-product,Issue,Sub-issue,Consumer complaint narrative,Company public response,Company,State,ZIP code,Tags,Consumer consent provided?,Submitted via,Date sent to company,Company response to consumer,Timely response?,Consumer disputed?,Complaint ID";
const rows = [
  "2024-09-24,Debt collection,I do not know,Attempts to collect debt not owed,Debt is not yours,,,TRANSWORLD SYSTEMS INC,FL,335XX,,Consent provided,Web,2024-09-24,Closed with explanation,Yes,N/A,9384301",
  // Line 3: February has no 30th.
  "2024-02-30,Mortgage,Conventional home mortgage,Trouble during payment process,,,,BANK OF AMERICA,CA,900XX,,Consent provided,Phone,2024-03-01,Closed with monetary relief,Yes,N/A,9384302",
  '2024-09-25,Credit card,General-purpose credit card,Billing disputes,,"Charged twice, refund refused",,CITIBANK,NY,100XX,,Consent provided,Postal mail,2024-09-26,In progress,Yes,N/A,9384303',
];

describe("kesu import", () => {
  let dir = "";
  const mapping = join(root, "examples", "cfpb-mapping.json");
  const run = (...args: string[]) => kesu(["--db", join(dir, "kesu.db"), ...args], { cwd: dir });

  beforeAll(async () => {
    await ensureBuiltCopy();
    dir = scratchDir("import");
    writeFileSync(join(dir, "small.csv"), `${[HEADER, ...rows].join("\r\n")}\r\n`);
    expect((await run("init", "--preset", "usCfpb")).code).toBe(0);
  }, 300_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("keeps the good rows, reports the bad row by line, exits 1", async () => {
    const r = await run("import", "small.csv", "--map", mapping);
    expect(r.stdout).toBe("small.csv: 3 rows: 2 imported, 0 already present, 1 skipped\n");
    expect(r.stderr).toBe('line 3: Date received: "2024-02-30" matches none of the date formats\n');
    expect(r.code).toBe(1);
    const list = JSON.parse((await run("list", "--json")).stdout) as { caseNumber: string; stage: string }[];
    // Case numbers {yy}{mm}{dd}-{id:7} from the receipt date and the CFPB complaint id.
    expect(list.map((row) => [row.caseNumber, row.stage])).toEqual([
      ["240924-9384301", "closed"],
      ["240925-9384303", "classified"],
    ]);
  });

  it("a second import of the same file appends nothing", async () => {
    const r = await run("import", "small.csv", "--map", mapping, "--json");
    expect(JSON.parse(r.stdout)).toMatchObject({ rows: 3, imported: 0, duplicates: 2, skipped: 1 });
  });

  it("a CSV without the mapped header, a missing file or a bad mapping: one line, exit 2, nothing imported", async () => {
    writeFileSync(join(dir, "other.csv"), "name,value\r\na,1\r\n");
    writeFileSync(
      join(dir, "bad-mapping.json"),
      JSON.stringify({ version: 1, preset: "us-cfpb", colums: {} }),
    );
    for (const [file, map, message] of [
      ["other.csv", mapping, /^kesu: other\.csv: no header row names the columns /],
      ["missing.csv", mapping, /^kesu: cannot read missing\.csv: /],
      ["small.csv", join(dir, "bad-mapping.json"), /^kesu: .*bad-mapping\.json: invalid import mapping: /],
    ] as const) {
      const r = await run("import", file, "--map", map);
      expect(r.code, file).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
    }
    const list = JSON.parse((await run("list", "--json")).stdout) as unknown[];
    expect(list).toHaveLength(2);
  });
});
