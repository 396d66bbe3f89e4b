import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type ComplaintEvent,
  type ComplaintId,
  complaintId,
  createMemoryStore,
  defaultPolicy,
  fold,
  type HandleResult,
  handle,
  initialState,
  type Policy,
  REJECTIONS,
  ulidGenerator,
} from "../../src/index.js";
import { presets } from "../../src/presets/index.js";
import {
  arbCommandSequence,
  arbValidStream,
  checkStream,
  createSteppingClock,
  defaultTestActor,
  runCommands,
} from "../../src/testing/index.js";

const START = "2026-03-02T01:00:00.000Z";

/** Feeds every input to `handle` on one stream of a fresh memory store, as `runCommands` does to `decide`. */
async function handleAll(inputs: readonly unknown[], policy: Policy, seed: number) {
  const store = createMemoryStore();
  const clock = createSteppingClock(START);
  const ids = ulidGenerator({ clock, seed });
  const streamId: ComplaintId = complaintId(ids.next());
  const ctx = { clock, ids, actor: defaultTestActor, policy };
  const results: HandleResult[] = [];
  for (const input of inputs) {
    clock.advance();
    results.push(await handle(store, streamId, input, ctx));
  }
  const events = await store.readStream(streamId);
  await store.close();
  return { streamId, results, events };
}

const typesOf = (events: readonly ComplaintEvent[]) => events.map((e) => e.type);

describe("lifecycle laws", () => {
  it("random command sequences through decide and fold never produce an invalid stream", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          arbCommandSequence().map((c) => runCommands(c)),
          arbValidStream(),
        ),
        (run) => {
          expect(checkStream(run.events)).toEqual([]);
          // fold throws InvalidStreamError on a broken stream and must agree with the step-by-step state.
          expect(fold(initialState(run.streamId), run.events)).toStrictEqual(run.state);
          for (const outcome of run.outcomes)
            if (!outcome.ok) expect(REJECTIONS).toHaveProperty([outcome.rejection.code]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("random command sequences through handle and the memory store never produce an invalid stream", async () => {
    await fc.assert(
      fc.asyncProperty(arbValidStream(), fc.nat(), async (run, seed) => {
        const { streamId, results, events } = await handleAll(run.commands, defaultPolicy, seed);
        expect(checkStream(events)).toEqual([]);
        const last = [...results].reverse().find((r) => r.ok);
        expect(fold(initialState(streamId), events)).toStrictEqual(
          last?.ok ? last.state : initialState(streamId),
        );
        // handle is decide behind a store: the same commands are accepted and refused alike.
        expect(results.map((r) => (r.ok ? typesOf(r.events) : r.rejection.code))).toEqual(
          run.outcomes.map((o, i) =>
            o.ok
              ? typesOf(
                  run.events.slice(acceptedBefore(run.outcomes, i), acceptedBefore(run.outcomes, i + 1)),
                )
              : o.rejection.code,
          ),
        );
      }),
      { numRuns: 150 },
    );
  });

  // Presets switch on what the default policy leaves off: closure gates, required revisits and
  // confirmations, severity rules on tags and channels, SLA clocks that extensions name.
  it.each(Object.keys(presets) as (keyof typeof presets)[])(
    "under the %s preset, decide and handle agree and streams stay valid",
    async (name) => {
      const policy = presets[name];
      await fc.assert(
        fc.asyncProperty(arbValidStream(policy), fc.nat(), async (run, seed) => {
          expect(checkStream(run.events)).toEqual([]);
          const { results, events } = await handleAll(run.commands, policy, seed);
          expect(checkStream(events)).toEqual([]);
          expect(results.map((r) => (r.ok ? r.events.length : r.rejection.code))).toEqual(
            run.outcomes.map((o) => (o.ok ? o.events : o.rejection.code)),
          );
        }),
        { numRuns: 40 },
      );
    },
  );

  it("R-11 nothing but a reopen follows a closure, and a reopen follows nothing but a closure", () => {
    fc.assert(
      fc.property(arbValidStream(), ({ events }) => {
        events.forEach((e, i) => {
          const before = events[i - 1];
          if (before?.type === "ComplaintClosed") expect(e.type).toBe("ComplaintReopened");
          if (e.type === "ComplaintReopened") expect(before?.type).toBe("ComplaintClosed");
        });
      }),
      { numRuns: 200 },
    );
  });
});

describe("replay is deterministic", () => {
  it("folding the same events twice gives deep-equal states", () => {
    fc.assert(
      fc.property(arbValidStream(), ({ streamId, events }) => {
        const copy = structuredClone(events);
        expect(fold(initialState(streamId), events)).toStrictEqual(fold(initialState(streamId), copy));
      }),
      { numRuns: 200 },
    );
  });

  it("deciding the same commands twice with the same seed gives identical events", () => {
    fc.assert(
      fc.property(arbValidStream(), fc.nat(), ({ commands }, seed) => {
        expect(runCommands(commands, { seed }).events).toStrictEqual(runCommands(commands, { seed }).events);
      }),
      { numRuns: 200 },
    );
  });

  it("ids and time are the only inputs: another seed changes ids, never what was decided", () => {
    fc.assert(
      fc.property(arbValidStream(), fc.nat(), ({ commands, events }, seed) => {
        const other = runCommands(commands, { seed }).events;
        const decided = (e: ComplaintEvent) => ({
          type: e.type,
          version: e.version,
          data: e.data,
          at: e.occurredAt,
        });
        expect(other.map(decided)).toStrictEqual(events.map(decided));
      }),
      { numRuns: 200 },
    );
  });
});

/** How many events the commands before `index` added. */
function acceptedBefore(
  outcomes: readonly ({ ok: true; events: number } | { ok: false })[],
  index: number,
): number {
  return outcomes.slice(0, index).reduce((n, o) => n + (o.ok ? o.events : 0), 0);
}
