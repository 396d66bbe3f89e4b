import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBuiltCopy, root } from "../support/build.js";
import { kesu, scratchDir } from "./run.js";

/**
 * docs/cli.md runs as written: the `kesu` lines of its walkthrough sections, in order, in an empty
 * directory, each with the exit code the page gives it (`# exit 1`), else 0.
 */

const SECTIONS = [
  "Start a register",
  "Handle a case",
  "Read a case",
  "The register, deadlines and escalation",
  "Reports",
];

interface DocLine {
  readonly text: string;
  readonly args: string[];
  readonly stdin: string | undefined;
  readonly exit: number;
}

/** Splits a command line like a POSIX shell would for these examples: spaces, single quotes. */
function words(line: string): string[] {
  const out: string[] = [];
  for (const m of line.matchAll(/'([^']*)'|(\S+)/g)) out.push(m[1] ?? m[2]!);
  return out;
}

function docLines(markdown: string): DocLine[] {
  const lines: DocLine[] = [];
  for (const section of markdown.split(/^## /m)) {
    const title = section.slice(0, section.indexOf("\n"));
    if (!SECTIONS.includes(title)) continue;
    for (const block of section.matchAll(/```sh\n([\s\S]*?)```/g))
      for (const raw of block[1]!.split("\n")) {
        const [command = "", comment = ""] = raw.split(/\s+#\s+/);
        if (command.trim() === "") continue;
        const exit = Number(/exit (\d)/.exec(comment)?.[1] ?? 0);
        const piped = /^echo '([^']*)' \| (.*)$/.exec(command.trim());
        const [program, ...args] = words(piped ? piped[2]! : command);
        expect(program, raw).toBe("kesu");
        lines.push({ text: raw, args, stdin: piped?.[1], exit });
      }
  }
  return lines;
}

describe("docs/cli.md", () => {
  let dir = "";
  beforeAll(async () => {
    await ensureBuiltCopy();
    dir = scratchDir("docs");
  }, 300_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("every walkthrough line runs with the exit code the page gives it", async () => {
    const lines = docLines(readFileSync(join(root, "docs", "cli.md"), "utf8"));
    expect(lines.length).toBeGreaterThan(20);
    for (const line of lines) {
      const r = await kesu(line.args, { cwd: dir, stdin: line.stdin });
      expect({ line: line.text, code: r.code, stderr: r.stderr }).toEqual({
        line: line.text,
        code: line.exit,
        stderr: line.exit === 0 ? expect.not.stringContaining("kesu:") : expect.any(String),
      });
    }
    const shown = await kesu(["show", "YC20250930-001", "--at", "2025-10-20T12:00:00+08:00"], { cwd: dir });
    // The page's claim: answered by Saturday 11 October 18:00 (National Day holiday, then 调休).
    expect(shown.stdout).toMatch(/handling\s+met\s+2025-10-11 18:00 \+08:00/);
    expect(shown.stdout).toContain("ComplaintClosed  resolved");
  }, 300_000);
});
