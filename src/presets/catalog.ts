import type { Policy } from "../domain/policy.js";
import { generic } from "./generic.js";
import { manufacturing } from "./manufacturing.js";
import { property } from "./property.js";
import { retail } from "./retail.js";
import { tobacco } from "./tobacco.js";
import { usCfpb } from "./usCfpb.js";

/**
 * Every preset by name. Importing this record bundles them all; import a preset by name
 * (`import { tobacco } from "kesu/presets"`) to bundle only that one.
 */
export const presets = {
  retail,
  manufacturing,
  tobacco,
  property,
  usCfpb,
  generic,
} as const satisfies Readonly<Record<string, Policy>>;

/** The name of a preset in {@link presets}. */
export type PresetName = keyof typeof presets;
