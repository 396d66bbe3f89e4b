import { describe, expectTypeOf, it } from "vitest";
import type { Channel, Policy } from "../../src/index.js";
import {
  CFPB_CHANNELS,
  extendPreset,
  type FoodSafetyHazard,
  type PresetName,
  presets,
  tagCollective,
  tobacco,
} from "../../src/presets/index.js";

describe("kesu/presets types", () => {
  it("presets are policies, named by a closed union", () => {
    expectTypeOf(tobacco).toEqualTypeOf<Policy>();
    expectTypeOf<PresetName>().toEqualTypeOf<
      "retail" | "manufacturing" | "tobacco" | "property" | "usCfpb" | "generic"
    >();
    expectTypeOf(presets.usCfpb).toEqualTypeOf<Policy>();
    expectTypeOf<FoodSafetyHazard>().toExtend<`food-safety:${string}`>();
    expectTypeOf(CFPB_CHANNELS.Web).toEqualTypeOf<"online-form">();
    expectTypeOf(CFPB_CHANNELS.Web).toExtend<Channel>();
  });

  it("extendPreset needs a new identity; entries by id may be partial", () => {
    expectTypeOf(
      extendPreset(tobacco, { id: "t", version: "1", clocks: [{ id: "handling", warnAt: 0.5 }] }),
    ).toEqualTypeOf<Policy>();
    // @ts-expect-error the extension's version is required
    extendPreset(tobacco, { id: "t" });
    // @ts-expect-error a clock entry is keyed by id
    extendPreset(tobacco, { id: "t", version: "1", clocks: [{ warnAt: 0.5 }] });
    const weeks = { amount: 1, unit: "weeks" } as const;
    // @ts-expect-error targets use the duration units
    extendPreset(tobacco, { id: "t", version: "1", clocks: [{ id: "x", targets: [{ target: weeks }] }] });
  });

  it("tagCollective keeps the command's type", () => {
    const command = { type: "ReceiveComplaint" as const, description: "x", tags: ["a"] };
    expectTypeOf(tagCollective(command, 3)).toEqualTypeOf<typeof command>();
  });
});
