import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as pglite from "@electric-sql/pglite";
import ts from "typescript";
import { afterAll, describe, expect, it } from "vitest";
import * as kesu from "../../src/index.js";
import * as kesuPresets from "../../src/presets/index.js";
import * as kesuPostgres from "../../src/stores/postgres/index.js";
import * as kesuSqlite from "../../src/stores/sqlite/index.js";
import { root } from "../support/build.js";

// Every ```ts block of docs/getting-started.md is type-checked with the project's compiler
// options (`kesu` and its subpaths map to the sources, as in tsconfig.json) and run with its
// imports bound to the sources; each `expression; // → value` line is checked.

const page = join(root, "docs", "getting-started.md");
const markdown = readFileSync(page, "utf8");
const blocks = [...markdown.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => ({
  code: match[1]!,
  heading: [...markdown.slice(0, match.index).matchAll(/^## (.*)$/gm)].pop()?.[1] ?? "",
}));

const modules = {
  kesu,
  "kesu/presets": kesuPresets,
  "kesu/sqlite": kesuSqlite,
  "kesu/postgres": kesuPostgres,
  "@electric-sql/pglite": pglite,
} as Record<string, Record<string, unknown>>;

/** Type errors of each block, compiled as its own module beside the docs. */
function typeErrors(): string[] {
  const config = ts.getParsedCommandLineOfConfigFile(
    join(root, "tsconfig.json"),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n"));
      },
    },
  )!;
  const files = new Map(
    blocks.map((b, i) => [join(root, "docs", `getting-started.block-${i + 1}.ts`), b.code]),
  );
  const host = ts.createCompilerHost(config.options);
  const { getSourceFile, fileExists, readFile } = host;
  host.fileExists = (name) => files.has(name) || fileExists.call(host, name);
  host.readFile = (name) => files.get(name) ?? readFile.call(host, name);
  host.getSourceFile = (name, language, ...rest) => {
    const text = files.get(name);
    return text === undefined
      ? getSourceFile.call(host, name, language, ...rest)
      : ts.createSourceFile(name, text, language, true);
  };
  const program = ts.createProgram([...files.keys()], config.options, host);
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file && files.has(d.file.fileName))
    .map((d) => {
      const { line } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
      const name = d.file!.fileName.slice(join(root, "docs").length + 1);
      return `${name}:${line + 1} ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`;
    });
}

/**
 * Runs one block: its imports are bound to `modules`, and each top-level `expression; // → value`
 * is checked with `toEqual`. Resolves with the number of checks.
 */
async function run(code: string): Promise<number> {
  const file = ts.createSourceFile("block.ts", code, ts.ScriptTarget.ES2022, true);
  const bindings: Record<string, unknown> = {};
  let body = "";
  let checks = 0;
  for (const statement of file.statements) {
    if (ts.isImportDeclaration(statement)) {
      const from = (statement.moduleSpecifier as ts.StringLiteral).text;
      const module = modules[from];
      if (!module) throw new Error(`the example imports ${from}, which the test does not provide`);
      const named = statement.importClause?.namedBindings;
      if (named && ts.isNamedImports(named))
        for (const element of named.elements)
          if (!element.isTypeOnly && !statement.importClause?.isTypeOnly)
            bindings[element.name.text] = module[(element.propertyName ?? element.name).text];
      continue;
    }
    const trailing = code.slice(statement.end).split("\n")[0]!;
    const expected = /^\s*\/\/ → (.*)$/.exec(trailing)?.[1];
    if (expected !== undefined && ts.isExpressionStatement(statement)) {
      const expression = statement.expression.getText(file);
      body += `__check(${JSON.stringify(expression)}, (${expression}), (${expected}));\n`;
      checks++;
    } else body += `${statement.getFullText(file)}\n`;
  }
  const js = ts.transpileModule(body, { compilerOptions: { target: ts.ScriptTarget.ES2022 } }).outputText;
  const check = (where: string, actual: unknown, expected: unknown) =>
    expect(actual, where).toEqual(expected);
  const AsyncFunction = (async () => {}).constructor as new (
    ...args: string[]
  ) => (...values: unknown[]) => Promise<void>;
  await new AsyncFunction("__check", ...Object.keys(bindings), js)(check, ...Object.values(bindings));
  return checks;
}

const temps: string[] = [];
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

describe("docs/getting-started.md", () => {
  it("has an example for each part of the page", () => {
    expect(blocks.map((b) => b.heading)).toEqual([
      "Your first complaint, in memory",
      "Choose a preset",
      "Keep complaints in SQLite",
      "Keep complaints in PostgreSQL",
      "An SLA board",
    ]);
  });

  it("every example type-checks", { timeout: 120_000 }, () => {
    expect(typeErrors()).toEqual([]);
  });

  it.each(blocks.map((b, i) => [i + 1, b.heading, b.code]))(
    "example %i (%s) runs and gives the documented results",
    { timeout: 60_000 },
    async (_, __, code) => {
      // The SQLite example names a file in the working directory; the test uses a temp folder.
      const dir = mkdtempSync(join(tmpdir(), "kesu-getting-started-"));
      temps.push(dir);
      const db = join(dir, "complaints.db");
      const checks = await run(code.replaceAll('"complaints.db"', JSON.stringify(db)));
      expect(checks).toBeGreaterThan(0);
      if (code.includes('"complaints.db"')) expect(existsSync(db)).toBe(true);
    },
  );
});
