import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));

/** Bundles `code` (resolving imports from `dir`) and returns the output text. */
async function bundle(code: string, dir = root): Promise<string> {
  const result = await build({
    stdin: { contents: code, resolveDir: dir, loader: "ts" },
    bundle: true,
    write: false,
    format: "esm",
    platform: "node",
    treeShaking: true,
    external: ["zod", "ulid", "immer"],
    logLevel: "silent",
  });
  return result.outputFiles.map((f) => f.text).join("\n");
}

// Strings that appear only in one preset's data.
const MARKERS = {
  retail: "food-safety:untraceable",
  manufacturing: "C-CR-005",
  tobacco: "ASYC/ZH-QD-04",
  property: "lift-entrapment",
  usCfpb: "America/New_York",
  generic: "GB/T 19012",
} as const;

describe("presets tree-shake", () => {
  it("importing one preset by name bundles that preset only", async () => {
    const text = await bundle('import { tobacco } from "./src/presets/index.ts";\nconsole.log(tobacco.id);');
    expect(text).toContain(MARKERS.tobacco);
    for (const [name, marker] of Object.entries(MARKERS))
      if (name !== "tobacco") expect(text, name).not.toContain(marker);
    expect(text).not.toContain("describePreset");
  });

  it("the built entry, one file without package hints, still drops the presets not imported", async () => {
    // Like the published file: every preset in one module, so only the pure annotations on the
    // preset constants let a bundler drop the unused ones.
    const entry = await bundle('export * from "./src/presets/index.ts";');
    const dir = mkdtempSync(join(tmpdir(), "presets-"));
    try {
      writeFileSync(join(dir, "presets.js"), entry);
      for (const wanted of Object.keys(MARKERS)) {
        const text = await bundle(
          `import { ${wanted} } from "./presets.js";\nconsole.log(${wanted}.id);`,
          dir,
        );
        for (const [name, marker] of Object.entries(MARKERS))
          expect(text.includes(marker), `${wanted} bundle holds ${name}`).toBe(name === wanted);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("the presets record bundles them all", async () => {
    const text = await bundle('import { presets } from "./src/presets/index.ts";\nconsole.log(presets);');
    for (const marker of Object.values(MARKERS)) expect(text).toContain(marker);
  });
});
