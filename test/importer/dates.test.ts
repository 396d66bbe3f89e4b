import { describe, expect, it } from "vitest";
import { compileDateFormat } from "../../src/importer/index.js";

const iso = compileDateFormat("YYYY-MM-DD");
const us = compileDateFormat("MM/DD/YYYY");
const dmy = compileDateFormat("DD-MM-YYYY");
const stamp = compileDateFormat("MM/DD/YYYY hh:mm:ss A");

describe("compileDateFormat: explicit formats, no guessing", () => {
  it("reads the four formats the CFPB extracts use", () => {
    expect(iso.parse("2019-09-24")).toEqual({ year: 2019, month: 9, day: 24 });
    expect(us.parse("8/30/2013")).toEqual({ year: 2013, month: 8, day: 30 });
    expect(us.parse("09/12/2016")).toEqual({ year: 2016, month: 9, day: 12 });
    expect(dmy.parse("27-04-2023")).toEqual({ year: 2023, month: 4, day: 27 });
    expect(stamp.parse("09/24/2019 12:00:00 AM")).toEqual({ year: 2019, month: 9, day: 24 });
    expect(stamp.parse("9/24/2019 11:59:59 pm")).toEqual({ year: 2019, month: 9, day: 24 });
  });

  it("refuses days that do not exist and values that only look like dates", () => {
    expect(iso.parse("2019-02-29")).toBeUndefined(); // 2019 is not a leap year
    expect(iso.parse("2020-02-29")).toEqual({ year: 2020, month: 2, day: 29 });
    expect(iso.parse("1900-02-29")).toBeUndefined(); // divisible by 100, not by 400
    expect(iso.parse("2000-02-29")).toEqual({ year: 2000, month: 2, day: 29 });
    expect(us.parse("13/01/2019")).toBeUndefined();
    expect(us.parse("04/31/2019")).toBeUndefined();
    expect(dmy.parse("2019-09-24")).toBeUndefined();
    expect(iso.parse("2019-09-24T00:00:00Z")).toBeUndefined();
    expect(iso.parse("24 September 2019")).toBeUndefined();
    expect(stamp.parse("09/24/2019 13:00:00 PM")).toBeUndefined();
    expect(stamp.parse("09/24/2019 00:00:00 AM")).toBeUndefined();
    expect(stamp.parse("09/24/2019")).toBeUndefined();
  });

  it("a format must name the year, month and day once, and a time must be 12-hour with AM/PM", () => {
    expect(compileDateFormat("MM/YYYY").problem).toMatch(/YYYY, MM and DD/);
    expect(compileDateFormat("DD/MM/YYYY DD").problem).toMatch(/YYYY, MM and DD/);
    expect(compileDateFormat("YYYY-MM-DD hh:mm").problem).toMatch(/12-hour/);
    expect(compileDateFormat("YYYY.MM.DD").parse("2019.09.24")).toEqual({ year: 2019, month: 9, day: 24 });
    // A dot is a literal, not "any character".
    expect(compileDateFormat("YYYY.MM.DD").parse("2019x09x24")).toBeUndefined();
  });
});
