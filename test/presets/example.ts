// The example of docs/presets.md: the text between the region markers is copied into the page
// (with the package's import paths), and the docs test runs it.
// #region example
import {
  type ComplaintId,
  calendars,
  createMemoryStore,
  evaluateSla,
  fixedClock,
  handle,
  ulidGenerator,
} from "../../src/index.js";
import { extendPreset, tobacco } from "../../src/presets/index.js";

// A bureau that also takes e-cigarette complaints, as major ones, and answers faster.
const policy = extendPreset(tobacco, {
  id: "tobacco-guizhou",
  version: "1",
  categories: [{ id: "e-cigarette", label: "E-cigarettes 电子烟", routeTo: "monopoly-administration" }],
  severityRules: [{ id: "e-cigarette-is-major", severity: "major", when: { categories: ["e-cigarette"] } }],
  clocks: [
    {
      id: "handling",
      targets: [
        { severity: "major", target: { amount: 2, unit: "working-days" } },
        { target: { amount: 5, unit: "working-days" } },
      ],
    },
  ],
});

export async function example(): Promise<string[]> {
  const calendar = calendars.chinaMainland();
  const store = createMemoryStore();
  const clock = fixedClock("2025-09-30T08:00:00.000Z"); // Tuesday 16:00 in Shanghai
  const ids = ulidGenerator({ clock, seed: 1 });
  const ctx = { clock, ids, policy, calendar, actor: { id: "clerk-1", role: "staff", unit: "marketing" } };
  const id = ids.next() as ComplaintId;
  await handle(
    store,
    id,
    {
      type: "ReceiveComplaint",
      channel: "walk-in",
      complainant: { id: "c-9" },
      description: "无证销售电子烟",
    },
    ctx,
  );
  await handle(store, id, { type: "ClassifyComplaint", kind: "complaint", category: "e-cigarette" }, ctx);
  const sla = evaluateSla(await store.readStream(id), policy, calendar, clock.now());
  // National Day (10-01..10-08) is skipped: handling is due Friday 10-10 18:00.
  return sla.clocks.map((c) => `${c.clockId}: ${c.status}, due ${c.dueAt ?? "-"}`);
}
// #endregion example
