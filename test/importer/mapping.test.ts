import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CHANNELS } from "../../src/domain/values.js";
import { isImportMappingError, parseImportMapping } from "../../src/importer/index.js";
import { CFPB_CHANNELS, CFPB_OUTCOMES, usCfpb } from "../../src/presets/usCfpb.js";
import { cfpbMapping } from "./support.js";

const exampleText = readFileSync(new URL("../../examples/cfpb-mapping.json", import.meta.url), "utf8");
const example = JSON.parse(exampleText) as Record<string, unknown>;

function issuesOf(input: unknown): { path: string; message: string }[] {
  try {
    parseImportMapping(input);
  } catch (error) {
    if (isImportMappingError(error)) return error.issues.map((i) => ({ ...i }));
    throw error;
  }
  throw new Error("the mapping was accepted");
}

describe("parseImportMapping", () => {
  it("accepts the example CFPB mapping, as JSON text or as an object", () => {
    expect(parseImportMapping(exampleText)).toEqual(parseImportMapping(example));
    expect(cfpbMapping().preset).toBe(usCfpb.id);
  });

  it("fills the documented defaults", () => {
    const { times, booleans, tagSeparator, maxSentBeforeReceivedDays, ...rest } = example;
    void times;
    void booleans;
    void tagSeparator;
    void maxSentBeforeReceivedDays;
    const mapping = parseImportMapping(rest);
    expect(mapping.times).toEqual({ received: "09:00", sent: "12:00", response: "17:00" });
    expect(mapping.booleans).toEqual({ yes: ["Yes"], no: ["No"], unknown: ["N/A"] });
    expect(mapping.tagSeparator).toBe(",");
    expect(mapping.maxSentBeforeReceivedDays).toBe(1);
  });

  it("names every bad field, unknown keys at any depth included", () => {
    const bad = {
      ...example,
      timeZone: "America/Nowhere",
      dateFormats: ["YYYY-MM"],
      columns: { ...(example.columns as object), recieved: { names: ["Date received"] } },
      channels: { Web: "website" },
      times: { received: "18:00", sent: "12:00", response: "17:00" },
    };
    const paths = issuesOf(bad).map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining(["timeZone", "dateFormats.0", "columns.recieved", "channels.Web", "times"]),
    );
  });

  it("R-17 an outcome that closes an invalid complaint must include an explanation", () => {
    const outcomes = { Closed: { status: "closed", remedyKinds: ["compensation"], validity: "invalid" } };
    expect(issuesOf({ ...example, outcomes })).toEqual([
      {
        path: "outcomes.Closed.remedyKinds",
        message: "an invalid complaint closes after an explanation (R-17): include explanation",
      },
    ]);
  });

  it("a missing required column is named", () => {
    const { received, ...columns } = example.columns as Record<string, unknown>;
    void received;
    expect(issuesOf({ ...example, columns }).map((i) => i.path)).toEqual(["columns.received"]);
  });

  it("text that is not JSON is an ImportMappingError at the root", () => {
    expect(issuesOf("{ not json")).toEqual([{ path: "(root)", message: expect.stringMatching(/^not JSON/) }]);
  });
});

describe("examples/cfpb-mapping.json agrees with the usCfpb preset", () => {
  const mapping = cfpbMapping();

  it("maps every channel the preset knows the same way", () => {
    expect(mapping.channels).toEqual(CFPB_CHANNELS);
    for (const channel of Object.values(mapping.channels)) expect(CHANNELS).toContain(channel);
  });

  it("maps every outcome the preset knows, with the same status and remedy kinds", () => {
    expect(Object.keys(mapping.outcomes).sort()).toEqual(Object.keys(CFPB_OUTCOMES).sort());
    for (const [value, rule] of Object.entries(mapping.outcomes)) {
      const preset = CFPB_OUTCOMES[value as keyof typeof CFPB_OUTCOMES];
      expect(rule.status, value).toBe(preset.status);
      if (rule.status === "closed" && preset.status === "closed") {
        expect(rule.remedyKinds, value).toEqual(preset.remedyKinds);
        // relief means the company accepted fault (valid); no relief is an explanation (invalid).
        expect(rule.validity, value).toBe(preset.relief === "none" ? "invalid" : "valid");
      }
    }
  });

  it("names only categories of the preset", () => {
    const ids = usCfpb.categories.map((c) => c.id);
    for (const rule of mapping.categories.rules) expect(ids).toContain(rule.category);
    expect(ids).toContain(mapping.categories.fallback);
  });
});
