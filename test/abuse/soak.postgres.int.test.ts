import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, serverUrl, type TestDatabase } from "../support/postgres.js";
import { describeSoak, soak } from "./soakHarness.js";

// Writers, the SLA watcher and a live projection run together against PostgreSQL for a fixed
// number of commands, then the read model, the log and the seals are checked. On the server
// the test's own connections are terminated a few times mid-run (found by application_name,
// nothing else on the server is touched); PGlite, one in-process connection, runs a smaller
// soak without drops.
describe.skipIf(!serverUrl)("soak on the PostgreSQL server, with dropped connections", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase("server");
  });
  afterAll(() => db?.close());

  it("6 writers, watcher and projection; connections terminated 8 times: nothing lost or duplicated", async () => {
    const schema = db.newSchema();
    const application_name = `kesu_soak_${randomBytes(4).toString("hex")}`;
    const open = (pollIntervalMs = 5_000) =>
      db.openStore({ schema, pollIntervalMs, pool: db.newPool({ max: 3, application_name }) });
    const writers = Array.from({ length: 6 }, () => open());
    await writers[0]!.migrate();
    const opsPerWriter = 50;
    const total = writers.length * opsPerWriter;
    const drops = 8;
    const dropAt = new Set(
      Array.from({ length: drops }, (_, i) => Math.round((total * (i + 1)) / (drops + 1))),
    );
    let terminated = 0;
    const report = await soak({
      writers,
      watcher: open(),
      follower: open(500),
      checker: db.openStore({ schema }),
      opsPerWriter,
      afterOp: async (done) => {
        if (!dropAt.has(done)) return;
        dropAt.delete(done);
        // Two steps, the function only in the select list: it runs for our backends and no other.
        const ours = await db.sql<{ pid: number }>(
          "SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND pid <> pg_backend_pid()",
          [application_name],
        );
        for (const { pid } of ours) {
          const [row] = await db.sql<{ done: boolean }>(
            "SELECT pg_terminate_backend(pid) AS done FROM pg_stat_activity WHERE pid = $1 AND application_name = $2",
            [pid, application_name],
          );
          if (row?.done) terminated += 1;
        }
      },
    });
    console.info(
      describeSoak("PostgreSQL server", report, `; ${terminated} backends terminated in ${drops} drops`),
    );
    expect(report.ops).toBe(total);
    expect(terminated).toBeGreaterThan(drops);
    expect(report.answeredOnRetry).toBeGreaterThan(0);
    expect(report.accepted).toBeGreaterThan(total / 3);
  }, 600_000);
});

describe("soak on PGlite (no connection drops)", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase("pglite");
  });
  afterAll(() => db?.close());

  it("3 writers, watcher and projection: nothing lost or duplicated", async () => {
    const schema = db.newSchema();
    const open = () => db.openStore({ schema });
    const report = await soak({
      writers: [open(), open(), open()],
      watcher: open(),
      follower: open(),
      checker: open(),
      opsPerWriter: 25,
    });
    console.info(describeSoak("PGlite", report));
    expect(report.ops).toBe(75);
  }, 300_000);
});
