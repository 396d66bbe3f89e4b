import type { ComplaintId } from "../domain/ids.js";
import { isComplaintId } from "../domain/ids.js";
import type { Rejection } from "../domain/rejection.js";
import type { HandleResult } from "../stores/handle.js";
import { eventLine, redactEvent } from "./format.js";
import { CliError, type CliIo, EXIT, type ExitCode } from "./io.js";
import type { Session } from "./session.js";
import { commonFields, type Verb, type VerbOptions } from "./verbs.js";

/**
 * Prints a command's outcome: one line per appended event (JSON lines with `--json`), or
 * `rejected <code>: <message>` on stderr. Personal data is never printed here.
 */
export function printResult(io: CliIo, session: Session, result: HandleResult, json: boolean): ExitCode {
  if (!result.ok) return printRejection(io, result.rejection, json);
  if (result.alreadyHandled)
    io.stderr.write("already handled: this command id was seen before, nothing new was appended\n");
  const timeZone =
    result.state.stage === "none" ? session.policy.timeZone : session.policyOf(result.state).timeZone;
  for (const e of result.events)
    io.stdout.write(`${json ? JSON.stringify(redactEvent(e, false)) : eventLine(e, timeZone)}\n`);
  return EXIT.ok;
}

/**
 * Prints a refusal: `rejected <code>: <message>` as one line on stderr (and the rejection as JSON
 * on stdout with `--json`). Exit code 1.
 */
export function printRejection(io: CliIo, rejection: Rejection, json: boolean): ExitCode {
  const { code, message, fields } = rejection;
  if (json) io.stdout.write(`${JSON.stringify({ rejected: { code, message, fields } })}\n`);
  io.stderr.write(`rejected ${code}: ${message.replace(/\s+/g, " ")}\n`);
  return EXIT.rejected;
}

/** Runs a verb (`kesu classify <case> …`) on a case, or on a new stream for `receive`. */
export async function runVerb(
  io: CliIo,
  session: Session,
  verb: Verb,
  caseRef: string | undefined,
  options: VerbOptions,
  json: boolean,
): Promise<ExitCode> {
  const streamId =
    caseRef === undefined ? (session.ids.next() as ComplaintId) : await session.resolveCase(caseRef);
  const input = { ...verb.build(options, session.policy), ...commonFields(options) };
  return printResult(io, session, await session.execute(streamId, input), json);
}

/**
 * The payload of `kesu cmd`: `{ "case": "...", "command": { … } }`, or a bare command (the case
 * then comes from `--case`). A `ReceiveComplaint` without a case opens a new stream.
 */
export function parseCmdPayload(
  text: string,
  caseOption: string | undefined,
  at?: Date | undefined,
): { caseRef?: string; command: unknown } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new CliError(`malformed JSON: ${(error as Error).message}`);
  }
  if (value === null || typeof value !== "object" || Array.isArray(value))
    throw new CliError("malformed command: expected a JSON object");
  const record = value as Record<string, unknown>;
  const wrapped = "command" in record && !("type" in record);
  const extra = wrapped ? Object.keys(record).filter((k) => k !== "case" && k !== "command") : [];
  if (extra.length > 0)
    throw new CliError(
      `malformed command: unknown key ${extra.map((k) => JSON.stringify(k)).join(", ")} next to "case" and "command"`,
    );
  if (wrapped && record.case !== undefined && typeof record.case !== "string")
    throw new CliError('malformed command: "case" must be a string');
  const caseRef = caseOption ?? (wrapped ? (record.case as string | undefined) : undefined);
  let command = wrapped ? record.command : value;
  if (at && command !== null && typeof command === "object" && !("occurredAt" in command))
    command = { ...command, occurredAt: at.toISOString() };
  return { ...(caseRef === undefined ? {} : { caseRef }), command };
}

/** `kesu cmd <json|->`: any command of the domain as JSON. */
export async function runCmd(
  io: CliIo,
  session: Session,
  payload: { caseRef?: string; command: unknown },
  json: boolean,
): Promise<ExitCode> {
  const isReceive =
    typeof payload.command === "object" &&
    payload.command !== null &&
    (payload.command as { type?: unknown }).type === "ReceiveComplaint";
  let streamId: ComplaintId;
  if (payload.caseRef === undefined) {
    if (!isReceive) throw new CliError('name the case: --case <case-number>, or { "case": …, "command": … }');
    streamId = session.ids.next() as ComplaintId;
  } else if (isReceive && isComplaintId(payload.caseRef)) {
    // A caller-chosen stream id for a new complaint (an existing one answers complaint/already-received).
    streamId = payload.caseRef;
  } else streamId = await session.resolveCase(payload.caseRef);
  return printResult(io, session, await session.execute(streamId, payload.command), json);
}
