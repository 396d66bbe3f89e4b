import { describe, expect, it } from "vitest";
import { calendars } from "../../src/sla/calendar/index.js";

// Every expected value below is worked out by hand from the State Council notices (2025: 国办发明电
// 〔2024〕12号, 2026: 国办发明电〔2025〕7号) and a paper calendar; the comments show the counting.

/** An instant written as Shanghai wall-clock time, e.g. `cst("2026-02-14 16:00")`. */
const cst = (text: string): Date => new Date(`${text.replace(" ", "T")}:00+08:00`);

const cn = calendars.chinaMainland();
// The example hours of our issue: 09:00-12:00 and 13:00-18:00, 8 h a day (also the default).
const cnExplicit = calendars.chinaMainland({ hours: ["09:00-12:00", "13:00-18:00"] });

describe("DOMAIN §3 working hours: lunch breaks excluded, 调休 days included", () => {
  it("8 working hours from Fri 2026-02-13 16:00 end on the 调休 Saturday 02-14 at 16:00", () => {
    // Fri 16:00-18:00 = 2 h; Sat 02-14 (worked before Spring Festival) 09:00-12:00 = 3 h (5 h),
    // lunch 12:00-13:00 skipped, 13:00-16:00 = 3 h (8 h).
    expect(cnExplicit.addWorkingHours(cst("2026-02-13 16:00"), 8)).toEqual(cst("2026-02-14 16:00"));
    expect(cnExplicit.dueDate(cst("2026-02-13 16:00"), { amount: 8, unit: "working-hours" })).toEqual(
      cst("2026-02-14 16:00"),
    );
  });

  it("an after-hours receipt (Fri 2026-02-13 20:00) starts counting at the next working interval", () => {
    // Next interval: Sat 02-14 09:00. 09-12 = 3 h, 13-18 = 5 h → 8 h used up at 18:00 exactly,
    // which is the deadline (not 09:00 of the next working day).
    expect(cn.addWorkingHours(cst("2026-02-13 20:00"), 8)).toEqual(cst("2026-02-14 18:00"));
  });

  it("a holiday receipt (Mon 2026-02-16, Spring Festival) starts counting on Tue 02-24", () => {
    // 02-15..02-23 are off; Tue 02-24 09:00-12:00 = 3 h, 13:00-14:00 = 1 h.
    expect(cn.addWorkingHours(cst("2026-02-16 10:00"), 4)).toEqual(cst("2026-02-24 14:00"));
  });

  it("a receipt during lunch (Tue 2026-03-03 12:30) starts counting at 13:00", () => {
    expect(cn.addWorkingHours(cst("2026-03-03 12:30"), 1)).toEqual(cst("2026-03-03 14:00"));
  });

  it("16 working hours from Fri 2026-09-18 17:00 use the 调休 Sunday 09-20 before National Day", () => {
    // Fri 17-18 = 1 h; Sat 09-19 off; Sun 09-20 worked: 8 h (9 h); Mon 09-21 09-12 = 3 h (12 h),
    // 13-17 = 4 h (16 h).
    expect(cn.addWorkingHours(cst("2026-09-18 17:00"), 16)).toEqual(cst("2026-09-21 17:00"));
  });

  it("a 13:30 afternoon start gives 7.5 h days", () => {
    const late = calendars.chinaMainland({ hours: ["09:00-12:00", "13:30-18:00"] });
    // Mon 2026-03-02: 3 h + 4.5 h = 7.5 h; the last 0.5 h is Tue 03-03 09:00-09:30.
    expect(late.addWorkingHours(cst("2026-03-02 09:00"), 8)).toEqual(cst("2026-03-03 09:30"));
  });

  it("working time between two instants counts only working intervals", () => {
    // Fri 02-13 16-18 (2 h) + Sat 02-14 (8 h) + holiday 02-15..02-23 (0) + Tue 02-24 09-10 (1 h).
    const hours = cn.workingTimeBetween(cst("2026-02-13 16:00"), cst("2026-02-24 10:00")) / 3_600_000;
    expect(hours).toBe(11);
    expect(cn.workingTimeBetween(cst("2026-02-24 10:00"), cst("2026-02-13 16:00")) / 3_600_000).toBe(-11);
    expect(cn.workingTimeBetween(cst("2026-02-15 10:00"), cst("2026-02-20 10:00"))).toBe(0);
  });
});

describe("DOMAIN §3 working days (工作日) across Spring Festival, Civil Code art. 201 (receipt day not counted)", () => {
  it("3 working days from Fri 2026-02-13 10:00 end Wed 02-25 at close of business", () => {
    // Fri 02-13 not counted; Sat 02-14 (调休) = 1; 02-15..02-23 off; Tue 02-24 = 2; Wed 02-25 = 3.
    expect(cn.addWorkingDays(cst("2026-02-13 10:00"), 3)).toEqual(cst("2026-02-25 18:00"));
    expect(cn.dueDate(cst("2026-02-13 10:00"), { amount: 3, unit: "working-days" })).toEqual(
      cst("2026-02-25 18:00"),
    );
  });

  it("2 working days from Sat 2025-01-25 end Mon 01-27, the Sunday 01-26 being a 调休 working day", () => {
    // Sat 01-25 not counted (and a rest day); Sun 01-26 = 1; Mon 01-27 = 2.
    expect(cn.addWorkingDays(cst("2025-01-25 11:00"), 2)).toEqual(cst("2025-01-27 18:00"));
    // Third day: 01-28..02-04 off, so Wed 02-05.
    expect(cn.addWorkingDays(cst("2025-01-25 11:00"), 3)).toEqual(cst("2025-02-05 18:00"));
  });

  it("4 working days from the last holiday (Tue 2025-02-04) end on the 调休 Saturday 02-08", () => {
    // Wed 02-05 = 1, Thu 02-06 = 2, Fri 02-07 = 3, Sat 02-08 (worked) = 4.
    expect(cn.addWorkingDays(cst("2025-02-04 12:00"), 4)).toEqual(cst("2025-02-08 18:00"));
  });

  it("2 working days from Sat 2026-02-28 (a 调休 working day) start counting on Mon 03-02", () => {
    // The receipt day is not counted even when it is a working day: Mon 03-02 = 1, Tue 03-03 = 2.
    expect(cn.addWorkingDays(cst("2026-02-28 09:30"), 2)).toEqual(cst("2026-03-03 18:00"));
  });
});

describe("DOMAIN §3 working days across National Day", () => {
  it("3 working days from Fri 2025-09-26 15:00 end Tue 09-30 (Sun 09-28 is worked)", () => {
    // Sat 09-27 rest; Sun 09-28 (调休) = 1; Mon 09-29 = 2; Tue 09-30 = 3.
    expect(cn.addWorkingDays(cst("2025-09-26 15:00"), 3)).toEqual(cst("2025-09-30 18:00"));
  });

  it("5 working days from Tue 2025-09-30 end Tue 10-14 (10-01..10-08 off, Sat 10-11 worked)", () => {
    // Thu 10-09 = 1, Fri 10-10 = 2, Sat 10-11 = 3, Sun 10-12 rest, Mon 10-13 = 4, Tue 10-14 = 5.
    expect(cn.addWorkingDays(cst("2025-09-30 10:00"), 5)).toEqual(cst("2025-10-14 18:00"));
  });

  it("2 working days from Thu 2026-10-08 end on the 调休 Saturday 10-10", () => {
    // Fri 10-09 = 1, Sat 10-10 = 2.
    expect(cn.addWorkingDays(cst("2026-10-08 09:30"), 2)).toEqual(cst("2026-10-10 18:00"));
  });

  it("end of next working day from Wed 2026-09-30 is Thu 10-08 at close of business", () => {
    expect(cn.dueDate(cst("2026-09-30 11:00"), { amount: 1, unit: "end-of-next-working-day" })).toEqual(
      cst("2026-10-08 18:00"),
    );
    // amount 0: the working day in progress, or the next one after close of business.
    expect(cn.dueDate(cst("2026-09-30 11:00"), { amount: 0, unit: "end-of-next-working-day" })).toEqual(
      cst("2026-09-30 18:00"),
    );
    expect(cn.dueDate(cst("2026-09-30 19:00"), { amount: 0, unit: "end-of-next-working-day" })).toEqual(
      cst("2026-10-08 18:00"),
    );
  });

  it("nextWorkingDay and isWorkingDay follow the 2026 notice", () => {
    expect(cn.nextWorkingDay("2026-09-30")).toBe("2026-10-08");
    expect(cn.nextWorkingDay("2026-09-18")).toBe("2026-09-20"); // Sunday 09-20 is worked
    expect(cn.isWorkingDay("2026-10-10")).toBe(true); // Saturday, 调休
    expect(cn.isWorkingDay("2026-09-25")).toBe(false); // Friday, 中秋节
  });
});

describe("Civil Code art. 203: calendar-day periods end on a working day, at close of business", () => {
  it("7 days from Fri 2025-09-26: the last day 10-03 is a holiday, so the period ends Thu 10-09", () => {
    // Art. 201: counting starts 09-27; day 7 is 10-03, inside 10-01..10-08; next working day 10-09.
    expect(cn.dueDate(cst("2025-09-26 10:00"), { amount: 7, unit: "calendar-days" })).toEqual(
      cst("2025-10-09 18:00"),
    );
  });

  it("10 days from Wed 2026-09-30 end on Sat 10-10 itself, a 调休 working day", () => {
    expect(cn.dueDate(cst("2026-09-30 10:00"), { amount: 10, unit: "calendar-days" })).toEqual(
      cst("2026-10-10 18:00"),
    );
  });

  it("2 days from Thu 2026-03-05 end on Mon 03-09, the last day being a Saturday", () => {
    expect(cn.dueDate(cst("2026-03-05 10:00"), { amount: 2, unit: "calendar-days" })).toEqual(
      cst("2026-03-09 18:00"),
    );
  });

  it("calendar hours ignore holidays and business hours (24 h)", () => {
    expect(cn.dueDate(cst("2026-02-16 10:00"), { amount: 24, unit: "calendar-hours" })).toEqual(
      cst("2026-02-17 10:00"),
    );
    expect(cn.addCalendarHours(cst("2026-02-13 16:00"), 24)).toEqual(cst("2026-02-14 16:00"));
  });
});

describe("conventions are configurable", () => {
  it('receiptDay "included" counts the day of receipt when it arrives before close of business', () => {
    const included = calendars.chinaMainland({ conventions: { receiptDay: "included" } });
    // Fri 02-13 = 1, Sat 02-14 = 2, Tue 02-24 = 3.
    expect(included.addWorkingDays(cst("2026-02-13 10:00"), 3)).toEqual(cst("2026-02-24 18:00"));
    // After 18:00 the day is over: Sat 02-14 = 1, Tue 02-24 = 2, Wed 02-25 = 3.
    expect(included.addWorkingDays(cst("2026-02-13 19:00"), 3)).toEqual(cst("2026-02-25 18:00"));
  });

  it('periodEnd "end-of-day" ends periods at 24:00', () => {
    const midnight = calendars.chinaMainland({ conventions: { periodEnd: "end-of-day" } });
    expect(midnight.addWorkingDays(cst("2026-02-13 10:00"), 3)).toEqual(cst("2026-02-26 00:00"));
  });

  it('nonWorkingLastDay "keep" ends a calendar-day period on its holiday, at 24:00', () => {
    const keep = calendars.chinaMainland({ conventions: { nonWorkingLastDay: "keep" } });
    expect(keep.dueDate(cst("2025-09-26 10:00"), { amount: 7, unit: "calendar-days" })).toEqual(
      cst("2025-10-04 00:00"),
    );
  });

  it("a calendar without business hours ends periods at 24:00 (art. 203 ¶2)", () => {
    const allDay = calendars.chinaMainland({ hours: ["00:00-24:00"] });
    expect(allDay.addWorkingDays(cst("2026-02-13 10:00"), 3)).toEqual(cst("2026-02-26 00:00"));
    // 8 working hours from Fri 16:00: 8 h of Friday remain → Sat 00:00.
    expect(allDay.addWorkingHours(cst("2026-02-13 16:00"), 8)).toEqual(cst("2026-02-14 00:00"));
  });
});

describe("calendar-time helpers", () => {
  it("read dates in Shanghai whatever the instant's UTC date", () => {
    expect(cn.localDate(new Date("2026-02-13T17:00:00Z"))).toBe("2026-02-14"); // 01:00 in Shanghai
    expect(cn.startOfLocalDay("2026-02-14")).toEqual(new Date("2026-02-13T16:00:00Z"));
    expect(cn.startOfLocalDay(cst("2026-02-14 23:59"))).toEqual(cst("2026-02-14 00:00"));
    expect(cn.closeOfBusiness("2026-02-14")).toEqual(cst("2026-02-14 18:00"));
    expect(cn.closeOfBusiness("2026-02-15")).toEqual(cst("2026-02-16 00:00")); // holiday: 24:00
    expect(cn.addCalendarDays(cst("2026-02-13 16:00"), 10)).toEqual(cst("2026-02-23 16:00"));
  });

  it("identify the calendar and its data", () => {
    expect(cn.id).toBe("cn-mainland");
    expect(cn.timeZone).toBe("Asia/Shanghai");
    expect(cn.coverage).toEqual({ from: "2024-01-01", to: "2026-12-31" });
    expect(cn.version).toMatch(/^[0-9a-f]{16}$/);
    expect(calendars.chinaMainland().version).toBe(cn.version);
  });
});
