import { describe, expect, it } from "vitest";
import { calendars, chinaMainlandYears } from "../../src/sla/calendar/index.js";

// An independent transcription of the three notices, written as the exceptions to "Monday to
// Friday": weekdays off, and weekend days worked (调休). Cross-checked against the day-by-day
// working-day lists of github.com/awfe/ChinaWorkingDay (2024.json, 2025.json, 2026.json), whose
// per-month counts are repeated below.
const weekdaysOff: Record<number, string[]> = {
  // 国办发明电〔2023〕7号
  2024: [
    "01-01",
    ...["02-12", "02-13", "02-14", "02-15", "02-16"],
    ...["04-04", "04-05"],
    ...["05-01", "05-02", "05-03"],
    "06-10",
    ...["09-16", "09-17"],
    ...["10-01", "10-02", "10-03", "10-04", "10-07"],
  ],
  // 国办发明电〔2024〕12号
  2025: [
    "01-01",
    ...["01-28", "01-29", "01-30", "01-31", "02-03", "02-04"],
    "04-04",
    ...["05-01", "05-02", "05-05"],
    "06-02",
    ...["10-01", "10-02", "10-03", "10-06", "10-07", "10-08"],
  ],
  // 国办发明电〔2025〕7号
  2026: [
    ...["01-01", "01-02"],
    ...["02-16", "02-17", "02-18", "02-19", "02-20", "02-23"],
    "04-06",
    ...["05-01", "05-04", "05-05"],
    "06-19",
    "09-25",
    ...["10-01", "10-02", "10-05", "10-06", "10-07"],
  ],
};
const weekendsWorked: Record<number, string[]> = {
  2024: ["02-04", "02-18", "04-07", "04-28", "05-11", "09-14", "09-29", "10-12"],
  2025: ["01-26", "02-08", "04-27", "09-28", "10-11"],
  2026: ["01-04", "02-14", "02-28", "05-09", "09-20", "10-10"],
};
// Working days per month, counted in awfe/ChinaWorkingDay.
const workingDaysPerMonth: Record<number, number[]> = {
  2024: [22, 18, 21, 22, 21, 19, 23, 22, 21, 19, 21, 22],
  2025: [19, 19, 21, 22, 19, 20, 23, 21, 23, 18, 20, 23],
  2026: [21, 16, 22, 21, 19, 21, 23, 21, 22, 18, 21, 23],
};

const DAY = 86_400_000;
/** Every date of a year as `YYYY-MM-DD` with its UTC weekday (0 = Sunday), independent of the library. */
function daysOf(year: number): { date: string; weekday: number }[] {
  const days: { date: string; weekday: number }[] = [];
  for (let t = Date.UTC(year, 0, 1); t < Date.UTC(year + 1, 0, 1); t += DAY) {
    days.push({ date: new Date(t).toISOString().slice(0, 10), weekday: new Date(t).getUTCDay() });
  }
  return days;
}

const cn = calendars.chinaMainland();

describe("mainland holiday data 2024-2026 (State Council notices)", () => {
  for (const year of [2024, 2025, 2026]) {
    it(`${year}: isWorkingDay agrees with the transcribed notice on every day`, () => {
      const off = new Set(weekdaysOff[year]?.map((md) => `${year}-${md}`));
      const worked = new Set(weekendsWorked[year]?.map((md) => `${year}-${md}`));
      const mismatches = daysOf(year).filter(({ date, weekday }) => {
        const weekend = weekday === 0 || weekday === 6;
        expect(weekend ? !off.has(date) : !worked.has(date)).toBe(true); // the transcription itself
        const expected = weekend ? worked.has(date) : !off.has(date);
        return cn.isWorkingDay(date as `${number}-${number}-${number}`) !== expected;
      });
      expect(mismatches).toEqual([]);
    });

    it(`${year}: working days per month match awfe/ChinaWorkingDay`, () => {
      const counts = Array.from({ length: 12 }, () => 0);
      for (const { date } of daysOf(year)) {
        if (cn.isWorkingDay(date as `${number}-${number}-${number}`)) {
          counts[Number(date.slice(5, 7)) - 1] = (counts[Number(date.slice(5, 7)) - 1] ?? 0) + 1;
        }
      }
      expect(counts).toEqual(workingDaysPerMonth[year]);
    });
  }

  it("names each notice with its document number and date", () => {
    expect(chinaMainlandYears.map(({ year, source }) => [year, source.document, source.issued])).toEqual([
      [2024, "国办发明电〔2023〕7号", "2023-10-25"],
      [2025, "国办发明电〔2024〕12号", "2024-11-12"],
      [2026, "国办发明电〔2025〕7号", "2025-11-04"],
    ]);
  });

  it("lists the periods by name with the lengths the notices state (共N天)", () => {
    const length = ({ off }: { off: { from: string; to: string } }): number =>
      (Date.parse(off.to) - Date.parse(off.from)) / DAY + 1;
    const summary = chinaMainlandYears.map(({ periods }) => periods.map((p) => `${p.name} ${length(p)}`));
    expect(summary).toEqual([
      ["元旦 1", "春节 8", "清明节 3", "劳动节 5", "端午节 1", "中秋节 3", "国庆节 7"],
      ["元旦 1", "春节 8", "清明节 3", "劳动节 5", "端午节 3", "国庆节、中秋节 8"],
      ["元旦 3", "春节 9", "清明节 3", "劳动节 5", "端午节 3", "中秋节 3", "国庆节 7"],
    ]);
  });
});
