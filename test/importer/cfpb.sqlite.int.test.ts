import { createReadStream } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RecordedEvent } from "../../src/domain/events.js";
import { type ImportReport, importCsv } from "../../src/importer/index.js";
import { usCfpb, usFederalCalendar } from "../../src/presets/usCfpb.js";
import type { EventStore } from "../../src/stores/eventStore.js";
import { createSqliteStore } from "../../src/stores/sqlite/index.js";
import { tempDb } from "../stores/fixtures/tempDb.js";
import { type CsvFile, cfpbFileNames, readCfpbFile, tally } from "./cfpbCsv.js";
import { CFPB_AVAILABLE, CFPB_DIR, CFPB_SKIP_NOTE, cfpbMapping, eventsByStream } from "./support.js";

const received = (s: readonly RecordedEvent[]) =>
  s.find((e): e is Extract<RecordedEvent, { type: "ComplaintReceived" }> => e.type === "ComplaintReceived")!;

describe.skipIf(!CFPB_AVAILABLE)(`the largest CFPB extract into a SQLite file${CFPB_SKIP_NOTE}`, () => {
  const db = tempDb();
  let file: CsvFile;
  let store: EventStore;
  let report: ImportReport;

  const run = () =>
    importCsv({
      store,
      mapping: cfpbMapping(),
      policy: usCfpb,
      calendar: usFederalCalendar({ outOfRange: "weekdays" }),
      input: createReadStream(join(CFPB_DIR, file.name)),
    });

  beforeAll(async () => {
    // The largest by rows (the most complaints to append), found from the data rather than named.
    file = cfpbFileNames()
      .map(readCfpbFile)
      .reduce((a, b) => (b.records > a.records ? b : a));
    store = createSqliteStore({ path: db.path });
    report = await run();
  }, 600_000);

  afterAll(async () => {
    await store?.close();
    db.remove();
  });

  it("imports every complete row of the file and reports the truncated one", () => {
    expect(file.name.startsWith("lakshlk0310")).toBe(true);
    expect(report).toMatchObject({
      rows: file.records,
      imported: file.complete.length,
      duplicates: 0,
      skipped: file.truncatedLines.length,
      headerLine: 1,
    });
    expect(report.errors.map((e) => e.line)).toEqual(file.truncatedLines);
  });

  it("counts by channel, outcome and timely flag match the CSV rows", async () => {
    const streams = [...(await eventsByStream(store)).values()];
    expect(streams).toHaveLength(file.complete.length);
    expect(tally(streams, (s) => received(s).data.externalRef ?? "")).toEqual(
      tally(file.complete, (c) => c.id ?? ""),
    );
    const outcome = (s: RecordedEvent[]) => {
      for (const e of s) if (e.type === "ComplaintResolved") return e.data.remedy.description;
      for (const e of s) if (e.type === "ProgressReported") return e.data.message;
      return "(no response)";
    };
    expect(tally(streams, outcome)).toEqual(
      tally(file.complete, (c) => (c.response === "Untimely response" ? "(no response)" : c.response)),
    );
    expect(
      tally(streams, (s) =>
        received(s)
          .data.tags.filter((t) => t.startsWith("timely"))
          .join(),
      ),
    ).toEqual(tally(file.complete, (c) => `timely-response:${c.timely.toLowerCase()}`));
    expect(tally(streams, (s) => received(s).data.channel)).toEqual({
      "online-form": 6_268,
      referral: 1_053,
      phone: 470,
      letter: 445,
      fax: 103,
    });
  });

  it("re-importing the file appends nothing", async () => {
    const tail = async () => {
      let last = 0;
      for (;;) {
        const batch = await store.readAll({ after: last, limit: 10_000 });
        if (batch.length === 0) return last;
        last = batch[batch.length - 1]!.position;
      }
    };
    const before = await tail();
    const again = await run();
    expect(again).toMatchObject({
      rows: file.records,
      imported: 0,
      duplicates: file.complete.length,
      skipped: file.truncatedLines.length,
    });
    expect(await tail()).toBe(before);
  });
});
