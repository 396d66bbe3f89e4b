import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type ComplaintEvent,
  type ComplaintState,
  createPolicy,
  decide,
  defaultPolicy,
  EVENT_TYPES,
  fixedClock,
  fold,
  initialState,
  parseCommand,
  type Stage,
  ulidGenerator,
} from "../../src/index.js";
import {
  arbCommandFor,
  arbCommandSequence,
  arbHandlingCommand,
  arbJsonish,
  arbMangledCommand,
  arbValidStream,
  checkStream,
  createSteppingClock,
  defaultTestActor,
  runCommands,
} from "../../src/testing/index.js";

const receive = {
  type: "ReceiveComplaint",
  channel: "phone",
  complainant: { id: "c-1" },
  description: "少了一条",
};
const classify = { type: "ClassifyComplaint", kind: "complaint", category: "quantity" };
const investigate = { type: "RecordInvestigation", findings: { facts: "装箱漏装", validity: "valid" } };
const propose = { type: "ProposeResolution", remedy: { kinds: ["apology"], description: "致歉" } };
const close = { type: "CloseComplaint" };

describe("command arbitraries", () => {
  it("generate well-formed commands: every one parses with the command schema", () => {
    const state = runCommands([receive, classify]).state;
    fc.assert(
      fc.property(fc.oneof(arbCommandFor(state), arbHandlingCommand(), arbCommandSequence()), (value) => {
        for (const command of [value].flat()) {
          const parsed = parseCommand(command);
          expect(parsed.ok, parsed.ok ? "" : parsed.rejection.message).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("arbCommandFor mostly fits the stage: most commands are accepted", () => {
    const revisit = { type: "RecordRevisit", satisfaction: 80 };
    const stages: Record<Stage, readonly object[]> = {
      none: [],
      received: [receive],
      classified: [receive, classify],
      investigated: [receive, classify, investigate],
      resolved: [receive, classify, investigate, propose],
      revisited: [receive, classify, investigate, propose, revisit],
      closed: [receive, classify, investigate, propose, close],
    };
    for (const [stage, history] of Object.entries(stages)) {
      const { state } = runCommands(history);
      expect(state.stage).toBe(stage);
      const accepted = fc
        .sample(arbCommandFor(state), { numRuns: 200, seed: 42 })
        .filter((input) => decideOk(state, input)).length;
      expect(accepted, stage).toBeGreaterThan(50);
    }
  });

  it("use the policy's taxonomy and currency", () => {
    const policy = createPolicy({
      ...defaultPolicy,
      id: "bank",
      currency: "HKD",
      severityRules: [],
      categories: [{ id: "fees", label: "Fees" }],
    });
    const commands = fc.sample(arbHandlingCommand(policy), { numRuns: 500, seed: 7 });
    for (const c of commands) {
      if (c.type === "ClassifyComplaint" || c.type === "ResolveOnTheSpot")
        expect(["fees", "no-such-category"]).toContain(c.category);
      if (c.type === "ProposeResolution" && c.remedy.value)
        expect(["HKD", "USD"]).toContain(c.remedy.value.currency);
    }
  });

  it("arbCommandSequence starts with a receipt", () => {
    for (const sequence of fc.sample(arbCommandSequence(), { numRuns: 50, seed: 3 }))
      expect(sequence[0]?.type).toBe("ReceiveComplaint");
  });
});

describe("arbValidStream", () => {
  const runs = fc.sample(arbValidStream(), { numRuns: 300, seed: 11 });

  it("builds valid streams whose state is the fold of their events", () => {
    for (const run of runs) {
      expect(checkStream(run.events)).toEqual([]);
      expect(fold(initialState(run.streamId), run.events)).toStrictEqual(run.state);
      expect(run.outcomes).toHaveLength(run.commands.length);
    }
  });

  it("travels the whole lifecycle: every stage and nearly every event type occurs", () => {
    const stages = new Set(runs.map((r) => r.state.stage));
    expect([...stages]).toEqual(
      expect.arrayContaining(["received", "classified", "investigated", "resolved", "revisited", "closed"]),
    );
    const types = new Set(runs.flatMap((r) => r.events.map((e) => e.type)));
    // PolicyChanged needs a second policy, DeadlineExtended a policy with clocks.
    expect(EVENT_TYPES.filter((t) => !types.has(t))).toEqual(["DeadlineExtended", "PolicyChanged"]);
  });
});

describe("runCommands and the stepping clock", () => {
  it("moves the clock before every command and takes ids from the seed", () => {
    const run = runCommands([receive, classify, { type: "AcceptResolution" }, investigate], {
      seed: 5,
      stepMs: 60_000,
    });
    expect(run.events.map((e) => e.occurredAt)).toEqual([
      "2026-03-02T01:01:00.000Z",
      "2026-03-02T01:02:00.000Z",
      "2026-03-02T01:04:00.000Z",
    ]);
    expect(run.outcomes.map((o) => (o.ok ? o.events : o.rejection.code))).toEqual([
      1,
      1,
      "resolution/not-proposed",
      1,
    ]);
    expect(runCommands([receive], { seed: 5 }).streamId).toBe(run.streamId);
    expect(runCommands([receive], { seed: 6 }).streamId).not.toBe(run.streamId);
  });

  it("records malformed input as command/invalid and carries on", () => {
    const run = runCommands([receive, { type: "ClassifyComplaint" }, classify]);
    expect(run.outcomes[1]).toMatchObject({ ok: false, rejection: { code: "command/invalid" } });
    expect(run.state.stage).toBe("classified");
  });

  it("the stepping clock stands still until advanced", () => {
    const clock = createSteppingClock("2026-03-02T01:00:00.000Z", 1_000);
    expect(clock.now().toISOString()).toBe("2026-03-02T01:00:00.000Z");
    expect(clock.now().toISOString()).toBe("2026-03-02T01:00:00.000Z");
    expect(clock.advance().toISOString()).toBe("2026-03-02T01:00:01.000Z");
    expect(clock.advance(59_000).toISOString()).toBe("2026-03-02T01:01:00.000Z");
    expect(() => createSteppingClock("yesterday")).toThrow(TypeError);
  });
});

describe("checkStream", () => {
  const { events } = runCommands([
    receive,
    classify,
    investigate,
    propose,
    { type: "AcceptResolution" },
    close,
  ]);
  const at = (i: number) => events[i]!;
  const withVersion = (e: ComplaintEvent, version: number) => ({ ...e, version });

  it("accepts a valid stream and the empty stream", () => {
    expect(events.length).toBe(6);
    expect(checkStream(events)).toEqual([]);
    expect(checkStream([])).toEqual([]);
  });

  it("names every broken law", () => {
    expect(checkStream([at(0), withVersion(at(2), 3)])).toEqual(["event 2 has version 3"]);
    expect(checkStream([withVersion(at(1), 1)])).toEqual(["the stream starts with ComplaintClassified"]);
    expect(checkStream([at(0), withVersion(at(0), 2)])).toEqual([
      `event 2 repeats id ${at(0).id}`,
      "event 2 receives the complaint again",
    ]);
    const afterClose = { ...at(1), version: 7, id: "01KJP0Y9M0000000000000000Z" };
    expect(checkStream([...events, afterClose])).toEqual([
      "event 7 (ComplaintClassified) follows ComplaintClosed",
    ]);
    const otherStream = { ...at(1), streamId: at(1).id };
    expect(checkStream([at(0), otherStream])).toEqual([
      `event 2 is on stream ${at(1).id}, not ${at(0).streamId}`,
    ]);
    expect(checkStream([at(0), { ...at(1), data: { kind: "grumble" } }])[0]).toMatch(
      /^event 2 does not parse: data\./,
    );
  });
});

describe("fuzz arbitraries", () => {
  it("arbJsonish reaches prototype keys, non-finite numbers and oversize strings", () => {
    const values = fc.sample(arbJsonish(), { numRuns: 2_000, seed: 9 });
    const flat = values.flatMap(function walk(v: unknown): unknown[] {
      return v !== null && typeof v === "object" ? [v, ...Object.values(v).flatMap(walk)] : [v];
    });
    expect(flat.some((v) => typeof v === "object" && v !== null && Object.hasOwn(v, "__proto__"))).toBe(true);
    expect(flat.some((v) => Number.isNaN(v))).toBe(true);
    expect(flat.some((v) => typeof v === "string" && v.length > 20_000)).toBe(true);
  });

  it("arbMangledCommand mostly fails to parse", () => {
    const values = fc.sample(arbMangledCommand(), { numRuns: 500, seed: 9 });
    expect(values.filter((v) => !parseCommand(v).ok).length).toBeGreaterThan(400);
  });
});

function decideOk(state: ComplaintState, input: unknown): boolean {
  const parsed = parseCommand(input);
  if (!parsed.ok) return false;
  const clock = fixedClock("2026-03-05T01:00:00.000Z");
  const ctx = {
    clock,
    ids: ulidGenerator({ clock, seed: 1 }),
    actor: defaultTestActor,
    policy: defaultPolicy,
    serial: 1,
  };
  return decide(state, parsed.command, ctx).ok;
}
