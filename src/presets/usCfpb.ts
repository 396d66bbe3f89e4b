import { createPolicy, type Policy } from "../domain/policy.js";
import type { Channel, RemedyKind } from "../domain/values.js";
import type { BusinessCalendar } from "../sla/calendar/businessCalendar.js";
import { createCalendar } from "../sla/calendar/createCalendar.js";

/**
 * A US company answering complaints the Consumer Financial Protection Bureau sends it: a response
 * within 15 calendar days and a final response within 60, in New York time and US dollars. The
 * CFPB's deadlines run on calendar days and do not pause while the company waits on the consumer.
 * Use it with {@link usFederalCalendar}.
 */
export const usCfpb: Policy = /* @__PURE__ */ createPolicy({
  id: "us-cfpb",
  version: "1",
  name: "US CFPB consumer complaints",
  timeZone: "America/New_York",
  currency: "USD",
  // The CFPB numbers complaints YYMMDD-NNNNNNN; an imported complaint keeps its own number
  // (`caseNumber`) and the database's Complaint ID as `externalRef`.
  caseNumberFormat: "{yy}{mm}{dd}-{serial:7}",
  kinds: ["complaint"],
  severities: ["standard"],
  defaultSeverity: "standard",
  // The CFPB's product list (Product column of the public database), merged across its renamings.
  categories: [
    {
      id: "credit-reporting",
      label: "Credit reporting or other personal consumer reports",
      routeTo: "disputes",
    },
    { id: "debt-collection", label: "Debt collection", routeTo: "collections" },
    { id: "mortgage", label: "Mortgage", routeTo: "mortgage-servicing" },
    { id: "checking-savings", label: "Checking or savings account", routeTo: "deposits" },
    { id: "credit-card", label: "Credit card or prepaid card", routeTo: "card-services" },
    { id: "student-loan", label: "Student loan", routeTo: "lending" },
    { id: "vehicle-loan", label: "Vehicle loan or lease", routeTo: "lending" },
    { id: "personal-loan", label: "Payday loan, title loan or personal loan", routeTo: "lending" },
    { id: "money-transfer", label: "Money transfer, virtual currency or money service", routeTo: "payments" },
    { id: "other", label: "Other financial service", routeTo: "complaints-office" },
  ],
  // the amounts are the preset's choice.
  authority: [
    { role: "agent", maxRemedyValue: 100 },
    { role: "supervisor", maxRemedyValue: 1_000 },
    { role: "compliance", maxRemedyValue: 25_000 },
  ],
  escalationRoles: { 1: "agent", 2: "supervisor", 3: "compliance" },
  extensionApproverRoles: ["compliance"],
  onTheSpotSeverities: [],
  closure: { requireComplainantConfirmation: false, requireRevisit: false, gate: "none" },
  clocks: [
    {
      // The company responds within 15 days; a response saying the case is still in progress
      // (a progress report) meets this clock, the final response follows within 60 days.
      id: "company-response",
      label: "Company response",
      source: "CFPB: 15 calendar days",
      start: ["ComplaintReceived"],
      stop: ["ProgressReported", "ComplaintResolved"],
      targets: [{ target: { amount: 15, unit: "calendar-days" } }],
      escalations: [
        { on: "at-risk", toLevel: 2 },
        { on: "breached", toLevel: 3 },
      ],
    },
    {
      id: "final-response",
      label: "Final response",
      source: "CFPB: 60 calendar days",
      start: ["ComplaintReceived"],
      stop: ["ComplaintResolved"],
      targets: [{ target: { amount: 60, unit: "calendar-days" } }],
      escalations: [
        { on: "at-risk", toLevel: 2 },
        { on: "breached", toLevel: 3 },
      ],
    },
  ],
});

/** How the CFPB's "Submitted via" values map to kesu channels. */
export const CFPB_CHANNELS = {
  Web: "online-form",
  "Web Referral": "referral",
  Referral: "referral",
  Phone: "phone",
  "Postal mail": "letter",
  Fax: "fax",
  Email: "email",
} as const satisfies Record<string, Channel>;

/**
 * The kesu channel for a CFPB "Submitted via" value, or undefined for a value the CFPB has not
 * used. Matching ignores case and surrounding spaces.
 * @example cfpbChannel("Postal mail"); // "letter"
 */
export function cfpbChannel(submittedVia: string): Channel | undefined {
  const wanted = submittedVia.trim().toLowerCase();
  for (const [via, channel] of Object.entries(CFPB_CHANNELS))
    if (via.toLowerCase() === wanted) return channel;
  return undefined;
}

/** What a CFPB "Company response to consumer" value means for a case. */
export type CfpbOutcome =
  | {
      readonly status: "closed";
      readonly relief: "none" | "monetary" | "non-monetary" | "unspecified";
      /** The remedy kinds to record with the resolution. */
      readonly remedyKinds: readonly RemedyKind[];
    }
  | { readonly status: "in-progress" }
  | { readonly status: "untimely" };

/**
 * The CFPB's "Company response to consumer" values, past and present. Non-monetary relief (a
 * corrected report, a stopped collection) has no kesu remedy kind of its own: it is recorded as an
 * explanation whose description says what was done.
 */
export const CFPB_OUTCOMES = {
  "Closed with explanation": { status: "closed", relief: "none", remedyKinds: ["explanation"] },
  "Closed with monetary relief": { status: "closed", relief: "monetary", remedyKinds: ["compensation"] },
  "Closed with non-monetary relief": {
    status: "closed",
    relief: "non-monetary",
    remedyKinds: ["explanation"],
  },
  "Closed with relief": { status: "closed", relief: "unspecified", remedyKinds: ["explanation"] },
  "Closed without relief": { status: "closed", relief: "none", remedyKinds: ["explanation"] },
  Closed: { status: "closed", relief: "none", remedyKinds: ["explanation"] },
  "In progress": { status: "in-progress" },
  "Untimely response": { status: "untimely" },
} as const satisfies Record<string, CfpbOutcome>;

/**
 * The meaning of a CFPB "Company response to consumer" value, or undefined when unknown.
 * @example cfpbOutcome("Closed with monetary relief"); // { status: "closed", relief: "monetary", … }
 */
export function cfpbOutcome(response: string): CfpbOutcome | undefined {
  const wanted = response.trim().toLowerCase();
  for (const [text, outcome] of Object.entries(CFPB_OUTCOMES))
    if (text.toLowerCase() === wanted) return outcome;
  return undefined;
}

/**
 * US federal holidays 2024-2026 (5 U.S.C. 6103), on the days they are observed: a holiday on a
 * Saturday is observed the Friday before, on a Sunday the Monday after. One-off closures by
 * executive order are not included.
 */
export const US_FEDERAL_HOLIDAYS = [
  { from: "2024-01-01", to: "2024-01-01", name: "New Year's Day" },
  { from: "2024-01-15", to: "2024-01-15", name: "Birthday of Martin Luther King, Jr." },
  { from: "2024-02-19", to: "2024-02-19", name: "Washington's Birthday" },
  { from: "2024-05-27", to: "2024-05-27", name: "Memorial Day" },
  { from: "2024-06-19", to: "2024-06-19", name: "Juneteenth National Independence Day" },
  { from: "2024-07-04", to: "2024-07-04", name: "Independence Day" },
  { from: "2024-09-02", to: "2024-09-02", name: "Labor Day" },
  { from: "2024-10-14", to: "2024-10-14", name: "Columbus Day" },
  { from: "2024-11-11", to: "2024-11-11", name: "Veterans Day" },
  { from: "2024-11-28", to: "2024-11-28", name: "Thanksgiving Day" },
  { from: "2024-12-25", to: "2024-12-25", name: "Christmas Day" },
  { from: "2025-01-01", to: "2025-01-01", name: "New Year's Day" },
  { from: "2025-01-20", to: "2025-01-20", name: "Birthday of Martin Luther King, Jr." },
  { from: "2025-02-17", to: "2025-02-17", name: "Washington's Birthday" },
  { from: "2025-05-26", to: "2025-05-26", name: "Memorial Day" },
  { from: "2025-06-19", to: "2025-06-19", name: "Juneteenth National Independence Day" },
  { from: "2025-07-04", to: "2025-07-04", name: "Independence Day" },
  { from: "2025-09-01", to: "2025-09-01", name: "Labor Day" },
  { from: "2025-10-13", to: "2025-10-13", name: "Columbus Day" },
  { from: "2025-11-11", to: "2025-11-11", name: "Veterans Day" },
  { from: "2025-11-27", to: "2025-11-27", name: "Thanksgiving Day" },
  { from: "2025-12-25", to: "2025-12-25", name: "Christmas Day" },
  { from: "2026-01-01", to: "2026-01-01", name: "New Year's Day" },
  { from: "2026-01-19", to: "2026-01-19", name: "Birthday of Martin Luther King, Jr." },
  { from: "2026-02-16", to: "2026-02-16", name: "Washington's Birthday" },
  { from: "2026-05-25", to: "2026-05-25", name: "Memorial Day" },
  { from: "2026-06-19", to: "2026-06-19", name: "Juneteenth National Independence Day" },
  { from: "2026-07-03", to: "2026-07-03", name: "Independence Day (observed)" },
  { from: "2026-09-07", to: "2026-09-07", name: "Labor Day" },
  { from: "2026-10-12", to: "2026-10-12", name: "Columbus Day" },
  { from: "2026-11-11", to: "2026-11-11", name: "Veterans Day" },
  { from: "2026-11-26", to: "2026-11-26", name: "Thanksgiving Day" },
  { from: "2026-12-25", to: "2026-12-25", name: "Christmas Day" },
] as const;

/** Options of {@link usFederalCalendar}. */
export interface UsFederalCalendarOptions {
  /** Business hours; default 09:00-17:00. */
  readonly hours?: readonly string[] | undefined;
  /** Outside 2024-2026: throw (default) or follow the weekly pattern without holidays. */
  readonly outOfRange?: "error" | "weekdays" | undefined;
}

/**
 * A US calendar for the {@link usCfpb} preset: America/New_York, Monday to Friday 09:00-17:00,
 * federal holidays 2024-2026. A day period starts the day after receipt and ends at 24:00 New York
 * time on its last day, even when that day is a weekend or holiday: the CFPB counts calendar days.
 * Working-day periods skip weekends and federal holidays.
 * @throws CalendarSpecError for bad options.
 * @example
 * const us = usFederalCalendar();
 * us.isWorkingDay("2025-11-27"); // false: Thanksgiving
 * us.dueDate(new Date("2025-11-20T10:00:00-05:00"), { amount: 15, unit: "calendar-days" });
 * // → 2025-12-06T05:00:00Z, the end of Friday 12-05 in New York
 */
export function usFederalCalendar(options: UsFederalCalendarOptions = {}): BusinessCalendar {
  return createCalendar({
    id: "us-federal",
    timeZone: "America/New_York",
    hours: [...(options.hours ?? ["09:00-17:00"])],
    weekend: ["sat", "sun"],
    holidays: US_FEDERAL_HOLIDAYS.map((h) => ({ ...h })),
    coverage: { from: "2024-01-01", to: "2026-12-31" },
    outOfRange: options.outOfRange ?? "error",
    conventions: { receiptDay: "excluded", periodEnd: "end-of-day", nonWorkingLastDay: "keep" },
  });
}
