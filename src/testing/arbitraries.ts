import fc from "fast-check";
import { COMMAND_TYPES, type CommandInput, type CommandType } from "../domain/commands.js";
import { type Clock, ulidGenerator } from "../domain/context.js";
import { decide, parseCommand } from "../domain/decide.js";
import { type ComplaintEvent, ComplaintEventSchema, formatIssues } from "../domain/events.js";
import { fold } from "../domain/evolve.js";
import type { ComplaintId } from "../domain/ids.js";
import { defaultPolicy, type Policy } from "../domain/policy.js";
import type { Rejection } from "../domain/rejection.js";
import { type ComplaintState, initialState, type Stage } from "../domain/state.js";
import { type Actor, CHANNELS, type Party, REMEDY_KINDS, type Remedy } from "../domain/values.js";

/** Options shared by the command arbitraries. */
export interface ArbitraryOptions {
  /** The user the commands are written for (default: front-line staff `staff-1` of `service`). */
  readonly actor?: Actor | undefined;
}

/** Options of {@link arbCommandSequence}. */
export interface SequenceOptions extends ArbitraryOptions {
  /** The most handling commands after the receipt (default 30). */
  readonly maxLength?: number | undefined;
}

/** Options of {@link runCommands} and {@link arbValidStream}. */
export interface RunOptions extends ArbitraryOptions {
  /** The policy commands are decided under (default `defaultPolicy`). */
  readonly policy?: Policy | undefined;
  /** Seed of the id generator; the same seed and commands give the same events. Default 1. */
  readonly seed?: number | undefined;
  /** The instant before the first command (default 2026-03-02T01:00:00.000Z). */
  readonly start?: Date | string | undefined;
  /** How far the clock moves before each command, in milliseconds (default one hour). */
  readonly stepMs?: number | undefined;
}

/**
 * The user the arbitraries write commands for unless told otherwise: front-line staff, the same
 * as `deciderSpec`'s default. Use it as the actor when feeding generated commands to `handle`,
 * so `AcceptAssignment` and recusal (R-28) cases mean what the generator intended.
 * @example await handle(store, id, command, { clock, ids, policy, actor: defaultTestActor });
 */
export const defaultTestActor: Actor = { id: "staff-1", role: "staff", unit: "service" };
const DEFAULT_START = "2026-03-02T01:00:00.000Z";

type CommandOfInput<T extends CommandType> = Extract<CommandInput, { type: T }>;
type CommandArbitraries = { readonly [T in CommandType]: fc.Arbitrary<CommandOfInput<T>> };

// Plausible texts first (they read well in a counterexample), arbitrary Unicode now and then.
const PHRASES = [
  "卷烟数量不足",
  "包装破损",
  "送货延迟三天",
  "服务态度差",
  "账单金额不符",
  "已向客户耐心解释",
  "The lid leaks",
];
function arbText(maxLength: number): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...PHRASES) },
    {
      weight: 1,
      arbitrary: fc
        .string({ unit: "grapheme", minLength: 1, maxLength })
        .map((s) => s.trim())
        .filter((s) => s.length > 0),
    },
  );
}

// Commands from real callers are plain objects: no null prototypes (fast-check's default mixes them in).
const record: typeof fc.record = (model, constraints) =>
  fc.record(model, { ...constraints, noNullPrototype: true });

const INSTANTS = ["2026-03-03T01:00:00.000Z", "2026-03-09T09:30:00.000Z"];
const DATES = ["2026-02-27", "2026-03-15"];
const VALUED_KINDS = REMEDY_KINDS.filter((k) => k !== "explanation" && k !== "apology" && k !== "answer");
const ACTION_IDS = ["CA-1", "CA-2"];
const APPROVERS: readonly Actor[] = [
  { id: "head-1", role: "department-head", unit: "service" },
  { id: "gm-1", role: "senior-management", unit: "office" },
];

function arbAmount(): fc.Arbitrary<number> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.integer({ min: 0, max: 600 }) },
    { weight: 3, arbitrary: fc.integer({ min: 0, max: 200_000 }) },
    { weight: 3, arbitrary: fc.double({ min: 0, max: 10_000, noNaN: true }) },
    // `JSON.parse("-0")` is -0, and a schema that only asks for "not negative" lets it through.
    { weight: 1, arbitrary: fc.constant(-0) },
  );
}

function arbRemedy(policy: Policy): fc.Arbitrary<Remedy> {
  const free = record({
    kinds: fc.subarray(["explanation", "apology", "answer"] as Remedy["kinds"], { minLength: 1 }),
    description: arbText(40),
  });
  const valued = record({
    kinds: fc.subarray([...VALUED_KINDS, "explanation"] as Remedy["kinds"], { minLength: 1 }),
    description: arbText(40),
    value: record({
      amount: arbAmount(),
      currency: fc.oneof({ weight: 5, arbitrary: fc.constant(policy.currency) }, fc.constant("USD")),
    }),
  });
  return fc.oneof({ weight: 2, arbitrary: free }, valued);
}

function commandArbitraries(policy: Policy, actor: Actor, actionIds: readonly string[]): CommandArbitraries {
  const party = fc.constantFrom<Party>(
    { unit: "qa" },
    { id: "qa-1", unit: "qa" },
    { unit: actor.unit },
    { id: "staff-2", unit: actor.unit },
  );
  const channel = fc.constantFrom(...CHANNELS);
  const kind = fc.oneof(
    { weight: 4, arbitrary: fc.constant("complaint" as const) },
    fc.constantFrom(...policy.kinds),
  );
  const category = fc.oneof(
    { weight: 9, arbitrary: fc.constantFrom(...policy.categories.map((c) => c.id)) },
    fc.constant("no-such-category"),
  );
  const severity = fc.oneof(
    { weight: 9, arbitrary: fc.constantFrom(...policy.severities) },
    fc.constant("no-such"),
  );
  const ruleTags = policy.severityRules.flatMap((r) => r.when.tagsAny ?? []);
  const tags = fc.subarray([...new Set([...ruleTags, "repeat", "vip"])]);
  const actionId = fc.constantFrom(...new Set([...actionIds, ...ACTION_IDS]));
  const personalData = record(
    {
      name: fc.constantFrom("张三", "李四"),
      phone: fc.constantFrom("13800000000"),
      email: fc.constant("a@b.cn"),
    },
    { requiredKeys: [] },
  );
  const complainant = fc.oneof(
    {
      weight: 6,
      arbitrary: record({ complainant: record({ id: fc.constantFrom("c-1", "c-2") }), personalData }),
    },
    {
      weight: 2,
      arbitrary: record({
        complainant: record({ id: fc.constant("anon"), anonymous: fc.constant(true) }),
      }),
    },
    // Rejected: an anonymous complaint with personal data.
    record({
      complainant: record({ id: fc.constant("anon"), anonymous: fc.constant(true) }),
      personalData,
    }),
  );
  const receive = record(
    {
      type: fc.constant("ReceiveComplaint" as const),
      channel,
      description: arbText(60),
      request: arbText(40),
      caseNumber: fc.constantFrom("KS-0001"),
      // Now and then the actor is the person complained about, so handling is refused.
      complainedAbout: fc.oneof(
        { weight: 6, arbitrary: fc.constant<Party>({ id: "staff-9", unit: actor.unit }) },
        fc.constant<Party>({ id: actor.id, unit: actor.unit }),
      ),
      tags,
      subject: record(
        {
          product: fc.constant("卷烟"),
          quantity: fc.nat(100),
          defectQuantity: fc.nat(10),
          deliveryDate: fc.constantFrom(...DATES),
        },
        { requiredKeys: [] },
      ),
    },
    { requiredKeys: ["type", "channel", "description"] },
  );
  return {
    ReceiveComplaint: fc.tuple(receive, complainant).map(([r, c]) => ({ ...r, ...c })),
    UpdateComplainantContact: record({
      type: fc.constant("UpdateComplainantContact" as const),
      personalData: fc.option(personalData, { nil: null }),
    }),
    AcknowledgeReceipt: record({
      type: fc.constant("AcknowledgeReceipt" as const),
      handler: party,
      expectedResponseBy: fc.constantFrom(...INSTANTS),
      channel,
    }),
    ClassifyComplaint: record(
      {
        type: fc.constant("ClassifyComplaint" as const),
        kind,
        category,
        severity,
        causeClass: fc.constantFrom("quality" as const, "non-quality" as const, "other" as const),
        tags,
      },
      { requiredKeys: ["type", "kind", "category"] },
    ),
    ChangeSeverity: record({
      type: fc.constant("ChangeSeverity" as const),
      severity,
      reason: arbText(40),
    }),
    AssignComplaint: record(
      { type: fc.constant("AssignComplaint" as const), assignee: party, reason: arbText(40) },
      { requiredKeys: ["type", "assignee"] },
    ),
    AcceptAssignment: fc.constant({ type: "AcceptAssignment" as const }),
    EscalateComplaint: record(
      {
        type: fc.constant("EscalateComplaint" as const),
        toLevel: fc.constantFrom(1 as const, 2 as const, 3 as const),
        reason: arbText(40),
        automatic: fc.boolean(),
      },
      { requiredKeys: ["type", "toLevel", "reason"] },
    ),
    RecordInvestigation: record({
      type: fc.constant("RecordInvestigation" as const),
      findings: record(
        {
          facts: arbText(60),
          evidence: fc.subarray(["photo-1", "invoice-7"]),
          rootCause: arbText(40),
          responsible: party,
          validity: fc.oneof(
            { weight: 3, arbitrary: fc.constant("valid" as const) },
            fc.constant("invalid" as const),
          ),
        },
        { requiredKeys: ["facts", "validity"] },
      ),
    }),
    ProposeResolution: record(
      {
        type: fc.constant("ProposeResolution" as const),
        remedy: arbRemedy(policy),
        approvedBy: fc.constantFrom(...APPROVERS),
      },
      { requiredKeys: ["type", "remedy"] },
    ),
    ResolveOnTheSpot: record(
      { type: fc.constant("ResolveOnTheSpot" as const), kind, category, severity, remedy: arbRemedy(policy) },
      { requiredKeys: ["type", "category", "remedy"] },
    ),
    AcceptResolution: fc.constant({ type: "AcceptResolution" as const }),
    RejectResolution: record({ type: fc.constant("RejectResolution" as const), reason: arbText(40) }),
    RecordRevisit: record(
      {
        type: fc.constant("RecordRevisit" as const),
        satisfaction: fc.constantFrom(90 as const, 80 as const, 70 as const, 60 as const),
        comment: arbText(40),
        complainantConfirmed: fc.boolean(),
        followUp: fc.boolean(),
      },
      { requiredKeys: ["type", "satisfaction"] },
    ),
    CloseComplaint: record(
      { type: fc.constant("CloseComplaint" as const), summary: arbText(40), staffEducated: fc.boolean() },
      { requiredKeys: ["type"] },
    ),
    ReopenComplaint: record({
      type: fc.constant("ReopenComplaint" as const),
      reason: fc.constantFrom(
        "complainant-returned" as const,
        "handled-badly" as const,
        "new-information" as const,
      ),
      description: arbText(40),
    }),
    WithdrawComplaint: record({
      type: fc.constant("WithdrawComplaint" as const),
      reason: arbText(40),
      complainantMainlyAtFault: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, fc.constant(false)),
    }),
    ExtendDeadline: record({
      type: fc.constant("ExtendDeadline" as const),
      clock: fc.constantFrom(...policy.clocks.map((k) => k.id), "response"),
      extension: record({
        amount: fc.integer({ min: 1, max: 10 }),
        unit: fc.constantFrom("working-days" as const, "calendar-hours" as const),
      }),
      reason: arbText(40),
      approvedBy: fc.constantFrom(...APPROVERS, actor),
      complainantNotified: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, fc.constant(false)),
    }),
    ReportProgress: record({
      type: fc.constant("ReportProgress" as const),
      message: arbText(40),
      channel,
    }),
    StartWaitingOnComplainant: record({
      type: fc.constant("StartWaitingOnComplainant" as const),
      reason: arbText(40),
    }),
    EndWaitingOnComplainant: record(
      { type: fc.constant("EndWaitingOnComplainant" as const), note: arbText(40) },
      { requiredKeys: ["type"] },
    ),
    PlanCorrectiveAction: record(
      {
        type: fc.constant("PlanCorrectiveAction" as const),
        actionId,
        description: arbText(40),
        owner: party,
        dueDate: fc.constantFrom(...DATES),
        preventive: fc.boolean(),
      },
      { requiredKeys: ["type", "actionId", "description", "owner"] },
    ),
    RecordCorrectiveActionImplemented: record(
      { type: fc.constant("RecordCorrectiveActionImplemented" as const), actionId, note: arbText(40) },
      { requiredKeys: ["type", "actionId"] },
    ),
    VerifyCorrectiveAction: record(
      {
        type: fc.constant("VerifyCorrectiveAction" as const),
        actionId,
        effective: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, fc.constant(false)),
        note: arbText(40),
      },
      { requiredKeys: ["type", "actionId", "effective"] },
    ),
    RecordAccountability: record(
      {
        type: fc.constant("RecordAccountability" as const),
        responsible: party,
        measure: arbText(40),
        penalty: record({ amount: arbAmount(), currency: fc.constant(policy.currency) }),
      },
      { requiredKeys: ["type", "responsible", "measure"] },
    ),
    InformRegulator: record(
      {
        type: fc.constant("InformRegulator" as const),
        regulator: fc.constant("市场监督管理局"),
        summary: arbText(40),
        reference: fc.constant("12315-0001"),
      },
      { requiredKeys: ["type", "regulator", "summary"] },
    ),
    ChangePolicy: record({
      type: fc.constant("ChangePolicy" as const),
      to: fc.constantFrom(
        { id: policy.id, version: policy.version },
        { id: policy.id, version: `${policy.version}-next` },
      ),
      reason: arbText(40),
    }),
  };
}

/** Commands that move a case along its backbone; generators draw them more often than side facts. */
const BACKBONE: ReadonlySet<CommandType> = new Set<CommandType>([
  "ReceiveComplaint",
  "ClassifyComplaint",
  "RecordInvestigation",
  "ProposeResolution",
  "AcceptResolution",
  "RecordRevisit",
  "CloseComplaint",
  "ReopenComplaint",
]);

/** What usually comes next in each stage; anything else is drawn now and then to probe rejections. */
const PLAUSIBLE: { readonly [S in Stage]: readonly CommandType[] } = {
  none: ["ReceiveComplaint"],
  received: [
    "ClassifyComplaint",
    "ResolveOnTheSpot",
    "AcknowledgeReceipt",
    "AssignComplaint",
    "AcceptAssignment",
    "EscalateComplaint",
    "WithdrawComplaint",
    "ReportProgress",
    "StartWaitingOnComplainant",
    "EndWaitingOnComplainant",
  ],
  classified: [
    "RecordInvestigation",
    "ProposeResolution",
    "ChangeSeverity",
    "AssignComplaint",
    "AcceptAssignment",
    "ExtendDeadline",
    "PlanCorrectiveAction",
    "UpdateComplainantContact",
  ],
  investigated: [
    "ProposeResolution",
    "RecordInvestigation",
    "PlanCorrectiveAction",
    "RecordCorrectiveActionImplemented",
    "VerifyCorrectiveAction",
    "RecordAccountability",
  ],
  resolved: [
    "AcceptResolution",
    "RejectResolution",
    "RecordRevisit",
    "CloseComplaint",
    "InformRegulator",
    "EndWaitingOnComplainant",
  ],
  revisited: ["CloseComplaint", "RecordRevisit", "RejectResolution", "AcceptResolution", "InformRegulator"],
  closed: ["ReopenComplaint"],
};

// Building the 27 arbitraries is not free and a stream asks for one per step: keep them per
// policy, actor and known corrective-action ids.
const cache = new WeakMap<Policy, Map<string, CommandArbitraries>>();
function arbitrariesFor(policy: Policy, actor: Actor, actionIds: readonly string[]): CommandArbitraries {
  const byKey = cache.get(policy) ?? new Map<string, CommandArbitraries>();
  cache.set(policy, byKey);
  const key = JSON.stringify([actor, actionIds]);
  const arbs = byKey.get(key) ?? commandArbitraries(policy, actor, actionIds);
  byKey.set(key, arbs);
  return arbs;
}

function arbReceive(policy: Policy, actor: Actor): fc.Arbitrary<CommandInput> {
  return arbitrariesFor(policy, actor, []).ReceiveComplaint;
}

function weighted(arbs: CommandArbitraries, types: readonly CommandType[]): fc.Arbitrary<CommandInput> {
  return fc.oneof(
    ...types.map((t) => ({
      weight: BACKBONE.has(t) ? 3 : 1,
      arbitrary: arbs[t] as fc.Arbitrary<CommandInput>,
    })),
  );
}

/**
 * Plausible commands for a complaint in `state`: mostly those that fit its stage (the backbone
 * move drawn most often), now and then any other, which `decide` should reject with a code.
 * Payloads use the policy's kinds, categories, severities, currency and clocks, and sometimes
 * step outside them.
 * @example
 * fc.assert(fc.property(arbCommandFor(state, policy), (input) => {
 *   const parsed = parseCommand(input);
 *   if (parsed.ok) decide(state, parsed.command, ctx); // events or a rejection, never a throw
 * }));
 */
export function arbCommandFor(
  state: ComplaintState,
  policy: Policy = defaultPolicy,
  options: ArbitraryOptions = {},
): fc.Arbitrary<CommandInput> {
  const actionIds = state.stage === "none" ? [] : state.correctiveActions.map((a) => a.actionId);
  return arbForStage(policy, options.actor ?? defaultTestActor, state.stage, actionIds.join("\n"));
}

const stageCache = new WeakMap<Policy, Map<string, fc.Arbitrary<CommandInput>>>();
function arbForStage(
  policy: Policy,
  actor: Actor,
  stage: Stage,
  actionIds: string,
): fc.Arbitrary<CommandInput> {
  const byKey = stageCache.get(policy) ?? new Map<string, fc.Arbitrary<CommandInput>>();
  stageCache.set(policy, byKey);
  const key = JSON.stringify([actor, stage, actionIds]);
  const cached = byKey.get(key);
  if (cached) return cached;
  const arbs = arbitrariesFor(policy, actor, actionIds === "" ? [] : actionIds.split("\n"));
  const arb = fc.oneof(
    { weight: 5, arbitrary: weighted(arbs, PLAUSIBLE[stage]) },
    { weight: 1, arbitrary: weighted(arbs, COMMAND_TYPES) },
  );
  byKey.set(key, arb);
  return arb;
}

/**
 * Any command but a receipt, whatever the stage, with the backbone commands (classify,
 * investigate, propose, accept, revisit, close, reopen) drawn three times as often as side facts.
 * @example fc.sample(arbHandlingCommand(defaultPolicy), 3)
 */
export function arbHandlingCommand(
  policy: Policy = defaultPolicy,
  options: ArbitraryOptions = {},
): fc.Arbitrary<CommandInput> {
  const arbs = arbitrariesFor(policy, options.actor ?? defaultTestActor, []);
  return weighted(
    arbs,
    COMMAND_TYPES.filter((t) => t !== "ReceiveComplaint"),
  );
}

/**
 * A command list for one stream: a `ReceiveComplaint` first, then handling commands drawn
 * without looking at the state, so most are rejected; use {@link arbValidStream} for streams
 * that travel the whole lifecycle. Shrinks by dropping and simplifying commands.
 * @example
 * fc.assert(fc.property(arbCommandSequence(policy), (commands) => {
 *   expect(checkStream(runCommands(commands, { policy }).events)).toEqual([]);
 * }));
 */
export function arbCommandSequence(
  policy: Policy = defaultPolicy,
  options: SequenceOptions = {},
): fc.Arbitrary<CommandInput[]> {
  return fc
    .tuple(
      arbReceive(policy, options.actor ?? defaultTestActor),
      fc.array(arbHandlingCommand(policy, options), { maxLength: options.maxLength ?? 30 }),
    )
    .map(([first, rest]): CommandInput[] => [first, ...rest]);
}

/** A stream built by {@link runCommands} or {@link arbValidStream}. */
export interface CommandRun {
  /** The stream the commands were decided for. */
  readonly streamId: ComplaintId;
  /** Every command given, accepted or not. */
  readonly commands: readonly unknown[];
  /** The accepted events, in order; versions 1..n. */
  readonly events: readonly ComplaintEvent[];
  /** The state folded from those events. */
  readonly state: ComplaintState;
  /** One entry per command: how many events it added, or why it was refused. */
  readonly outcomes: readonly (
    | { readonly ok: true; readonly events: number }
    | { readonly ok: false; readonly rejection: Rejection }
  )[];
}

/** A clock that stands still until told to move: every decision of a step sees the same instant. */
export interface SteppingClock extends Clock {
  /** Moves the clock by `ms` (default: the step) and returns the new instant. */
  advance(ms?: number): Date;
}

/**
 * A deterministic clock for simulations: it starts at `start` and moves only on `advance()`.
 * @example
 * const clock = createSteppingClock("2026-03-02T01:00:00.000Z", 60_000);
 * const ids = ulidGenerator({ clock, seed: 7 });
 * clock.advance(); // 01:01
 */
export function createSteppingClock(start: Date | string, stepMs = 3_600_000): SteppingClock {
  let at = new Date(start).getTime();
  if (Number.isNaN(at)) throw new TypeError(`createSteppingClock: invalid instant ${String(start)}`);
  return {
    now: () => new Date(at),
    advance(ms = stepMs) {
      at += ms;
      return new Date(at);
    },
  };
}

function createRun(options: RunOptions) {
  const policy = options.policy ?? defaultPolicy;
  const actor = options.actor ?? defaultTestActor;
  const clock = createSteppingClock(options.start ?? DEFAULT_START, options.stepMs);
  const ids = ulidGenerator({ clock, seed: options.seed ?? 1 });
  const streamId = ids.next() as ComplaintId;
  let state: ComplaintState = initialState(streamId);
  const commands: unknown[] = [];
  const events: ComplaintEvent[] = [];
  const outcomes: CommandRun["outcomes"][number][] = [];
  return {
    get state() {
      return state;
    },
    step(input: unknown): void {
      clock.advance();
      commands.push(input);
      const parsed = parseCommand(input);
      const decision = parsed.ok
        ? decide(state, parsed.command, { clock, ids, actor, policy, serial: 1 })
        : parsed;
      if (!decision.ok) {
        outcomes.push({ ok: false, rejection: decision.rejection });
        return;
      }
      state = fold(state, decision.events);
      events.push(...decision.events);
      outcomes.push({ ok: true, events: decision.events.length });
    },
    result: (): CommandRun => ({ streamId, commands, events, state, outcomes }),
  };
}

/**
 * Decides `commands` one after another on a fresh stream, keeping the accepted events. The
 * clock moves by `stepMs` before each command and ids come from a seeded generator, so the same
 * commands and seed always give the same events. Inputs are parsed first: malformed ones are
 * recorded as `command/invalid` outcomes.
 * @example
 * const run = runCommands([receive, classify], { policy, seed: 3 });
 * run.state.stage; // "classified"
 */
export function runCommands(commands: readonly unknown[], options: RunOptions = {}): CommandRun {
  const run = createRun(options);
  for (const input of commands) run.step(input);
  return run.result();
}

/**
 * A valid event stream, built step by step: each command is drawn by {@link arbCommandFor} for
 * the state so far and decided with a stepping clock and seeded ids; only accepted decisions
 * are kept, so streams travel the whole lifecycle (closing, reopening) with side facts and
 * refused commands in between. The run carries the commands, so a failing property shows what
 * built the stream. Built on `fc.gen()`: replay a failure by its seed (a replay path is not
 * supported).
 * @example
 * fc.assert(fc.property(arbValidStream(policy), ({ streamId, events, state }) => {
 *   expect(fold(initialState(streamId), events)).toStrictEqual(state);
 * }));
 */
export function arbValidStream(
  policy: Policy = defaultPolicy,
  options: Omit<RunOptions, "policy" | "seed"> & SequenceOptions = {},
): fc.Arbitrary<CommandRun> {
  const actor = options.actor ?? defaultTestActor;
  // `fc.gen()` deep-compares the arguments of every call with the earlier ones: pass it
  // primitives only, with the policy and actor bound here.
  const receive = () => arbReceive(policy, actor);
  const next = (stage: Stage, actionIds: string) => arbForStage(policy, actor, stage, actionIds);
  return fc
    .tuple(fc.gen(), fc.integer({ min: 0, max: 0x7fffffff }), fc.nat(options.maxLength ?? 30))
    .map(([g, seed, length]) => {
      const run = createRun({ ...options, policy, seed });
      run.step(g(receive));
      for (let i = 0; i < length; i++) {
        const state = run.state;
        const actionIds =
          state.stage === "none" ? "" : state.correctiveActions.map((a) => a.actionId).join("\n");
        run.step(g(next, state.stage, actionIds));
      }
      return run.result();
    });
}

/**
 * The structural laws of a complaint stream, checked without `evolve`: every event parses with
 * the event schema, all share one stream id and distinct event ids, versions run 1..n without
 * gaps, the first event (and only the first) is `ComplaintReceived`, and nothing but
 * `ComplaintReopened` follows `ComplaintClosed`. Returns the problems found (empty when valid).
 * @example expect(checkStream(await store.readStream(id))).toEqual([]);
 */
export function checkStream(events: readonly unknown[]): string[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  let previous: ComplaintEvent | undefined;
  events.forEach((value, i) => {
    const parsed = ComplaintEventSchema.safeParse(value);
    if (!parsed.success) {
      problems.push(`event ${i + 1} does not parse: ${formatIssues(parsed.error)}`);
      return;
    }
    const e = parsed.data;
    if (e.version !== i + 1) problems.push(`event ${i + 1} has version ${e.version}`);
    if (ids.has(e.id)) problems.push(`event ${i + 1} repeats id ${e.id}`);
    ids.add(e.id);
    if (previous && e.streamId !== previous.streamId)
      problems.push(`event ${i + 1} is on stream ${e.streamId}, not ${previous.streamId}`);
    if (i === 0 && e.type !== "ComplaintReceived") problems.push(`the stream starts with ${e.type}`);
    if (i > 0 && e.type === "ComplaintReceived") problems.push(`event ${i + 1} receives the complaint again`);
    if (previous?.type === "ComplaintClosed" && e.type !== "ComplaintReopened")
      problems.push(`event ${i + 1} (${e.type}) follows ComplaintClosed`);
    previous = e;
  });
  return problems;
}

// Prototype keys, then real envelope fields that generated commands leave out.
const HOSTILE_KEYS = [
  "__proto__",
  "constructor",
  "prototype",
  "toString",
  "then",
  "type",
  "data",
  "amount",
  "occurredAt",
  "commandId",
  "caseNumber",
];

// An own property named `__proto__` cannot be written with `{}` literals or assignment.
function objectWith(entries: readonly (readonly [string, unknown])[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of entries)
    Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  return out;
}

/**
 * Hostile input for fuzzing a boundary (`handle`, `parseCommand`, a store's row parser): JSON
 * values, `NaN` and infinities, `-0`, negative and huge numbers, impossible dates, strings past
 * every length limit, and objects with `__proto__` / `constructor` keys, nested a few levels.
 * @example
 * fc.assert(fc.asyncProperty(arbJsonish(), async (input) => {
 *   const r = await handle(store, id, input, ctx); // never throws
 * }));
 */
export function arbJsonish(): fc.Arbitrary<unknown> {
  const leaf = fc.oneof(
    fc.jsonValue({ maxDepth: 2 }),
    fc.constantFrom<unknown>(
      Number.NaN,
      Number.POSITIVE_INFINITY,
      -1,
      -0,
      -1e21,
      2 ** 53 + 2,
      null,
      undefined,
      "",
    ),
    fc.constantFrom("2026-02-30T00:00:00.000Z", "2026-13-01", "not a date", "0000-00-00T00:00:00Z", " "),
    // Well-formed but extreme instants: the schema lets them in, nothing after it may throw.
    fc.constantFrom("0000-01-01T00:00:00.000Z", "9999-12-31T23:59:59.999Z", "1969-12-31T23:59:59.999Z"),
    fc.nat(3).map((n) => "长".repeat(20_001 + n)),
    fc.constantFrom(...COMMAND_TYPES),
  );
  const key = fc.oneof(fc.constantFrom(...HOSTILE_KEYS), fc.string({ maxLength: 8 }));
  const { node } = fc.letrec<{ node: unknown; array: unknown[]; object: Record<string, unknown> }>((tie) => ({
    node: fc.oneof({ depthSize: "small", withCrossShrink: true }, leaf, tie("array"), tie("object")),
    array: fc.array(tie("node"), { maxLength: 4 }),
    object: fc.array(fc.tuple(key, tie("node")), { maxLength: 5 }).map(objectWith),
  }));
  return node;
}

/**
 * A plausible command with one field replaced by hostile input from {@link arbJsonish}, or a
 * hostile key added: the inputs most likely to slip past a schema.
 * @example fc.sample(arbMangledCommand(defaultPolicy), 1) // e.g. { type: "ProposeResolution", remedy: { …, value: { amount: NaN, … } } }
 */
export function arbMangledCommand(policy: Policy = defaultPolicy): fc.Arbitrary<unknown> {
  const any = commandArbitraries(policy, defaultTestActor, []);
  const command = fc.oneof(...COMMAND_TYPES.map((t): fc.Arbitrary<CommandInput> => any[t]));
  return fc
    .tuple(command, fc.nat(), fc.boolean(), fc.constantFrom(...HOSTILE_KEYS), arbJsonish())
    .map(([c, at, addKey, hostileKey, junk]) => mangle(structuredClone(c), at, addKey, hostileKey, junk));
}

function mangle(root: object, at: number, addKey: boolean, hostileKey: string, junk: unknown): unknown {
  const slots: [Record<string, unknown>, string][] = [];
  const visit = (o: Record<string, unknown>) => {
    for (const [k, v] of Object.entries(o)) {
      // A broken `type` is the dullest mistake (one discriminator check): break the payload.
      if (!(o === root && k === "type")) slots.push([o, k]);
      if (v !== null && typeof v === "object") visit(v as Record<string, unknown>);
    }
  };
  visit(root as Record<string, unknown>);
  const [owner, key] = slots[at % slots.length] ?? [root as Record<string, unknown>, hostileKey];
  if (addKey || slots.length === 0)
    Object.defineProperty(owner, hostileKey, {
      value: junk,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  else owner[key] = junk;
  return root;
}
