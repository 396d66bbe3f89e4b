import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DigestArena } from "../../src/stores/arena.js";

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

describe("the memory store's digest arena", () => {
  it("reads back every pair it was given, in order, across its growth", () => {
    fc.assert(
      fc.property(
        // Up to 2 500 pairs: the arena starts with room for 1 024 and grows twice.
        fc.nat({ max: 2_500 }),
        fc.string(),
        (count, seed) => {
          const pairs = Array.from({ length: count }, (_, i) => [
            sha256(`${seed}/${i}`),
            sha256(`${seed}\\${i}`),
          ]);
          const arena = new DigestArena();
          for (const [hash, chain] of pairs) arena.push(hash!, chain!);
          expect(arena.length).toBe(count);
          expect(pairs.map((_, i) => [arena.hash(i), arena.chain(i)])).toEqual(pairs);
        },
      ),
      { numRuns: 60 },
    );
  });
});
