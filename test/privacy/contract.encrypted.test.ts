import { createEncryptedStore, createMemoryKeyStore, createMemoryStore } from "../../src/index.js";
import { eventStoreContract } from "../../src/testing/index.js";

// The wrapper is a store like any other: every behaviour of the port holds through it. The
// integrity part compares seals with the events as read, and the wrapper reads them opened
// while the seals cover them as stored (sealed), so it is left to the inner store's own suite.
eventStoreContract(
  "encrypted memory store",
  async () => ({ store: createEncryptedStore(createMemoryStore(), createMemoryKeyStore()) }),
  { integrity: false },
);
