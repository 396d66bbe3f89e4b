import type { ComplaintEvent } from "../domain/events.js";
import { evaluateSla } from "../sla/evaluate.js";
import { printRejection } from "./caseCommands.js";
import {
  eventLine,
  localTime,
  type PersonalDataField,
  personalDataView,
  redactEvent,
  table,
} from "./format.js";
import { type CliIo, EXIT, type ExitCode } from "./io.js";
import { revealRefusal } from "./permissions.js";
import type { Session } from "./session.js";
import { calendarFor } from "./settings.js";

/** Options of `kesu show`. */
export interface ShowOptions {
  readonly at: Date;
  readonly revealPersonalData: boolean;
  readonly json: boolean;
}

/** The complainant's personal data as last recorded (registration, then contact changes). */
function currentPersonalData(events: readonly ComplaintEvent[]): PersonalDataField {
  let data: PersonalDataField = null;
  for (const e of events)
    if (e.type === "ComplaintReceived" || e.type === "ComplainantContactChanged") data = e.data.personalData;
  return data;
}

/**
 * `kesu show <case>`: the case, its timeline with actors, and every SLA clock (due, status)
 * judged at `--at` on the policy's calendar. Personal data only with `--reveal-personal-data`,
 * and only for a role the permission policy lets see it (R-36); for any other role the flag is
 * refused before the case is read.
 */
export async function runShow(
  io: CliIo,
  session: Session,
  caseRef: string,
  options: ShowOptions,
): Promise<ExitCode> {
  if (options.revealPersonalData) {
    const refused = revealRefusal(session.permissions, session.actor);
    if (refused) return printRejection(io, refused, options.json);
  }
  const { events, state } = await session.load(await session.resolveCase(caseRef));
  const policy = session.policyOf(state);
  const calendar = calendarFor(policy);
  const sla = evaluateSla(events, policy, calendar, options.at);
  const personal = currentPersonalData(events);
  const shownPersonal = personalDataView(personal, options.revealPersonalData);
  const classification = "classification" in state ? state.classification : undefined;

  if (options.json) {
    const doc = {
      caseNumber: state.caseNumber,
      streamId: state.streamId,
      stage: state.stage,
      policy: state.policy,
      complainant: { id: state.complainantId, anonymous: state.anonymous, personalData: shownPersonal },
      classification: classification ?? null,
      owner: state.owner,
      escalationLevel: state.escalationLevel,
      cycle: state.cycle,
      rejections: state.rejections,
      events: events.map((e) => redactEvent(e, options.revealPersonalData)),
      sla,
    };
    io.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
    return EXIT.ok;
  }

  const tz = policy.timeZone;
  const received = events.find((e) => e.type === "ComplaintReceived");
  const out: string[] = [];
  out.push(
    `${state.caseNumber}  ${state.stage}  ${classification ? `${classification.kind} · ${classification.category} · ${classification.severity}` : "not classified"}`,
    `stream ${state.streamId} · policy ${state.policy.id}@${state.policy.version} · channel ${state.channel} · owner ${state.owner.id ? `${state.owner.id}@` : ""}${state.owner.unit} · level ${state.escalationLevel} · cycle ${state.cycle} · rejected remedies ${state.rejections}`,
  );
  const who = state.anonymous ? "anonymous (R-37)" : state.complainantId;
  if (shownPersonal === null) out.push(`complainant ${who}`);
  else
    out.push(
      `complainant ${who}: ${Object.entries(shownPersonal)
        .map(([k, v]) => `${k} ${v}`)
        .join(", ")}${options.revealPersonalData ? "" : " (R-36: --reveal-personal-data to show)"}`,
    );
  if (received?.type === "ComplaintReceived") out.push(`description: ${received.data.description}`);
  out.push("", "Timeline");
  for (const e of events) out.push(`  ${eventLine(e, tz)}`);
  out.push("", `SLA at ${localTime(sla.at, tz)} on calendar ${sla.calendar.id} ${sla.calendar.version}`);
  const rows = sla.clocks.map((c) => [
    c.clockId,
    c.status,
    c.dueAt ? localTime(c.dueAt, tz) : "-",
    c.target ? `${c.target.amount} ${c.target.unit}` : "-",
    c.label,
  ]);
  out.push(
    rows.length === 0
      ? "  (the policy has no SLA clocks)"
      : table(["clock", "status", "due", "target", "label"], rows)
          .split("\n")
          .map((l) => `  ${l}`)
          .join("\n"),
  );
  io.stdout.write(`${out.join("\n")}\n`);
  return EXIT.ok;
}
