import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type CommandInput,
  type ComplaintId,
  type ComplaintListDoc,
  type ComplaintListRow,
  type ComplaintListStorage,
  calendars,
  complaintListProjection,
  createMemoryComplaintList,
  createMemoryStore,
  createPolicy,
  createProjectionRunner,
  defaultPolicy,
  type EventStore,
  fixedClock,
  handle,
  type Projection,
  type RecordedEvent,
  ulidGenerator,
} from "../../src/index.js";
import { appendPlan, historyPlan, listSla } from "./listHistory.js";

const sh = (local: string) => new Date(`${local}+08:00`);
const policy = createPolicy({
  ...defaultPolicy,
  id: "list-test",
  clocks: [
    {
      id: "handling",
      label: "Handling",
      start: ["ComplaintReceived"],
      stop: ["ComplaintResolved"],
      targets: [{ target: { amount: 1, unit: "working-days" } }],
    },
  ],
});
const calendar = calendars.chinaMainland();

async function seed(store: EventStore) {
  const clock = fixedClock(sh("2026-03-02T09:00:00"));
  const ids = ulidGenerator({ clock, seed: 11 });
  const ctx = { clock, ids, policy, actor: { id: "desk", role: "staff", unit: "service" } };
  const play = async (steps: [string, CommandInput][]) => {
    const id = ids.next() as ComplaintId;
    for (const [local, command] of steps) {
      const r = await handle(store, id, { ...command, occurredAt: sh(local).toISOString() }, ctx);
      if (!r.ok) throw new Error(r.rejection.message);
    }
    return id;
  };
  const receive = (complainant: string): CommandInput => ({
    type: "ReceiveComplaint",
    channel: "phone",
    complainant: { id: complainant },
    description: "投诉",
  });
  const classify = (category: string): CommandInput => ({
    type: "ClassifyComplaint",
    kind: "complaint",
    category,
  });
  const a = await play([
    ["2026-03-02T09:00:00", receive("c-a")],
    ["2026-03-02T09:10:00", classify("delivery")],
    ["2026-03-02T09:20:00", { type: "AssignComplaint", assignee: { id: "li", unit: "logistics" } }],
  ]);
  const b = await play([
    ["2026-03-02T10:00:00", receive("c-b")],
    ["2026-03-02T10:10:00", classify("quality")],
    ["2026-03-02T11:00:00", { type: "RecordInvestigation", findings: { facts: "f", validity: "valid" } }],
    ["2026-03-02T12:00:00", { type: "ProposeResolution", remedy: { kinds: ["apology"], description: "d" } }],
    ["2026-03-02T12:30:00", { type: "AcceptResolution" }],
    ["2026-03-02T13:30:00", { type: "CloseComplaint" }],
  ]);
  const c = await play([["2026-03-04T10:00:00", receive("c-c")]]);
  return { a, b, c };
}

describe("complaint list projection", () => {
  it("R-33 the register lists every complaint with its stage, classification, owner and SLA", async () => {
    const store = createMemoryStore();
    const { a, b, c } = await seed(store);
    const list = createMemoryComplaintList({ sla: { policy, calendar } });
    const result = await createProjectionRunner({ store, ...list, batchSize: 4 }).catchUp();
    expect(result.applied).toBe(10);
    const all = await list.query();
    expect(all.total).toBe(3);
    expect(all.rows.map((r) => r.streamId)).toEqual([a, b, c]);
    const byId = new Map(all.rows.map((r) => [r.streamId, r] as [ComplaintId, ComplaintListRow]));
    expect(byId.get(a)).toMatchObject({
      stage: "classified",
      category: "delivery",
      severity: "general",
      unit: "service",
    });
    // The hand-over to logistics is pending until acknowledged: the desk still owns it.
    expect(byId.get(b)).toMatchObject({
      stage: "closed",
      severity: "major",
      outcome: "resolved",
      validity: "valid",
    });
    expect(byId.get(b)?.closedAt).toBe(sh("2026-03-02T13:30:00").toISOString());
    // 1 working day from Mon 09:00 (Monday not counted) → Tue 18:00.
    expect(byId.get(a)?.slaDueAt).toBe(sh("2026-03-03T18:00:00").toISOString());
    expect(byId.get(b)?.slaDueAt).toBeNull();
  });

  it("R-24 R-35 filters by stage, severity, open and breach, with paging", async () => {
    const store = createMemoryStore();
    const { a, c } = await seed(store);
    const list = createMemoryComplaintList({ sla: { policy, calendar } });
    await createProjectionRunner({ store, ...list }).catchUp();
    expect((await list.query({ open: true })).rows.map((r) => r.streamId)).toEqual([a, c]);
    expect((await list.query({ severity: "major" })).total).toBe(1);
    expect((await list.query({ stage: ["received", "classified"] })).total).toBe(2);
    // On Wed 2026-03-04 09:00 case A (due Tue 18:00) is breached; C is not received yet.
    expect((await list.query({ breachedAt: sh("2026-03-04T09:00:00") })).rows.map((r) => r.streamId)).toEqual(
      [a],
    );
    const page = await list.query({ limit: 2, offset: 1 });
    expect(page.total).toBe(3);
    expect(page.rows).toHaveLength(2);
  });

  it("resumes from its checkpoint after a failed batch without applying anything twice", async () => {
    const store = createMemoryStore();
    await seed(store);
    const list = createMemoryComplaintList();
    const seen: number[] = [];
    let failOnce = true;
    const counting: Projection<Parameters<typeof list.projection.apply>[0]> = {
      name: list.projection.name,
      async apply(tx, events) {
        await list.projection.apply(tx, events);
        if (failOnce && events.some((e) => e.position >= 5)) {
          failOnce = false;
          throw new Error("crash mid-batch");
        }
        seen.push(...events.map((e: RecordedEvent) => e.position));
      },
      reset: list.projection.reset,
    };
    const runner = () =>
      createProjectionRunner({ store, target: list.target, projection: counting, batchSize: 3 });
    await expect(runner().catchUp()).rejects.toThrow("crash mid-batch");
    expect(await list.target.checkpoint("complaint-list")).toBe(3);
    const after = await runner().catchUp();
    expect(after.position).toBe(10);
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect((await list.query()).total).toBe(3);
  });

  it("follows new events and a rebuild from zero equals the incremental read model", async () => {
    const store = createMemoryStore();
    const { a } = await seed(store);
    const list = createMemoryComplaintList({ sla: { policy, calendar } });
    const runner = createProjectionRunner({ store, ...list });
    await runner.start();
    const clock = fixedClock(sh("2026-03-05T09:00:00"));
    const ctx = {
      clock,
      ids: ulidGenerator({ clock, seed: 5 }),
      policy,
      actor: { id: "li", role: "staff", unit: "logistics" },
    };
    await handle(store, a, { type: "AcceptAssignment" }, ctx);
    await runner.idle();
    expect((await list.get(a))?.row).toMatchObject({ unit: "logistics", owner: "li", version: 4 });
    const incremental = (await list.query()).rows;
    const rebuilt = await runner.rebuild();
    expect(rebuilt.position).toBe(11);
    expect((await list.query()).rows).toStrictEqual(incremental);
    await runner.stop();
  });
});

describe("complaint list storage with and without batch methods", () => {
  it("R-33 getMany/putMany give the same documents as get/put, whatever the batch size", async () => {
    const store = createMemoryStore();
    await appendPlan(store, historyPlan(12, 77));
    const log = await store.readAll({ limit: 100_000 });

    /** A Map-backed storage; `batch` says which optional methods it offers. */
    const storage = (batch: { get: boolean; put: boolean }) => {
      const docs = new Map<ComplaintId, ComplaintListDoc>();
      const calls = { get: 0, getMany: 0, put: 0, putMany: 0 };
      const base: ComplaintListStorage<null> = {
        get: (_tx, id) => {
          calls.get++;
          return docs.get(id);
        },
        put: (_tx, doc) => {
          calls.put++;
          docs.set(doc.row.streamId as ComplaintId, doc);
        },
        clear: () => docs.clear(),
      };
      return {
        docs,
        calls,
        storage: {
          ...base,
          ...(batch.get && {
            getMany: (_tx: null, ids: readonly ComplaintId[]) => {
              calls.getMany++;
              return new Map(ids.flatMap((id) => (docs.has(id) ? [[id, docs.get(id)!] as const] : [])));
            },
          }),
          ...(batch.put && {
            putMany: (_tx: null, written: readonly ComplaintListDoc[]) => {
              calls.putMany++;
              for (const doc of written) docs.set(doc.row.streamId as ComplaintId, doc);
            },
          }),
        },
      };
    };

    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 60 }),
        fc.boolean(),
        fc.boolean(),
        async (size, get, put) => {
          const plain = storage({ get: false, put: false });
          const batched = storage({ get, put });
          const a = complaintListProjection(plain.storage, { sla: listSla });
          const b = complaintListProjection(batched.storage, { sla: listSla });
          for (let i = 0; i < log.length; i += size) {
            await a.apply(null, log.slice(i, i + size));
            await b.apply(null, log.slice(i, i + size));
          }
          expect([...batched.docs.entries()].sort()).toStrictEqual([...plain.docs.entries()].sort());
          // The batch methods replace the single ones they stand for, once per batch at most.
          const batches = Math.ceil(log.length / size);
          if (get) expect([batched.calls.get, batched.calls.getMany]).toEqual([0, batches]);
          if (put) expect(batched.calls.put).toBe(0);
          if (put) expect(batched.calls.putMany).toBeLessThanOrEqual(batches);
        },
      ),
      { numRuns: 25 },
    );
  });
});
