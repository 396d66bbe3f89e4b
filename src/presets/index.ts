/**
 * kesu/presets: complaint-handling policies for real organisations, each built from the seed
 * procedure it cites, plus the small rule functions their seeds need and `extendPreset` to adapt
 * one. Each preset is a separate export so a bundle holds only the ones it imports.
 * @packageDocumentation
 */

export { type PresetName, presets } from "./catalog.js";
export {
  type DescribeOptions,
  type DescribePresetsOptions,
  describePreset,
  describePresets,
} from "./describe.js";
export { type ById, extendPreset, type PresetOverrides } from "./extendPreset.js";
export { generic } from "./generic.js";
export {
  type CategoryMonth,
  manufacturing,
  type ReviewCandidate,
  type ReviewOptions,
  type ReviewReason,
  reviewMeetingCandidates,
  type Urgency,
} from "./manufacturing.js";
export {
  COLLECTIVE_MIN_HOUSEHOLDS,
  MAJOR_INCIDENTS,
  type MajorIncident,
  property,
  tagCollective,
} from "./property.js";
export {
  FOOD_SAFETY_HAZARDS,
  type FoodSafetyHazard,
  type HazardFacts,
  hazardsOf,
  QUALITY_REPORTING_WINDOW,
  requiresUnconditionalReturn,
  retail,
  withinReportingWindow,
} from "./retail.js";
export { tobacco } from "./tobacco.js";
export {
  CFPB_CHANNELS,
  CFPB_OUTCOMES,
  type CfpbOutcome,
  cfpbChannel,
  cfpbOutcome,
  US_FEDERAL_HOLIDAYS,
  type UsFederalCalendarOptions,
  usCfpb,
  usFederalCalendar,
} from "./usCfpb.js";
