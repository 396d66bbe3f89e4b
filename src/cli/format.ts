import type { ComplaintEvent, EventOf } from "../domain/events.js";
import { assertNever } from "../domain/evolve.js";
import type { Actor, Money, Party } from "../domain/values.js";

/** The personal-data field as events carry it (plain, or as a store that encrypts it wrote it). */
export type PersonalDataField = EventOf<"ComplaintReceived">["data"]["personalData"];

const formatters = new Map<string, Intl.DateTimeFormat>();

/** An instant as local time in `timeZone`: `2025-10-09 10:00 +08:00`. */
export function localTime(iso: string, timeZone: string): string {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-CA", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
      timeZoneName: "longOffset",
    });
    formatters.set(timeZone, f);
  }
  const parts = f.formatToParts(new Date(iso));
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? "";
  const offset = get("timeZoneName").replace("GMT", "") || "+00:00";
  return `${get("year")}-${get("month")}-${get("day")} ${get("hour")}:${get("minute")} ${offset}`;
}

const party = (p: Party) => (p.id ? `${p.id}@${p.unit}` : p.unit);
const money = (m: Money | undefined) => (m ? ` ${m.amount} ${m.currency}` : "");
const actor = (a: Actor) => `${a.id} (${a.role}, ${a.unit})`;

/** The facts of an event worth a glance, in one short phrase. Personal data never appears here. */
export function eventDetail(e: ComplaintEvent, timeZone: string): string {
  switch (e.type) {
    case "ComplaintReceived":
      return `${e.data.caseNumber} via ${e.data.channel} from ${e.data.complainant.anonymous ? "an anonymous complainant" : e.data.complainant.id}`;
    case "ComplainantContactChanged":
      return "contact details changed";
    case "ReceiptAcknowledged":
      return `handler ${party(e.data.handler)}, answer by ${localTime(e.data.expectedResponseBy, timeZone)}`;
    case "ComplaintClassified":
      return `${e.data.kind} · ${e.data.category} · ${e.data.severity}${e.data.routedTo ? ` → ${e.data.routedTo}` : ""}`;
    case "SeverityChanged":
      return `${e.data.from} → ${e.data.to}`;
    case "ComplaintAssigned":
      return `to ${party(e.data.assignee)}`;
    case "ComplaintReassigned":
      return `${party(e.data.from)} → ${party(e.data.to)}`;
    case "AssignmentAccepted":
      return `by ${party(e.data.assignee)}`;
    case "ComplaintEscalated":
      return `level ${e.data.fromLevel} → ${e.data.toLevel}${e.data.clock ? ` (clock ${e.data.clock})` : ""}${e.data.automatic ? " automatic" : ""}`;
    case "ComplaintInvestigated":
      return `round ${e.data.round}: ${e.data.findings.validity}${e.data.findings.rootCause ? ", cause found" : ""}`;
    case "ComplaintResolved":
      return `round ${e.data.round}: ${e.data.remedy.kinds.join("+")}${money(e.data.remedy.value)}${e.data.onTheSpot ? " on the spot" : ""}`;
    case "ResolutionAccepted":
      return `round ${e.data.round}`;
    case "ResolutionRejected":
      return `round ${e.data.round}: ${e.data.reason}`;
    case "ComplaintRevisited":
      return `satisfaction ${e.data.satisfaction}${e.data.complainantConfirmed ? ", complainant confirmed" : ""}`;
    case "ComplaintClosed":
      return e.data.outcome;
    case "ComplaintReopened":
      return `cycle ${e.data.cycle}: ${e.data.reason}`;
    case "ComplaintWithdrawn":
      return e.data.reason;
    case "DeadlineExtended":
      return `${e.data.clock} +${e.data.extension.amount} ${e.data.extension.unit}`;
    case "ProgressReported":
      return `via ${e.data.channel}`;
    case "WaitingOnComplainantStarted":
      return e.data.reason;
    case "WaitingOnComplainantEnded":
      return e.data.note ?? "";
    case "CorrectiveActionPlanned":
      return `${e.data.actionId} owner ${party(e.data.owner)}${e.data.preventive ? " (preventive)" : ""}`;
    case "CorrectiveActionImplemented":
      return e.data.actionId;
    case "CorrectiveActionVerified":
      return `${e.data.actionId} ${e.data.effective ? "effective" : "not effective"}`;
    case "AccountabilityRecorded":
      return `${party(e.data.responsible)}${money(e.data.penalty)}`;
    case "RegulatorInformed":
      return e.data.regulator;
    case "PolicyChanged":
      return `${e.data.from.id}@${e.data.from.version} → ${e.data.to.id}@${e.data.to.version}`;
    default:
      return assertNever(e);
  }
}

/** One line per event: version, local time, type, detail and who did it. */
export function eventLine(e: ComplaintEvent, timeZone: string): string {
  const detail = eventDetail(e, timeZone);
  return `v${e.version}  ${localTime(e.occurredAt, timeZone)}  ${e.type}${detail ? `  ${detail}` : ""}  — ${actor(e.actor)}`;
}

const REDACTED = "[redacted]";

/** Personal data as shown: every present field (sealed or erased data only say so). */
export function personalDataView(data: PersonalDataField, reveal: boolean): Record<string, string> | null {
  if (data === null) return null;
  if ("sealed" in data) return { sealed: "encrypted (its key is needed to read it)" };
  if ("erased" in data) return { erased: "erased (its key was destroyed)" };
  return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, reveal ? String(v) : REDACTED]));
}

/** The event without the complainant's personal data unless `reveal` (R-36). */
export function redactEvent(e: ComplaintEvent, reveal: boolean): object {
  if (reveal) return e;
  if (e.type === "ComplaintReceived" || e.type === "ComplainantContactChanged") {
    const data: Record<string, unknown> = {
      ...e.data,
      personalData: personalDataView(e.data.personalData, false),
    };
    return { ...e, data };
  }
  return e;
}

/** A plain text table: a header row, then rows, columns padded to the widest cell. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ""))));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c + " ".repeat(widths[i]! - width(c))))
      .join("  ")
      .trimEnd();
  return [line(header), ...rows.map(line)].join("\n");
}

/** Display width: CJK characters take two columns. */
function width(text: string): number {
  let w = 0;
  for (const ch of text)
    w +=
      /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(
        ch,
      )
        ? 2
        : 1;
  return w;
}

/** RFC 4180 CSV: a header row, then rows; cells with commas, quotes or newlines are quoted. */
export function csv(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const cell = (c: string) => (/[",\r\n]/.test(c) ? `"${c.replaceAll('"', '""')}"` : c);
  return `${[header, ...rows].map((r) => r.map(cell).join(",")).join("\r\n")}\r\n`;
}
