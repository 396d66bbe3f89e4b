/**
 * Mainland China public holidays and adjusted working days (调休), as published each year by the
 * General Office of the State Council in 国务院办公厅关于20XX年部分节假日安排的通知.
 *
 * Plain data: no logic, no imports of runtime code. Each period lists its days off (`off`, both
 * ends inclusive, exactly as the notice states them) and the weekend days worked in exchange
 * (`workdays`, listed under the period the notice lists them with).
 *
 * Checked on entry against the notice texts reprinted by People's Daily / Xinhua (URLs below) and
 * against the day-by-day working-day lists of github.com/awfe/ChinaWorkingDay (2024.json,
 * 2025.json, 2026.json). A new year is added when its notice appears, usually in November.
 */

/** One holiday period of a notice: its name, days off and 调休 working days. */
export interface ChinaHolidayPeriod {
  /** Name as in the notice: 元旦, 春节, 清明节, 劳动节, 端午节, 中秋节, 国庆节 (or 国庆节、中秋节 combined). */
  readonly name: string;
  /** Days off, both inclusive (`YYYY-MM-DD`). */
  readonly off: { readonly from: string; readonly to: string };
  /** Weekend days that are working days in exchange (调休上班), `YYYY-MM-DD`. */
  readonly workdays: readonly string[];
}

/** Where a year's data comes from. */
export interface ChinaHolidaySource {
  /** Title of the notice. */
  readonly title: string;
  /** Document number, e.g. 国办发明电〔2024〕12号. */
  readonly document?: string;
  /** Date the notice was issued, `YYYY-MM-DD`. */
  readonly issued?: string;
  /** Where the text was read. */
  readonly url?: string;
}

/** One year of mainland holiday data. */
export interface ChinaHolidayYear {
  readonly year: number;
  readonly source: ChinaHolidaySource;
  readonly periods: readonly ChinaHolidayPeriod[];
}

/** The years shipped with kesu: 2024, 2025, 2026. */
export const chinaMainlandYears: readonly ChinaHolidayYear[] = [
  {
    year: 2024,
    source: {
      title: "国务院办公厅关于2024年部分节假日安排的通知",
      document: "国办发明电〔2023〕7号",
      issued: "2023-10-25",
      url: "http://paper.people.com.cn/rmrb/html/2023-10/26/nw.D110000renmrb_20231026_3-06.htm",
    },
    periods: [
      { name: "元旦", off: { from: "2024-01-01", to: "2024-01-01" }, workdays: [] },
      { name: "春节", off: { from: "2024-02-10", to: "2024-02-17" }, workdays: ["2024-02-04", "2024-02-18"] },
      { name: "清明节", off: { from: "2024-04-04", to: "2024-04-06" }, workdays: ["2024-04-07"] },
      {
        name: "劳动节",
        off: { from: "2024-05-01", to: "2024-05-05" },
        workdays: ["2024-04-28", "2024-05-11"],
      },
      { name: "端午节", off: { from: "2024-06-10", to: "2024-06-10" }, workdays: [] },
      { name: "中秋节", off: { from: "2024-09-15", to: "2024-09-17" }, workdays: ["2024-09-14"] },
      {
        name: "国庆节",
        off: { from: "2024-10-01", to: "2024-10-07" },
        workdays: ["2024-09-29", "2024-10-12"],
      },
    ],
  },
  {
    year: 2025,
    source: {
      title: "国务院办公厅关于2025年部分节假日安排的通知",
      document: "国办发明电〔2024〕12号",
      issued: "2024-11-12",
      url: "https://m.gmw.cn/2024-11/12/content_1303894933.htm",
    },
    periods: [
      { name: "元旦", off: { from: "2025-01-01", to: "2025-01-01" }, workdays: [] },
      { name: "春节", off: { from: "2025-01-28", to: "2025-02-04" }, workdays: ["2025-01-26", "2025-02-08"] },
      { name: "清明节", off: { from: "2025-04-04", to: "2025-04-06" }, workdays: [] },
      { name: "劳动节", off: { from: "2025-05-01", to: "2025-05-05" }, workdays: ["2025-04-27"] },
      { name: "端午节", off: { from: "2025-05-31", to: "2025-06-02" }, workdays: [] },
      {
        name: "国庆节、中秋节",
        off: { from: "2025-10-01", to: "2025-10-08" },
        workdays: ["2025-09-28", "2025-10-11"],
      },
    ],
  },
  {
    year: 2026,
    source: {
      title: "国务院办公厅关于2026年部分节假日安排的通知",
      document: "国办发明电〔2025〕7号",
      issued: "2025-11-04",
      url: "https://politics.gmw.cn/2025-11/04/content_38391083.htm",
    },
    periods: [
      { name: "元旦", off: { from: "2026-01-01", to: "2026-01-03" }, workdays: ["2026-01-04"] },
      { name: "春节", off: { from: "2026-02-15", to: "2026-02-23" }, workdays: ["2026-02-14", "2026-02-28"] },
      { name: "清明节", off: { from: "2026-04-04", to: "2026-04-06" }, workdays: [] },
      { name: "劳动节", off: { from: "2026-05-01", to: "2026-05-05" }, workdays: ["2026-05-09"] },
      { name: "端午节", off: { from: "2026-06-19", to: "2026-06-21" }, workdays: [] },
      { name: "中秋节", off: { from: "2026-09-25", to: "2026-09-27" }, workdays: [] },
      {
        name: "国庆节",
        off: { from: "2026-10-01", to: "2026-10-07" },
        workdays: ["2026-09-20", "2026-10-10"],
      },
    ],
  },
];
