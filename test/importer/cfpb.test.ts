import { createReadStream, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { fixedClock, ulidGenerator } from "../../src/domain/context.js";
import type { RecordedEvent } from "../../src/domain/events.js";
import { type ImportReport, importCsv, importCsvFiles } from "../../src/importer/index.js";
import { usCfpb, usFederalCalendar } from "../../src/presets/usCfpb.js";
import { evaluateSla } from "../../src/sla/evaluate.js";
import type { EventStore } from "../../src/stores/eventStore.js";
import { createMemoryStore } from "../../src/stores/memoryStore.js";
import { type CsvComplaint, type CsvFile, cfpbFileNames, dayOf, readCfpbFile, tally } from "./cfpbCsv.js";
import { brief, CFPB_AVAILABLE, CFPB_DIR, CFPB_SKIP_NOTE, cfpbMapping, eventsByStream } from "./support.js";

// The CFPB's "Submitted via" values and what a kesu channel calls them: the expectation's own table.
const CHANNEL_OF: Record<string, string> = {
  web: "online-form",
  "web referral": "referral",
  referral: "referral",
  phone: "phone",
  "postal mail": "letter",
  fax: "fax",
  email: "email",
};
const calendar = usFederalCalendar({ outOfRange: "weekdays" });
const typed = <T extends RecordedEvent["type"]>(events: readonly RecordedEvent[], type: T) =>
  events.find((e): e is Extract<RecordedEvent, { type: T }> => e.type === type);

describe.skipIf(!CFPB_AVAILABLE)(`all seven CFPB extracts into one memory store${CFPB_SKIP_NOTE}`, () => {
  let files: CsvFile[];
  let distinct: CsvComplaint[];
  let store: EventStore;
  let report: ImportReport;
  let streams: RecordedEvent[][];
  const byRef = (id: string) => streams.find((s) => typed(s, "ComplaintReceived")!.data.externalRef === id)!;

  beforeAll(async () => {
    files = cfpbFileNames().map(readCfpbFile);
    // De-duplicated by Complaint ID, first file wins; the file without IDs keeps every row.
    const seen = new Set<string>();
    distinct = files
      .flatMap((f) => f.complete)
      .filter((c) => c.id === undefined || (!seen.has(c.id) && seen.add(c.id)));
    store = createMemoryStore();
    report = await importCsvFiles({
      store,
      mapping: cfpbMapping(),
      policy: usCfpb,
      calendar,
      clock: fixedClock("2026-01-05T00:00:00.000Z"),
      ids: ulidGenerator({ seed: 7 }),
      files: files.map((f) => ({ name: f.name, input: createReadStream(join(CFPB_DIR, f.name)) })),
    });
    streams = [...(await eventsByStream(store)).values()];
  }, 600_000);

  it("imports every distinct complaint once: 23 528 of 23 765 rows, 236 shared rows, 1 truncated", () => {
    expect(files).toHaveLength(7);
    const rows = files.reduce((n, f) => n + f.records, 0);
    expect(rows).toBe(23_765);
    expect(distinct).toHaveLength(23_528);
    expect(report).toMatchObject({
      rows,
      imported: distinct.length,
      duplicates: 236,
      updated: 0,
      skipped: 1,
    });
    expect(streams).toHaveLength(distinct.length);
  });

  it("per file: rows, imported, duplicates of an earlier file, and errors", () => {
    const seen = new Set<string>();
    for (const f of files) {
      const dup = f.complete.filter((c) => c.id !== undefined && seen.has(c.id)).length;
      for (const c of f.complete) if (c.id) seen.add(c.id);
      expect(report.byFile![f.name], f.name).toMatchObject({
        rows: f.records,
        imported: f.complete.length - dup,
        duplicates: dup,
        skipped: f.truncatedLines.length,
      });
    }
  });

  it("docs/import.md states these per-file figures", () => {
    const lines = readFileSync(new URL("../../docs/import.md", import.meta.url), "utf8").split("\n");
    for (const [name, r] of Object.entries(report.byFile!)) {
      const row = lines.find((l) => l.startsWith(`| ${name.split("__")[0]} (`));
      expect(row, name).toBeDefined();
      const cells = row!.split("|").map((c) => Number(c.trim().replace(/,/g, "")));
      expect(cells.slice(3, 9), name).toEqual([
        r.headerLine,
        r.rows,
        r.imported,
        r.duplicates,
        r.errors.length,
        r.sentBeforeReceived,
      ]);
    }
  });

  it("the truncated last record is reported with its line number, the rest of its file kept", () => {
    const laksh = files.find((f) => f.name.startsWith("lakshlk0310"))!;
    expect(laksh.truncatedLines).toEqual([8341]);
    expect(report.byFile![laksh.name]!.errors).toEqual([
      { line: 8341, message: "truncated record: 13 fields, the header has 14" },
    ]);
    expect(report.errors).toEqual([{ line: 8341, message: expect.any(String), file: laksh.name }]);
  });

  it("counts by channel, outcome, timely flag, stage and dispute match the CSV rows", () => {
    const csvOutcome = (c: CsvComplaint) =>
      c.response === "Untimely response" ? "(no response)" : c.response;
    const storeOutcome = (s: RecordedEvent[]) =>
      typed(s, "ComplaintResolved")?.data.remedy.description ??
      typed(s, "ProgressReported")?.data.message ??
      "(no response)";
    const timelyTag = (s: RecordedEvent[]) =>
      typed(s, "ComplaintReceived")!.data.tags.find((t) => t.startsWith("timely-response:")) ?? "(none)";
    expect(tally(streams, (s) => typed(s, "ComplaintReceived")!.data.channel)).toEqual(
      tally(distinct, (c) => CHANNEL_OF[c.via.toLowerCase()] ?? `unmapped ${c.via}`),
    );
    expect(tally(streams, storeOutcome)).toEqual(tally(distinct, csvOutcome));
    expect(tally(streams, timelyTag)).toEqual(
      tally(distinct, (c) => (c.timely ? `timely-response:${c.timely.toLowerCase()}` : "(none)")),
    );
    const closed = (c: CsvComplaint) => c.response.startsWith("Closed") && c.disputed !== "Yes";
    expect(tally(streams, (s) => (typed(s, "ComplaintClosed") ? "closed" : "open"))).toEqual(
      tally(distinct, (c) => (closed(c) ? "closed" : "open")),
    );
    expect(streams.filter((s) => typed(s, "ResolutionRejected")).length).toBe(
      distinct.filter((c) => c.disputed === "Yes").length,
    );
  });

  it("the usCfpb company-response clock against the CFPB's timely flag: agreements and the two documented gaps", () => {
    const at = new Date("2024-06-01T00:00:00.000Z");
    const fromStore = tally(streams, (s) => {
      const clock = evaluateSla(s, usCfpb, calendar, at).clocks.find(
        (c) => c.clockId === "company-response",
      )!;
      const late = clock.status === "met-late" || clock.status === "breached";
      if (!late && clock.status !== "met") return `unexpected ${clock.status}`;
      const tag = typed(s, "ComplaintReceived")!.data.tags.find((t) => t.startsWith("timely-response:"));
      return `${late ? "late" : "met"}/${tag === "timely-response:yes" ? "yes" : "no"}`;
    });
    // Expected from the CSV: a recorded response (closed or in progress) is placed on the day sent
    // (or receipt, if sent earlier); the clock runs 15 calendar days from receipt to the end of
    // its last day. No response: the clock runs on and is breached.
    const fromCsv = tally(distinct, (c) => {
      const responded = c.response.startsWith("Closed") || c.response === "In progress";
      const late = !responded || dayOf(c.sent) - dayOf(c.received) > 15;
      return `${late ? "late" : "met"}/${c.timely.toLowerCase()}`;
    });
    expect(fromStore).toEqual(fromCsv);
    // Untimely responses always agree: no response on record, the clock breached, the flag No.
    const untimely = distinct.filter((c) => c.response === "Untimely response");
    expect(untimely.every((c) => c.timely === "No")).toBe(true);
    // The figures quoted in docs/import.md.
    expect(fromStore).toEqual({ "met/yes": 22_699, "late/yes": 458, "met/no": 192, "late/no": 179 });
  });

  it("R-09 a disputed 2013 row, event by event: explained, rejected, open in round 2", () => {
    // 8/30/2013 Mortgage, Referral, U.S. Bancorp, sent 9/3/2013, Closed with explanation, timely, disputed.
    const s = byRef("511074");
    expect(s.map(brief).map(({ type, at }) => [type, at])).toEqual([
      ["ComplaintReceived", "2013-08-30T13:00:00.000Z"],
      ["ComplaintClassified", "2013-08-30T13:00:00.000Z"],
      ["ComplaintAssigned", "2013-09-03T16:00:00.000Z"],
      ["ComplaintInvestigated", "2013-09-03T21:00:00.000Z"],
      ["ComplaintResolved", "2013-09-03T21:00:00.000Z"],
      ["ResolutionRejected", "2013-09-03T21:00:00.000Z"],
    ]);
    expect(typed(s, "ComplaintReceived")!.data).toMatchObject({
      caseNumber: "130830-0511074",
      channel: "referral",
      complainedAbout: { unit: "U.S. Bancorp" },
      tags: ["timely-response:yes"],
    });
    expect(typed(s, "ComplaintClassified")!.data.category).toBe("mortgage");
    expect(typed(s, "ComplaintInvestigated")!.data.findings.validity).toBe("invalid");
  });

  it("an In progress 2014 row, event by event: received, sent, progress reported, still open", () => {
    // 11/13/2014 Debt collection, Web, Expert Global Solutions, sent the same day, In progress.
    const s = byRef("1114488");
    expect(s.map((e) => [e.type, e.occurredAt])).toEqual([
      ["ComplaintReceived", "2014-11-13T14:00:00.000Z"],
      ["ComplaintClassified", "2014-11-13T14:00:00.000Z"],
      ["ComplaintAssigned", "2014-11-13T17:00:00.000Z"],
      ["ProgressReported", "2014-11-13T22:00:00.000Z"],
    ]);
    expect(typed(s, "ProgressReported")!.data).toEqual({ message: "In progress", channel: "online-form" });
  });

  it("a 2013 row sent the day before it was received: the hand-over moved to the receipt", () => {
    // 8/31/2013 Credit reporting, Web, Experian, sent 8/30/2013, non-monetary relief, not disputed.
    const s = byRef("510042");
    expect(s.map((e) => [e.type, e.occurredAt])).toEqual([
      ["ComplaintReceived", "2013-08-31T13:00:00.000Z"],
      ["ComplaintClassified", "2013-08-31T13:00:00.000Z"],
      ["ComplaintAssigned", "2013-08-31T13:00:00.000Z"],
      ["ComplaintInvestigated", "2013-08-31T21:00:00.000Z"],
      ["ComplaintResolved", "2013-08-31T21:00:00.000Z"],
      ["ResolutionAccepted", "2013-08-31T21:00:00.000Z"],
      ["ComplaintClosed", "2013-08-31T21:00:00.000Z"],
    ]);
    expect(typed(s, "ComplaintResolved")!.data.remedy).toEqual({
      kinds: ["explanation"],
      description: "Closed with non-monetary relief",
    });
    expect(typed(s, "ComplaintClosed")!.data.outcome).toBe("resolved");
    const early = files.flatMap((f) => f.complete).filter((c) => dayOf(c.sent) === dayOf(c.received) - 1);
    expect(report.sentBeforeReceived).toBe(early.length);
    expect(early.length).toBe(29);
  });

  it("rows of the file without IDs are keyed by content; a DD-MM-YYYY row lands on its day", () => {
    // nobieyi00 line 2: 7/29/2013 Consumer Loan / Vehicle loan, Phone, Wells Fargo, sent 7/30/2013.
    const s = streams.find(
      (x) =>
        x[0]!.occurredAt === "2013-07-29T13:00:00.000Z" &&
        typed(x, "ComplaintReceived")!.data.channel === "phone" &&
        typed(x, "ComplaintClassified")!.data.category === "vehicle-loan",
    )!;
    expect(s[0]!.metadata.commandId).toMatch(/^cfpb:row-[0-9a-f]{20}-1:receive$/);
    expect(typed(s, "ComplaintReceived")!.data.externalRef).toBeUndefined();
    expect(typed(s, "ComplaintReceived")!.data.caseNumber).toMatch(/^130729-\d{7}$/);
    // Sravanbunny2002 line 2: 27-04-2023, Web, EQUIFAX, In progress.
    expect(byRef("6896026")[0]!.occurredAt).toBe("2023-04-27T13:00:00.000Z");
  });

  it("re-importing a file appends nothing", async () => {
    // Positions run 1, 2, … in the memory store: nothing may follow the last event imported.
    const last = streams.reduce((n, s) => n + s.length, 0);
    expect(await store.readAll({ after: last - 1 })).toHaveLength(1);
    const name = files.find((f) => f.name.startsWith("bkreis84"))!.name;
    const again = await importCsv({
      store,
      mapping: cfpbMapping(),
      policy: usCfpb,
      calendar,
      input: createReadStream(join(CFPB_DIR, name)),
    });
    expect(again).toMatchObject({ rows: 349, imported: 0, duplicates: 349, skipped: 0 });
    expect(await store.readAll({ after: last })).toEqual([]);
  });
});
