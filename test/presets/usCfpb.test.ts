import { describe, expect, it } from "vitest";
import {
  CFPB_OUTCOMES,
  cfpbChannel,
  cfpbOutcome,
  US_FEDERAL_HOLIDAYS,
  usCfpb,
  usFederalCalendar,
} from "../../src/presets/index.js";
import { complaintCase, ny } from "./harness.js";

const us = usFederalCalendar();
const agent = { id: "agent-7", role: "agent", unit: "complaints-office" };

/** 5 U.S.C. 6103 computed from its rules, independently of the shipped table. */
function federalHolidays(year: number): string[] {
  const iso = (m: number, d: number) => `${year}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
  const weekday = (m: number, d: number) => new Date(Date.UTC(year, m - 1, d)).getUTCDay(); // 0 = Sunday
  const nth = (m: number, wd: number, n: number) => {
    let count = 0;
    for (let d = 1; d <= 31; d++) if (weekday(m, d) === wd && ++count === n) return iso(m, d);
    throw new Error("no such day");
  };
  const last = (m: number, wd: number) => {
    for (let d = 31; d >= 1; d--)
      if (new Date(Date.UTC(year, m - 1, d)).getUTCMonth() === m - 1 && weekday(m, d) === wd)
        return iso(m, d);
    throw new Error("no such day");
  };
  const observed = (m: number, d: number) => {
    const shifted = new Date(
      Date.UTC(year, m - 1, d + (weekday(m, d) === 6 ? -1 : weekday(m, d) === 0 ? 1 : 0)),
    );
    return shifted.toISOString().slice(0, 10);
  };
  return [
    observed(1, 1),
    nth(1, 1, 3), // MLK: third Monday of January
    nth(2, 1, 3), // Washington's Birthday: third Monday of February
    last(5, 1), // Memorial Day: last Monday of May
    observed(6, 19),
    observed(7, 4),
    nth(9, 1, 1), // Labor Day
    nth(10, 1, 2), // Columbus Day
    observed(11, 11),
    nth(11, 4, 4), // Thanksgiving: fourth Thursday
    observed(12, 25),
  ];
}

describe("usCfpb preset", () => {
  it("the federal holiday table matches 5 U.S.C. 6103 for 2024-2026", () => {
    const shipped = US_FEDERAL_HOLIDAYS.map((h) => h.from);
    expect(shipped).toEqual([2024, 2025, 2026].flatMap(federalHolidays));
    for (const h of US_FEDERAL_HOLIDAYS) expect(us.isWorkingDay(h.from), h.name).toBe(false);
  });

  it("usFederalCalendar: New York hours, federal holidays for working days, calendar days kept", () => {
    expect(us.timeZone).toBe("America/New_York");
    expect(us.isWorkingDay("2026-07-03")).toBe(false); // Independence Day observed (07-04 is a Saturday)
    expect(us.isWorkingDay("2026-07-06")).toBe(true);
    // One working day from Wed 2025-11-26: Thanksgiving (Thu) is skipped → Fri 11-28, ending at 24:00.
    expect(us.addWorkingDays(new Date(ny("2025-11-26T10:00", "-05:00")), 1).toISOString()).toBe(
      ny("2025-11-29T00:00", "-05:00"),
    );
    // 15 calendar days across the end of daylight saving time (11-02): received Thu 10-23 14:00 EDT,
    // days 10-24..11-07, ending at 24:00 EST on Fri 11-07.
    expect(
      us
        .dueDate(new Date(ny("2025-10-23T14:00", "-04:00")), { amount: 15, unit: "calendar-days" })
        .toISOString(),
    ).toBe("2025-11-08T05:00:00.000Z");
  });

  it("R-02 CFPB channels and outcomes map onto kesu's", () => {
    expect(cfpbChannel("Web")).toBe("online-form");
    expect(cfpbChannel("Referral")).toBe("referral");
    expect(cfpbChannel("Phone")).toBe("phone");
    expect(cfpbChannel(" postal mail ")).toBe("letter");
    expect(cfpbChannel("Fax")).toBe("fax");
    expect(cfpbChannel("Email")).toBe("email");
    expect(cfpbChannel("Carrier pigeon")).toBeUndefined();
    expect(cfpbOutcome("Closed with monetary relief")).toEqual({
      status: "closed",
      relief: "monetary",
      remedyKinds: ["compensation"],
    });
    expect(cfpbOutcome("In progress")).toEqual({ status: "in-progress" });
    expect(cfpbOutcome("Untimely response")).toEqual({ status: "untimely" });
    expect(cfpbOutcome("Sent to regulator")).toBeUndefined();
    expect(Object.keys(CFPB_OUTCOMES)).toContain("Closed with non-monetary relief");
  });

  it("R-24 a credit-report complaint: response in 15 calendar days, final response in 60, in New York time", async () => {
    const c = complaintCase(usCfpb, us, agent);
    // Thursday 2025-11-20 10:00 EST, the week before Thanksgiving.
    const received = await c.run(ny("2025-11-20T10:00", "-05:00"), {
      type: "ReceiveComplaint",
      channel: cfpbChannel("Web") ?? "internal",
      complainant: { id: "consumer-1" },
      description: "Incorrect information on my credit report: the account belongs to someone else",
      externalRef: "13451234",
    });
    // the case number is dated in New York, YYMMDD-NNNNNNN like the CFPB's.
    expect(received.stage !== "none" && received.caseNumber).toBe("251120-0000001");
    await c.run(ny("2025-11-20T10:30", "-05:00"), {
      type: "ClassifyComplaint",
      kind: "complaint",
      category: "credit-reporting",
    });

    // company-response: days 11-21..12-05 (Thanksgiving counts: calendar days) → Fri 12-05 24:00 EST.
    // final-response: 11-21 is day 1, 11-30 day 10, 12-31 day 41, 2026-01-19 day 60 — Martin Luther
    // King Day, kept as the last day: the CFPB counts calendar days → 01-19 24:00 EST.
    const first = await c.sla(ny("2025-11-28T12:00", "-05:00"));
    expect(first.calendar.id).toBe("us-federal");
    expect(first.clocks.map((k) => [k.clockId, k.status, k.dueAt])).toEqual([
      ["company-response", "running", "2025-12-06T05:00:00.000Z"],
      ["final-response", "running", "2026-01-20T05:00:00.000Z"],
    ]);

    // An "in progress" response on 12-04 meets the 15-day clock.
    await c.run(ny("2025-12-04T16:00", "-05:00"), {
      type: "ReportProgress",
      message: "We are investigating with the credit bureau and will respond by January 16.",
      channel: "online-form",
    });
    // The CFPB's clock does not pause while the company waits on the consumer.
    await c.run(ny("2025-12-10T09:00", "-05:00"), {
      type: "StartWaitingOnComplainant",
      reason: "Identity documents requested",
    });
    await c.run(ny("2025-12-22T09:00", "-05:00"), { type: "EndWaitingOnComplainant" });
    const mid = await c.sla(ny("2026-01-05T12:00", "-05:00"));
    expect(mid.clocks.map((k) => [k.clockId, k.status, k.dueAt])).toEqual([
      ["company-response", "met", "2025-12-06T05:00:00.000Z"],
      ["final-response", "at-risk", "2026-01-20T05:00:00.000Z"],
    ]);

    await c.run(ny("2026-01-12T11:00", "-05:00"), {
      type: "RecordInvestigation",
      findings: {
        facts: "Tradeline reported under the wrong SSN",
        rootCause: "Mixed file",
        validity: "valid",
      },
    });
    const outcome = cfpbOutcome("Closed with non-monetary relief");
    if (outcome?.status !== "closed") throw new Error("unexpected outcome");
    await c.run(ny("2026-01-15T15:00", "-05:00"), {
      type: "ProposeResolution",
      remedy: { kinds: [...outcome.remedyKinds], description: "Tradeline deleted; bureaus notified" },
    });
    await c.run(ny("2026-01-16T10:00", "-05:00"), { type: "AcceptResolution" });
    await c.run(ny("2026-01-16T10:05", "-05:00"), { type: "CloseComplaint" });
    const done = await c.sla(ny("2026-01-21T12:00", "-05:00"));
    expect(done.clocks.map((k) => k.status)).toEqual(["met", "met"]);
  });

  it("R-27 remedies are in US dollars within the agent's authority", async () => {
    const c = complaintCase(usCfpb, us, agent);
    await c.run(ny("2025-03-03T09:00", "-05:00"), {
      type: "ReceiveComplaint",
      channel: "phone",
      complainant: { id: "consumer-2" },
      description: "Overdraft fee charged twice",
    });
    await c.run(ny("2025-03-03T09:10", "-05:00"), {
      type: "ClassifyComplaint",
      kind: "complaint",
      category: "checking-savings",
    });
    await c.run(ny("2025-03-03T10:00", "-05:00"), {
      type: "RecordInvestigation",
      findings: { facts: "Duplicate fee", validity: "valid" },
    });
    const yuan = await c.reject(ny("2025-03-03T11:00", "-05:00"), {
      type: "ProposeResolution",
      remedy: { kinds: ["compensation"], description: "Refund", value: { amount: 35, currency: "CNY" } },
    });
    expect(yuan.code).toBe("policy/currency-mismatch");
    await c.run(ny("2025-03-03T11:00", "-05:00"), {
      type: "ProposeResolution",
      remedy: {
        kinds: ["compensation"],
        description: "Refund of the duplicate fee",
        value: { amount: 35, currency: "USD" },
      },
    });
  });
});
