import * as fs from "node:fs";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import * as kesuImport from "../../src/importer/index.js";
import * as kesu from "../../src/index.js";
import * as kesuPresets from "../../src/presets/index.js";

// Runs the ```ts blocks of docs/import.md with their imports bound to the sources; each
// `expr; // → json` line is checked.
const markdown = fs.readFileSync(new URL("../../docs/import.md", import.meta.url), "utf8");
const blocks = [...markdown.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
const modules: Record<string, Record<string, unknown>> = {
  kesu,
  "kesu/import": kesuImport,
  "kesu/presets": kesuPresets,
  "node:fs": fs as unknown as Record<string, unknown>,
};

async function run(code: string): Promise<number> {
  const bindings: Record<string, unknown> = {};
  for (const [, names, from] of code.matchAll(/^import \{([^}]*)\} from "([^"]+)";$/gm))
    for (const name of names!.split(",").map((n) => n.trim()))
      if (name && !name.startsWith("type ")) {
        expect(modules[from!]?.[name], `${name} from ${from}`).toBeDefined();
        bindings[name] = modules[from!]![name];
      }
  let checks = 0;
  const instrumented = code
    .replace(/^import .*$/gm, "")
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

describe("docs/import.md examples run and give the documented results", () => {
  it("has examples", () => {
    expect(blocks.length).toBeGreaterThanOrEqual(1);
  });

  blocks.forEach((code, index) => {
    it(`example ${index + 1}`, async () => {
      expect(await run(code)).toBeGreaterThan(0);
    });
  });

  it("names every mapping key and every column field in the format table", () => {
    for (const key of Object.keys(kesuImport.ImportMappingSchema.shape))
      expect(markdown, key).toContain(`| \`${key}\` |`);
    for (const field of kesuImport.IMPORT_FIELDS) expect(markdown, field).toContain(`\`${field}\``);
  });
});
