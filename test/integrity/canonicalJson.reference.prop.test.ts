import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalJson } from "../../src/index.js";
import { canonicalRow } from "../../src/integrity/canonicalJson.js";

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

  it("writes strings of any UTF-16 code units as JSON.stringify does: quotes, controls, lone surrogates", () => {
    const anyUnits = fc
      .array(
        fc.oneof(
          fc.integer({ min: 0, max: 0xffff }),
          fc.constantFrom(0x22, 0x5c, 0x00, 0x1f, 0x7f, 0x2028, 0xd83d, 0xde00, 0x4e2d),
        ),
        { maxLength: 12 },
      )
      .map((units) => String.fromCharCode(...units));
    fc.assert(
      fc.property(fc.dictionary(anyUnits, anyUnits, { maxKeys: 20 }), anyUnits, (object, text) => {
        expect(canonicalJson(text)).toBe(JSON.stringify(text));
        expect(canonicalJson(object)).toBe(reference(object));
      }),
      { numRuns: 2000 },
    );
  });

  it("canonicalRow writes a row's body and sealed envelope as canonicalJson does, in one pass", () => {
    const member = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constant(undefined));
    const event = fc.dictionary(
      fc.oneof(
        fc.string({ maxLength: 8 }),
        fc.constantFrom("position", "streamId", "version", "type", "data"),
      ),
      member,
      { maxKeys: 24 },
    );
    fc.assert(
      fc.property(event, fc.string({ maxLength: 30 }), fc.nat(), (e, streamId, version) => {
        const { position: _p, streamId: _s, version: _v, ...body } = e;
        expect(canonicalRow(e, streamId, version)).toEqual({
          body: canonicalJson(body),
          envelope: canonicalJson({ ...body, streamId, version }),
        });
      }),
      { numRuns: 2000 },
    );
  });
});
