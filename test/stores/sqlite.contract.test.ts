import { createSqliteStore } from "../../src/stores/sqlite/index.js";
import { eventStoreContract } from "../../src/testing/index.js";
import { tempDb } from "./fixtures/tempDb.js";

// Each test gets a new file; `connect` opens a second connection on it, as another process would.
eventStoreContract("sqlite", async () => {
  const db = tempDb();
  return {
    store: createSqliteStore({ path: db.path }),
    connect: async () => createSqliteStore({ path: db.path }),
    cleanup: async () => db.remove(),
  };
});
