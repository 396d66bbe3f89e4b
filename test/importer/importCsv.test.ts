import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { importCsv } from "../../src/importer/index.js";
import { usCfpb } from "../../src/presets/usCfpb.js";
import { createMemoryStore } from "../../src/stores/memoryStore.js";
import { counts, csv, HEADER, line, mapping, run } from "./fixtures.js";

describe("importCsv: reading real-world CSV", () => {
  it("finds the header after a BOM and junk lines, keeps a multi-line quoted narrative whole", async () => {
    const text = `\uFEFFArchive: complaints.zip\n  inflating: complaints.csv\n${csv(
      HEADER,
      line({ id: "3384392", narrative: 'line one\nline "two", with a comma' }),
      line({ id: "3384393" }),
    )}`;
    const { report, streams } = await run(text);
    expect(report.headerLine).toBe(3);
    expect(counts(report)).toEqual({ rows: 2, imported: 2, duplicates: 0, skipped: 0 });
    const received = streams.map((s) => s[0]!).find((e) => e.type === "ComplaintReceived");
    expect(received?.data).toMatchObject({ description: 'line one\nline "two", with a comma' });
  });

  it("reads the four date formats as the same whole day, received at 09:00 New York time", async () => {
    const { streams, report } = await run(
      csv(
        HEADER,
        line({ id: "1", received: "2019-09-24", sent: "2019-09-24" }),
        line({ id: "2", received: "09/24/2019", sent: "9/24/2019" }),
        line({ id: "3", received: "24-09-2019", sent: "24-09-2019" }),
        line({ id: "4", received: "09/24/2019 12:00:00 AM", sent: "9/24/2019 12:00:00 AM" }),
      ),
    );
    expect(report.errors).toEqual([]);
    // 2019-09-24 is in daylight saving time: 09:00 EDT = 13:00Z, 12:00 = 16:00Z, 17:00 = 21:00Z.
    for (const events of streams) {
      expect(events[0]!.occurredAt).toBe("2019-09-24T13:00:00.000Z");
      expect(events.find((e) => e.type === "ComplaintAssigned")!.occurredAt).toBe("2019-09-24T16:00:00.000Z");
      expect(events.at(-1)!.occurredAt).toBe("2019-09-24T21:00:00.000Z");
    }
  });

  it("reports bad rows by the line they start on and keeps the good ones", async () => {
    const { report } = await run(
      csv(
        HEADER,
        line({ id: "10" }),
        line({ id: "11", received: "2019-02-30" }),
        line({ id: "12", narrative: "spans\ntwo lines", via: "Carrier pigeon" }),
        line({ id: "13", company: "" }),
        line({ id: "14", received: "13/01/2019" }),
        line({ id: "15", response: "Closed by magic" }),
        line({ id: "16", timely: "Maybe" }),
        line({ id: "17" }),
      ),
    );
    expect(counts(report)).toEqual({ rows: 8, imported: 2, duplicates: 0, skipped: 6 });
    expect(report.errors).toEqual([
      { line: 3, message: 'Date received: "2019-02-30" matches none of the date formats' },
      { line: 4, message: 'Submitted via: unknown value "Carrier pigeon"' },
      { line: 6, message: "Company: blank" },
      { line: 7, message: 'Date received: "13/01/2019" matches none of the date formats' },
      { line: 8, message: 'Company response to consumer: unknown value "Closed by magic"' },
      { line: 9, message: 'Timely response?: not a yes/no value "Maybe"' },
    ]);
  });

  it("reports a truncated last record with its line number: too few fields, or a quote left open", async () => {
    const short = csv(HEADER, line({ id: "20" }), line({ id: "21" }).split(",").slice(0, 17).join(","));
    const a = await run(short);
    expect(counts(a.report)).toEqual({ rows: 2, imported: 1, duplicates: 0, skipped: 1 });
    expect(a.report.errors).toEqual([{ line: 3, message: "truncated record: 17 fields, the header has 18" }]);

    const open = `${csv(HEADER, line({ id: "22" }))}2019-09-24,Debt collection,,,,"I was cut off in the mid\ndle`;
    const b = await run(open);
    expect(counts(b.report)).toEqual({ rows: 2, imported: 1, duplicates: 0, skipped: 1 });
    expect(b.report.errors).toHaveLength(1);
    expect(b.report.errors[0]!.line).toBe(3);
    expect(b.report.errors[0]!.message).toMatch(/^truncated record: a quoted field opened on line 3/);
  });

  it("takes a Buffer or a stream, and skips blank lines without counting them", async () => {
    const text = csv(HEADER, "", line({ id: "30" }), ",,,,,,,,,,,,,,,,,", line({ id: "31" }));
    const fromBuffer = await run(Buffer.from(text, "utf8"));
    const chunks = [text.slice(0, 50), text.slice(50, 333), text.slice(333)];
    const fromStream = await run(Readable.from(chunks.map((c) => Buffer.from(c, "utf8"))));
    expect(counts(fromBuffer.report)).toEqual({ rows: 2, imported: 2, duplicates: 0, skipped: 0 });
    expect(counts(fromStream.report)).toEqual(counts(fromBuffer.report));
  });

  it("reports progress every N rows and once at the end", async () => {
    const seen: [number, number][] = [];
    await importCsv({
      store: createMemoryStore(),
      input: csv(HEADER, line({ id: "45" }), line({ id: "46", via: "Pigeon" }), line({ id: "47" })),
      mapping,
      policy: usCfpb,
      progressEvery: 2,
      onProgress: (p) => seen.push([p.rows, p.errors]),
    });
    expect(seen).toEqual([
      [2, 1],
      [3, 1],
    ]);
  });

  it("a stream that fails fails the import with its own error", async () => {
    const broken = new Readable({
      read() {
        this.destroy(new Error("disk gone"));
      },
    });
    await expect(
      importCsv({ store: createMemoryStore(), input: broken, mapping, policy: usCfpb }),
    ).rejects.toThrow("disk gone");
  });

  it("cuts a narrative longer than the description limit (20 000 characters) and marks the cut", async () => {
    const { streams } = await run(csv(HEADER, line({ id: "40", narrative: "x".repeat(25_000) })));
    const description = (streams[0]![0]!.data as { description: string }).description;
    expect(description).toHaveLength(20_000);
    expect(description.endsWith("x…")).toBe(true);
  });
});

describe("importCsv: configuration errors", () => {
  it("a mapping for another preset is refused, naming the field", async () => {
    await expect(
      importCsv({
        store: createMemoryStore(),
        input: csv(HEADER),
        mapping: { ...mapping, preset: "retail" },
        policy: usCfpb,
      }),
    ).rejects.toMatchObject({
      name: "ImportMappingError",
      issues: [expect.objectContaining({ path: "preset" })],
    });
  });

  it("a category the policy lacks is refused, naming the rule", async () => {
    const categories = {
      ...mapping.categories,
      rules: [{ when: { product: ["Mortgage"] }, category: "housing" }],
    };
    await expect(
      importCsv({
        store: createMemoryStore(),
        input: csv(HEADER),
        mapping: { ...mapping, categories },
        policy: usCfpb,
      }),
    ).rejects.toMatchObject({
      name: "ImportMappingError",
      issues: [
        { path: "categories.rules.0.category", message: "housing is not a category of policy us-cfpb" },
      ],
    });
  });

  it("an input without the header row is refused, naming the missing columns", async () => {
    const text = csv("Date received,Product,Company,Something else", "2019-09-24,Mortgage,Bank,x");
    await expect(
      importCsv({ store: createMemoryStore(), input: text, mapping, policy: usCfpb }),
    ).rejects.toMatchObject({
      name: "ImportInputError",
      code: "import/header-not-found",
      missing: ["Submitted via", "Company response to consumer"],
    });
  });
});
