import { describe, expect, it } from "vitest";
import {
  type ComplaintId,
  createMemoryStore,
  defaultPolicy,
  fixedClock,
  handle,
  ulidGenerator,
} from "../../src/index.js";
import { deciderSpec } from "../../src/testing/index.js";

const receive = {
  type: "ReceiveComplaint",
  channel: "phone",
  complainant: { id: "c-1" },
  description: "营业员态度恶劣",
  complainedAbout: { id: "clerk-9", unit: "store-3" },
} as const;

function setup() {
  const store = createMemoryStore();
  const clock = fixedClock("2026-04-01T02:00:00.000Z");
  const ids = ulidGenerator({ clock, seed: 9 });
  const ctx = { clock, ids, policy: defaultPolicy, actor: { id: "desk", role: "staff", unit: "service" } };
  return { store, ids, ctx };
}

describe("hardening", () => {
  it("R-27 a misspelt nested field is refused by name, so no remedy value slips past the authority check", async () => {
    const { store, ids, ctx } = setup();
    const id = ids.next() as ComplaintId;
    await handle(store, id, receive, ctx);
    const r = await handle(
      store,
      id,
      {
        type: "ProposeResolution",
        remedy: { kinds: ["compensation"], description: "赔偿", valeu: { amount: 9e6, currency: "CNY" } },
      },
      ctx,
    );
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.rejection.code).toBe("command/invalid");
      expect(r.rejection.fields?.map((f) => f.path)).toContain("remedy.valeu");
    }
  });

  it("R-01 a refused registration spends no case-number serial", async () => {
    const { store, ids, ctx } = setup();
    const refused = await handle(
      store,
      ids.next() as ComplaintId,
      { ...receive, complainant: { id: "anon", anonymous: true }, personalData: { name: "王五" } },
      ctx,
    );
    expect(refused.ok).toBe(false);
    const accepted = await handle(store, ids.next() as ComplaintId, receive, ctx);
    expect(accepted.ok && accepted.state.stage !== "none" && accepted.state.caseNumber).toBe("2026-04-0001");
  });

  it("a command id reused for another stream is refused, not answered with the other stream's events", async () => {
    const { store, ids, ctx } = setup();
    const first = await handle(store, ids.next() as ComplaintId, { ...receive, commandId: "mail-1" }, ctx);
    expect(first.ok).toBe(true);
    const other = ids.next() as ComplaintId;
    const second = await handle(store, other, { ...receive, commandId: "mail-1" }, ctx);
    expect(second.ok).toBe(false);
    if (!second.ok) expect(second.rejection.code).toBe("command/id-reused");
    expect(await store.readStream(other)).toEqual([]);
  });

  it("R-28 the person complained about may not acknowledge, report progress or escalate either", () => {
    const accused = { id: "clerk-9", role: "staff", unit: "store-3" };
    const spec = deciderSpec().given(receive);
    for (const command of [
      {
        type: "AcknowledgeReceipt",
        handler: { unit: "store-3" },
        expectedResponseBy: "2026-03-03T10:00:00.000Z",
        channel: "phone",
      },
      { type: "ReportProgress", message: "处理中", channel: "phone" },
      { type: "EscalateComplaint", toLevel: 2, reason: "升级" },
    ] as const)
      spec.when(command, { actor: accused }).thenRejects("complaint/recusal");
  });

  it("R-33 history is append-only in time: a command dated before the last event is refused by field", () => {
    const spec = deciderSpec().given({ ...receive, occurredAt: "2026-03-02T01:00:00.000Z" });
    const message = spec
      .when({
        type: "ReportProgress",
        message: "补记",
        channel: "phone",
        occurredAt: "2026-03-01T01:00:00.000Z",
      })
      .thenRejects("command/invalid");
    expect(message).toMatch(/occurredAt/);
  });
});
