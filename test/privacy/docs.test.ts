import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import * as kesu from "../../src/index.js";
import * as kesuSqlite from "../../src/stores/sqlite/index.js";
import { tempDb } from "../stores/fixtures/tempDb.js";
import { type DocModules, readDoc, runDocBlock, tsBlocks } from "../support/docs.js";

// Runs the ```ts blocks of docs/security.md with their imports bound to the sources;
// `expr; // → value` lines are checked.
const markdown = readDoc("security.md");
const blocks = tsBlocks(markdown);
const modules: DocModules = {
  kesu,
  "kesu/sqlite": kesuSqlite,
  "better-sqlite3": { default: Database },
};

const temps: { remove(): void }[] = [];
afterEach(() => {
  for (const t of temps.splice(0)) t.remove();
});

describe("docs/security.md", () => {
  it.each(blocks.map((code, i) => [i + 1, code]))("R-36 example %i runs", async (_, code) => {
    const events = tempDb();
    const keys = tempDb();
    temps.push(events, keys);
    // The examples name files in the working directory; the test uses temp files instead.
    const local = code
      .replaceAll('"complaints.db"', JSON.stringify(events.path))
      .replaceAll('"keys.db"', JSON.stringify(keys.path));
    expect(await runDocBlock(local, modules)).toBeGreaterThan(0);
  });

  it("names every rejection code it explains as a real one", () => {
    const codes = Object.keys(kesu.REJECTIONS);
    const prefixes = new Set(codes.map((code) => code.split("/")[0]));
    const named = [...markdown.matchAll(/`([a-z-]+)\/([a-z-]+)`/g)].filter(([, prefix]) =>
      prefixes.has(prefix),
    );
    expect(named.length).toBeGreaterThan(0);
    for (const [, prefix, rest] of named) expect(codes).toContain(`${prefix}/${rest}`);
  });
});
