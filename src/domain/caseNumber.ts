import type { CaseNumber } from "./ids.js";
import type { Policy } from "./policy.js";

const formatters = new Map<string, Intl.DateTimeFormat>();

function localParts(at: Date, timeZone: string): { yyyy: string; mm: string; dd: string } {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
    formatters.set(timeZone, f);
  }
  const parts = f.formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return { yyyy: get("year"), mm: get("month"), dd: get("day") };
}

function render(format: string, at: Date, timeZone: string, serial: string): string {
  const { yyyy, mm, dd } = localParts(at, timeZone);
  return format
    .replace("{yyyy}", yyyy)
    .replace("{yy}", yyyy.slice(2))
    .replace("{mm}", mm)
    .replace("{dd}", dd)
    .replace(/\{serial(?::(\d+))?\}/, (_, width: string | undefined) =>
      serial === "" ? "" : serial.padStart(Number(width ?? 1), "0"),
    );
}

/**
 * the scope a case-number serial counts within: the format with the serial left out,
 * rendered for the receipt date in the policy's zone (`2026-11-` for `{yyyy}-{mm}-{serial:4}`).
 * Serials restart for every scope, so a year-month format numbers each month from 1.
 */
export function caseNumberScope(policy: Policy, receivedAt: Date): string {
  return render(policy.caseNumberFormat, receivedAt, policy.timeZone, "");
}

/**
 * the human-readable case number (年度-月份-流水编号, 001:140) for a serial.
 * @example formatCaseNumber(policy, new Date("2026-11-23T02:00:00Z"), 42) // "2026-11-0042"
 */
export function formatCaseNumber(policy: Policy, receivedAt: Date, serial: number): CaseNumber {
  return render(policy.caseNumberFormat, receivedAt, policy.timeZone, String(serial)) as CaseNumber;
}
