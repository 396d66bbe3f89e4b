import {
  type Actor,
  type BusinessCalendar,
  type ClockResult,
  type CommandInput,
  type ComplaintId,
  type ComplaintState,
  createMemoryStore,
  evaluateSla,
  fixedClock,
  handle,
  type Policy,
  type RejectionCode,
  type SlaEvaluation,
  ulidGenerator,
} from "../../src/index.js";

/** `sh("2025-09-30T16:00")`: a Shanghai wall-clock time as an ISO instant. */
export const sh = (local: string): string => new Date(`${local}:00+08:00`).toISOString();
/** `ny("2025-11-20T10:00", "-05:00")`: a New York wall-clock time as an ISO instant. */
export const ny = (local: string, offset: "-05:00" | "-04:00"): string =>
  new Date(`${local}:00${offset}`).toISOString();

/**
 * One complaint handled through `handle` and the memory store, each command at its own instant
 * (the context clock and `occurredAt` agree), judged by `evaluateSla` on the given calendar.
 */
export function complaintCase(policy: Policy, calendar: BusinessCalendar, actor: Actor) {
  const store = createMemoryStore();
  const ids = ulidGenerator({ clock: fixedClock("2024-01-01T00:00:00.000Z"), seed: 11 });
  const streamId = ids.next() as ComplaintId;
  let state: ComplaintState | undefined;

  const attempt = (at: string, command: CommandInput, by: Actor = actor) =>
    handle(
      store,
      streamId,
      { ...command, occurredAt: at },
      {
        clock: fixedClock(at),
        ids,
        actor: by,
        policy,
        calendar,
      },
    );

  return {
    store,
    streamId,
    /** Handles a command that must be accepted; returns the new state. */
    async run(at: string, command: CommandInput, by?: Actor): Promise<ComplaintState> {
      const r = await attempt(at, command, by);
      if (!r.ok)
        throw new Error(`${command.type} at ${at} rejected: ${r.rejection.code} ${r.rejection.message}`);
      state = r.state;
      return r.state;
    },
    /** Handles a command that must be rejected; returns the rejection code and message. */
    async reject(
      at: string,
      command: CommandInput,
      by?: Actor,
    ): Promise<{ code: RejectionCode; message: string }> {
      const r = await attempt(at, command, by);
      if (r.ok) throw new Error(`${command.type} at ${at} was accepted`);
      return { code: r.rejection.code, message: r.rejection.message };
    },
    get state(): ComplaintState {
      if (!state) throw new Error("no command handled yet");
      return state;
    },
    async sla(now: string): Promise<SlaEvaluation> {
      return evaluateSla(await store.readStream(streamId), policy, calendar, new Date(now));
    },
    async clock(id: string, now: string): Promise<ClockResult> {
      const found = (await this.sla(now)).clocks.find((c) => c.clockId === id);
      if (!found) throw new Error(`no clock ${id}`);
      return found;
    },
  };
}
