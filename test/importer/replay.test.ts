import { describe, expect, it } from "vitest";
import { type Cells, counts, csv, HEADER, line, run } from "./fixtures.js";
import { brief, ulidTime } from "./support.js";

describe("importCsv: replay rules", () => {
  it("R-02 R-05 R-07 R-08 R-15 R-17 closed with explanation: received, classified, sent, explained, closed", async () => {
    const { streams } = await run(
      csv(HEADER, line({ id: "3384392", tags: "Older American, Servicemember", sent: "2019-09-26" })),
    );
    const events = streams[0]!;
    expect(events.map(brief)).toEqual([
      {
        type: "ComplaintReceived",
        at: "2019-09-24T13:00:00.000Z",
        data: {
          caseNumber: "190924-3384392",
          channel: "online-form",
          complainant: { id: "consumer:cfpb:3384392", anonymous: true },
          personalData: null,
          subject: { product: "Debt collection / I do not know" },
          description:
            "Debt collection / I do not know: Attempts to collect debt not owed — Debt is not yours",
          complainedAbout: { unit: "TRANSWORLD SYSTEMS INC" },
          tags: ["Older American", "Servicemember", "timely-response:yes"],
          externalRef: "3384392",
          policy: { id: "us-cfpb", version: "1" },
        },
      },
      {
        type: "ComplaintClassified",
        at: "2019-09-24T13:00:00.000Z",
        data: {
          kind: "complaint",
          severity: "standard",
          category: "debt-collection",
          routedTo: "collections",
          tags: [],
        },
      },
      {
        type: "ComplaintAssigned",
        at: "2019-09-26T16:00:00.000Z",
        data: { assignee: { unit: "TRANSWORLD SYSTEMS INC" }, reason: "sent to the company" },
      },
      {
        type: "ComplaintInvestigated",
        at: "2019-09-26T21:00:00.000Z",
        data: {
          round: 1,
          findings: {
            facts: "Company response: Closed with explanation.",
            evidence: [],
            validity: "invalid",
          },
        },
      },
      {
        type: "ComplaintResolved",
        at: "2019-09-26T21:00:00.000Z",
        data: {
          round: 1,
          remedy: { kinds: ["explanation"], description: "Closed with explanation" },
          onTheSpot: false,
        },
      },
      {
        type: "ComplaintClosed",
        at: "2019-09-26T21:00:00.000Z",
        // Only what the importer decides; the closure record's other fields belong to the core.
        data: expect.objectContaining({ outcome: "explained", summary: "Closed with explanation" }),
      },
    ]);
    expect(events.map((e) => e.metadata.commandId)).toEqual(
      ["receive", "classify", "assign", "investigate", "resolve", "close"].map((s) => `cfpb:3384392:${s}`),
    );
    // The stream id is a ULID whose time part is the receipt.
    expect(ulidTime(events[0]!.streamId)).toBe(Date.UTC(2019, 8, 24, 13));
  });

  it("R-08 R-15 monetary relief, not disputed: a valid complaint, compensation accepted, closed resolved", async () => {
    const { streams } = await run(
      csv(HEADER, line({ id: "50", response: "Closed with monetary relief", disputed: "No" })),
    );
    const tail = streams[0]!.slice(3).map((e) => [e.type, e.data]);
    expect(tail).toEqual([
      [
        "ComplaintInvestigated",
        {
          round: 1,
          findings: {
            facts: "Company response: Closed with monetary relief.",
            evidence: [],
            validity: "valid",
          },
        },
      ],
      [
        "ComplaintResolved",
        {
          round: 1,
          remedy: { kinds: ["compensation"], description: "Closed with monetary relief" },
          onTheSpot: false,
        },
      ],
      ["ResolutionAccepted", { round: 1, onTheSpot: false }],
      [
        "ComplaintClosed",
        expect.objectContaining({ outcome: "resolved", summary: "Closed with monetary relief" }),
      ],
    ]);
  });

  it("R-09 a disputed response is rejected: the case goes back to investigation (round 2) and stays open", async () => {
    const { streams } = await run(csv(HEADER, line({ id: "60", disputed: "Yes" })));
    const events = streams[0]!;
    expect(events.map((e) => e.type)).toEqual([
      "ComplaintReceived",
      "ComplaintClassified",
      "ComplaintAssigned",
      "ComplaintInvestigated",
      "ComplaintResolved",
      "ResolutionRejected",
    ]);
    expect(events.at(-1)!.data).toEqual({ round: 1, reason: "the consumer disputed the company's response" });
  });

  it("In progress: a progress report after the hand-over; blank and untimely outcomes stay open with none", async () => {
    const { streams } = await run(
      csv(
        HEADER,
        line({ id: "70", response: "In progress" }),
        line({ id: "71", response: "" }),
        line({ id: "72", response: "Untimely response", timely: "No" }),
      ),
    );
    const byId = new Map(streams.map((s) => [(s[0]!.data as { externalRef: string }).externalRef, s]));
    const tail = (id: string) =>
      byId
        .get(id)!
        .slice(2)
        .map((e) => [e.type, e.occurredAt]);
    expect(tail("70")).toEqual([
      ["ComplaintAssigned", "2019-09-24T16:00:00.000Z"],
      ["ProgressReported", "2019-09-24T21:00:00.000Z"],
    ]);
    expect(byId.get("70")!.at(-1)!.data).toEqual({ message: "In progress", channel: "online-form" });
    expect(tail("71")).toEqual([["ComplaintAssigned", "2019-09-24T16:00:00.000Z"]]);
    expect(tail("72")).toEqual([["ComplaintAssigned", "2019-09-24T16:00:00.000Z"]]);
    expect((byId.get("72")![0]!.data as { tags: string[] }).tags).toEqual(["timely-response:no"]);
  });

  it("a sent date one day before receipt is moved to the receipt and counted; two days before is an error", async () => {
    const { report, streams } = await run(
      csv(
        HEADER,
        line({ id: "80", received: "8/31/2013", sent: "8/30/2013" }),
        line({ id: "81", received: "8/31/2013", sent: "8/29/2013" }),
      ),
    );
    expect(report.sentBeforeReceived).toBe(1);
    expect(report.errors).toEqual([
      { line: 3, message: "Date sent to company: 2013-08-29 is 2 days before Date received 2013-08-31" },
    ]);
    const assigned = streams[0]!.find((e) => e.type === "ComplaintAssigned")!;
    expect(assigned.occurredAt).toBe("2013-08-31T13:00:00.000Z");
    expect(streams[0]!.at(-1)!.occurredAt).toBe("2013-08-31T21:00:00.000Z");
  });

  it("a dispute without a resolution to dispute is reported, not guessed", async () => {
    const { report } = await run(csv(HEADER, line({ id: "90", response: "In progress", disputed: "Yes" })));
    expect(report.errors).toEqual([
      {
        line: 2,
        message: 'Consumer disputed?: Yes, but the response "In progress" records no resolution to dispute',
      },
    ]);
  });
});

describe("importCsv: idempotency and duplicates", () => {
  it("re-importing a file appends nothing and counts every row as a duplicate", async () => {
    const text = csv(HEADER, line({ id: "100" }), line({ id: "101", response: "In progress" }));
    const { store, report } = await run(text);
    const before = (await store.readAll({ limit: 1_000 })).length;
    const again = await run(text, store);
    expect(counts(report)).toEqual({ rows: 2, imported: 2, duplicates: 0, skipped: 0 });
    expect(counts(again.report)).toEqual({ rows: 2, imported: 0, duplicates: 2, skipped: 0 });
    expect((await store.readAll({ limit: 1_000 })).length).toBe(before);
  });

  it("a newer extract of the same complaint appends only the steps the store lacks", async () => {
    const { store } = await run(csv(HEADER, line({ id: "110", response: "" })));
    const later = await run(csv(HEADER, line({ id: "110", response: "Closed with explanation" })), store);
    expect(later.report).toMatchObject({ imported: 0, duplicates: 1, updated: 1, skipped: 0 });
    expect(later.streams[0]!.map((e) => e.type).slice(-3)).toEqual([
      "ComplaintInvestigated",
      "ComplaintResolved",
      "ComplaintClosed",
    ]);
  });

  it("rows without an id: keyed by their content, identical rows of one file stay distinct", async () => {
    const noIdHeader = HEADER.replace(",Complaint ID", "");
    const row = (c: Cells) => line(c).replace(/,[^,]*$/, "");
    const text = csv(noIdHeader, row({}), row({}), row({ company: "Other Co" }));
    const { store, report, streams } = await run(text);
    expect(counts(report)).toEqual({ rows: 3, imported: 3, duplicates: 0, skipped: 0 });
    const keys = streams.map((s) => s[0]!.metadata.commandId).sort();
    expect(keys.every((k) => /^cfpb:row-[0-9a-f]{20}-[12]:receive$/.test(k))).toBe(true);
    expect(keys.filter((k) => k.includes("-2:"))).toHaveLength(1);
    // The same rows in another date format and column order are the same complaints.
    const columns = noIdHeader.split(",");
    const order = [...columns.keys()].reverse();
    const reorder = (l: string) => {
      const cells = l.split(",");
      return order.map((i) => cells[i]).join(",");
    };
    const usDates = (l: string) => l.replaceAll("2019-09-24", "09/24/2019");
    const other = csv(
      reorder(noIdHeader),
      ...[row({}), row({}), row({ company: "Other Co" })].map(usDates).map(reorder),
    );
    const again = await run(other, store);
    expect(counts(again.report)).toEqual({ rows: 3, imported: 0, duplicates: 3, skipped: 0 });
  });
});
