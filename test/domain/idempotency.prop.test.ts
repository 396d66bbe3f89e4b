import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type CommandInput,
  complaintId,
  createMemoryStore,
  defaultPolicy,
  type HandleContext,
  handle,
  ulidGenerator,
} from "../../src/index.js";
import {
  arbCommandFor,
  arbValidStream,
  createSteppingClock,
  defaultTestActor,
  type SteppingClock,
} from "../../src/testing/index.js";

/** A stream history and one more command for the state it reaches. */
const arbHistoryAndCommand = arbValidStream(defaultPolicy, { maxLength: 20 }).chain((run) =>
  fc.record({ run: fc.constant(run), command: arbCommandFor(run.state), other: arbCommandFor(run.state) }),
);

async function storeWith(history: readonly unknown[], seed: number) {
  const store = createMemoryStore();
  const clock: SteppingClock = createSteppingClock("2026-03-02T01:00:00.000Z");
  const ids = ulidGenerator({ clock, seed });
  const streamId = complaintId(ids.next());
  const ctx: HandleContext = { clock, ids, actor: defaultTestActor, policy: defaultPolicy };
  for (const input of history) {
    clock.advance();
    await handle(store, streamId, input, ctx);
  }
  return { store, clock, streamId, ctx };
}

const withId = (command: CommandInput, commandId: string): CommandInput => ({ ...command, commandId });

describe("idempotent handling", () => {
  it("handling the same command id twice appends once and answers the first result", async () => {
    await fc.assert(
      fc.asyncProperty(arbHistoryAndCommand, fc.nat(), async ({ run, command, other }, seed) => {
        const { store, clock, streamId, ctx } = await storeWith(run.commands, seed);
        const first = await handle(store, streamId, withId(command, "msg-1"), ctx);
        fc.pre(first.ok);
        const length = (await store.readStream(streamId)).length;
        clock.advance();
        // A retry may even carry another payload: the id names the command, the first answer stands.
        for (const retry of [command, other]) {
          const again = await handle(store, streamId, withId(retry, "msg-1"), ctx);
          expect((await store.readStream(streamId)).length).toBe(length);
          expect(again).toStrictEqual({ ...first, alreadyHandled: true });
        }
        await store.close();
      }),
      { numRuns: 100 },
    );
  });

  // Nothing is stored for a rejection (handle's contract), so its id stays free for a corrected command.
  it("a rejected command id is decided afresh on retry and gives the same rejection", async () => {
    await fc.assert(
      fc.asyncProperty(arbHistoryAndCommand, fc.nat(), async ({ run, command }, seed) => {
        const { store, streamId, ctx } = await storeWith(run.commands, seed);
        const first = await handle(store, streamId, withId(command, "msg-1"), ctx);
        fc.pre(!first.ok);
        const again = await handle(store, streamId, withId(command, "msg-1"), ctx);
        expect(again).toStrictEqual(first);
        await store.close();
      }),
      { numRuns: 100 },
    );
  });

  it("the same command id handled twice at once appends once", async () => {
    await fc.assert(
      fc.asyncProperty(arbHistoryAndCommand, fc.nat(), async ({ run, command }, seed) => {
        const { store, streamId, ctx } = await storeWith(run.commands, seed);
        const before = (await store.readStream(streamId)).length;
        const [a, b] = await Promise.all([
          handle(store, streamId, withId(command, "msg-1"), ctx),
          handle(store, streamId, withId(command, "msg-1"), ctx),
        ]);
        const after = await store.readStream(streamId);
        expect(a.ok).toBe(b.ok);
        if (a.ok && b.ok) {
          expect(after.length - before).toBe(a.events.length);
          expect([a.alreadyHandled, b.alreadyHandled].sort()).toEqual([false, true]);
          expect(b.events).toStrictEqual(a.events);
        } else expect(after.length).toBe(before);
        await store.close();
      }),
      { numRuns: 100 },
    );
  });
});
