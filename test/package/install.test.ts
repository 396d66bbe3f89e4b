import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type PackedPackage, packPackage } from "../support/pack.js";

// The tarball `npm publish` would upload, installed with npm into a new project outside the
// repository (so nothing resolves from the repository's node_modules), then used by a plain ESM
// script and a plain CJS script as an application would. Only the core and kesu/presets are
// used: the optional peers (better-sqlite3, pg) are not installed, which proves the core runs
// without them.

const run = promisify(execFile);

let packed: PackedPackage;
let app: string;

beforeAll(async () => {
  packed = await packPackage();
  app = mkdtempSync(join(tmpdir(), "kesu-app-"));
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: "kesu-app", private: true }));
  await run("npm", ["install", packed.tarball, "--no-audit", "--no-fund", "--prefer-offline"], {
    cwd: app,
    maxBuffer: 64 * 1024 * 1024,
  });
}, 600_000);

afterAll(() => {
  packed?.remove();
  if (app) rmSync(app, { recursive: true, force: true });
});

// Shared by both scripts; `kesu` and `presets` are bound by the module-system-specific header.
const body = `
const { calendars, createMemoryStore, evaluateSla, fixedClock, handle, ulidGenerator } = kesu;
const { tobacco } = presets;

const main = async () => {
  const clock = fixedClock("2025-09-30T08:00:00.000Z"); // Tuesday 16:00 in Shanghai
  const ids = ulidGenerator({ clock, seed: 7 });
  const store = createMemoryStore();
  const ctx = { clock, ids, policy: tobacco, actor: { id: "wang.li", role: "staff", unit: "service-desk" } };
  const id = kesu.complaintId(ids.next());

  const received = await handle(store, id, {
    type: "ReceiveComplaint", channel: "hotline", commandId: "call-0042",
    complainant: { id: "retailer-0831" }, description: "整条卷烟受潮发霉", request: "换货",
  }, ctx);
  const again = await handle(store, id, {
    type: "ReceiveComplaint", channel: "hotline", commandId: "call-0042",
    complainant: { id: "retailer-0831" }, description: "整条卷烟受潮发霉", request: "换货",
  }, ctx);
  const classified = await handle(store, id, { type: "ClassifyComplaint", kind: "complaint", category: "cigarette-quality" }, ctx);
  const refused = await handle(store, id, { type: "CloseComplaint" }, ctx);
  const events = await store.readStream(id);
  const sla = evaluateSla(events, tobacco, calendars.chinaMainland(), clock.now());

  console.log(JSON.stringify({
    caseNumber: received.ok ? received.state.caseNumber : null,
    retryAnswered: again.ok ? again.alreadyHandled : null,
    severity: classified.ok ? classified.state.classification.severity : null,
    refused: refused.ok ? null : refused.rejection.code,
    events: events.map((e) => e.type),
    clocks: Object.fromEntries(sla.clocks.map((c) => [c.clockId, c.status + " " + (c.dueAt ?? "-")])),
    oneWorkingDay: calendars.chinaMainland().addWorkingDays(new Date("2025-09-30T10:00:00+08:00"), 1).toISOString(),
  }));
};
main().catch((error) => { console.error(error); process.exit(1); });
`;

const expected = {
  // tobacco numbers cases YC + the receiving day in Shanghai + a daily serial.
  caseNumber: "YC20250930-001",
  // The retried intake (same commandId) is answered from the first one: one ComplaintReceived.
  retryAnswered: true,
  // tobacco: a cigarette-quality complaint is major (002:429-432).
  severity: "major",
  refused: "close/not-resolved",
  events: ["ComplaintReceived", "ComplaintClassified"],
  clocks: {
    // Received Tue 2025-09-30 16:00 Shanghai; a major case is accepted and owned within an hour.
    acceptance: "running 2025-09-30T09:00:00.000Z",
    ownership: "running 2025-09-30T09:00:00.000Z",
    // 3 working days after National Day (10-01..10-08): Thu 10-09, Fri 10-10 and Sat 10-11, a
    // 调休 make-up working day, closing at 18:00 Shanghai.
    handling: "running 2025-10-11T10:00:00.000Z",
    revisit: "not-started -",
  },
  oneWorkingDay: "2025-10-09T10:00:00.000Z",
};

describe("kesu installed from its tarball into a new project", () => {
  it("installs without the optional database drivers", () => {
    const installed = join(app, "node_modules");
    expect(JSON.parse(readFileSync(join(installed, "kesu", "package.json"), "utf8")).name).toBe("kesu");
    expect(existsSync(join(installed, "better-sqlite3"))).toBe(false);
    expect(existsSync(join(installed, "pg"))).toBe(false);
    // Only what `files` lists (and the licence npm always adds) is published: no sources, tests or docs.
    expect(packed.files.filter((f) => !f.startsWith("dist/")).sort()).toEqual([
      "LICENSE",
      "README.md",
      "package.json",
    ]);
  });

  it.each([
    ["ESM", "app.mjs", 'import * as kesu from "kesu";\nimport * as presets from "kesu/presets";'],
    ["CJS", "app.cjs", 'const kesu = require("kesu");\nconst presets = require("kesu/presets");'],
  ])("a %s script handles a complaint under a preset and judges its SLA", async (_, file, header) => {
    writeFileSync(join(app, file), `${header}\n${body}`);
    const { stdout } = await run(process.execPath, [file], { cwd: app });
    expect(JSON.parse(stdout)).toEqual(expected);
  });
});
