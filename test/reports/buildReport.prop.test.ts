import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CHANNELS, type ComplaintId, type ComplaintListRow, calendars, KINDS } from "../../src/index.js";
import { retail, tobacco } from "../../src/presets/index.js";
import { buildReport } from "../../src/reports/index.js";

const calendar = calendars.chinaMainland();
const FROM = Date.parse("2025-12-01T00:00:00+08:00");
const TO = Date.parse("2026-03-31T00:00:00+08:00");

/** Rows as a projection could hold them under `policy`, including unknown and missing values. */
function rowsOf(policy: typeof tobacco) {
  const categories = [...policy.categories.map((c) => c.id), "retired-category"];
  const row = fc.record({
    receivedMs: fc.integer({ min: FROM, max: TO }),
    handlingMs: fc.option(fc.integer({ min: 0, max: 20 * 86_400_000 }), { nil: null }),
    kind: fc.option(fc.constantFrom(...KINDS), { nil: null, freq: 6 }),
    category: fc.option(fc.constantFrom(...categories), { nil: null, freq: 6 }),
    severity: fc.option(fc.constantFrom(...policy.severities), { nil: null, freq: 6 }),
    channel: fc.constantFrom(...CHANNELS),
    unit: fc.constantFrom("marketing", "finance", "logistics"),
    complainant: fc.constantFrom("c1", "c2", "c3", "c4"),
    anonymous: fc.boolean(),
    validity: fc.constantFrom(null, "valid", "invalid", "not-established"),
    cycle: fc.integer({ min: 1, max: 3 }),
    rejections: fc.integer({ min: 0, max: 2 }),
    escalationLevel: fc.constantFrom(1, 2, 3),
    satisfaction: fc.constantFrom(null, 90, 80, 70, 60),
    status: fc.constantFrom("met", "met-late", "breached", "running", "paused", "not-started"),
  });
  return fc.array(row, { maxLength: 60 }).map((list) =>
    list.map(
      (g, i): ComplaintListRow => ({
        streamId: `s${i}` as ComplaintId,
        caseNumber: `N${String(i).padStart(3, "0")}`,
        stage: g.handlingMs === null ? "classified" : "closed",
        kind: g.kind,
        severity: g.severity,
        category: g.category,
        channel: g.channel,
        unit: g.unit,
        owner: null,
        escalationLevel: g.escalationLevel as 1 | 2 | 3,
        validity: g.validity as ComplaintListRow["validity"],
        complainantId: g.complainant,
        anonymous: g.anonymous,
        receivedAt: new Date(g.receivedMs).toISOString(),
        updatedAt: new Date(g.receivedMs).toISOString(),
        closedAt: g.handlingMs === null ? null : new Date(g.receivedMs + g.handlingMs).toISOString(),
        outcome: null,
        cycle: g.cycle,
        rejections: g.rejections,
        satisfaction: g.satisfaction,
        slaDueAt: null,
        slaLate: g.status === "met-late" || g.status === "breached" ? ["handling"] : [],
        slaStatus: { handling: g.status as ComplaintListRow["slaStatus"][string] },
        version: 1,
      }),
    ),
  );
}

const sum = (xs: readonly { count: number }[]) => xs.reduce((n, x) => n + x.count, 0);

describe("buildReport laws", () => {
  for (const policy of [tobacco, retail])
    it(`R-35 R-21 breakdowns and the matrix add up to the total (${policy.id})`, () => {
      fc.assert(
        fc.property(rowsOf(policy), fc.constantFrom("2026-01", "2026-02"), (rows, month) => {
          const report = buildReport(rows, { period: { month }, policy, calendar, previous: rows });
          expect(sum(report.byCategory)).toBe(report.total);
          expect(sum(report.byKind)).toBe(report.total);
          expect(sum(report.bySeverity)).toBe(report.total);
          expect(sum(report.byChannel)).toBe(report.total);
          expect(sum(report.escalations.byLevel)).toBe(report.total);
          expect(report.weekly.reduce((n, w) => n + w.total, 0)).toBe(report.total);
          expect(sum(report.matrix.cells)).toBe(report.matrix.total);
          // The matrix analyses complaints (and rows not classified yet); inquiries and suggestions aside.
          const kinds = Object.fromEntries(report.byKind.map((k) => [k.key, k.count]));
          expect(report.matrix.total).toBe(report.total - (kinds.inquiry ?? 0) - (kinds.suggestion ?? 0));
          expect(sum(report.matrix.categories)).toBe(report.matrix.total);
          const r = report.recurrence;
          expect(r.frequent + r.firstOccurrence + r.notJudged).toBe(report.total);
          expect(report.statistics[report.statistics.length - 1]?.received).toBe(report.total);
          const v = report.validity;
          expect(v.valid + v.invalid + v.notEstablished + v.undetermined).toBe(v.complaints);
        }),
        { numRuns: 60 },
      );
    });

  it("R-35 with only complaints, the matrix cells sum to the report total", () => {
    fc.assert(
      fc.property(rowsOf(tobacco), (rows) => {
        const complaints = rows.map((r) => ({ ...r, kind: "complaint" as const }));
        const report = buildReport(complaints, { period: { month: "2026-02" }, policy: tobacco, calendar });
        expect(sum(report.matrix.cells)).toBe(report.total);
      }),
      { numRuns: 40 },
    );
  });

  it("R-34 the year's monthly columns add up to the year", () => {
    fc.assert(
      fc.property(rowsOf(tobacco), (rows) => {
        const year = buildReport(rows, { period: { year: 2026 }, policy: tobacco, calendar });
        for (const line of year.annual?.lines ?? [])
          if (!/^(on-time|satisfaction|handling)/.test(line.key))
            expect(line.months.reduce<number>((n, x) => n + (x ?? 0), 0)).toBe(line.year);
      }),
      { numRuns: 30 },
    );
  });
});
