import { afterEach, describe, expect, it } from "vitest";
import { type BusinessCalendar, calendars } from "../../src/sla/calendar/index.js";

// New York 2026: DST starts Sun 03-08 at 02:00 EST (07:00Z) → 03:00 EDT, and ends Sun 11-01 at
// 02:00 EDT (06:00Z) → 01:00 EST. EST = UTC-5, EDT = UTC-4.
const utc = (text: string): Date => new Date(`${text}Z`);

const nySupport = calendars.create({
  id: "ny-support",
  timeZone: "America/New_York",
  hours: ["09:00-17:00"],
});

describe("the host time zone never matters (results are identical under every TZ project)", () => {
  const hostZone = process.env.TZ;

  it("runs under the zone its vitest project sets", () => {
    if (hostZone === undefined) return; // run outside the TZ projects
    expect(Intl.DateTimeFormat().resolvedOptions().timeZone).toBe(hostZone);
  });

  const zones = ["UTC", "America/New_York", "Asia/Shanghai", "Pacific/Kiritimati"];
  afterEach(() => {
    if (hostZone === undefined) delete process.env.TZ;
    else process.env.TZ = hostZone;
  });

  it("gives the same answers after switching process.env.TZ in-process", () => {
    const battery = (calendar: BusinessCalendar): unknown[] => {
      const monday = utc("2026-03-09T01:30:00"); // Monday 09:30 in Shanghai, Sunday evening in New York
      return [
        calendar.localDate(monday),
        calendar.isWorkingDay("2026-03-09"),
        calendar.nextWorkingDay("2026-03-06"),
        calendar.addWorkingDays(monday, 1).toISOString(),
        calendar.addWorkingHours(monday, 10).toISOString(),
        calendar.startOfLocalDay("2026-03-08").toISOString(),
        calendar.addCalendarDays(monday, 1).toISOString(),
        calendar.workingTimeBetween(monday, utc("2026-03-12T00:00:00")),
      ];
    };
    const results = zones.map((zone) => {
      process.env.TZ = zone;
      // Node re-reads TZ on assignment; prove the switch took effect.
      expect(new Date(Date.UTC(2026, 0, 1)).getTimezoneOffset()).toBe(
        { UTC: 0, "America/New_York": 300, "Asia/Shanghai": -480, "Pacific/Kiritimati": -840 }[zone],
      );
      // Fresh calendars, so nothing is cached from another zone.
      return [
        battery(calendars.chinaMainland()),
        battery(calendars.create({ id: "ny", timeZone: "America/New_York" })),
      ];
    });
    for (const result of results) expect(result).toEqual(results[0]);
    // Monday 2026-03-09 in Shanghai is a Monday: the wrong-Monday bug would say Sunday 03-08.
    expect((results[0] as unknown[][])[0]?.[0]).toBe("2026-03-09");
  });
});

describe("daylight saving: a custom New York calendar across the March and November transitions", () => {
  it("starts days at local midnight on both sides of the change", () => {
    expect(nySupport.startOfLocalDay("2026-03-08")).toEqual(utc("2026-03-08T05:00:00")); // EST
    expect(nySupport.startOfLocalDay("2026-03-09")).toEqual(utc("2026-03-09T04:00:00")); // EDT
    expect(nySupport.localDate(utc("2026-03-08T04:59:59"))).toBe("2026-03-07");
    expect(nySupport.localDate(utc("2026-03-08T05:00:00"))).toBe("2026-03-08");
    expect(nySupport.startOfLocalDay("2026-11-01")).toEqual(utc("2026-11-01T04:00:00")); // EDT
    expect(nySupport.startOfLocalDay("2026-11-02")).toEqual(utc("2026-11-02T05:00:00")); // EST
  });

  it("2 working hours from Fri 2026-03-06 16:00 EST end Mon 03-09 10:00 EDT", () => {
    // Fri 16:00-17:00 = 1 h; weekend; Mon 09:00-10:00 EDT = 1 h. 10:00 EDT = 14:00Z.
    expect(nySupport.addWorkingHours(utc("2026-03-06T21:00:00"), 2)).toEqual(utc("2026-03-09T14:00:00"));
    expect(nySupport.workingTimeBetween(utc("2026-03-06T21:00:00"), utc("2026-03-09T14:00:00"))).toBe(
      2 * 3_600_000,
    );
  });

  it("2 working hours from Fri 2026-10-30 16:00 EDT end Mon 11-02 10:00 EST", () => {
    // 16:00 EDT = 20:00Z; Mon 10:00 EST = 15:00Z.
    expect(nySupport.addWorkingHours(utc("2026-10-30T20:00:00"), 2)).toEqual(utc("2026-11-02T15:00:00"));
  });

  it("1 working day from Fri 2026-03-06 ends Mon 03-09 at 17:00 EDT", () => {
    expect(nySupport.addWorkingDays(utc("2026-03-06T15:00:00"), 1)).toEqual(utc("2026-03-09T21:00:00"));
  });

  it("counts the transition Sundays as 23 and 25 hours on a 24/7 calendar", () => {
    const allWeek = calendars.create({
      id: "ny-24-7",
      timeZone: "America/New_York",
      hours: ["00:00-24:00"],
      weekend: [],
    });
    const day = (date: "2026-03-08" | "2026-11-01", next: "2026-03-09" | "2026-11-02"): number =>
      allWeek.workingTimeBetween(allWeek.startOfLocalDay(date), allWeek.startOfLocalDay(next)) / 3_600_000;
    expect(day("2026-03-08", "2026-03-09")).toBe(23);
    expect(day("2026-11-01", "2026-11-02")).toBe(25);
    expect(allWeek.closeOfBusiness("2026-03-08")).toEqual(utc("2026-03-09T04:00:00"));
  });

  it("works Sunday hours that span the change: 01:00-04:00 lasts 2 h in March and 4 h in November", () => {
    const sundayShift = calendars.create({
      id: "ny-sunday-shift",
      timeZone: "America/New_York",
      weekend: ["sat"],
      hours: ["09:00-17:00"],
      hoursByWeekday: { sun: ["01:00-04:00"] },
    });
    // March: 01:00 EST = 06:00Z, 04:00 EDT = 08:00Z.
    expect(sundayShift.closeOfBusiness("2026-03-08")).toEqual(utc("2026-03-08T08:00:00"));
    const march = sundayShift.startOfLocalDay("2026-03-08");
    expect(sundayShift.workingTimeBetween(march, sundayShift.startOfLocalDay("2026-03-09"))).toBe(
      2 * 3_600_000,
    );
    expect(sundayShift.addWorkingHours(march, 1.5)).toEqual(utc("2026-03-08T07:30:00")); // 03:30 EDT
    // November: 01:00 EDT = 05:00Z (the first 01:00), 04:00 EST = 09:00Z.
    const november = sundayShift.startOfLocalDay("2026-11-01");
    expect(sundayShift.workingTimeBetween(november, sundayShift.startOfLocalDay("2026-11-02"))).toBe(
      4 * 3_600_000,
    );
    expect(sundayShift.closeOfBusiness("2026-11-01")).toEqual(utc("2026-11-01T09:00:00"));
  });

  it("keeps the wall-clock time when adding calendar days, and elapsed time when adding hours", () => {
    const saturday = utc("2026-03-07T14:00:00"); // 09:00 EST
    expect(nySupport.addCalendarDays(saturday, 1)).toEqual(utc("2026-03-08T13:00:00")); // 09:00 EDT
    expect(nySupport.addCalendarHours(saturday, 24)).toEqual(utc("2026-03-08T14:00:00")); // 10:00 EDT
    // 02:30 does not exist on 03-08: it moves forward by the gap, to 03:30 EDT (07:30Z).
    expect(nySupport.addCalendarDays(utc("2026-03-07T07:30:00"), 1)).toEqual(utc("2026-03-08T07:30:00"));
    // 01:30 happens twice on 11-01: the earlier (EDT, 05:30Z) is chosen.
    expect(nySupport.addCalendarDays(utc("2026-10-31T05:30:00"), 1)).toEqual(utc("2026-11-01T05:30:00"));
  });
});

describe("time zone offsets", () => {
  it("follows historical rules too: Shanghai kept daylight saving time in 1988", () => {
    const oldShanghai = calendars.create({ id: "sh-1988", outOfRange: "weekdays" });
    expect(oldShanghai.startOfLocalDay("1988-07-01")).toEqual(utc("1988-06-30T15:00:00")); // UTC+9
    expect(oldShanghai.startOfLocalDay("1988-12-01")).toEqual(utc("1988-11-30T16:00:00")); // UTC+8
  });

  it("handles half-hour daylight saving (Australia/Lord_Howe: +10:30 in winter, +11 in summer)", () => {
    const lordHowe = calendars.create({ id: "lhi", timeZone: "Australia/Lord_Howe" });
    expect(lordHowe.startOfLocalDay("2026-07-01")).toEqual(utc("2026-06-30T13:30:00"));
    expect(lordHowe.startOfLocalDay("2026-01-05")).toEqual(utc("2026-01-04T13:00:00"));
  });

  it("treats UTC as a fixed zone", () => {
    const utcCalendar = calendars.create({ id: "utc", timeZone: "UTC" });
    expect(utcCalendar.closeOfBusiness("2026-03-30")).toEqual(utc("2026-03-30T18:00:00"));
  });
});
