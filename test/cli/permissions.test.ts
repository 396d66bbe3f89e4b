import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { DEFAULT_CLI_PERMISSIONS, presetRoles } from "../../src/cli/permissions.js";
import { ensureBuiltCopy, root } from "../support/build.js";
import { kesu, scratchDir } from "./run.js";

// Each test runs the binary several times; a loaded machine needs more than the default 30 s.
vi.setConfig({ testTimeout: 120_000 });

/**
 * The CLI under a permission policy: `--permissions`, else `KESU_PERMISSIONS`, else the built-in
 * default. Commands go through `handle` with it; `--reveal-personal-data` needs a role that may
 * see personal data.
 */

const oneLine = (text: string) => text.trim().split("\n").length === 1;
const desk = ["--as", "wang.li:staff:service-desk"];
const auditor = ["--as", "lin.hua:auditor:internal-audit"];
const NAME = "李先生";
const PHONE = "138-0000-0000";
const CASE = "YC20250930-001";

describe("kesu permissions (R-36)", () => {
  let dir = "";
  let db = "";
  const run = (args: string[], env?: Record<string, string>) =>
    kesu(["--db", db, ...args], { cwd: dir, ...(env ? { env } : {}) });
  const file = (name: string, content: unknown) => {
    const path = join(dir, name);
    writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content));
    return path;
  };
  /** The number of events of the case, as a staff handler reads them. */
  const eventCount = async () => {
    const r = await run([...desk, "--json", "show", CASE]);
    expect(r.code).toBe(0);
    return (JSON.parse(r.stdout) as { events: unknown[] }).events.length;
  };

  beforeAll(async () => {
    await ensureBuiltCopy();
    dir = scratchDir("permissions");
    db = join(dir, "kesu.db");
    expect((await run(["init", "--preset", "tobacco"])).code).toBe(0);
    const received = await run([
      ...desk,
      "receive",
      "--channel",
      "hotline",
      "--complainant",
      "retailer-0831",
      "--name",
      NAME,
      "--phone",
      PHONE,
      "--description",
      "整条卷烟受潮发霉",
      "--at",
      "2025-09-30T10:00:00+08:00",
    ]);
    expect(received.stderr).toBe("");
    expect(received.stdout).toContain(CASE);
  }, 300_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("R-36 a staff handler reveals the complainant's personal data", async () => {
    const r = await run([...desk, "show", CASE, "--reveal-personal-data"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`name ${NAME}, phone ${PHONE}`);
    const json = await run([...desk, "--json", "show", CASE, "--reveal-personal-data"]);
    expect(json.code).toBe(0);
    const doc = JSON.parse(json.stdout) as { complainant: { personalData: unknown } };
    expect(doc.complainant.personalData).toEqual({ name: NAME, phone: PHONE });
  });

  it("R-36 an auditor, or a role the policy does not list, is refused --reveal-personal-data and sees nothing of the case", async () => {
    for (const as of [auditor, ["--as", "guest:visitor:lobby"]]) {
      const role = as[1]!.split(":")[1]!;
      const r = await run([...as, "show", CASE, "--reveal-personal-data"]);
      expect(r.code, role).toBe(1);
      expect(r.stdout).toBe("");
      expect(oneLine(r.stderr)).toBe(true);
      expect(r.stderr).toBe(
        `rejected permission/denied: R-36 role "${role}" may not see personal data (permission policy kesu-cli-default@1)\n`,
      );
      const json = await run([...as, "--json", "show", CASE, "--reveal-personal-data"]);
      expect(json.code).toBe(1);
      expect(JSON.parse(json.stdout)).toEqual({
        rejected: { code: "permission/denied", message: expect.stringContaining("R-36") },
      });
      for (const text of [json.stdout, json.stderr]) {
        expect(text).not.toContain(NAME);
        expect(text).not.toContain(CASE);
      }
    }
    // KESU_ACTOR is checked the same way as --as.
    const fromEnv = await run(["show", CASE, "--reveal-personal-data"], {
      KESU_ACTOR: "lin.hua:auditor:internal-audit",
    });
    expect(fromEnv.code).toBe(1);
    expect(fromEnv.stdout).toBe("");
  });

  it("R-36 without --reveal-personal-data, show stays redacted for every role", async () => {
    for (const as of [desk, auditor]) {
      const r = await run([...as, "show", CASE]);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain("name [redacted], phone [redacted]");
      const json = await run([...as, "--json", "show", CASE]);
      expect(json.code).toBe(0);
      for (const text of [r.stdout, json.stdout]) {
        expect(text).not.toContain(NAME);
        expect(text).not.toContain(PHONE);
      }
    }
  });

  it("R-36 list (table, json, csv) and report print no personal data, even to a handler", async () => {
    for (const args of [
      ["list"],
      ["list", "--format", "csv"],
      ["--json", "list"],
      ["report", "--month", "2025-09", "--format", "json"],
      ["report", "--month", "2025-09", "--format", "csv"],
    ]) {
      const r = await run([...desk, ...args]);
      expect(r.code, args.join(" ")).toBe(0);
      expect(r.stdout.length).toBeGreaterThan(0);
      expect(r.stdout, args.join(" ")).not.toContain(NAME);
      expect(r.stdout, args.join(" ")).not.toContain(PHONE);
    }
    expect((await run([...desk, "list", "--format", "csv"])).stdout).toContain(CASE);
  });

  it("R-36 under the default policy an auditor issues no command: permission/denied, nothing appended", async () => {
    const before = await eventCount();
    const r = await run([...auditor, "classify", CASE, "--category", "cigarette-quality"]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(
      'rejected permission/denied: role "auditor" may not issue ClassifyComplaint (permission policy kesu-cli-default@1)\n',
    );
    expect(await eventCount()).toBe(before);
  });

  it("R-36 a permissions file that denies a command makes it a permission/denied rejection with nothing appended", async () => {
    const policy = file("desk-only.json", {
      id: "desk-only",
      version: "2",
      roles: { staff: { commands: ["ReceiveComplaint", "ReportProgress"], personalData: false } },
    });
    const before = await eventCount();
    const r = await run([
      "--permissions",
      policy,
      ...desk,
      "classify",
      CASE,
      "--category",
      "cigarette-quality",
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(
      'rejected permission/denied: role "staff" may not issue ClassifyComplaint (permission policy desk-only@2)\n',
    );
    expect(await eventCount()).toBe(before);

    // The same file through KESU_PERMISSIONS: the command a role may issue still runs, and this
    // policy does not let staff see personal data.
    const env = { KESU_PERMISSIONS: policy };
    const allowed = await run(
      [
        ...desk,
        "cmd",
        JSON.stringify({ type: "ReportProgress", message: "已联系客户", channel: "phone" }),
        "--case",
        CASE,
      ],
      env,
    );
    expect(allowed.code).toBe(0);
    expect(allowed.stdout).toContain("ProgressReported");
    expect(await eventCount()).toBe(before + 1);
    const reveal = await run([...desk, "show", CASE, "--reveal-personal-data"], env);
    expect(reveal.code).toBe(1);
    expect(reveal.stdout).toBe("");
    expect(reveal.stderr).toMatch(/^rejected permission\/denied: R-36 role "staff" .*desk-only@2\)\n$/);

    // --permissions wins over KESU_PERMISSIONS.
    const open = file("open.json", {
      id: "open",
      version: "1",
      roles: { staff: { commands: "*", personalData: true } },
    });
    const revealed = await run(["--permissions", open, ...desk, "show", CASE, "--reveal-personal-data"], env);
    expect(revealed.code).toBe(0);
    expect(revealed.stdout).toContain(`name ${NAME}`);
  });

  it("R-36 a bad permissions file is a usage error naming the file and the field: exit 2, nothing opened or written", async () => {
    const missing = join(dir, "missing.json");
    const malformed = file("malformed.json", '{ "id": "x", ');
    const invalid = file("invalid.json", {
      id: "acme",
      version: "1",
      roles: { staff: { commands: "*", personalData: "yes" } },
    });
    const unknownCommand = file("unknown-command.json", {
      id: "acme",
      version: "1",
      roles: { staff: { commands: ["ShredComplaint"], personalData: true } },
    });
    const cases: [string[], Record<string, string> | undefined, RegExp][] = [
      [["--permissions", missing], undefined, /^kesu: cannot read the permissions file .*missing\.json: /],
      [
        ["--permissions", malformed],
        undefined,
        /^kesu: permissions file .*malformed\.json: malformed JSON: /,
      ],
      [
        ["--permissions", invalid],
        undefined,
        /^kesu: permissions file .*invalid\.json: roles\.staff\.personalData: /,
      ],
      [
        ["--permissions", unknownCommand],
        undefined,
        /^kesu: permissions file .*unknown-command\.json: roles\.staff\.commands\.0: /,
      ],
      [
        [],
        { KESU_PERMISSIONS: invalid },
        /^kesu: permissions file .*invalid\.json \(KESU_PERMISSIONS\): roles\.staff\.personalData: /,
      ],
    ];
    const before = await eventCount();
    for (const [args, env, message] of cases) {
      const receive = await run(
        [...args, ...desk, "receive", "--channel", "hotline", "--description", "x"],
        env,
      );
      expect(receive.code, receive.stderr).toBe(2);
      expect(oneLine(receive.stderr)).toBe(true);
      expect(receive.stderr).toMatch(message);
      expect(receive.stdout).toBe("");
      // Checked before the database is opened: a missing database is not the error reported.
      const fresh = join(dir, "never.db");
      for (const command of [["list"], ["init", "--preset", "retail"]]) {
        const r = await kesu(["--db", fresh, ...args, ...command], { cwd: dir, ...(env ? { env } : {}) });
        expect(r.code, command.join(" ")).toBe(2);
        expect(r.stderr).toMatch(message);
        expect(existsSync(fresh)).toBe(false);
      }
    }
    expect(await eventCount()).toBe(before);
    expect((JSON.parse((await run(["--json", "list"])).stdout) as unknown[]).length).toBe(1);
  });

  it("R-36 the default policy lets every role of the shipped presets handle cases, and docs/cli.md names them", () => {
    const cli = readFileSync(join(root, "docs", "cli.md"), "utf8");
    for (const role of presetRoles()) {
      expect(DEFAULT_CLI_PERMISSIONS.roles[role]).toEqual({ commands: "*", personalData: true });
      expect(cli, role).toContain(`\`${role}\``);
    }
    expect(DEFAULT_CLI_PERMISSIONS.roles.auditor).toEqual({ commands: [], personalData: false });
  });
});
