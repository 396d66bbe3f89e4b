import { beforeAll, describe, expect, it } from "vitest";
import type { ComplaintListRow } from "../../src/index.js";
import { buildReport, type ComplaintReport, isReportError } from "../../src/reports/index.js";
import { calendar, policy, seedHistory, sh } from "./history.js";

// Expected figures are counted here, over the same rows, with plain filters on the ISO receipt
// instants (Shanghai is UTC+8 all year), never with the report code.
let rows: ComplaintListRow[];
let byName: Map<string, ComplaintListRow>;
let feb: ComplaintListRow[];
let jan: ComplaintListRow[];
let report: ComplaintReport;

const received = (from: string, to: string) =>
  rows.filter((r) => r.receivedAt >= sh(`${from}T00:00`) && r.receivedAt < sh(`${to}T00:00`));
const row = (name: string) => {
  const r = byName.get(name);
  if (!r) throw new Error(`no row ${name}`);
  return r;
};
const countBy = (list: readonly ComplaintListRow[], key: (r: ComplaintListRow) => string) => {
  const m: Record<string, number> = {};
  for (const r of list) m[key(r)] = (m[key(r)] ?? 0) + 1;
  return m;
};
const nonZero = (lines: readonly { key: string; count: number }[]) =>
  Object.fromEntries(lines.filter((l) => l.count > 0).map((l) => [l.key, l.count]));

beforeAll(async () => {
  ({ rows, byName } = await seedHistory());
  feb = received("2026-02-01", "2026-03-01");
  jan = received("2026-01-01", "2026-02-01");
  report = buildReport(rows, { period: { month: "2026-02" }, policy, calendar, previous: rows });
});

describe("buildReport: the monthly report of a seeded tobacco history", () => {
  it("R-33 R-35 counts by kind, category, severity, channel and unit", () => {
    expect(feb).toHaveLength(11);
    expect(report.total).toBe(feb.length);
    expect(report.period).toEqual({
      type: "month",
      label: "2026-02",
      from: "2026-02-01",
      to: "2026-02-28",
      timeZone: "Asia/Shanghai",
    });
    expect(nonZero(report.byKind)).toEqual(countBy(feb, (r) => r.kind ?? "(unclassified)"));
    expect(nonZero(report.byKind)).toEqual({ complaint: 8, inquiry: 1, suggestion: 1, "(unclassified)": 1 });
    expect(nonZero(report.byCategory)).toEqual(countBy(feb, (r) => r.category ?? "(unclassified)"));
    expect(report.byCategory.find((c) => c.key === "delivery")).toMatchObject({
      label: "Delivery 卷烟配送",
      count: 4,
    });
    // Every category of the policy is listed, zero or not, as on the paper form.
    expect(report.byCategory.map((c) => c.key).slice(0, policy.categories.length)).toEqual(
      policy.categories.map((c) => c.id),
    );
    expect(nonZero(report.bySeverity)).toEqual(countBy(feb, (r) => r.severity ?? "(unclassified)"));
    expect(nonZero(report.byChannel)).toEqual(countBy(feb, (r) => r.channel));
    expect(nonZero(report.byUnit)).toEqual(countBy(feb, (r) => r.unit));
  });

  it("R-15 R-13 R-17 valid, invalid and not-established ratio among complaints", () => {
    const complaints = feb.filter((r) => r.kind === "complaint" || r.kind === null);
    const of = (v: string) => complaints.filter((r) => r.validity === v).length;
    const determined = of("valid") + of("invalid") + of("not-established");
    expect(report.validity).toEqual({
      complaints: complaints.length,
      valid: of("valid"),
      invalid: of("invalid"),
      notEstablished: of("not-established"),
      undetermined: complaints.length - determined,
      validRate: of("valid") / determined,
      invalidRate: of("invalid") / determined,
      notEstablishedRate: of("not-established") / determined,
    });
    // F1, F2, F4, F10 valid; F3 invalid; F5 withdrawn; F8, F9, F11 not investigated.
    expect([report.validity.valid, report.validity.invalid, report.validity.notEstablished]).toEqual([
      4, 1, 1,
    ]);
  });

  it("R-35 R-24 on-time rate per clock: met against met late or breached", () => {
    for (const clock of policy.clocks) {
      const statuses = feb.map((r) => r.slaStatus[clock.id]);
      const met = statuses.filter((s) => s === "met").length;
      const late = statuses.filter((s) => s === "met-late" || s === "breached").length;
      const line = report.onTime.find((c) => c.clockId === clock.id);
      expect(line?.label).toBe(clock.label);
      expect(line?.onTimeRate).toBe(late + met === 0 ? null : met / (met + late));
    }
    // F8 was never acknowledged: its handling clock ran past its 7 working days.
    expect(report.onTime.find((c) => c.clockId === "handling")).toMatchObject({ breached: 1, metLate: 0 });
    const major = report.onTimeBySeverity.find((s) => s.severity === "major");
    const majors = feb.filter((r) => r.severity === "major");
    const acceptance = majors.map((r) => r.slaStatus.acceptance);
    const majorMet = acceptance.filter((s) => s === "met").length;
    const majorJudged = acceptance.filter((s) => s === "met" || s === "met-late" || s === "breached").length;
    expect(major?.clocks.find((c) => c.clockId === "acceptance")?.onTimeRate).toBe(majorMet / majorJudged);
  });

  it("R-35 handling time in working hours on the China calendar: Spring Festival off, 调休 Saturday on", () => {
    // By hand (09:00-12:00, 13:00-18:00): F1 Fri 02-13 16:00 → Tue 02-24 10:00 = 2 + 8 (Sat 02-14
    // worked) + 0 (02-15..02-23 off) + 1 = 11; F2 Mon 09:00 → Thu 17:00 = 8 + 8 + 8 + 7 = 31;
    // F3 10:00 → 15:00 = 4; F5 10:00 → 14:00 = 3; F6 on the spot = 0; F7 10:00 → 11:00 = 1.
    const hours = [11, 31, 4, 3, 0, 1];
    expect(feb.filter((r) => r.closedAt !== null)).toHaveLength(hours.length);
    expect(report.handlingTime.closed).toBe(6);
    expect(report.handlingTime.averageHours).toBeCloseTo(hours.reduce((a, b) => a + b) / hours.length, 9);
    // Nearest rank: ceil(0.9 × 6) = the 6th smallest of 0, 1, 3, 4, 11, 31.
    expect(report.handlingTime.p90Hours).toBe(31);
  });

  it("R-10 R-35 satisfaction average and distribution on the 90/80/70/60 scale", () => {
    const scores = feb.flatMap((r) => (r.satisfaction === null ? [] : [r.satisfaction]));
    expect(scores.sort()).toEqual([60, 80]); // F4's 70 is gone: reopened, it awaits a new revisit.
    expect(report.satisfaction.average).toBe(70);
    expect(report.satisfaction.distribution.map((s) => [s.label, s.count])).toEqual([
      ["Satisfied 满意 (90)", 0],
      ["Fairly satisfied 较满意 (80)", 1],
      ["Average 一般 (70)", 0],
      ["Poor 较差 (60)", 1],
    ]);
  });

  it("R-12 R-09 R-26 reopen rate, rejected remedies and escalations by level", () => {
    const reopened = feb.filter((r) => r.cycle > 1);
    expect(reopened.map((r) => r.caseNumber)).toEqual([row("F4").caseNumber]);
    expect(report.reopens).toEqual({
      cases: reopened.length,
      reopens: reopened.reduce((n, r) => n + r.cycle - 1, 0),
      rate: reopened.length / feb.length,
    });
    expect(report.rejections).toEqual({ cases: 1, rejections: 1 }); // F2
    expect(nonZero(report.escalations.byLevel)).toEqual(countBy(feb, (r) => String(r.escalationLevel)));
    // F4 went to level 2 on its bad-handling reopen, F9 to level 3 by hand.
    expect(report.escalations.escalated).toBe(2);
  });

  it("R-21 frequent vs first occurrence: same complainant and category within the window", () => {
    // retailer-A on delivery: J1 01-12, F1 02-13 (32 days later), F10 02-26 (12.75 days after F1).
    expect(report.recurrence.cases).toEqual([
      expect.objectContaining({ caseNumber: row("F1").caseNumber, earlierCaseNumber: row("J1").caseNumber }),
      expect.objectContaining({ caseNumber: row("F10").caseNumber, earlierCaseNumber: row("F1").caseNumber }),
    ]);
    const judged = feb.filter((r) => r.category !== null && !r.anonymous).length;
    expect(report.recurrence).toMatchObject({ frequent: 2, firstOccurrence: judged - 2, notJudged: 1 });
    const month = buildReport(rows, {
      period: { month: "2026-02" },
      policy,
      calendar,
      recurrenceWindowDays: 30,
    });
    // With a 30-day window J1 is too far back for F1; rows outside the period still serve the look-back.
    expect(month.recurrence.cases.map((c) => c.caseNumber)).toEqual([row("F10").caseNumber]);
    expect(month.recurrence.rising).toBeNull();
  });

  it("R-21 categories rising month over month", () => {
    const now = countBy(
      feb.filter((r) => r.category !== null),
      (r) => r.category ?? "",
    );
    const before = countBy(
      jan.filter((r) => r.category !== null),
      (r) => r.category ?? "",
    );
    const expected = Object.keys(now)
      .filter((c) => (now[c] ?? 0) > (before[c] ?? 0))
      .sort();
    expect(report.recurrence.rising?.map((c) => c.category).sort()).toEqual(expected);
    expect(report.recurrence.rising?.find((c) => c.category === "delivery")).toMatchObject({
      count: 4,
      previousCount: 1,
    });
    expect(report.previousPeriod?.label).toBe("2026-01");
  });

  it("R-21 004:123 001:469 frequency × urgency matrix and the review meeting's categories", () => {
    const complaints = feb.filter((r) => r.kind === "complaint" || r.kind === null);
    const perCategory = countBy(complaints, (r) => r.category ?? "(unclassified)");
    const urgencyOf = (c: string) =>
      complaints.some((r) => (r.category ?? "(unclassified)") === c && r.severity === "major")
        ? "high"
        : "low";
    const frequencyOf = (n: number) => (n >= 3 ? "high" : n >= 2 ? "medium" : "low");
    const cells: Record<string, number> = {};
    for (const [c, n] of Object.entries(perCategory)) {
      const cell = `${frequencyOf(n)}/${urgencyOf(c)}`;
      cells[cell] = (cells[cell] ?? 0) + n;
    }
    expect(
      Object.fromEntries(
        report.matrix.cells.filter((c) => c.count > 0).map((c) => [`${c.frequency}/${c.urgency}`, c.count]),
      ),
    ).toEqual(cells);
    expect(cells).toEqual({ "high/low": 3, "low/high": 4, "low/low": 2 });
    expect(report.matrix.total).toBe(complaints.length);
    // Urgent: the four major categories; frequent: delivery (3 complaints, 1 in January, so rising).
    expect(report.matrix.reviewMeeting.map((i) => [i.category, i.reasons, i.rising])).toEqual([
      ["accounts", ["urgent"], true],
      ["cigarette-quality", ["urgent"], true],
      ["cigarette-quantity", ["urgent"], true],
      ["payment", ["urgent"], true],
      ["delivery", ["frequent"], true],
    ]);
  });

  it("R-34 002:71 the monthly statistics table, one line per category and a total", () => {
    const delivery = feb.filter((r) => r.category === "delivery");
    expect(report.statistics.find((l) => l.key === "delivery")).toEqual({
      key: "delivery",
      label: "Delivery 卷烟配送",
      received: delivery.length,
      complaints: delivery.filter((r) => r.kind === "complaint").length,
      inquiries: 0,
      suggestions: delivery.filter((r) => r.kind === "suggestion").length,
      valid: delivery.filter((r) => r.validity === "valid").length,
      invalid: 0,
      closed: delivery.filter((r) => r.closedAt !== null).length,
      open: delivery.filter((r) => r.closedAt === null).length,
      late: delivery.filter((r) => r.slaLate.length > 0).length,
      revisited: 1,
      satisfactionAverage: 80,
    });
    const total = report.statistics[report.statistics.length - 1];
    expect(total).toMatchObject({
      key: "(total)",
      received: feb.length,
      closed: feb.filter((r) => r.closedAt !== null).length,
      late: feb.filter((r) => r.slaLate.length > 0).length,
    });
  });

  it("R-34 weeks run Monday to Sunday, clipped to the month", () => {
    expect(report.weekly.map((w) => [w.from, w.to, w.total])).toEqual([
      ["2026-02-01", "2026-02-01", received("2026-02-01", "2026-02-02").length],
      ["2026-02-02", "2026-02-08", received("2026-02-02", "2026-02-09").length],
      ["2026-02-09", "2026-02-15", received("2026-02-09", "2026-02-16").length],
      ["2026-02-16", "2026-02-22", received("2026-02-16", "2026-02-23").length],
      ["2026-02-23", "2026-02-28", received("2026-02-23", "2026-03-01").length],
    ]);
    expect(report.weekly[1]?.byChannel).toEqual(
      countBy(received("2026-02-02", "2026-02-09"), (r) => r.channel),
    );
  });

  it("R-34 001:9 the annual report has twelve monthly columns and the year", () => {
    const year = buildReport(rows, { period: { year: 2026 }, policy, calendar });
    expect(year.annual?.months).toEqual([
      "2026-01",
      "2026-02",
      "2026-03",
      "2026-04",
      "2026-05",
      "2026-06",
      "2026-07",
      "2026-08",
      "2026-09",
      "2026-10",
      "2026-11",
      "2026-12",
    ]);
    const monthly = (keep: (r: ComplaintListRow) => boolean) =>
      Array.from({ length: 12 }, (_, i) => {
        const from = `2026-${String(i + 1).padStart(2, "0")}-01`;
        const to = i === 11 ? "2027-01-01" : `2026-${String(i + 2).padStart(2, "0")}-01`;
        return received(from, to).filter(keep).length;
      });
    const line = (key: string) => year.annual?.lines.find((l) => l.key === key);
    expect(line("received")?.months).toEqual(monthly(() => true));
    expect(line("received")?.months.slice(0, 3)).toEqual([3, 11, 1]);
    expect(line("received")?.year).toBe(rows.length);
    expect(line("kind:inquiry")?.months).toEqual(monthly((r) => r.kind === "inquiry"));
    expect(line("category:delivery")?.months).toEqual(monthly((r) => r.category === "delivery"));
    expect(line("validity:invalid")?.months).toEqual(monthly((r) => r.validity === "invalid"));
    expect(line("closed")?.months).toEqual(monthly((r) => r.closedAt !== null));
    expect(line("satisfaction")?.months.slice(0, 3)).toEqual([90, 70, null]);
    expect(year.title).toBe("客户投诉处理年报表 Annual complaint report");
  });

  it("R-34 002:447 the 客户期望分析报告 sections: summary, main expectations, improvements", () => {
    const e = report.expectations;
    expect(e?.summary.map((k) => [k.kind, k.received, k.closed])).toEqual(
      (["complaint", "inquiry", "suggestion"] as const).map((kind) => {
        const of = feb.filter((r) => r.kind === kind);
        return [kind, of.length, of.filter((r) => r.closedAt !== null).length];
      }),
    );
    expect(e?.byCategory[0]).toMatchObject({ category: "delivery", complaints: 3, suggestions: 1, total: 4 });
    const delivery = e?.improvements
      .filter((i) => i.category === "delivery")
      .map((i) => [i.reason, i.figure]);
    expect(delivery).toEqual([
      ["review-meeting", 3],
      ["rising", 3],
      ["recurring", 2],
      ["late-handling", 1], // F8
      ["customer-suggestions", 1], // F7
    ]);
    // F2's revisit scored 较差 60.
    expect(e?.improvements).toContainEqual(
      expect.objectContaining({ category: "payment", reason: "low-satisfaction", figure: 60 }),
    );
    expect(
      buildReport(rows, { period: { month: "2026-02" }, policy, calendar, expectations: false }).expectations,
    ).toBe(null);
  });

  it("assigns receipts to days in the report's time zone", () => {
    // 2026-02-28T17:00Z is 01:00 on 03-01 in Shanghai, still February in UTC.
    const late = {
      ...row("F3"),
      streamId: "late" as ComplaintListRow["streamId"],
      receivedAt: "2026-02-28T17:00:00.000Z",
    };
    const closedLate = { ...late, closedAt: "2026-02-28T18:00:00.000Z" };
    const febShanghai = buildReport([...feb, closedLate], { period: { month: "2026-02" }, policy, calendar });
    const febUtc = buildReport([...feb, closedLate], {
      period: { month: "2026-02" },
      policy,
      calendar,
      timeZone: "UTC",
    });
    expect(febShanghai.total).toBe(feb.length);
    expect(febUtc.total).toBe(feb.length + 1);
  });

  it("refuses a malformed period or an unknown time zone", () => {
    const bad = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return isReportError(e) ? e.code : "other";
      }
      return "none";
    };
    expect(bad(() => buildReport(rows, { period: { month: "2026-13" }, policy, calendar }))).toBe(
      "report/invalid-period",
    );
    expect(bad(() => buildReport(rows, { period: { year: 2026.5 }, policy, calendar }))).toBe(
      "report/invalid-period",
    );
    expect(
      bad(() => buildReport(rows, { period: { month: "2026-02" }, policy, calendar, timeZone: "Mars/Base" })),
    ).toBe("report/invalid-time-zone");
  });
});
