import * as fs from "node:fs";
import { describe, expect, it } from "vitest";
import * as kesuImport from "../../src/importer/index.js";
import * as kesu from "../../src/index.js";
import * as kesuPresets from "../../src/presets/index.js";
import { type DocModules, readDoc, runDocBlock, tsBlocks } from "../support/docs.js";

// Runs the ```ts blocks of docs/import.md with their imports bound to the sources; each
// `expr; // → json` line is checked.
const markdown = readDoc("import.md");
const blocks = tsBlocks(markdown);
const modules: DocModules = {
  kesu,
  "kesu/import": kesuImport,
  "kesu/presets": kesuPresets,
  "node:fs": fs as unknown as Record<string, unknown>,
};
const run = (code: string) => runDocBlock(code, modules);

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
