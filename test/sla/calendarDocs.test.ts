import { readFileSync } from "node:fs";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import * as calendarApi from "../../src/sla/calendar/index.js";

// Runs every ```ts block of docs/calendars.md. Imports from "kesu" are replaced by the calendar
// module; a statement followed by `// → value` is checked: an instant against an ISO date-time with
// offset, anything else against a JSON value, or `throws ErrorName`.

const markdown = readFileSync(new URL("../../docs/calendars.md", import.meta.url), "utf8");
const blocks = [...markdown.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => ({
  code: match[1] ?? "",
  // The heading the example sits under, for the test title.
  heading: [...markdown.slice(0, match.index).matchAll(/^#+ (.*)$/gm)].pop()?.[1] ?? "",
}));
const EXPECTATION = /\/\/ → (throws \w+|\S+)/;

function check(run: () => unknown, expected: string, where: string): void {
  if (expected.startsWith("throws ")) {
    expect(run, where).toThrow(expect.objectContaining({ name: expected.slice("throws ".length) }));
    return;
  }
  const actual = run();
  if (actual instanceof Date) expect(actual.getTime(), where).toBe(Date.parse(expected));
  else expect(actual, where).toEqual(JSON.parse(expected));
}

/** Rewrites a block: drops imports, wraps checked statements in `check(() => (expr), expected)`. */
function instrument(source: string): { code: string; checks: number } {
  const file = ts.createSourceFile("block.ts", source, ts.ScriptTarget.ES2022, true);
  let code = "";
  let cursor = 0;
  let checks = 0;
  file.statements.forEach((statement, index) => {
    const start = statement.getStart(file);
    code += source.slice(cursor, start);
    cursor = statement.end;
    if (ts.isImportDeclaration(statement)) return;
    const gapEnd = file.statements[index + 1]?.getStart(file) ?? source.length;
    const expected = EXPECTATION.exec(source.slice(statement.end, gapEnd))?.[1];
    if (expected !== undefined && ts.isExpressionStatement(statement)) {
      const where = JSON.stringify(statement.expression.getText(file).replace(/\s+/g, " "));
      code += `check(() => (${statement.expression.getText(file)}), ${JSON.stringify(expected)}, ${where});`;
      checks++;
    } else {
      code += source.slice(start, statement.end);
    }
  });
  code += source.slice(cursor);
  const js = ts.transpileModule(code, { compilerOptions: { target: ts.ScriptTarget.ES2022 } }).outputText;
  return { code: js.replace(/^export \{\};$/m, ""), checks };
}

describe("docs/calendars.md examples run and give the documented results", () => {
  it("has examples", () => {
    expect(blocks.length).toBeGreaterThanOrEqual(8);
  });

  blocks.forEach((block, index) => {
    it(`example ${index + 1} under "${block.heading}"`, () => {
      const { code, checks } = instrument(block.code);
      expect(checks, "each example checks at least one result").toBeGreaterThan(0);
      const api = Object.entries(calendarApi);
      new Function(...api.map(([name]) => name), "check", code)(...api.map(([, value]) => value), check);
    });
  });
});
