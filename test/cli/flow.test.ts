import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ensureBuiltCopy } from "../support/build.js";
import { kesu, scratchDir } from "./run.js";

// Each test runs the binary several times; a loaded machine needs more than the default 30 s.
vi.setConfig({ testTimeout: 120_000 });

/**
 * The built `kesu` binary through a whole tobacco case (五不放过 closure), on SQLite and, when
 * KESU_PG_URL is set, on PostgreSQL in a schema of its own.
 */

const desk = ["--as", "wang.li:staff:service-desk"];
const qa = ["--as", "zhao.min:staff:marketing"];
const approver = "chen.jie:inspection-office:inspection";
// Local times in Asia/Shanghai. Tue 2025-09-30 is the last working day before the National Day
// holiday (10-01..10-08); Sat 10-11 is a 调休 working day.
const at = (local: string) => ["--at", `${local}+08:00`];

function lifecycle(label: string, target: () => string[], cwd: () => string) {
  let caseNumber = "";
  const run = (...args: string[]) => kesu([...target(), ...args], { cwd: cwd() });

  it(`${label}: init remembers the preset`, async () => {
    const r = await run("init", "--preset", "tobacco");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/with preset tobacco/);
  });

  it(`${label}: R-01 receive prints the event with the tobacco case number`, async () => {
    const r = await run(
      ...desk,
      "receive",
      "--channel",
      "hotline",
      "--complainant",
      "retailer-0831",
      "--name",
      "李先生",
      "--phone",
      "138-0000-0000",
      "--description",
      "整条卷烟受潮发霉",
      ...at("2025-09-30T10:00:00"),
    );
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines).toHaveLength(1);
    // YC{yyyy}{mm}{dd}-{serial:3}: the first case of the day.
    expect(lines[0]).toContain("ComplaintReceived  YC20250930-001 via hotline from retailer-0831");
    expect(r.stdout).not.toContain("李先生");
    caseNumber = "YC20250930-001";
  });

  it(`${label}: acknowledge, classify (R-18 quality is major), assign and accept the hand-over (R-06)`, async () => {
    const steps: [string[], string][] = [
      [
        [
          ...desk,
          "acknowledge",
          caseNumber,
          "--handler",
          "zhao.min@marketing",
          "--by",
          "2025-10-11T18:00:00+08:00",
          ...at("2025-09-30T10:20:00"),
        ],
        "ReceiptAcknowledged",
      ],
      [
        [...desk, "classify", caseNumber, "--category", "cigarette-quality", ...at("2025-09-30T10:25:00")],
        "complaint · cigarette-quality · major",
      ],
      [
        [...desk, "assign", caseNumber, "--to", "zhao.min@marketing", ...at("2025-09-30T10:30:00")],
        "ComplaintAssigned  to zhao.min@marketing",
      ],
      [[...qa, "accept", caseNumber, ...at("2025-09-30T10:40:00")], "AssignmentAccepted"],
      [
        [
          ...qa,
          "investigate",
          caseNumber,
          "--facts",
          "仓储湿度超标",
          "--validity",
          "valid",
          "--root-cause",
          "除湿机故障",
          "--responsible",
          "logistics",
          ...at("2025-10-09T15:00:00"),
        ],
        "ComplaintInvestigated  round 1: valid, cause found",
      ],
    ];
    for (const [args, expected] of steps) {
      const r = await run(...args);
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(expected);
    }
  });

  it(`${label}: R-27 a remedy beyond the handler's authority is refused in one line with exit code 1`, async () => {
    const r = await run(
      ...qa,
      "resolve",
      caseNumber,
      "--remedy",
      "exchange,apology",
      "--description",
      "整条换货",
      "--value",
      "260",
      ...at("2025-10-10T09:00:00"),
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    // The staff role may promise 200 CNY under the tobacco preset.
    expect(r.stderr).toBe(
      "rejected policy/authority-exceeded: R-27 a remedy of 260 CNY exceeds the authority of staff (200 CNY)\n",
    );
  });

  it(`${label}: cmd takes any command as JSON, from an argument or stdin`, async () => {
    const plan = {
      case: caseNumber,
      command: {
        type: "PlanCorrectiveAction",
        actionId: "capa-1",
        description: "更换除湿机",
        owner: { unit: "logistics" },
      },
    };
    let r = await run(...qa, "cmd", JSON.stringify(plan), ...at("2025-10-09T16:00:00"));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("CorrectiveActionPlanned  capa-1 owner logistics");
    r = await kesu([...target(), ...qa, "cmd", "-", "--case", caseNumber], {
      cwd: cwd(),
      stdin: JSON.stringify({
        type: "RecordAccountability",
        responsible: { unit: "logistics" },
        measure: "通报批评",
        occurredAt: "2025-10-09T08:30:00.000Z",
      }),
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("AccountabilityRecorded  logistics");
  });

  it(`${label}: approved remedy, acceptance, revisit, verified action and the 五不放过 close (R-30)`, async () => {
    const steps: [string[], string][] = [
      [
        [
          ...qa,
          "resolve",
          caseNumber,
          "--remedy",
          "exchange,apology",
          "--description",
          "整条换货",
          "--value",
          "260",
          "--approved-by",
          approver,
          ...at("2025-10-10T09:30:00"),
        ],
        "ComplaintResolved  round 1: exchange+apology 260 CNY",
      ],
      [
        [...desk, "resolve", caseNumber, "--accepted", ...at("2025-10-10T11:00:00")],
        "ResolutionAccepted  round 1",
      ],
      [
        [...desk, "revisit", caseNumber, "--satisfaction", "90", "--confirmed", ...at("2025-10-13T10:00:00")],
        "ComplaintRevisited  satisfaction 90, complainant confirmed",
      ],
      [
        [
          ...qa,
          "cmd",
          JSON.stringify({
            case: caseNumber,
            command: { type: "RecordCorrectiveActionImplemented", actionId: "capa-1" },
          }),
          ...at("2025-10-14T10:00:00"),
        ],
        "CorrectiveActionImplemented",
      ],
      [
        [
          ...qa,
          "cmd",
          JSON.stringify({
            case: caseNumber,
            command: { type: "VerifyCorrectiveAction", actionId: "capa-1", effective: true },
          }),
          ...at("2025-10-15T10:00:00"),
        ],
        "CorrectiveActionVerified  capa-1 effective",
      ],
      [
        [
          ...desk,
          "close",
          caseNumber,
          "--staff-educated",
          "--summary",
          "已换货",
          ...at("2025-10-15T11:00:00"),
        ],
        "ComplaintClosed  resolved",
      ],
    ];
    for (const [args, expected] of steps) {
      const r = await run(...args);
      expect(r.stderr).toBe("");
      expect(r.stdout).toContain(expected);
    }
  });

  it(`${label}: R-36 show prints the timeline and every clock, personal data only when revealed`, async () => {
    const r = await run("show", caseNumber, ...at("2025-10-20T12:00:00"));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("name [redacted], phone [redacted]");
    expect(r.stdout).not.toContain("李先生");
    expect(r.stdout).toContain("v1  2025-09-30 10:00 +08:00  ComplaintReceived");
    expect(r.stdout).toContain("— zhao.min (staff, marketing)");
    // Major complaint: accepted within 1 calendar hour (10:00 → 11:00); answered within 3 working
    // days counted from the day after receipt: 10-09, 10-10 and the 调休 Saturday 10-11, 18:00.
    expect(r.stdout).toMatch(/acceptance\s+met\s+2025-09-30 11:00 \+08:00/);
    expect(r.stdout).toMatch(/handling\s+met\s+2025-10-11 18:00 \+08:00/);
    // Revisit: 5 working days after the answer (Fri 10-10): 10-11, 13, 14, 15, 16.
    expect(r.stdout).toMatch(/revisit\s+met\s+2025-10-16 18:00 \+08:00/);
    const revealed = await run("show", caseNumber, "--reveal-personal-data");
    expect(revealed.stdout).toContain("name 李先生, phone 138-0000-0000");
  });

  it(`${label}: list reads the register from the read model`, async () => {
    const csv = await run("list", "--format", "csv");
    expect(csv.code).toBe(0);
    const [header, row, ...rest] = csv.stdout.trim().split("\r\n");
    expect(rest).toEqual([]);
    expect(header?.split(",").slice(0, 3)).toEqual(["caseNumber", "stage", "kind"]);
    expect(row?.split(",").slice(0, 5)).toEqual([
      caseNumber,
      "closed",
      "complaint",
      "major",
      "cigarette-quality",
    ]);
    const open = await run("list", "--stage", "received,classified", "--json");
    expect(JSON.parse(open.stdout)).toEqual([]);
  });

  it(`${label}: report for the month of receipt, as JSON and as an HTML file`, async () => {
    const json = await run("report", "--month", "2025-09", "--format", "json");
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout) as { total: number; byKind: { key: string; count: number }[] };
    expect(report.total).toBe(1);
    expect(report.byKind).toContainEqual(expect.objectContaining({ key: "complaint", count: 1 }));
    const empty = JSON.parse((await run("report", "--month", "2025-10", "--json")).stdout) as {
      total: number;
    };
    expect(empty.total).toBe(0);
    const out = join(cwd(), "report.html");
    const html = await run("report", "--year", "2025", "--format", "html", "--out", out);
    expect(html.code).toBe(0);
    expect(readFileSync(out, "utf8")).toMatch(/^<!doctype html>/i);
  });
}

describe("the kesu binary on SQLite", () => {
  let dir = "";
  beforeAll(async () => {
    await ensureBuiltCopy();
    dir = scratchDir("cli");
  }, 300_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  lifecycle(
    "SQLite",
    () => ["--db", join(dir, "kesu.db")],
    () => dir,
  );

  it("SQLite: the default database is ./kesu.db", async () => {
    const here = scratchDir("default");
    expect((await kesu(["init"], { cwd: here })).code).toBe(0);
    expect(existsSync(join(here, "kesu.db"))).toBe(true);
    rmSync(here, { recursive: true, force: true });
  });
});

const url = process.env.KESU_PG_URL;

describe.skipIf(!url)("the kesu binary on PostgreSQL", () => {
  const schema = `kesu_cli_${randomBytes(5).toString("hex")}`;
  let dir = "";
  beforeAll(async () => {
    await ensureBuiltCopy();
    dir = scratchDir("cli-pg");
  }, 300_000);
  afterAll(async () => {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.end();
    rmSync(dir, { recursive: true, force: true });
  });

  lifecycle(
    "PostgreSQL",
    () => ["--pg", url!, "--pg-schema", schema],
    () => dir,
  );
});
