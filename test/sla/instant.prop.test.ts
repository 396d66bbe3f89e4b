import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatInstant, parseInstant } from "../../src/sla/instant.js";

// Years 0000-9999 in whole milliseconds, plus some outside: the fast paths and the fallbacks.
const FOUR_DIGIT_YEARS = { min: -62_167_219_200_000, max: 253_402_300_799_999 };
const anyInstant = fc.oneof(
  fc.integer(FOUR_DIGIT_YEARS),
  fc.integer({ min: -8.64e15, max: 8.64e15 }),
  fc.constantFrom(
    0,
    -1,
    FOUR_DIGIT_YEARS.min,
    FOUR_DIGIT_YEARS.max,
    FOUR_DIGIT_YEARS.max + 1,
    951_782_400_000,
  ),
);

describe("instants", () => {
  it("formatInstant equals Date#toISOString", () => {
    fc.assert(
      fc.property(anyInstant, (ms) => {
        expect(formatInstant(ms)).toBe(new Date(ms).toISOString());
      }),
      { numRuns: 5000 },
    );
  });

  it("formatInstant equals Date#toISOString for instants that share days, past its memory's bound", () => {
    // The date part of an answer is remembered per day: many instants a day, and more days than
    // the memory holds, so it is both reused and emptied.
    const base = Date.UTC(2025, 0, 1);
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 6000 * 86_400_000 }), { minLength: 500, maxLength: 2000 }),
        (offsets) => {
          for (const offset of offsets) {
            for (const ms of [base + offset, base + (offset % (20 * 86_400_000))])
              expect(formatInstant(ms)).toBe(new Date(ms).toISOString());
          }
        },
      ),
      { numRuns: 20 },
    );
  });

  it("formatInstant takes what the built-in takes: fractions, and throws on NaN", () => {
    expect(formatInstant(1.7)).toBe(new Date(1.7).toISOString());
    expect(formatInstant(-1.5)).toBe(new Date(-1.5).toISOString());
    expect(() => formatInstant(Number.NaN)).toThrow(RangeError);
  });

  it("parseInstant reads back what toISOString writes", () => {
    fc.assert(
      fc.property(anyInstant, (ms) => {
        const text = new Date(ms).toISOString();
        expect(parseInstant(text)).toBe(Date.parse(text));
        expect(parseInstant(text)).toBe(ms);
      }),
      { numRuns: 5000 },
    );
  });

  it("parseInstant equals Date.parse on near-misses and other shapes", () => {
    const samples = [
      "2026-02-29T00:00:00.000Z", // not a leap year: the built-in rolls over
      "2026-02-30T10:00:00.000Z",
      "2026-01-31T23:59:59.999Z",
      "2026-01-01T24:00:00.000Z",
      "2026-13-01T00:00:00.000Z",
      "2026-00-10T00:00:00.000Z",
      "2026-01-00T00:00:00.000Z",
      "2026-01-01T23:60:00.000Z",
      "2026-01-01T23:59:60.000Z",
      "2026-01-01T00:00:00Z",
      "2026-01-01T08:00:00.000+08:00",
      "2026-01-01 00:00:00.000Z",
      "2026-0a-01T00:00:00.000Z",
      "2026-01-01T00:00:00.00aZ",
      "+012026-01-01T00:00:00.000Z",
      "0000-01-01T00:00:00.000Z",
      "9999-12-28T23:59:59.999Z",
      "",
      "not a date",
    ];
    for (const text of samples) expect(parseInstant(text), text).toBe(Date.parse(text));
    fc.assert(
      fc.property(
        fc.string({ minLength: 24, maxLength: 24, unit: fc.constantFrom(..."0123456789-T:.Z+") }),
        (text) => {
          expect(parseInstant(text)).toBe(Date.parse(text));
        },
      ),
      { numRuns: 5000 },
    );
  });
});
