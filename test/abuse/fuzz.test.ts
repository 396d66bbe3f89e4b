import { afterEach, describe, expect, it } from "vitest";
import { createMemoryStore } from "../../src/index.js";
import { createSqliteStore } from "../../src/stores/sqlite/index.js";
import { tempDb } from "../stores/fixtures/tempDb.js";
import { checkStoreEdges, describeTally, fuzzHandle } from "./fuzzHarness.js";

const temps: { remove(): void }[] = [];
afterEach(() => {
  for (const t of temps.splice(0)) t.remove();
});

describe("fuzzing handle with hostile input: typed rejections only, valid sealed streams", () => {
  it("memory store", async () => {
    const store = createMemoryStore();
    await checkStoreEdges(store);
    const tally = await fuzzHandle(store, 150);
    console.info(describeTally("memory", tally));
    expect(tally.inputs).toBeGreaterThan(150);
    await store.close();
  }, 120_000);

  it("SQLite store on a temp file", async () => {
    const file = tempDb();
    temps.push(file);
    const store = createSqliteStore({ path: file.path });
    await checkStoreEdges(store);
    const tally = await fuzzHandle(store, 60);
    console.info(describeTally("SQLite", tally));
    expect(tally.accepted).toBeGreaterThan(0);
    await store.close();
  }, 120_000);
});
