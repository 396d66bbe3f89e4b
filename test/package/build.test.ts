import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt, root } from "../support/build.js";

// The package is built (once for all test files), then plain ESM and CJS scripts inside the
// package folder import it by name (package self-reference through `exports`), exactly as a
// user's code would.
const scratch = join(root, "test-output", "package");

function run(file: string): string {
  return execFileSync(process.execPath, [file], { cwd: root, encoding: "utf8" });
}

const script = (load: string) => `${load}
const policy = kesu.defaultPolicy;
const clock = kesu.fixedClock("2026-10-09T02:00:00.000Z");
const ids = kesu.ulidGenerator({ clock, seed: 1 });
const store = kesu.createMemoryStore();
const id = kesu.complaintId(ids.next());
const ctx = { clock, ids, policy, actor: { id: "u", role: "staff", unit: "service" } };
const main = async () => {
  const r = await kesu.handle(store, id, { type: "ReceiveComplaint", channel: "phone", complainant: { id: "c" }, description: "卷烟质量问题" }, ctx);
  const due = kesu.calendars.chinaMainland().addWorkingDays(new Date("2025-09-30T10:00:00+08:00"), 1);
  const spec = testing.deciderSpec();
  console.log(JSON.stringify({ ok: r.ok, caseNumber: r.ok && r.state.caseNumber, due: due.toISOString(), spec: typeof spec.when }));
};
main();
`;

describe("the published package", () => {
  beforeAll(async () => {
    await ensureBuilt();
    rmSync(scratch, { recursive: true, force: true });
    mkdirSync(scratch, { recursive: true });
  }, 300_000);

  const expected = {
    ok: true,
    caseNumber: "2026-10-0001",
    // Received Tue 2025-09-30; 1 working day, the day itself not counted; 10-01..10-08 are the
    // National Day holiday, so the period ends Thu 10-09 at close of business 18:00 (10:00Z).
    due: "2025-10-09T10:00:00.000Z",
    spec: "function",
  };

  it("imports from a plain ESM script", () => {
    const file = join(scratch, "check.mjs");
    writeFileSync(file, script('import * as kesu from "kesu";\nimport * as testing from "kesu/testing";'));
    expect(JSON.parse(run(file))).toEqual(expected);
  });

  it("requires from a plain CJS script", () => {
    const file = join(scratch, "check.cjs");
    writeFileSync(file, script('const kesu = require("kesu");\nconst testing = require("kesu/testing");'));
    expect(JSON.parse(run(file))).toEqual(expected);
  });
});
