import { type PresetName, presets } from "./catalog.js";
import { describePresets } from "./describe.js";

/**
 * What each preset chose where its seed is silent or vague, and what it cannot express. Printed
 * in the presets reference page.
 */
export const presetNotes: Readonly<Record<PresetName, readonly string[]>> = {
  retail: [
    "Seed 000:403 gives simple 24 h, complex 3 working days, major 7 working days; `crisis` is added above major for the food-safety hazards of 003:41-59 (R-22), answered within 4 calendar hours — the preset's reading of 立即 (003:37).",
    "Food-safety hazards are tags (`food-safety:spoiled`, `food-safety:toxic`, `food-safety:pathogenic`, `food-safety:unquarantined`, `food-safety:dead-animal`, `food-safety:adulterated`, `food-safety:expired`, `food-safety:damaged`, `food-safety:untraceable`); `requiresUnconditionalReturn(state or tags)` answers R-22.",
    "`withinReportingWindow(purchaseDate, receivedAt, calendar)` checks the 7 days of 000:497 by the calendar's conventions (purchase day not counted; a last day on a holiday moves to the next working day).",
    "Authority amounts and the media/regulator → major rule are the preset's choice.",
  ],
  manufacturing: [
    "Case numbers `{yyyy}-{mm}-{serial:4}`: 001:140 leaves the widths blank; 4 digits is the preset's choice.",
    'Not clocks: the on-site visit within 48 h "if necessary" (001:228) — a clock cannot be switched on for some cases; record the visit as progress. The customer\'s own deadline (001:228): a later one is an approved extension of `completion`, an earlier one cannot be expressed.',
    "The follow-up survey three months after closure (004:129) is scheduled outside the stream: a closed case accepts no revisit.",
    "`reviewMeetingCandidates(rows)` picks the categories for the monthly review meeting by frequency or urgency (004:123); a category is frequent from 3 complaints a month (the preset's choice).",
    "Sales and the QA manager may promise nothing of value on their own; the vice GM and GM limits are the preset's choice.",
  ],
  tobacco: [
    "第一时间受理 and 立即明确专人处理 (002:432) are read as 1 calendar hour each (the preset's choice); general complaints: acceptance 24 h (002:265), a named owner within 1 working day.",
    "ASYC/ZH-QD-04 sets no handling time: 3 working days for major, 7 for general (002:48), 2 for inquiries, 10 for suggestions; the revisit within 5 working days of the answer — all the preset's choice.",
    "First-responder duty (R-06) and the report back to a forwarding regulator (R-32) are enforced by the core's rules, not by clocks.",
    "Authority amounts are the preset's choice.",
  ],
  property: [
    "Major incidents are tags (`fire`, `lift-entrapment`, `explosion`, `power-cut`, `flooding`, `theft-or-crime`, `collective`, `main-equipment-failure`, `structural-damage`); `tagCollective(command, households)` adds `collective` from three households (002:69).",
    "马上报告 (002:66) is read as 30 minutes; every severity needs a target, so a general case meets the `report` clock by being settled or passed up within 3 working days.",
    "The first reply within 2 hours and handling in 3 (general) or 7 (major) working days are the preset's choice: the seed says only 立即 and 确定回复时间.",
  ],
  usCfpb: [
    "Use with `usFederalCalendar()`: America/New_York, 09:00-17:00, federal holidays 2024-2026; day periods end at 24:00 New York time on their last day even on a weekend or holiday.",
    'A progress report ("in progress" response) meets the 15-day clock; the final response has 60 days. The clocks do not pause while waiting on the consumer.',
    '`cfpbChannel()` maps "Submitted via" (Web → online-form, Referral → referral, Phone → phone, Postal mail → letter, Fax → fax, Email → email); `cfpbOutcome()` maps "Company response to consumer".',
    "There is one severity, `standard`: the CFPB does not grade complaints. Authority amounts are the preset's choice.",
  ],
  generic: [
    "The follow-up within 5 working days of the response and the major target of 7 working days (002:48) are the preset's choice.",
    "Complaints forwarded by a regulator or raised in the media are major (the preset's reading of 002:54 and 002:58).",
  ],
};

const INTRO = `
A preset is a \`Policy\`: severities and the rules that set them, categories with their routing,
SLA clocks with targets and escalations, an authority table and closure settings, each citing the
seed procedure it comes from. Pass one as \`policy\` in the context of \`handle\` or \`decide\`, and
to \`evaluateSla\` with the matching calendar: \`calendars.chinaMainland()\` for the Chinese presets,
\`usFederalCalendar()\` for \`usCfpb\`. Import presets by name so a bundle holds only those it uses.

To adapt one, \`extendPreset(base, overrides)\` adds or changes categories, clocks and severity rules
by id and validates the result; the extension needs its own id or version, because every stream
records the policy that judges it.

Sources such as \`002:429-432\` are lines of the Chinese complaint procedures the presets were
distilled from: 000 retail, food and quality; 001 manufacturing; 002 generic, property management
and the tobacco bureau's ASYC/ZH-QD-04; 003 a food supplier's commitments; 004 forms and grading.

This page is generated from the preset data by \`describePresets\`; a test fails when it drifts.
`;

/**
 * The presets reference page (docs/presets.md): the intro, an example, and every preset with its
 * notes. `example` is TypeScript shown under "Adapt a preset".
 */
export function presetsReference(example?: string): string {
  const adapt = example === undefined ? "" : `## Adapt a preset\n\n\`\`\`ts\n${example.trim()}\n\`\`\`\n\n`;
  const intro = `${INTRO.trim()}\n\n${adapt}## The presets`;
  return describePresets(presets, {
    title: "Presets: choose a policy and adapt it",
    intro,
    notes: presetNotes,
  });
}
