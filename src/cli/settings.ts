import type { Policy } from "../domain/policy.js";
import { type PresetName, presets } from "../presets/catalog.js";
import { usFederalCalendar } from "../presets/usCfpb.js";
import { type BusinessCalendar, calendars } from "../sla/calendar/index.js";
import type { CliSettings } from "./backend.js";
import { CliError, EXIT } from "./io.js";

/** Is `name` one of the shipped presets? */
export function isPresetName(name: string): name is PresetName {
  return Object.hasOwn(presets, name);
}

/** The preset called `name`, or a usage error listing the known ones. */
export function presetNamed(name: string): PresetName {
  if (!isPresetName(name))
    throw new CliError(`unknown preset ${JSON.stringify(name)}; known: ${Object.keys(presets).join(", ")}`);
  return name;
}

/** The settings from their stored key/value rows. */
export function parseSettings(rows: readonly { key: string; value: string }[], where: string): CliSettings {
  const preset = rows.find((r) => r.key === "preset")?.value;
  if (preset === undefined || !isPresetName(preset))
    throw new CliError(
      `${where}: the stored preset ${JSON.stringify(preset)} is not one this kesu knows; run kesu init --preset <name>`,
      EXIT.database,
    );
  return { preset };
}

/** The shipped policy a stream recorded (id and version), if any: old cases keep their own rules. */
export function policyByRef(ref: { id: string; version: string }): Policy | undefined {
  return Object.values(presets).find((p) => p.id === ref.id && p.version === ref.version);
}

const calendarCache = new Map<string, BusinessCalendar>();

/**
 * The business calendar a policy's clocks run on: the US federal calendar for `us-cfpb`, the
 * Chinese statutory calendar (holidays and 调休) for every other preset. The CFPB's deadlines
 * count calendar days, and its public data goes back to 2011, so outside the years with federal
 * holiday data the US calendar follows the weekly pattern; the Chinese calendar never guesses
 * (调休 must come from data) and a date outside its data is an error.
 */
export function calendarFor(policy: Pick<Policy, "id">): BusinessCalendar {
  const key = policy.id === presets.usCfpb.id ? "us" : "cn";
  let calendar = calendarCache.get(key);
  if (!calendar) {
    calendar = key === "us" ? usFederalCalendar({ outOfRange: "weekdays" }) : calendars.chinaMainland();
    calendarCache.set(key, calendar);
  }
  return calendar;
}
