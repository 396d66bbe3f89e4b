import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, serverUrl, type TestDatabase } from "../support/postgres.js";
import { checkStoreEdges, describeTally, fuzzHandle } from "./fuzzHarness.js";

// PGlite always; the PostgreSQL server as well when KESU_PG_URL is set. Runs are fewer than on
// the memory store: each one is a few dozen round trips.
const backends = serverUrl ? (["pglite", "server"] as const) : (["pglite"] as const);

for (const backend of backends) {
  const label = backend === "server" ? "PostgreSQL server" : "PGlite";
  describe(`fuzzing handle on ${label}: typed rejections only, valid sealed streams`, () => {
    let db: TestDatabase;
    beforeAll(async () => {
      db = await openTestDatabase(backend);
    });
    afterAll(() => db?.close());

    it("hostile commands and intakes", async () => {
      // Printed first, so that a run that hangs or times out can be replayed with this seed.
      const seed = Math.floor(Math.random() * 2 ** 31);
      console.info(`${label}: fast-check seed ${seed}`);
      const store = db.openStore();
      await checkStoreEdges(store);
      const tally = await fuzzHandle(store, 40, seed);
      console.info(describeTally(label, tally));
      expect(tally.accepted).toBeGreaterThan(0);
    }, 300_000);
  });
}
