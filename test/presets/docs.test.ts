import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { durationText } from "../../src/presets/describe.js";
import { describePreset, tobacco } from "../../src/presets/index.js";
import { presetsReference } from "../../src/presets/reference.js";
import { example } from "./example.js";

const page = fileURLToPath(new URL("../../docs/presets.md", import.meta.url));
const exampleFile = fileURLToPath(new URL("./example.ts", import.meta.url));

/** The example region of example.ts, with the package's import paths. */
function exampleSource(): string {
  const text = readFileSync(exampleFile, "utf8");
  const region = /\/\/ #region example\n([\s\S]*?)\/\/ #endregion example/.exec(text)?.[1];
  if (region === undefined) throw new Error("example.ts has no example region");
  return region
    .replaceAll('"../../src/presets/index.js"', '"kesu/presets"')
    .replaceAll('"../../src/index.js"', '"kesu"');
}

describe("presets reference", () => {
  it("docs/presets.md is the text generated from the preset data", () => {
    const generated = presetsReference(exampleSource());
    // Regenerate with: UPDATE_PRESET_DOCS=1 npx vitest run test/presets/docs.test.ts
    if (process.env.UPDATE_PRESET_DOCS === "1") writeFileSync(page, generated);
    expect(readFileSync(page, "utf8")).toBe(generated);
  });

  it("the page's example runs", async () => {
    // Received and classified Tue 2025-09-30 16:00 in Shanghai (08:00Z): major, so acceptance and
    // ownership are due within the hour; handling in 2 working days after the holiday.
    expect(await example()).toEqual([
      "acceptance: running, due 2025-09-30T09:00:00.000Z",
      "ownership: running, due 2025-09-30T09:00:00.000Z",
      "handling: running, due 2025-10-10T10:00:00.000Z",
      "revisit: not-started, due -",
    ]);
  });

  it("describePreset renders targets per severity and kind, and the closure gate", () => {
    const text = describePreset(tobacco);
    expect(text).toContain(
      "| Accept 受理 `acceptance` | ComplaintReceived → ReceiptAcknowledged | major: 1 calendar hour; otherwise: 24 calendar hours |",
    );
    expect(text).toContain(
      "| Revisit 回访 `revisit` (complaints only) | after `handling` stops → ComplaintRevisited | 5 working days |",
    );
    expect(text).toContain("Closure gate: 五不放过");
    expect(describePreset(tobacco, { level: 3, notes: ["a note"] })).toMatch(
      /^### .*\n[\s\S]*#### Notes\n\n- a note\n/,
    );
    expect(durationText({ amount: 1, unit: "working-days" })).toBe("1 working day");
    expect(durationText({ amount: 0.5, unit: "calendar-hours" })).toBe("0.5 calendar hours");
    expect(durationText({ amount: 1, unit: "end-of-next-working-day" })).toBe("end of the next working day");
  });
});
