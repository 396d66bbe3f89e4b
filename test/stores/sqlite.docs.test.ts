import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import * as kesu from "../../src/index.js";
import * as kesuSqlite from "../../src/stores/sqlite/index.js";
import type { ContractStore } from "../../src/testing/index.js";
import { docSection, readDoc, runDocBlock, tsBlocks } from "../support/docs.js";
import { tempDb } from "./fixtures/tempDb.js";

// Runs the ```ts blocks of docs/stores.md that are about SQLite and the contract suite. Imports
// are bound to the sources; `expr; // → json` lines are checked.
const markdown = readDoc("stores.md");

const temps: { remove(): void }[] = [];
afterEach(() => {
  for (const t of temps.splice(0)) t.remove();
});

describe("docs/stores.md, SQLite section", () => {
  it.each(tsBlocks(docSection(markdown, "SQLite")).map((code, i) => [i + 1, code]))(
    "example %i runs",
    async (_, code) => {
      const db = tempDb();
      temps.push(db);
      // The example names a file in the working directory; the test uses a temp file instead.
      const checks = await runDocBlock(code.replaceAll('"complaints.db"', JSON.stringify(db.path)), {
        kesu,
        "kesu/sqlite": kesuSqlite,
      });
      expect(checks).toBeGreaterThan(0);
      expect(fs.existsSync(db.path)).toBe(true);
    },
  );
});

describe("docs/stores.md, store adapter section", () => {
  it("the contract example builds working stores and cleans up", async () => {
    const [code] = tsBlocks(docSection(markdown, "Write a store adapter"));
    const registered: { name: string; factory: () => Promise<ContractStore> }[] = [];
    // Capture the registration instead of running the whole suite a third time.
    const eventStoreContract = (name: string, factory: () => Promise<ContractStore>) =>
      void registered.push({ name, factory });
    const made: string[] = [];
    const mkdtempSync = (prefix: string) => {
      const dir = fs.mkdtempSync(prefix);
      made.push(dir);
      return dir;
    };
    await runDocBlock(code!, {
      "node:fs": { ...fs, mkdtempSync },
      "node:os": os,
      "node:path": { ...path },
      "kesu/sqlite": kesuSqlite,
      "kesu/testing": { eventStoreContract },
    });
    expect(registered.map((r) => r.name)).toEqual(["sqlite"]);
    const opened = await registered[0]!.factory();
    const other = await opened.connect!();
    expect(await opened.store.nextSerial("docs")).toBe(1);
    expect(await other.nextSerial("docs")).toBe(2);
    await other.close();
    await opened.store.close();
    expect(made).toHaveLength(1);
    expect(fs.existsSync(made[0]!)).toBe(true);
    await opened.cleanup!();
    expect(fs.existsSync(made[0]!)).toBe(false);
  });
});
