import { afterAll, beforeAll } from "vitest";
import { eventStoreContract } from "../../src/testing/index.js";
import { openTestDatabase, serverUrl, type TestDatabase } from "../support/postgres.js";

// PGlite always; the server as well when KESU_PG_URL is set. Every test gets a schema of its
// own, and `connect` opens a second store on it (on the server: its own connections).
const backends = serverUrl ? (["pglite", "server"] as const) : (["pglite"] as const);

for (const backend of backends) {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase(backend);
  });
  afterAll(() => db?.close());

  eventStoreContract(`postgres (${backend === "server" ? "PostgreSQL server" : "PGlite"})`, async () => {
    const schema = db.newSchema();
    const store = db.openStore({ schema, ownPool: true });
    return {
      store,
      connect: async () => db.openStore({ schema, ownPool: true }),
      cleanup: () => db.sql(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).then(() => {}),
    };
  });
}
