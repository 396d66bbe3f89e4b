import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBuiltCopy } from "../support/build.js";

// An application that uses only the core must not carry the optional parts in its bundle: the
// presets' data, the China holiday tables, the database stores and their drivers. Checked on the
// built files (what users bundle), both as installed (next to package.json and its
// `sideEffects: false`) and as bare files (only the pure annotations in the code help).

/** Strings that occur in one optional part's code or data only. */
const MARKERS = {
  "preset retail": "food-safety:untraceable",
  "preset manufacturing": "C-CR-005",
  "preset tobacco": "ASYC/ZH-QD-04",
  "preset property": "lift-entrapment",
  "preset usCfpb": "Payday loan, title loan or personal loan",
  "preset generic": "GB/T 19012",
  // Document numbers of the State Council holiday notices, in the China calendar data.
  "China holiday data": "国办发明电",
  "SQLite store": "journal_mode = WAL",
  "PostgreSQL store": "pg_advisory_xact_lock",
  // The drivers stay external, so a bundle that needs them imports them by name.
  "better-sqlite3 driver": /["']better-sqlite3["']/,
  "pg driver": /["']pg["']/,
  // Dependencies of the reports, the importer and the CLI.
  "echarts (reports)": /["']echarts[/"']/,
  "csv-parse (importer)": /["']csv-parse/,
  "commander (CLI)": /["']commander["']/,
} as const;
type Part = keyof typeof MARKERS;

const contains = (text: string, part: Part) => {
  const marker = MARKERS[part];
  return typeof marker === "string" ? text.includes(marker) : marker.test(text);
};

/** Bundles `code`, whose imports are relative to `dir`, as an application would; returns the text. */
async function bundle(code: string, dir: string): Promise<string> {
  const result = await build({
    stdin: { contents: code, resolveDir: dir, loader: "js" },
    bundle: true,
    write: false,
    format: "esm",
    platform: "node",
    // Packages are not what is under test; leaving them out keeps the output small and shows
    // every package the bundle needs as an import by name.
    packages: "external",
    // Keep non-ASCII text as it is (esbuild escapes it by default), so Chinese markers match.
    charset: "utf8",
    logLevel: "silent",
  });
  return result.outputFiles.map((f) => f.text).join("\n");
}

const CORE_APP = `import { createMemoryStore, decide, evolve, handle } from "./index.js";
console.log(createMemoryStore, decide, evolve, handle);`;

let installed: string;
let bare: string;
beforeAll(async () => {
  // This run's build lies inside the repository, under package.json: as installed.
  installed = await ensureBuiltCopy();
  bare = mkdtempSync(join(tmpdir(), "kesu-bare-dist-"));
  cpSync(installed, bare, { recursive: true, filter: (from) => basename(from) !== ".complete" });
}, 300_000);
afterAll(() => {
  if (bare) rmSync(bare, { recursive: true, force: true });
});

describe("an app that imports only the core", () => {
  it.each([
    ["as installed", () => installed],
    ["from bare files, without package.json", () => bare],
  ])("bundles none of the optional parts (%s)", async (_, dir) => {
    const text = await bundle(CORE_APP, dir());
    expect(text).toContain("createMemoryStore");
    const found = (Object.keys(MARKERS) as Part[]).filter((part) => contains(text, part));
    expect(found).toEqual([]);
  });
});

describe("the markers are found where they belong (the check above is not vacuous)", () => {
  const apps: [string, Part[]][] = [
    [
      'import { calendars } from "./index.js"; console.log(calendars.chinaMainland());',
      ["China holiday data"],
    ],
    ['import { tobacco } from "./presets.js"; console.log(tobacco);', ["preset tobacco"]],
    [
      'import { createSqliteStore } from "./sqlite.js"; console.log(createSqliteStore);',
      ["SQLite store", "better-sqlite3 driver"],
    ],
    [
      'import { createPostgresStore } from "./postgres.js"; console.log(createPostgresStore);',
      ["PostgreSQL store", "pg driver"],
    ],
    [
      'import { presets } from "./presets.js"; console.log(presets);',
      [
        "preset retail",
        "preset manufacturing",
        "preset tobacco",
        "preset property",
        "preset usCfpb",
        "preset generic",
      ],
    ],
    ['import { renderDashboard } from "./reports.js"; console.log(renderDashboard);', ["echarts (reports)"]],
    ['import { importCsv } from "./import.js"; console.log(importCsv);', ["csv-parse (importer)"]],
    ['import "./cli.js";', ["commander (CLI)"]],
  ];
  it.each(apps)("%s", async (code, parts) => {
    // Bare files: with `sideEffects: false` a bundler drops a bare `import "./cli.js"`.
    const text = await bundle(code, bare);
    for (const part of parts) expect(contains(text, part), part).toBe(true);
  });
});
