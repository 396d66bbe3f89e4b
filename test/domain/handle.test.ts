import { describe, expect, it } from "vitest";
import {
  type Actor,
  type CommandInput,
  type ComplaintId,
  complaintId,
  createMemoryStore,
  createPolicy,
  defaultPolicy,
  type EventStore,
  fixedClock,
  type HandleContext,
  type HandleResult,
  handle,
  isConcurrencyError,
  type Policy,
  ulidGenerator,
} from "../../src/index.js";

const staff: Actor = { id: "staff-1", role: "staff", unit: "service" };

// Each context gets its own id seed: a generator replayed from the same seed would hand out command
// ids already used, and handle would (rightly) answer them as duplicates.
let seeds = 0;
function context(policy: Policy = defaultPolicy, at = "2026-03-02T01:00:00.000Z"): HandleContext {
  const clock = fixedClock(at);
  return { clock, ids: ulidGenerator({ clock, seed: ++seeds }), actor: staff, policy };
}

const receive = (extra: Partial<Record<string, unknown>> = {}): CommandInput =>
  ({
    type: "ReceiveComplaint",
    channel: "phone",
    complainant: { id: "c-1" },
    description: "送货少了两条",
    ...extra,
  }) as CommandInput;

function newStream(seed: number): ComplaintId {
  return complaintId(ulidGenerator({ clock: fixedClock("2026-01-01T00:00:00Z"), seed }).next());
}

function ok(result: HandleResult) {
  if (!result.ok) throw new Error(`rejected: ${result.rejection.code} ${result.rejection.message}`);
  return result;
}

async function caseNumberOf(store: EventStore, ctx: HandleContext, seed: number, occurredAt?: string) {
  const id = newStream(seed);
  const result = ok(await handle(store, id, receive(occurredAt ? { occurredAt } : {}), ctx));
  const first = result.events[0];
  return first?.type === "ComplaintReceived" ? first.data.caseNumber : undefined;
}

describe("case numbers from the store", () => {
  it("R-01 case numbers are sequential within a month and restart each month", async () => {
    const store = createMemoryStore();
    const ctx = context();
    const numbers = [
      await caseNumberOf(store, ctx, 1, "2026-03-02T01:00:00.000Z"),
      await caseNumberOf(store, ctx, 2, "2026-03-15T08:00:00.000Z"),
      await caseNumberOf(store, ctx, 3, "2026-03-31T15:59:00.000Z"),
      // 16:30 UTC on 31 March is already 1 April in Asia/Shanghai
      await caseNumberOf(store, ctx, 4, "2026-03-31T16:30:00.000Z"),
      await caseNumberOf(store, ctx, 5, "2026-03-20T03:00:00.000Z"),
      await caseNumberOf(store, context(defaultPolicy, "2026-06-10T02:00:00.000Z"), 6),
    ];
    expect(numbers).toEqual([
      "2026-03-0001",
      "2026-03-0002",
      "2026-03-0003",
      "2026-04-0001",
      "2026-03-0004",
      "2026-06-0001",
    ]);
    expect((await store.streamInfo(newStream(4)))?.caseNumber).toBe("2026-04-0001");
  });

  it("R-01 complaints received at the same time get unique case numbers", async () => {
    const store = createMemoryStore();
    const ctx = context();
    const numbers = await Promise.all([11, 12, 13, 14, 15].map((seed) => caseNumberOf(store, ctx, seed)));
    expect([...numbers].sort()).toEqual([
      "2026-03-0001",
      "2026-03-0002",
      "2026-03-0003",
      "2026-03-0004",
      "2026-03-0005",
    ]);
  });
});

describe("idempotency by command id", () => {
  it("the same intake twice appends once and answers the first result", async () => {
    const store = createMemoryStore();
    const id = newStream(1);
    const command = receive({ commandId: "mail-<20260302.abc@example.com>" });
    const first = ok(await handle(store, id, command, context()));
    const second = ok(await handle(store, id, command, context(defaultPolicy, "2026-03-02T05:00:00.000Z")));
    expect(first.alreadyHandled).toBe(false);
    expect(second.alreadyHandled).toBe(true);
    expect(second.events).toEqual(first.events);
    expect(await store.readStream(id)).toHaveLength(1);
    expect(await store.readAll()).toHaveLength(1);
  });

  it("a retried command on an existing case appends once", async () => {
    const store = createMemoryStore();
    const id = newStream(1);
    ok(await handle(store, id, receive(), context()));
    const progress = { type: "ReportProgress", message: "已联系仓库", channel: "phone", commandId: "cmd-7" };
    const first = ok(await handle(store, id, progress, context()));
    const again = ok(await handle(store, id, progress, context()));
    expect(again.alreadyHandled).toBe(true);
    expect(again.events.map((e) => e.id)).toEqual(first.events.map((e) => e.id));
    expect((await store.readStream(id)).map((e) => e.type)).toEqual([
      "ComplaintReceived",
      "ProgressReported",
    ]);
  });

  it("the same command racing itself appends once", async () => {
    const store = createMemoryStore();
    const id = newStream(1);
    ok(await handle(store, id, receive(), context()));
    const progress = { type: "ReportProgress", message: "已联系仓库", channel: "phone", commandId: "cmd-8" };
    const results = (
      await Promise.all([handle(store, id, progress, context()), handle(store, id, progress, context())])
    ).map(ok);
    expect(results.map((r) => r.alreadyHandled).sort()).toEqual([false, true]);
    expect(await store.readStream(id)).toHaveLength(2);
  });
});

describe("concurrent writers", () => {
  const progress = (message: string) => ({ type: "ReportProgress", message, channel: "phone" });

  it("a conflicting append is retried on the reloaded stream", async () => {
    const store = createMemoryStore();
    const id = newStream(1);
    ok(await handle(store, id, receive(), context()));
    const [a, b] = (
      await Promise.all([
        handle(store, id, progress("甲"), context()),
        handle(store, id, progress("乙"), context()),
      ])
    ).map(ok);
    expect([a?.events[0]?.version, b?.events[0]?.version].sort()).toEqual([2, 3]);
    const stream = await store.readStream(id);
    expect(stream.map((e) => e.version)).toEqual([1, 2, 3]);
    expect(stream.flatMap((e) => (e.type === "ProgressReported" ? [e.data.message] : [])).sort()).toEqual(
      ["乙", "甲"].sort(),
    );
  });

  it("without retries the loser of the race gets a ConcurrencyError", async () => {
    const store = createMemoryStore();
    const id = newStream(1);
    ok(await handle(store, id, receive(), context()));
    const noRetry = { ...context(), maxRetries: 0 };
    const settled = await Promise.allSettled([
      handle(store, id, progress("甲"), noRetry),
      handle(store, id, progress("乙"), { ...context(), maxRetries: 0 }),
    ]);
    const rejected = settled.filter((s) => s.status === "rejected");
    expect(rejected).toHaveLength(1);
    expect(isConcurrencyError((rejected[0] as PromiseRejectedResult).reason)).toBe(true);
    expect(await store.readStream(id)).toHaveLength(2);
  });

  it("R-08 the retry decides again: a second acceptance racing the first is refused", async () => {
    const store = createMemoryStore();
    const id = newStream(1);
    const steps: unknown[] = [
      receive(),
      { type: "ClassifyComplaint", kind: "complaint", category: "service-content" },
      { type: "RecordInvestigation", findings: { facts: "漏送", validity: "valid" } },
      { type: "ProposeResolution", remedy: { kinds: ["substitute"], description: "补送" } },
    ];
    for (const step of steps) ok(await handle(store, id, step, context()));
    const results = await Promise.all([
      handle(store, id, { type: "AcceptResolution" }, context()),
      handle(store, id, { type: "AcceptResolution" }, context()),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const refused = results.find((r) => !r.ok);
    expect(refused && !refused.ok && refused.rejection.code).toBe("resolution/already-accepted");
    expect((await store.readStream(id)).filter((e) => e.type === "ResolutionAccepted")).toHaveLength(1);
  });
});

describe("policy version", () => {
  const v2 = createPolicy({ ...defaultPolicy, version: "2" });
  const changeTo2 = { type: "ChangePolicy", to: { id: "default", version: "2" }, reason: "2026 版制度生效" };
  const progress = { type: "ReportProgress", message: "处理中", channel: "phone" };

  it("a case received under one policy version is not handled with another", async () => {
    const store = createMemoryStore();
    const id = newStream(1);
    ok(await handle(store, id, receive(), context()));
    const before = await store.readAll();
    const result = await handle(store, id, progress, context(v2));
    expect(!result.ok && result.rejection.code).toBe("policy/mismatch");
    expect(!result.ok && result.rejection.message).toContain("default@1");
    expect(await store.readAll()).toEqual(before);
  });

  it("ChangePolicy records the change, after which the new version applies and the old one does not", async () => {
    const store = createMemoryStore();
    const id = newStream(1);
    ok(await handle(store, id, receive(), context()));
    const fromOldContext = await handle(store, id, changeTo2, context());
    expect(!fromOldContext.ok && fromOldContext.rejection.code).toBe("policy/mismatch");
    const changed = ok(await handle(store, id, changeTo2, context(v2)));
    const event = changed.events[0];
    expect(event?.type === "PolicyChanged" && event.data).toEqual({
      from: { id: "default", version: "1" },
      to: { id: "default", version: "2" },
      reason: "2026 版制度生效",
    });
    ok(await handle(store, id, progress, context(v2)));
    const old = await handle(store, id, progress, context());
    expect(!old.ok && old.rejection.code).toBe("policy/mismatch");
    const twice = await handle(store, id, changeTo2, context(v2));
    expect(!twice.ok && twice.rejection.code).toBe("policy/mismatch");
  });

  it("R-12 a case reopened under a newer policy records the change with the reopen", async () => {
    const store = createMemoryStore();
    const id = newStream(1);
    const steps: unknown[] = [
      receive(),
      {
        type: "ResolveOnTheSpot",
        category: "service-attitude",
        remedy: { kinds: ["apology"], description: "致歉" },
      },
    ];
    for (const step of steps) ok(await handle(store, id, step, context()));
    const reopened = ok(
      await handle(
        store,
        id,
        { type: "ReopenComplaint", reason: "complainant-returned", description: "又来了" },
        context(v2),
      ),
    );
    expect(reopened.events.map((e) => e.type)).toEqual(["ComplaintReopened", "PolicyChanged"]);
    expect(reopened.state.stage !== "none" && reopened.state.policy).toEqual({ id: "default", version: "2" });
  });
});
