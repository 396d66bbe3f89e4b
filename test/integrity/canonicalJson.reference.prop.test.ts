import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalJson } from "../../src/index.js";

/**
 * The plain definition for JSON data: keys sorted, members joined, scalars written by
 * JSON.stringify (objects are written by hand: JSON.stringify puts integer-like keys first).
 */
function reference(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(reference).join(",")}]`;
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  const members = Object.keys(value)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${reference((value as Record<string, unknown>)[key])}`);
  return `{${members.join(",")}}`;
}

describe("canonicalJson against its plain definition", () => {
  it("writes what JSON.stringify writes for the value with sorted keys, odd keys included", () => {
    const key = fc.oneof(
      fc.string({ maxLength: 6 }),
      fc.constantFrom("type", "data", "id", "__proto__", "\u2028"),
    );
    const json = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: "small" },
        fc.jsonValue({ maxDepth: 1 }),
        fc.array(tie("value"), { maxLength: 4 }),
        fc.array(fc.tuple(key, tie("value")), { maxLength: 5 }).map((entries) => {
          const o: Record<string, unknown> = {};
          for (const [k, v] of entries)
            Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
          return o;
        }),
      ),
    })).value;
    fc.assert(
      fc.property(json, (value) => {
        expect(canonicalJson(value ?? null)).toBe(reference(value ?? null));
      }),
      { numRuns: 2000 },
    );
  });
});
