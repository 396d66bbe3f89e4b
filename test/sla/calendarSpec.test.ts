import { describe, expect, it } from "vitest";
import {
  type CalendarSpec,
  type ChinaHolidayYear,
  calendars,
  isCalendarInputError,
  isCalendarRangeError,
  isCalendarSpecError,
} from "../../src/sla/calendar/index.js";

const cst = (text: string): Date => new Date(`${text.replace(" ", "T")}:00+08:00`);

/** The error a call throws (fails the test when it does not throw). */
function thrown(call: () => unknown): unknown {
  try {
    call();
  } catch (error) {
    return error;
  }
  throw new Error("expected the call to throw");
}

/** The field a bad spec is rejected for. */
function rejectedField(spec: unknown): string {
  const error = thrown(() => calendars.create(spec as CalendarSpec));
  if (!isCalendarSpecError(error)) throw error;
  expect(error.name).toBe("CalendarSpecError");
  expect(error.code).toBe("calendar/invalid-spec");
  expect(error.message).toContain(error.field);
  return error.field;
}

// Fictional data for tests: not a real notice.
const fictional2027: ChinaHolidayYear = {
  year: 2027,
  source: { title: "test data, not a notice" },
  periods: [{ name: "元旦", off: { from: "2027-01-01", to: "2027-01-03" }, workdays: ["2027-01-09"] }],
};

describe("days outside the covered years (holiday data is published one year at a time)", () => {
  const cn = calendars.chinaMainland();

  it("throw a typed CalendarRangeError naming the date and the covered range", () => {
    const error = thrown(() => cn.isWorkingDay("2027-01-04"));
    expect(isCalendarRangeError(error)).toBe(true);
    if (!isCalendarRangeError(error)) return;
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe("CalendarRangeError");
    expect(error.code).toBe("calendar/out-of-range");
    expect(error.date).toBe("2027-01-04");
    expect(error.covered).toEqual({ from: "2024-01-01", to: "2026-12-31" });
    expect(error.calendarId).toBe("cn-mainland");
    expect(error.message).toContain("2027-01-04");
    expect(error.message).toContain("2024-01-01..2026-12-31");
  });

  it("name the first uncovered day a deadline would need", () => {
    // Wed 2026-12-30 + 5 working days: Thu 12-31 is the last covered working day.
    const error = thrown(() => cn.addWorkingDays(cst("2026-12-30 10:00"), 5));
    expect(isCalendarRangeError(error) && error.date).toBe("2027-01-01");
    const before = thrown(() => cn.workingTimeBetween(cst("2023-12-29 10:00"), cst("2024-01-03 10:00")));
    expect(isCalendarRangeError(before) && before.date).toBe("2023-12-29");
    const backward = thrown(() => cn.addWorkingHours(cst("2024-01-02 10:00"), -10));
    expect(isCalendarRangeError(backward) && backward.date).toBe("2023-12-31");
  });

  it("do not matter to pure clock helpers", () => {
    expect(cn.localDate(cst("2030-05-01 09:00"))).toBe("2030-05-01");
    expect(cn.addCalendarDays(cst("2030-05-01 09:00"), 1)).toEqual(cst("2030-05-02 09:00"));
    expect(cn.dueDate(cst("2030-05-01 09:00"), { amount: 24, unit: "calendar-hours" })).toEqual(
      cst("2030-05-02 09:00"),
    );
  });

  it('follow the weekly pattern alone with outOfRange: "weekdays"', () => {
    const lenient = calendars.chinaMainland({ outOfRange: "weekdays" });
    // 2027 has no data here: Fri 2027-01-01 is simply a Friday.
    expect(lenient.isWorkingDay("2027-01-01")).toBe(true);
    expect(lenient.isWorkingDay("2027-01-02")).toBe(false);
    // Wed 2026-12-30 + 3: Thu 12-31 = 1, Fri 2027-01-01 = 2, Mon 01-04 = 3.
    expect(lenient.addWorkingDays(cst("2026-12-30 10:00"), 3)).toEqual(cst("2027-01-04 18:00"));
    // Covered years keep their data.
    expect(lenient.isWorkingDay("2026-02-14")).toBe(true);
    expect(lenient.version).not.toBe(cn.version);
    const tooFar = thrown(() => lenient.isWorkingDay("2300-01-01"));
    expect(isCalendarRangeError(tooFar) && tooFar.covered).toBeUndefined();
  });

  it("can be covered with extraYears", () => {
    const extended = calendars.chinaMainland({ extraYears: [fictional2027] });
    expect(extended.coverage).toEqual({ from: "2024-01-01", to: "2027-12-31" });
    expect(extended.isWorkingDay("2027-01-01")).toBe(false);
    expect(extended.isWorkingDay("2027-01-09")).toBe(true); // a Saturday in the fictional data
    // Wed 2026-12-30 + 3: Thu 12-31 = 1, 01-01..01-03 off, Mon 01-04 = 2, Tue 01-05 = 3.
    expect(extended.addWorkingDays(cst("2026-12-30 10:00"), 3)).toEqual(cst("2027-01-05 18:00"));
    expect(extended.version).not.toBe(cn.version);
  });

  it("extraYears replace a shipped year and must leave no gap", () => {
    const corrected = calendars.chinaMainland({
      extraYears: [{ year: 2026, source: { title: "corrected" }, periods: [] }],
    });
    expect(corrected.isWorkingDay("2026-02-16")).toBe(true); // no Spring Festival any more
    const gap = thrown(() =>
      calendars.chinaMainland({ extraYears: [{ ...fictional2027, year: 2028, periods: [] }] }),
    );
    expect(isCalendarSpecError(gap) && gap.field).toBe("extraYears");
    expect(isCalendarSpecError(gap) && gap.message).toContain("2027");
  });

  it("extraYears are validated field by field", () => {
    const bad = {
      ...fictional2027,
      periods: [{ name: "元旦", off: { from: "2027-02-30", to: "2027-01-03" }, workdays: [] }],
    };
    const error = thrown(() => calendars.chinaMainland({ extraYears: [bad] }));
    expect(isCalendarSpecError(error) && error.field).toBe("extraYears.0.periods.0.off.from");
    const reversed = {
      ...fictional2027,
      periods: [{ name: "x", off: { from: "2027-01-03", to: "2027-01-01" }, workdays: [] }],
    };
    const error2 = thrown(() => calendars.chinaMainland({ extraYears: [reversed] }));
    expect(isCalendarSpecError(error2) && error2.field).toBe("extraYears.0.periods.0.off.to");
  });
});

describe("calendars.create validates its spec and names the bad field", () => {
  it.each([
    [{ id: "x", timeZone: "Mars/Olympus" }, "timeZone"],
    [{ id: "" }, "id"],
    [{}, "id"],
    [{ id: "x", hours: ["18:00-09:00"] }, "hours.0"],
    [{ id: "x", hours: ["09:00-12:00", "11:00-18:00"] }, "hours.1"],
    [{ id: "x", hours: ["9:00-12:00"] }, "hours.0"],
    [{ id: "x", hours: [] }, "hours"],
    [{ id: "x", hoursByWeekday: { fri: ["09:00-25:00"] } }, "hoursByWeekday.fri.0"],
    [{ id: "x", hoursByWeekday: { friday: ["09:00-12:00"] } }, "hoursByWeekday.friday"],
    [{ id: "x", weekend: ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] }, "weekend"],
    [{ id: "x", weekend: ["saturday"] }, "weekend.0"],
    [{ id: "x", holidays: ["2026-02-30"] }, "holidays.0"],
    [{ id: "x", holidays: [{ from: "2026-02-20", to: "2026-02-16" }] }, "holidays.0.to"],
    [{ id: "x", holidays: ["2026-01-01"], workingDays: ["2026-01-01"] }, "workingDays.0"],
    [{ id: "x", coverage: { from: "2026-12-31", to: "2026-01-01" } }, "coverage.to"],
    [{ id: "x", coverage: { from: "2026-01-01", to: "2026-12-31" }, holidays: ["2025-12-31"] }, "holidays.0"],
    [{ id: "x", outOfRange: "guess" }, "outOfRange"],
    [{ id: "x", conventions: { receiptDay: "sometimes" } }, "conventions.receiptDay"],
    [{ id: "x", holidy: ["2026-01-01"] }, "holidy"],
  ])("%j → %s", (spec, field) => {
    expect(rejectedField(spec)).toBe(field);
  });

  it("fills in defaults: Asia/Shanghai, 09:00-12:00 + 13:00-18:00, Saturday and Sunday off, no coverage", () => {
    const plain = calendars.create({ id: "plain" });
    expect(plain.timeZone).toBe("Asia/Shanghai");
    expect(plain.coverage).toBeUndefined();
    expect(plain.conventions).toEqual({
      receiptDay: "excluded",
      periodEnd: "close-of-business",
      nonWorkingLastDay: "next-working-day",
    });
    expect(plain.isWorkingDay("2026-02-16")).toBe(true); // no holidays given
    expect(plain.isWorkingDay("1999-12-31")).toBe(true); // unbounded: any supported year
    expect(plain.closeOfBusiness("2026-02-16")).toEqual(cst("2026-02-16 18:00"));
  });

  it("applies per-weekday hours and a custom weekend", () => {
    const shop = calendars.create({
      id: "shop",
      weekend: ["mon"],
      hours: ["10:00-14:00", "15:00-21:00"],
      hoursByWeekday: { sun: ["10:00-16:00"] },
      holidays: [{ from: "2026-02-16", to: "2026-02-20", name: "春节" }],
      workingDays: ["2026-02-23"],
    });
    expect(shop.isWorkingDay("2026-03-02")).toBe(false); // Monday
    expect(shop.isWorkingDay("2026-02-23")).toBe(true); // a Monday made a working day
    expect(shop.closeOfBusiness("2026-03-01")).toEqual(cst("2026-03-01 16:00")); // Sunday hours
    // Sat 2026-02-14 20:00 + 4 h: Sat 20-21 = 1 h, Sun 02-15 10-13 = 3 h.
    expect(shop.addWorkingHours(cst("2026-02-14 20:00"), 4)).toEqual(cst("2026-02-15 13:00"));
  });
});

describe("calendar version (recorded by SLA replay)", () => {
  const base: CalendarSpec = { id: "v", holidays: ["2026-05-01"] };
  const version = (spec: CalendarSpec): string => calendars.create(spec).version;

  it("is stable for the same data and changes with anything that changes results", () => {
    expect(version(base)).toBe(version({ ...base }));
    expect(version(base)).toBe(
      version({ ...base, holidays: [{ from: "2026-05-01", to: "2026-05-01", name: "劳动节" }] }),
    );
    const others = [
      version({ ...base, holidays: ["2026-05-01", "2026-05-04"] }),
      version({ ...base, workingDays: ["2026-05-09"] }),
      version({ ...base, hours: ["09:00-17:00"] }),
      version({ ...base, timeZone: "Asia/Hong_Kong" }),
      version({ ...base, weekend: ["sun"] }),
      version({ ...base, conventions: { receiptDay: "included" } }),
      version({ ...base, outOfRange: "weekdays", coverage: { from: "2026-01-01", to: "2026-12-31" } }),
    ];
    expect(new Set([version(base), ...others]).size).toBe(others.length + 1);
  });
});

describe("calendar methods reject bad arguments with CalendarInputError", () => {
  const cn = calendars.chinaMainland();
  it.each([
    ["an invalid Date", () => cn.addWorkingDays(new Date(Number.NaN), 1), "from"],
    ["a malformed date", () => cn.isWorkingDay("2026-2-1" as "2026-02-01"), "date"],
    ["an impossible date", () => cn.nextWorkingDay("2026-02-30"), "date"],
    ["fractional days", () => cn.addWorkingDays(cst("2026-03-02 10:00"), 1.5), "n"],
    ["negative days", () => cn.addWorkingDays(cst("2026-03-02 10:00"), -1), "n"],
    ["infinite hours", () => cn.addWorkingHours(cst("2026-03-02 10:00"), Number.POSITIVE_INFINITY), "hours"],
    [
      "a negative target",
      () => cn.dueDate(cst("2026-03-02 10:00"), { amount: -1, unit: "working-hours" }),
      "target.amount",
    ],
    [
      "an unknown unit",
      () => cn.dueDate(cst("2026-03-02 10:00"), { amount: 1, unit: "fortnights" as "working-days" }),
      "target.unit",
    ],
  ])("%s", (_, call, argument) => {
    const error = thrown(call);
    expect(isCalendarInputError(error) && error.argument).toBe(argument);
    expect(isCalendarInputError(error) && error.code).toBe("calendar/invalid-input");
  });

  it("recognises errors by name and code across library copies", () => {
    expect(isCalendarRangeError({ name: "CalendarRangeError", code: "calendar/out-of-range" })).toBe(true);
    expect(isCalendarRangeError(new Error("CalendarRangeError"))).toBe(false);
    expect(isCalendarSpecError(null)).toBe(false);
  });
});
