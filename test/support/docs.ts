import { readFileSync } from "node:fs";
import ts from "typescript";
import { expect } from "vitest";

/** Modules a docs example may import, by the specifier it uses (`kesu`, `kesu/sqlite`, …). */
export type DocModules = Record<string, Record<string, unknown>>;

/** The text of `docs/<page>`. */
export function readDoc(page: string): string {
  return readFileSync(new URL(`../../docs/${page}`, import.meta.url), "utf8");
}

/** The part of `markdown` from its `## title` heading to the next `## ` heading. */
export function docSection(markdown: string, title: string): string {
  return markdown.slice(markdown.indexOf(`## ${title}`)).split(/\n## /)[0]!;
}

/** The bodies of the ```ts blocks of `markdown`, in order. */
export function tsBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1]!);
}

/**
 * Runs one ```ts block of a docs page. Its `import { … } from "…"` and `import x from "…"` lines
 * are bound to `modules` (so the examples run against the sources, without a build), `globals`
 * are visible to it as variables, and each `expr; // → expected` line is checked with `toEqual`.
 * Every imported name must exist in `modules`.
 * @returns how many such lines were checked.
 */
export async function runDocBlock(
  code: string,
  modules: DocModules,
  globals: Record<string, unknown> = {},
): Promise<number> {
  const bindings: Record<string, unknown> = { ...globals };
  for (const [, names, from] of code.matchAll(/^import \{([^}]*)\} from "([^"]+)";$/gm))
    for (const name of names!.split(",").map((n) => n.trim()))
      if (name && !name.startsWith("type ")) {
        expect(modules[from!]?.[name], `${name} from ${from}`).toBeDefined();
        bindings[name] = modules[from!]![name];
      }
  for (const [, name, from] of code.matchAll(/^import (\w+) from "([^"]+)";$/gm)) {
    expect(modules[from!]?.default, `default of ${from}`).toBeDefined();
    bindings[name!] = modules[from!]!.default;
  }
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
