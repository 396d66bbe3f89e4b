import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { COMMAND_TYPES, REJECTIONS } from "../src/index.js";

const doc = (name: string) => readFileSync(join(import.meta.dirname, "..", "docs", name), "utf8");

describe("docs stay in step with the code", () => {
  it("every rejection code is documented with its rule and meaning", () => {
    const text = doc("commands.md");
    for (const [code, { rule, meaning }] of Object.entries(REJECTIONS))
      expect(text).toContain(`| \`${code}\` | ${rule ?? "—"} | ${meaning} |`);
  });

  it("every command type is named in the commands page", () => {
    const text = doc("commands.md");
    for (const type of COMMAND_TYPES) expect(text).toContain(`\`${type}\``);
  });
});
