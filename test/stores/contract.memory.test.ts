import { createMemoryStore } from "../../src/index.js";
import { eventStoreContract } from "../../src/testing/index.js";

eventStoreContract("memory", async () => ({ store: createMemoryStore() }));
