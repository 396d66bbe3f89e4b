import { rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type CliIo, EXIT, main } from "../../src/cli/main.js";
import { scratchDir } from "./run.js";

/** `main(argv, io)` in-process: the same program as the binary, output captured. */

function capture(stdin = ""): CliIo & { out: () => string; err: () => string } {
  let out = "";
  let err = "";
  return {
    stdout: { write: (text: string) => (out += text) },
    stderr: { write: (text: string) => (err += text) },
    env: {},
    readStdin: async () => stdin,
    out: () => out,
    err: () => err,
  };
}

describe("main(argv, io)", () => {
  const dir = scratchDir("main");
  const db = join(dir, "kesu.db");
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("resolves with the exit code and writes through io", async () => {
    const io = capture();
    expect(await main(["presets"], io)).toBe(EXIT.ok);
    expect(io.out()).toMatch(/^preset\s+policy\s+calendar\s+name\n/);
    expect(io.out()).toContain("usCfpb         us-cfpb@1");
  });

  it("R-16 an inquiry settled on the spot (R-04) closes as answered", async () => {
    const io = capture();
    expect(await main(["--db", db, "init", "--preset", "generic"], io)).toBe(EXIT.ok);
    const receive = capture();
    const args = ["--db", db, "--as", "li.na:staff:service", "--json"];
    await main(
      [
        ...args,
        "receive",
        "--channel",
        "walk-in",
        "--description",
        "办证需要哪些材料",
        "--at",
        "2025-10-09T10:00:00+08:00",
      ],
      receive,
    );
    const received = JSON.parse(receive.out()) as { data: { caseNumber: string; personalData: null } };
    // generic: {yyyy}{mm}{dd}-{serial:4}; anonymous without --complainant.
    expect(received.data).toMatchObject({ caseNumber: "20251009-0001", personalData: null });
    const settle = capture();
    const code = await main(
      [
        ...args,
        "resolve",
        "20251009-0001",
        "--on-the-spot",
        "--kind",
        "inquiry",
        "--category",
        "service-content",
        "--remedy",
        "answer",
        "--description",
        "当场告知所需材料",
        "--at",
        "2025-10-09T10:05:00+08:00",
      ],
      settle,
    );
    expect(code).toBe(EXIT.ok);
    const types = settle
      .out()
      .trim()
      .split("\n")
      .map((l) => (JSON.parse(l) as { type: string; data: { outcome?: string } }).type);
    expect(types).toEqual([
      "ComplaintClassified",
      "ComplaintResolved",
      "ResolutionAccepted",
      "ComplaintClosed",
    ]);
  });

  it("cmd reads the command from stdin; malformed JSON is exit 2 with one line", async () => {
    const io = capture("{ not json");
    expect(await main(["--db", db, "cmd", "-"], io)).toBe(EXIT.usage);
    expect(io.err()).toMatch(/^kesu: malformed JSON: [^\n]*\n$/);
    expect(io.out()).toBe("");
  });

  it("R-12 a closed case accepts only a reopen", async () => {
    const io = capture();
    expect(await main(["--db", db, "assign", "20251009-0001", "--to", "qa"], io)).toBe(EXIT.rejected);
    expect(io.err()).toBe(
      "rejected complaint/closed: R-11 case 20251009-0001 is closed; only a reopen is accepted\n",
    );
  });
});
