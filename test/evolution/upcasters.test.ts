import { describe, expect, it } from "vitest";
import {
  type ComplaintEvent,
  ComplaintEventSchema,
  CURRENT_SCHEMA_VERSIONS,
  complaintId,
  createMemoryStore,
  defaultPolicy,
  EVENT_TYPES,
  fixedClock,
  fold,
  handle,
  initialState,
  parseComplaintEvent,
  UPCASTERS,
  ulidGenerator,
} from "../../src/index.js";
import { runLifecycle } from "../privacy/lifecycle.js";
import { loadFixture, NEWER_FILE, type StoredEvent, V1_FILES } from "./load.js";

function parseAll(events: readonly StoredEvent[]): ComplaintEvent[] {
  return events.map((e) => {
    const parsed = parseComplaintEvent(e);
    if (!parsed.ok) throw new Error(`${e.type} v${e.version}: ${parsed.issues}`);
    return parsed.event;
  });
}

const closedOf = (events: readonly ComplaintEvent[]) => {
  const closed = events.find((e) => e.type === "ComplaintClosed");
  if (closed?.type !== "ComplaintClosed") throw new Error("no ComplaintClosed");
  return closed;
};

describe("schema versions", () => {
  it("ComplaintClosed is at schemaVersion 2, every other type at 1, and each upcaster chain starts at 1 without gaps", () => {
    expect(CURRENT_SCHEMA_VERSIONS.ComplaintClosed).toBe(2);
    for (const type of EVENT_TYPES.filter((t) => t !== "ComplaintClosed"))
      expect(CURRENT_SCHEMA_VERSIONS[type]).toBe(1);
    for (const type of EVENT_TYPES) {
      const steps = UPCASTERS.filter((u) => u.type === type).map((u) => u.from);
      expect(steps).toEqual(steps.map((_, i) => i + 1));
    }
  });

  it("R-30 new closures record the gates judged; closing on the spot or by withdrawal judges none", async () => {
    const store = createMemoryStore();
    const events = await store.readStream(await runLifecycle(store));
    const closed = closedOf(events);
    expect(closed.schemaVersion).toBe(2);
    expect(closed.data.gates).toEqual({
      causeFound: true,
      solved: true,
      measuresInPlace: false,
      accountable: false,
      educated: true,
    });

    const clock = fixedClock("2026-03-02T01:00:00.000Z");
    const ids = ulidGenerator({ clock, seed: 4 });
    const ctx = { clock, ids, actor: { id: "s-1", role: "staff", unit: "service" }, policy: defaultPolicy };
    const receive = {
      type: "ReceiveComplaint",
      channel: "walk-in",
      complainant: { id: "c-9" },
      description: "收银员找零有误",
    };
    const endings = [
      {
        type: "ResolveOnTheSpot",
        category: "service-content",
        remedy: { kinds: ["apology"], description: "当场补足并致歉" },
      },
      { type: "WithdrawComplaint", reason: "客户核对后发现自己算错", complainantMainlyAtFault: true },
    ];
    for (const ending of endings) {
      const id = complaintId(ids.next());
      await handle(store, id, receive, ctx);
      const result = await handle(store, id, ending, ctx);
      if (!result.ok) throw new Error(result.rejection.message);
      expect(closedOf(result.events).data.gates).toEqual({});
    }
  });
});

describe("v1 events from the fixtures", () => {
  it.each(V1_FILES)(
    "R-30 %s upcasts: ComplaintClosed gets gates.educated from staffEducated, nothing else changes",
    (file) => {
      const stored = loadFixture(file);
      const events = parseAll(stored);
      for (const [i, event] of events.entries()) {
        const original = stored[i]!;
        if (original.type !== "ComplaintClosed") {
          expect(event).toEqual(original);
          continue;
        }
        const { staffEducated, ...rest } = original.data;
        expect(event).toEqual({
          ...original,
          schemaVersion: 2,
          data: { ...rest, gates: { educated: staffEducated } },
        });
        expect(event.data).not.toHaveProperty("staffEducated");
      }
      // Parsing an upcast event again changes nothing: upcasting is applied once.
      expect(parseAll(events as unknown as StoredEvent[])).toEqual(events);
    },
  );

  it("R-11 R-13 R-17 the upcast streams replay to the states the old release had", () => {
    const states = V1_FILES.map((file) => {
      const events = parseAll(loadFixture(file));
      return fold(initialState(complaintId(events[0]!.streamId)), events);
    });
    expect(states.map((s) => [s.stage, s.stage === "closed" ? s.closure.outcome : null, s.version])).toEqual([
      ["closed", "resolved", 14],
      ["closed", "answered", 5],
      ["closed", "not-established", 4],
    ]);
    expect(states[0]).toMatchObject({
      validity: "valid",
      accountabilityRecorded: true,
      caseNumber: "YC20250915-007",
    });
    expect(states[2]).toMatchObject({ validity: "not-established" });
  });

  it("an old row is never taken for a current one: the current schema refuses it as it is", () => {
    const closed = loadFixture(V1_FILES[0]).at(-1)!;
    expect(ComplaintEventSchema.safeParse(closed).success).toBe(false);
    expect(ComplaintEventSchema.safeParse({ ...closed, schemaVersion: 2 }).success).toBe(false);
  });

  it("a damaged v1 row is reported in the terms of its own version", () => {
    const closed = loadFixture(V1_FILES[1]).at(-1)!;
    const parsed = parseComplaintEvent({ ...closed, data: { ...closed.data, staffEducated: "是" } });
    expect(parsed).toMatchObject({ ok: false });
    expect(!parsed.ok && parsed.issues).toContain("data.staffEducated");
    expect(!parsed.ok && parsed.issues).toContain("(as ComplaintClosed schemaVersion 1)");
    expect(!parsed.ok && parsed.tooNew).toBeUndefined();
  });
});

describe("events from a newer kesu", () => {
  it("a schemaVersion this release does not know is refused by name, never accepted or guessed", () => {
    const [received, closed] = loadFixture(NEWER_FILE);
    expect(parseComplaintEvent(received).ok).toBe(true);
    const parsed = parseComplaintEvent(closed);
    expect(parsed).toEqual({
      ok: false,
      issues: "schemaVersion: ComplaintClosed version 3 is newer than this kesu knows (2): upgrade kesu",
      tooNew: { type: "ComplaintClosed", schemaVersion: 3, known: 2 },
    });
  });
});
