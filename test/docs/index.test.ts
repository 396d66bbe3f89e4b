import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { root } from "../support/build.js";

// docs/README.md is the index of the documentation: one line per page. A new page that is not
// listed there fails here.

const docs = join(root, "docs");
const index = readFileSync(join(docs, "README.md"), "utf8");
/** The index's entries: `- [title](page.md) — what it is for`. */
const entries = [...index.matchAll(/^- \[([^\]]+)\]\(([^)]+)\) — (.+)$/gm)].map((m) => ({
  title: m[1]!,
  page: m[2]!,
  summary: m[3]!,
}));

describe("docs/README.md, the documentation index", () => {
  it("lists every page of docs/, each once", () => {
    const pages = readdirSync(docs).filter((name) => name.endsWith(".md") && name !== "README.md");
    const listed = entries.map((e) => e.page);
    expect(new Set(listed).size).toBe(listed.length);
    for (const page of pages) expect(listed, `${page} is not in docs/README.md`).toContain(page);
  });

  it("links pages of docs/ only, each with a one-line summary", () => {
    expect(entries.length).toBeGreaterThanOrEqual(14);
    for (const entry of entries) {
      expect(entry.page, entry.title).toMatch(/^[a-z-]+\.md$/);
      expect(entry.summary.length, entry.page).toBeGreaterThan(20);
    }
  });

  it("is linked from the README's Documentation section, with Getting started", () => {
    const readme = readFileSync(join(root, "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("\n## Documentation\n")).split(/\n## /)[1] ?? "";
    expect(section).toContain("(docs/README.md)");
    expect(section).toContain("(docs/getting-started.md)");
  });
});
