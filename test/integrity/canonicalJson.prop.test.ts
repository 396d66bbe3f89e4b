import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { canonicalJson, chainDigest, eventHash, GENESIS_HASH, sealBatch } from "../../src/index.js";
import { arbJsonish } from "../../src/testing/index.js";

describe("canonical JSON", () => {
  it("sorts keys by UTF-16 code units at every depth and writes no whitespace", () => {
    expect(canonicalJson({ b: [1, { z: true, a: null }], a: "二", "€": 1, "\r": 2, "10": 3, "9": 4 })).toBe(
      '{"\\r":2,"10":3,"9":4,"a":"二","b":[1,{"a":null,"z":true}],"€":1}',
    );
  });

  it("writes numbers and strings as RFC 8785 does", () => {
    // RFC 8785 appendix B and section 3.2.2.2.
    expect(canonicalJson([1e21, 1e-7, -0, 0.000001, Number("333333333.33333329"), 4.5, 2e-3, 1e23])).toBe(
      "[1e+21,1e-7,0,0.000001,333333333.3333333,4.5,0.002,1e+23]",
    );
    expect(canonicalJson('\u20ac$\u000f\nA\'B"\\\\"/')).toBe('"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"');
    expect(canonicalJson("\ud800")).toBe('"\\ud800"'); // a lone surrogate stays an escape, never U+FFFD
  });

  it("treats values JSON cannot hold as JSON.stringify does, and refuses what it cannot write", () => {
    expect(canonicalJson({ a: undefined, b: [undefined, Number.NaN, () => 1], c: new Date(0) })).toBe(
      '{"b":[null,null,null],"c":"1970-01-01T00:00:00.000Z"}',
    );
    const own = JSON.parse('{"__proto__": {"polluted": 1}, "constructor": 2}') as unknown;
    expect(canonicalJson(own)).toBe('{"__proto__":{"polluted":1},"constructor":2}');
    expect(() => canonicalJson(10n)).toThrow(TypeError);
    expect(() => canonicalJson(undefined)).toThrow(TypeError);
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(() => canonicalJson(cycle)).toThrow(TypeError);
  });

  it("a value and its JSON round trip have the same canonical text, whatever its key order", () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), arbJsonish()), (value) => {
        const text = canonicalJson(value ?? null);
        expect(canonicalJson(JSON.parse(JSON.stringify(value ?? null)))).toBe(text);
        expect(canonicalJson(JSON.parse(text))).toBe(text); // it is JSON, and canonical again
        const reversed = JSON.parse(JSON.stringify(value ?? null), (_key, v: unknown) =>
          v !== null && typeof v === "object" && !Array.isArray(v)
            ? Object.fromEntries(Object.entries(v).reverse())
            : v,
        ) as unknown;
        expect(canonicalJson(reversed)).toBe(text);
      }),
      { numRuns: 300 },
    );
  });
});

describe("seals", () => {
  it("follow the documented formulas, so anyone can recompute them", async () => {
    const { createHash } = await import("node:crypto");
    const sha = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");
    const envelopes = [{ id: "1", data: { x: 1 } }, { id: "2" }];
    const [first, second] = sealBatch(GENESIS_HASH, GENESIS_HASH, envelopes);
    expect(first!.hash).toBe(sha(`kesu/event/v1\n${GENESIS_HASH}\n{"data":{"x":1},"id":"1"}`));
    expect(first!.chain).toBe(sha(`kesu/log/v1\n${GENESIS_HASH}\n${first!.hash}`));
    expect(second).toEqual({
      prevHash: first!.hash,
      hash: eventHash(first!.hash, { id: "2" }),
      chain: chainDigest(first!.chain, eventHash(first!.hash, { id: "2" })),
    });
    expect(GENESIS_HASH).toMatch(/^0{64}$/);
  });
});
