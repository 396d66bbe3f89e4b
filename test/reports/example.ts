// The example of docs/reports.md: the text between the region markers is copied into the page
// (with the package's import paths), and the docs test runs it.
// #region example
import {
  type ComplaintId,
  calendars,
  createMemoryComplaintList,
  createMemoryStore,
  createProjectionRunner,
  fixedClock,
  handle,
  ulidGenerator,
} from "../../src/index.js";
import { tobacco } from "../../src/presets/index.js";
import { buildReport, formatReport, renderDashboard } from "../../src/reports/index.js";

export async function example() {
  const calendar = calendars.chinaMainland();
  const store = createMemoryStore();
  const clock = fixedClock("2026-02-02T02:00:00.000Z"); // Monday 10:00 in Shanghai
  const ids = ulidGenerator({ clock, seed: 1 });
  const actor = { id: "clerk-1", role: "staff", unit: "marketing" };
  const ctx = { clock, ids, policy: tobacco, calendar, actor };
  const id = ids.next() as ComplaintId;
  await handle(
    store,
    id,
    {
      type: "ReceiveComplaint",
      channel: "hotline",
      complainant: { id: "retailer-1" },
      description: "配送延误",
    },
    ctx,
  );
  await handle(store, id, { type: "ClassifyComplaint", kind: "complaint", category: "delivery" }, ctx);

  // Reports read the complaint list (the projection), never the event streams.
  const list = createMemoryComplaintList({ sla: { policy: tobacco, calendar } });
  await createProjectionRunner({ store, ...list }).catchUp();
  const { rows } = await list.query({ limit: 100_000 }); // the default page is 50 rows

  const report = buildReport(rows, { period: { month: "2026-02" }, policy: tobacco, calendar });
  const table = formatReport(report, "table"); // for a terminal or a printout
  const csv = formatReport(report, "csv", { bom: true }); // for a spreadsheet
  const html = renderDashboard(report); // one file that opens without a network
  return { total: report.total, table, csv, html };
}
// #endregion example
