import type { Readable } from "node:stream";
import { fixedClock, ulidGenerator } from "../../src/domain/context.js";
import { type ImportReport, importCsv } from "../../src/importer/index.js";
import { usCfpb } from "../../src/presets/usCfpb.js";
import type { EventStore } from "../../src/stores/eventStore.js";
import { createMemoryStore } from "../../src/stores/memoryStore.js";
import { cfpbMapping, eventsByStream } from "./support.js";

/** The 18-column header of the CFPB exports. */
export const HEADER =
  "Date received,Product,Sub-product,Issue,Sub-issue,Consumer complaint narrative,Company public response,Company,State,ZIP code,Tags,Consumer consent provided?,Submitted via,Date sent to company,Company response to consumer,Timely response?,Consumer disputed?,Complaint ID";

/** The cells a test sets; the rest take plausible defaults. */
export interface Cells {
  received?: string;
  product?: string;
  narrative?: string;
  company?: string;
  tags?: string;
  via?: string;
  sent?: string;
  response?: string;
  timely?: string;
  disputed?: string;
  id?: string;
}

/** One CSV line in the CFPB layout; a cell holding a comma, quote or line break is quoted. */
export function line(c: Cells): string {
  const q = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return [
    c.received ?? "2019-09-24",
    c.product ?? "Debt collection",
    "I do not know",
    "Attempts to collect debt not owed",
    "Debt is not yours",
    c.narrative ?? "",
    "",
    c.company ?? "TRANSWORLD SYSTEMS INC",
    "FL",
    "335XX",
    c.tags ?? "",
    "Consent provided",
    c.via ?? "Web",
    c.sent ?? c.received ?? "2019-09-24",
    c.response ?? "Closed with explanation",
    c.timely ?? "Yes",
    c.disputed ?? "N/A",
    c.id ?? "",
  ]
    .map(q)
    .join(",");
}

/** CSV text with CRLF line ends. */
export const csv = (...lines: string[]) => `${lines.join("\r\n")}\r\n`;
export const mapping = cfpbMapping();

/** Imports into a (new) memory store with a fixed clock and seeded ids. */
export async function run(input: string | Buffer | Readable, store: EventStore = createMemoryStore()) {
  const report = await importCsv({
    store,
    input,
    mapping,
    policy: usCfpb,
    clock: fixedClock("2026-01-05T00:00:00.000Z"),
    ids: ulidGenerator({ seed: 1 }),
  });
  return { store, report, streams: [...(await eventsByStream(store)).values()] };
}

/** The four counts of a report. */
export const counts = (r: ImportReport) => ({
  rows: r.rows,
  imported: r.imported,
  duplicates: r.duplicates,
  skipped: r.skipped,
});
