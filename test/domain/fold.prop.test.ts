import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type ComplaintState, evolve, fold, initialState } from "../../src/index.js";
import { arbValidStream } from "../../src/testing/index.js";

/** A stream and a cut point inside it. */
const arbSplitStream = arbValidStream().chain((run) =>
  fc
    .nat(run.events.length)
    .map((at) => ({ run, before: run.events.slice(0, at), after: run.events.slice(at) })),
);

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

describe("folding", () => {
  it("folding in chunks equals folding at once, and equals reducing with evolve", () => {
    fc.assert(
      fc.property(arbSplitStream, ({ run, before, after }) => {
        const start = initialState(run.streamId);
        const atOnce = fold(start, [...before, ...after]);
        expect(fold(fold(start, before), after)).toStrictEqual(atOnce);
        expect(run.events.reduce<ComplaintState>(evolve, start)).toStrictEqual(atOnce);
      }),
      { numRuns: 200 },
    );
  });

  it("evolve and fold never modify the state or the events they are given", () => {
    fc.assert(
      fc.property(arbSplitStream, ({ run, before, after }) => {
        const state = fold(initialState(run.streamId), before);
        const snapshot = structuredClone(state);
        const eventsSnapshot = structuredClone(after);
        // Frozen inputs make any write throw (modules run in strict mode), nested ones included.
        deepFreeze(state);
        deepFreeze(after);
        let current: ComplaintState = state;
        for (const event of after) {
          const previous = current;
          current = evolve(previous, event);
          expect(current).not.toBe(previous);
        }
        fold(state, after);
        expect(state).toStrictEqual(snapshot);
        expect(after).toStrictEqual(eventsSnapshot);
      }),
      { numRuns: 200 },
    );
  });

  it("a state reached earlier is unchanged by everything folded after it", () => {
    fc.assert(
      fc.property(arbSplitStream, ({ run, before, after }) => {
        const midway = fold(initialState(run.streamId), before);
        const snapshot = structuredClone(midway);
        after.reduce<ComplaintState>(evolve, midway);
        expect(midway).toStrictEqual(snapshot);
      }),
      { numRuns: 100 },
    );
  });
});
