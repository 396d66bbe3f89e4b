import { describe, expect, it } from "vitest";
import {
  type Actor,
  complaintId,
  createMemoryStore,
  defaultPolicy,
  type EventStore,
  fixedClock,
  type HandleContext,
  handle,
  ulidGenerator,
} from "../../src/index.js";

const clock = fixedClock("2026-03-02T01:00:00.000Z");
const actor: Actor = { id: "staff-1", role: "staff", unit: "service" };
const ctx = (): HandleContext => ({
  clock,
  ids: ulidGenerator({ clock, seed: 5 }),
  actor,
  policy: defaultPolicy,
});

const remedy = (value: unknown) => ({
  type: "ProposeResolution",
  remedy: { kinds: ["compensation"], description: "赔偿", value },
});

/** A store holding one investigated case, ready to take any command. */
async function caseUnderInvestigation() {
  const store = createMemoryStore();
  const context = ctx();
  const id = complaintId(context.ids.next());
  const steps = [
    { type: "ReceiveComplaint", channel: "phone", complainant: { id: "c-1" }, description: "漏送" },
    { type: "ClassifyComplaint", kind: "complaint", category: "delivery" },
    { type: "RecordInvestigation", findings: { facts: "司机漏送", validity: "valid" } },
  ];
  for (const step of steps) {
    const result = await handle(store, id, step, context);
    if (!result.ok) throw new Error(result.rejection.message);
  }
  return { store, id, context };
}

async function snapshot(store: EventStore, id: ReturnType<typeof complaintId>) {
  return { stream: await store.readStream(id), log: await store.readAll(), info: await store.streamInfo(id) };
}

const malformed: [what: string, input: unknown, paths: string[]][] = [
  ["a missing field", { type: "ReportProgress", channel: "phone" }, ["message"]],
  ["a field of the wrong type", { type: "ReportProgress", message: 42, channel: "phone" }, ["message"]],
  ["a value outside an enum", { type: "ReportProgress", message: "处理中", channel: "wechat" }, ["channel"]],
  ["an unknown command type", { type: "DeleteComplaint" }, ["type"]],
  ["no command type at all", { message: "处理中" }, ["type"]],
  ["an extra key", { type: "AcceptResolution", force: true }, ["force"]],
  ["two extra keys", { type: "AcceptResolution", force: true, as: "admin" }, ["force", "as"]],
  ["a NaN amount", remedy({ amount: Number.NaN, currency: "CNY" }), ["remedy.value.amount"]],
  ["a negative amount", remedy({ amount: -100, currency: "CNY" }), ["remedy.value.amount"]],
  [
    "an infinite amount",
    remedy({ amount: Number.POSITIVE_INFINITY, currency: "CNY" }),
    ["remedy.value.amount"],
  ],
  ["a lower-case currency", remedy({ amount: 100, currency: "cny" }), ["remedy.value.currency"]],
  [
    "a missing nested field",
    { type: "ProposeResolution", remedy: { kinds: ["apology"] } },
    ["remedy.description"],
  ],
  [
    "an empty remedy list",
    { type: "ProposeResolution", remedy: { kinds: [], description: "x" } },
    ["remedy.kinds"],
  ],
  [
    "a day that does not exist",
    { type: "AcceptResolution", occurredAt: "2026-02-30T01:00:00.000Z" },
    ["occurredAt"],
  ],
  ["a date that is not a date", { type: "AcceptResolution", occurredAt: "yesterday" }, ["occurredAt"]],
  [
    "an instant without milliseconds",
    { type: "AcceptResolution", occurredAt: "2026-03-02T01:00:00Z" },
    ["occurredAt"],
  ],
  [
    "an invalid civil date",
    {
      type: "PlanCorrectiveAction",
      actionId: "ca-1",
      description: "x",
      owner: { unit: "qa" },
      dueDate: "2026-13-01",
    },
    ["dueDate"],
  ],
  ["a blank text", { type: "ReportProgress", message: "   ", channel: "phone" }, ["message"]],
  ["an escalation level off the ladder", { type: "EscalateComplaint", toLevel: 4, reason: "x" }, ["toLevel"]],
  ["a null payload", null, ["(root)"]],
  ["a string payload", "AcceptResolution", ["(root)"]],
];

describe("malformed commands", () => {
  it.each(malformed)(
    "%s is command/invalid naming the field, and nothing is appended",
    async (_, input, paths) => {
      const { store, id, context } = await caseUnderInvestigation();
      const before = await snapshot(store, id);
      const result = await handle(store, id, input, context);
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.rejection.code).toBe("command/invalid");
      expect(result.rejection.fields?.map((f) => f.path)).toEqual(paths);
      for (const path of paths) expect(result.rejection.message).toContain(`${path}:`);
      expect(await snapshot(store, id)).toEqual(before);
    },
  );

  it("a malformed registration creates no stream", async () => {
    const store = createMemoryStore();
    const context = ctx();
    const id = complaintId(context.ids.next());
    const result = await handle(
      store,
      id,
      {
        type: "ReceiveComplaint",
        channel: "phone",
        complainant: { id: "c-1" },
        description: "x",
        subject: { quantity: -1 },
      },
      context,
    );
    expect(!result.ok && result.rejection.fields?.map((f) => f.path)).toEqual(["subject.quantity"]);
    expect(await store.readStream(id)).toEqual([]);
    expect(await store.readAll()).toEqual([]);
    expect(await store.streamInfo(id)).toBeUndefined();
  });

  it("a well-formed command the rules refuse appends nothing either", async () => {
    const { store, id, context } = await caseUnderInvestigation();
    const before = await snapshot(store, id);
    const result = await handle(store, id, remedy({ amount: 100_000, currency: "CNY" }), context);
    expect(!result.ok && result.rejection.code).toBe("policy/authority-exceeded");
    expect(await snapshot(store, id)).toEqual(before);
  });

  it("a command on a stream with no complaint is refused and creates nothing", async () => {
    const store = createMemoryStore();
    const context = ctx();
    const id = complaintId(context.ids.next());
    const result = await handle(store, id, { type: "AcceptResolution" }, context);
    expect(!result.ok && result.rejection.code).toBe("complaint/not-found");
    expect(await store.readAll()).toEqual([]);
  });
});
