import type { CommandInput } from "../domain/commands.js";
import { type Clock, type DecideContext, type IdGenerator, ulidGenerator } from "../domain/context.js";
import { decide, parseCommand } from "../domain/decide.js";
import type { ComplaintEvent, RecordedEvent } from "../domain/events.js";
import { fold } from "../domain/evolve.js";
import type { ComplaintId } from "../domain/ids.js";
import { defaultPolicy } from "../domain/policy.js";
import { initialState } from "../domain/state.js";
import type { Actor } from "../domain/values.js";
import { type ConcurrencyError, type EventStore, isConcurrencyError } from "../stores/eventStore.js";
import type { HandleContext } from "../stores/handle.js";

let seeds = 0;

type ReceiveInput = Extract<CommandInput, { type: "ReceiveComplaint" }>;
/** Fields of a `ReceiveComplaint` to replace; `undefined` removes the default (e.g. the case number). */
export type ReceiveOverrides = { [K in keyof ReceiveInput]?: ReceiveInput[K] | undefined };

/**
 * Valid events for store tests, always built by `decide` on a movable clock. Each scenario has
 * its own id seed, so streams of two scenarios never collide.
 */
export interface ContractScenario {
  readonly clock: Clock;
  readonly ids: IdGenerator;
  /** Moves the clock forward. */
  advance(minutes: number): void;
  /** A new stream id. */
  streamId(): ComplaintId;
  /** The context for `handle`. */
  handleContext(actor?: Actor): HandleContext;
  /** The events `command` decides on top of `history` (throws when it is rejected). */
  decideOn(
    streamId: ComplaintId,
    history: readonly ComplaintEvent[],
    command: CommandInput,
  ): ComplaintEvent[];
  /** The events `command` decides on the stream as the store holds it now. */
  decideNow(store: EventStore, streamId: ComplaintId, command: CommandInput): Promise<ComplaintEvent[]>;
  /** A `ReceiveComplaint` command with an explicit case number. */
  receive(overrides?: ReceiveOverrides): ReceiveInput;
  /** A `ReportProgress` command: valid on any open case, handy for long streams. */
  progress(message: string, commandId?: string): CommandInput;
}

const staff: Actor = { id: "staff-1", role: "staff", unit: "service" };

/** Creates a {@link ContractScenario} starting on Monday 2026-03-02 09:00 in Shanghai. */
export function contractScenario(): ContractScenario {
  let now = Date.parse("2026-03-02T01:00:00.000Z");
  const clock: Clock = { now: () => new Date(now) };
  const ids = ulidGenerator({ clock, seed: ++seeds * 7919 });
  let cases = 0;
  const ctx = (): DecideContext => ({ clock, ids, actor: staff, policy: defaultPolicy });

  function decideOn(streamId: ComplaintId, history: readonly ComplaintEvent[], input: CommandInput) {
    const parsed = parseCommand(input);
    if (!parsed.ok) throw new Error(`contract command is malformed: ${parsed.rejection.message}`);
    const decision = decide(fold(initialState(streamId), history), parsed.command, ctx());
    if (!decision.ok)
      throw new Error(`contract command ${input.type} was rejected: ${decision.rejection.message}`);
    return [...decision.events];
  }

  return {
    clock,
    ids,
    advance(minutes) {
      now += minutes * 60_000;
    },
    streamId: () => ids.next() as ComplaintId,
    handleContext: (actor = staff) => ({ clock, ids, actor, policy: defaultPolicy }),
    decideOn,
    async decideNow(store, streamId, command) {
      return decideOn(streamId, await store.readStream(streamId), command);
    },
    receive(overrides = {}) {
      cases += 1;
      const input: Record<string, unknown> = {
        type: "ReceiveComplaint",
        caseNumber: `2026-03-${String(cases).padStart(4, "0")}`,
        channel: "hotline",
        complainant: { id: `complainant-${cases}` },
        personalData: { name: "张三", phone: "13800000000" },
        description: "卷烟质量问题：烟支空头，盒内少两支 🚬😠",
        ...overrides,
      };
      for (const key of Object.keys(input)) if (input[key] === undefined) delete input[key];
      return input as ReceiveInput;
    },
    progress(message, commandId) {
      return {
        type: "ReportProgress",
        message,
        channel: "phone",
        ...(commandId === undefined ? {} : { commandId }),
      };
    },
  };
}

/** What each contract test gets: the store, a second connection (or the same store), a scenario. */
export interface ContractHarness {
  readonly store: EventStore;
  /** The second connection, or the same store when the factory has none. */
  readonly other: EventStore;
  readonly s: ContractScenario;
}

/** Registers one contract test; the harness is opened before and closed after it. */
export type ContractTest = (title: string, body: (h: ContractHarness) => Promise<void>) => void;

/** The `ConcurrencyError` that `attempt` rejects with (anything else fails the test). */
export async function conflict(attempt: Promise<unknown>): Promise<ConcurrencyError> {
  try {
    await attempt;
  } catch (error) {
    if (isConcurrencyError(error)) return error;
    throw error;
  }
  throw new Error("expected a ConcurrencyError, the append succeeded");
}

/** Receives a complaint and reports progress until the stream has `length` events. */
export async function streamOf(
  h: ContractHarness,
  length: number,
  id = h.s.streamId(),
): Promise<ComplaintId> {
  await h.store.appendToStream(id, h.s.decideOn(id, [], h.s.receive()), { expectedVersion: "no-stream" });
  for (let v = 1; v < length; v++) {
    const events = await h.s.decideNow(h.store, id, h.s.progress(`进展 ${v}`));
    await h.store.appendToStream(id, events, { expectedVersion: v });
  }
  return id;
}

/** The versions of `events`, in order. */
export const versions = (events: readonly RecordedEvent[]): number[] => events.map((e) => e.version);
/** The positions of `events`, in order. */
export const positions = (events: readonly RecordedEvent[]): number[] => events.map((e) => e.position);
/** Is every number greater than the one before? */
export const increasing = (xs: readonly number[]): boolean => xs.every((x, i) => i === 0 || x > xs[i - 1]!);
