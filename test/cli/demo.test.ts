import { execFile } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBuiltCopy, root } from "../support/build.js";
import { kesu, scratchDir } from "./run.js";

/** `npm run demo` (examples/demo.ts through tsx, no build needed) in a temporary working directory. */

const exec = promisify(execFile);
const tsx = join(root, "node_modules", ".bin", "tsx");
const demo = join(root, "examples", "demo.ts");

async function runDemo(cwd: string, ...args: string[]) {
  const { stdout } = await exec(tsx, [demo, "--seed", "7", "--cases", "150", ...args], {
    cwd,
    encoding: "utf8",
    timeout: 180_000,
  });
  return stdout;
}

describe("the demo", () => {
  const dirs = [scratchDir("demo-a"), scratchDir("demo-b")];
  let outputs: string[] = [];

  beforeAll(async () => {
    outputs = await Promise.all(dirs.map((dir) => runDemo(dir)));
  }, 300_000);
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it("is deterministic for a seed: two runs print the same summary", () => {
    expect(outputs[0]).toBe(outputs[1]);
    expect(outputs[0]).toContain("kesu demo · preset tobacco");
    expect(outputs[0]).toMatch(/received {5}150: complaint \d+, inquiry \d+, suggestion \d+/);
    expect(outputs[0]).not.toContain("UNEXPECTED");
  });

  it("leaves the database and the HTML report in the working directory", () => {
    for (const dir of dirs) {
      expect(existsSync(join(dir, "kesu-demo.db"))).toBe(true);
      expect(readFileSync(join(dir, "kesu-demo-report.html"), "utf8")).toMatch(/^<!doctype html>/i);
    }
  });

  it("leaves a database the CLI can read", async () => {
    await ensureBuiltCopy();
    const r = await kesu(["--db", join(dirs[0]!, "kesu-demo.db"), "list", "--json"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toHaveLength(150);
  }, 300_000);
});
