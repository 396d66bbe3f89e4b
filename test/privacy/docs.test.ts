import * as fs from "node:fs";
import Database from "better-sqlite3";
import ts from "typescript";
import { afterEach, describe, expect, it } from "vitest";
import * as kesu from "../../src/index.js";
import * as kesuSqlite from "../../src/stores/sqlite/index.js";
import { tempDb } from "../stores/fixtures/tempDb.js";

// Runs the ```ts blocks of docs/security.md with their imports bound to the sources;
// `expr; // → value` lines are checked.
const markdown = fs.readFileSync(new URL("../../docs/security.md", import.meta.url), "utf8");
const blocks = [...markdown.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
const modules: Record<string, Record<string, unknown>> = {
  kesu,
  "kesu/sqlite": kesuSqlite,
  "better-sqlite3": { default: Database },
};

async function run(code: string): Promise<number> {
  const bindings: Record<string, unknown> = {};
  for (const [, names, from] of code.matchAll(/^import \{([^}]*)\} from "([^"]+)";$/gm))
    for (const name of names!.split(",").map((n) => n.trim()))
      if (name && !name.startsWith("type ")) bindings[name] = modules[from!]![name];
  for (const [, name, from] of code.matchAll(/^import (\w+) from "([^"]+)";$/gm))
    bindings[name!] = modules[from!]!.default;
  let checks = 0;
  const instrumented = code
    .replace(/^import [\s\S]*?from "[^"]+";$/gm, "")
    .replace(/^(.*); \/\/ → (.*)$/gm, (_, expr: string, expected: string) => {
      checks++;
      return `__check(${JSON.stringify(expr)}, ${expr}, ${expected});`;
    });
  const js = ts.transpileModule(instrumented, {
    compilerOptions: { target: ts.ScriptTarget.ES2022 },
  }).outputText;
  const check = (where: string, actual: unknown, expected: unknown) =>
    expect(actual, where).toEqual(expected);
  const AsyncFunction = (async () => {}).constructor as new (
    ...args: string[]
  ) => (...values: unknown[]) => Promise<void>;
  await new AsyncFunction("__check", ...Object.keys(bindings), js)(check, ...Object.values(bindings));
  return checks;
}

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
    expect(await run(local)).toBeGreaterThan(0);
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
