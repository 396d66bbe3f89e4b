import { describe, expect, it } from "vitest";
import {
  createMemoryStore,
  createSubscription,
  type EventStore,
  type RecordedEvent,
} from "../../src/index.js";
import { isConnectionError } from "../../src/stores/postgres/driver.js";
import { writeHistory } from "../integrity/fixtures.js";

/** The memory store's `readAll`, failing the reads `failing` names (1-based) with `error`. */
function flakyReads(store: EventStore, failing: (call: number) => boolean, error: () => unknown) {
  let calls = 0;
  const readAll: EventStore["readAll"] = async (options) => {
    calls += 1;
    if (failing(calls)) throw error();
    return store.readAll(options);
  };
  return { readAll, calls: () => calls };
}

const retry = { isTransient: isConnectionError, maxWaitMs: 300 };
const terminated = () =>
  Object.assign(new Error("terminating connection due to administrator command"), { code: "57P01" });

describe("a subscription whose reads fail", () => {
  it("retries a read that lost its connection, from the same position: every event once, in order", async () => {
    const store = createMemoryStore();
    await writeHistory(store);
    const all = await store.readAll();
    const reads = flakyReads(store, (n) => n === 2 || n === 3 || n === 5, terminated);
    const seen: RecordedEvent[] = [];
    const sub = createSubscription(
      reads.readAll,
      { batchSize: 2, onEvents: (b) => void seen.push(...b) },
      undefined,
      undefined,
      retry,
    );
    await sub.caughtUp();
    expect(seen).toStrictEqual(all);
    expect(reads.calls()).toBeGreaterThan(5);
    await sub.close();
  });

  it("caughtUp reports a connection that stays down, and delivery resumes once it is back", async () => {
    const store = createMemoryStore();
    await writeHistory(store);
    let down = true;
    const reads = flakyReads(
      store,
      () => down,
      () => new Error("Connection terminated unexpectedly"),
    );
    const seen: RecordedEvent[] = [];
    const sub = createSubscription(
      reads.readAll,
      { onEvents: (b) => void seen.push(...b) },
      undefined,
      undefined,
      retry,
    );
    await expect(sub.caughtUp()).rejects.toThrow("Connection terminated unexpectedly");
    down = false;
    await sub.caughtUp();
    expect(seen).toHaveLength(8);
    await sub.close();
  });

  it("any other read failure still stops it, and is reported", async () => {
    const store = createMemoryStore();
    await writeHistory(store);
    const reads = flakyReads(
      store,
      (n) => n === 1,
      () => new Error("permission denied for table events"),
    );
    const errors: unknown[] = [];
    const sub = createSubscription(
      reads.readAll,
      { onEvents: () => {}, onError: (e) => void errors.push(e) },
      undefined,
      undefined,
      retry,
    );
    await sub.caughtUp();
    expect(errors).toHaveLength(1);
    expect(reads.calls()).toBe(1);
    await sub.close();
  });

  it("only errors of a lost or refused connection count as passing", () => {
    for (const code of ["57P01", "57P02", "57P03", "08006", "08001", "53300", "ECONNRESET", "ECONNREFUSED"])
      expect(isConnectionError(Object.assign(new Error("x"), { code })), code).toBe(true);
    expect(
      isConnectionError(new Error("Client has encountered a connection error and is not queryable")),
    ).toBe(true);
    for (const code of ["23505", "42P01", "22P05", "40001"])
      expect(isConnectionError(Object.assign(new Error("x"), { code })), code).toBe(false);
    expect(isConnectionError("Connection terminated")).toBe(false);
  });
});
