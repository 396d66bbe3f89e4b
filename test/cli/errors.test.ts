import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ensureBuiltCopy } from "../support/build.js";
import { kesu, scratchDir } from "./run.js";

// Each test runs the binary several times; a loaded machine needs more than the default 30 s.
vi.setConfig({ testTimeout: 120_000 });

/** Every failure is one line on stderr naming the problem, a non-zero exit code, nothing written. */

const oneLine = (text: string) => text.trim().split("\n").length === 1;

describe("kesu errors and help", () => {
  let dir = "";
  let db = "";
  const run = (...args: string[]) => kesu(["--db", db, ...args], { cwd: dir });

  beforeAll(async () => {
    await ensureBuiltCopy();
    dir = scratchDir("errors");
    db = join(dir, "kesu.db");
    await kesu(["--db", db, "init", "--preset", "retail"]);
  }, 300_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("malformed JSON for cmd: exit 2, one line, nothing appended", async () => {
    const r = await run("cmd", '{"type": "ReceiveComplaint",');
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toBe(true);
    expect(r.stderr).toMatch(/^kesu: malformed JSON: /);
    expect((await run("list", "--json")).stdout.trim()).toBe("[]");
  });

  it("a command that does not match its schema is a command/invalid rejection naming the field", async () => {
    const r = await run(
      "cmd",
      JSON.stringify({
        type: "ReceiveComplaint",
        channel: "pigeon",
        complainant: { id: "c" },
        description: "x",
      }),
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^rejected command\/invalid: invalid command: channel: /);
    expect(oneLine(r.stderr)).toBe(true);
  });

  it("an unknown case: exit 2, one line", async () => {
    for (const args of [
      ["show", "RT20250101-999"],
      ["close", "01ARZ3NDEKTSV4RRFFQ69G5FAV"],
      ["cmd", '{"type":"AcceptResolution"}', "--case", "nope"],
    ]) {
      const r = await run(...args);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^kesu: unknown case "/);
      expect(oneLine(r.stderr)).toBe(true);
    }
  });

  it("R-11 a business rejection: exit 1 and `rejected <code>: <message>`", async () => {
    const received = await run(
      "receive",
      "--channel",
      "walk-in",
      "--description",
      "价格不符",
      "--at",
      "2025-10-09T10:00:00+08:00",
    );
    const caseNumber = /RT\d{8}-\d{3}/.exec(received.stdout)?.[0];
    expect(caseNumber).toBe("RT20251009-001");
    const r = await run("close", caseNumber!);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `rejected close/not-resolved: R-11 case ${caseNumber} has no resolution to close on\n`,
    );
  });

  it("an unknown preset: exit 2, and init creates no database", async () => {
    const fresh = join(dir, "never.db");
    const r = await kesu(["--db", fresh, "init", "--preset", "bank"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'kesu: unknown preset "bank"; known: retail, manufacturing, tobacco, property, usCfpb, generic\n',
    );
    expect(existsSync(fresh)).toBe(false);
    expect((await kesu(["presets", "bank"])).code).toBe(2);
  });

  it("a database that is missing or not initialised: exit 3, nothing created", async () => {
    const missing = join(dir, "missing.db");
    const r = await kesu(["--db", missing, "list"]);
    expect(r.code).toBe(3);
    expect(r.stderr).toBe(`kesu: no kesu database at ${missing}: run kesu init (or pass --db)\n`);
    expect(existsSync(missing)).toBe(false);
  });

  it("an unreachable PostgreSQL server: exit 3, one line naming it", async () => {
    const r = await kesu(["--pg", "postgres://kesu:secret@127.0.0.1:1/x", "list"]);
    expect(r.code).toBe(3);
    expect(oneLine(r.stderr)).toBe(true);
    expect(r.stderr).toMatch(
      /^kesu: database unreachable: PostgreSQL postgres:\/\/kesu:\*\*\*@127\.0\.0\.1:1\/x/,
    );
    expect(r.stderr).not.toContain("secret");
  });

  it("usage errors (unknown option, missing flag, bad --as, both --db and --pg): exit 2", async () => {
    for (const args of [
      ["list", "--colour"],
      ["receive", "--channel", "phone"],
      ["--as", "nobody", "list"],
      ["--pg", "postgres://x/y", "list"],
      ["report", "--month", "2025-13"],
    ]) {
      const r = await run(...args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr).not.toBe("");
    }
  });

  it("--help on every command", async () => {
    const top = await kesu(["--help"]);
    expect(top.code).toBe(0);
    const commands = [...top.stdout.matchAll(/^ {2}([a-z]+) /gm)]
      .map((m) => m[1]!)
      .filter((c) => c !== "help");
    expect(commands).toEqual(
      expect.arrayContaining([
        "init",
        "receive",
        "cmd",
        "show",
        "list",
        "sla",
        "watch",
        "report",
        "rebuild",
        "presets",
      ]),
    );
    for (const command of commands) {
      const r = await kesu([command, "--help"]);
      expect(r.code, command).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^Usage: kesu ${command}`));
      expect(r.stdout).toContain("--db <path>");
    }
  });

  it("sla, watch --once and rebuild run on a small register", async () => {
    const sla = await run("sla", "--at", "2025-10-20T10:00:00+08:00");
    expect(sla.code).toBe(0);
    // Retail: a simple complaint is answered within 24 hours (000:403); this one never was.
    expect(sla.stdout).toMatch(/RT20251009-001\s+resolution\s+breached/);
    const watch = await run("watch", "--once", "--at", "2025-10-20T10:00:00+08:00");
    expect(watch.code).toBe(0);
    expect(watch.stdout).toMatch(/RT20251009-001 {2}resolution breached.*escalated/);
    const again = await run("watch", "--once", "--at", "2025-10-20T10:05:00+08:00");
    expect(again.stdout).not.toMatch(/: escalated/);
    const rebuild = await run("rebuild", "--json");
    expect(JSON.parse(rebuild.stdout)).toMatchObject({ cases: 1 });
  });
});
