import type { CommandInput } from "../domain/commands.js";
import type { ComplaintId } from "../domain/ids.js";
import { type CompiledMapping, categoryOf } from "./compileMapping.js";
import { type CivilDate, dayNumberOf, isoDate, localInstant, parseCivilDate } from "./dates.js";
import { IMPORT_FIELDS, type ImportField, normaliseValue } from "./mapping.js";
import { contentHash, rowKey, streamIdFor } from "./rowKey.js";

/** The cells of one row by mapped column, trimmed; a column the file lacks is undefined. */
export type RowValues = Readonly<Partial<Record<ImportField, string>>>;

/** One command of a row's replay, with the step name its command id ends in. */
export interface PlannedStep {
  readonly step: string;
  readonly command: CommandInput;
}

/** How a good row is replayed: its key, its stream, and its commands in time order. */
export interface RowPlan {
  readonly key: string;
  readonly streamId: ComplaintId;
  readonly steps: readonly PlannedStep[];
  /** True when the sent date was before receipt and was moved to the receipt. */
  readonly sentClamped: boolean;
}

/** A row that cannot be replayed, and why. */
export interface RowProblem {
  readonly problem: string;
}

const SHORT = 200;
const LONG = 20_000;

/** Text cut to a schema's limit, marked with an ellipsis when cut. */
function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Counts identical id-less rows within one input, so each gets its own key. */
export class OccurrenceCounter {
  readonly #seen = new Map<string, number>();
  next(hash: string): number {
    const n = (this.#seen.get(hash) ?? 0) + 1;
    this.#seen.set(hash, n);
    return n;
  }
}

/**
 * Turns a row into the commands that replay its lifecycle (see docs/import.md, "Replay rules"), or
 * names the cell that makes it unusable. Pure: nothing is read or written.
 */
export function planRow(
  compiled: CompiledMapping,
  values: RowValues,
  occurrences: OccurrenceCounter,
): RowPlan | RowProblem {
  const { mapping } = compiled;
  const name = (field: ImportField) => mapping.columns[field]?.names[0] ?? field;
  const text = (field: ImportField) => values[field] ?? "";

  const received = readDate(compiled, text("received"));
  if (!received) return { problem: `${name("received")}: ${describeDate(text("received"))}` };
  const sentText = text("sent");
  const sent = sentText === "" ? undefined : readDate(compiled, sentText);
  if (sentText !== "" && !sent) return { problem: `${name("sent")}: ${describeDate(sentText)}` };

  const channel = compiled.channels.get(normaliseValue(text("channel")));
  if (!channel) return { problem: `${name("channel")}: unknown value ${JSON.stringify(text("channel"))}` };
  const company = text("company");
  if (company === "") return { problem: `${name("company")}: blank` };
  const responseText = text("response");
  const outcome = responseText === "" ? undefined : compiled.outcomes.get(normaliseValue(responseText));
  if (responseText !== "" && !outcome)
    return { problem: `${name("response")}: unknown value ${JSON.stringify(responseText)}` };
  const timely = readBoolean(compiled, text("timely"));
  if (timely === null)
    return { problem: `${name("timely")}: not a yes/no value ${JSON.stringify(text("timely"))}` };
  const disputed = readBoolean(compiled, text("disputed"));
  if (disputed === null)
    return { problem: `${name("disputed")}: not a yes/no value ${JSON.stringify(text("disputed"))}` };
  if (disputed === true && outcome?.status !== "closed")
    return {
      problem: `${name("disputed")}: Yes, but the response ${JSON.stringify(responseText)} records no resolution to dispute`,
    };
  const id = text("id");
  if (id !== "" && !/^[\w.-]{1,100}$/.test(id))
    return { problem: `${name("id")}: ${JSON.stringify(id)} is not an id (letters, digits, . _ -)` };

  const receivedDay = dayNumberOf(received);
  let sentDay = sent ? dayNumberOf(sent) : undefined;
  let sentClamped = false;
  if (sentDay !== undefined && sentDay < receivedDay) {
    if (receivedDay - sentDay > mapping.maxSentBeforeReceivedDays)
      return {
        problem: `${name("sent")}: ${isoDate(sent!)} is ${receivedDay - sentDay} days before ${name("received")} ${isoDate(received)}`,
      };
    sentDay = receivedDay;
    sentClamped = true;
  }

  const content = IMPORT_FIELDS.filter((f) => f !== "id")
    .map((f) =>
      f === "received" ? isoDate(received) : f === "sent" && sent ? isoDate(sent) : normaliseValue(text(f)),
    )
    .join("\u001f");
  const key =
    id !== ""
      ? rowKey(mapping.keyPrefix, id, content, 1)
      : rowKey(mapping.keyPrefix, undefined, content, occurrences.next(contentHash(content)));
  const { times, timeZone } = mapping;
  const receivedAt = localInstant(receivedDay, times.received, timeZone);
  const sentAt =
    sentDay === undefined
      ? undefined
      : sentClamped
        ? receivedAt
        : localInstant(sentDay, times.sent, timeZone);
  const respondedAt = localInstant(sentDay ?? receivedDay, times.response, timeZone).toISOString();

  const steps: PlannedStep[] = [];
  const add = (step: string, at: string, command: Record<string, unknown>) =>
    steps.push({
      step,
      command: { ...command, commandId: `${key}:${step}`, occurredAt: at } as CommandInput,
    });

  const product = [text("product"), text("subProduct")].filter((s) => s !== "").join(" / ");
  const issue = [text("issue"), text("subIssue")].filter((s) => s !== "").join(" — ");
  const description =
    text("narrative") || [product || "(no product)", issue].filter((s) => s !== "").join(": ");
  const tags = text("tags")
    .split(mapping.tagSeparator)
    .map((t) => clip(t.trim(), SHORT))
    .filter((t) => t !== "");
  if (timely !== undefined) tags.push(`timely-response:${timely ? "yes" : "no"}`);

  const at = receivedAt.toISOString();
  add("receive", at, {
    type: "ReceiveComplaint",
    ...(mapping.caseNumber !== undefined && id !== ""
      ? { caseNumber: caseNumber(mapping.caseNumber, received, id) }
      : {}),
    channel,
    complainant: { id: clip(`consumer:${key}`, SHORT), anonymous: true },
    subject: product === "" ? {} : { product: clip(product, SHORT) },
    description: clip(description, LONG),
    complainedAbout: { unit: clip(company, SHORT) },
    tags: [...new Set(tags)],
    ...(id !== "" ? { externalRef: id } : {}),
  });
  add("classify", at, {
    type: "ClassifyComplaint",
    kind: "complaint",
    category: categoryOf(compiled, values),
  });
  if (sentAt)
    add("assign", sentAt.toISOString(), {
      type: "AssignComplaint",
      assignee: { unit: clip(company, SHORT) },
      reason: sentClamped
        ? "sent to the company (sent date before receipt, moved to receipt)"
        : "sent to the company",
    });

  if (outcome?.status === "in-progress")
    add("progress", respondedAt, {
      type: "ReportProgress",
      message: clip(responseText, LONG),
      channel: outcome.channel,
    });
  if (outcome?.status === "closed") {
    const publicResponse = text("publicResponse");
    const facts = `Company response: ${responseText}.${publicResponse ? ` Public response: ${publicResponse}` : ""}`;
    add("investigate", respondedAt, {
      type: "RecordInvestigation",
      findings: { facts: clip(facts, LONG), validity: outcome.validity },
    });
    add("resolve", respondedAt, {
      type: "ProposeResolution",
      remedy: { kinds: [...outcome.remedyKinds], description: clip(responseText, LONG) },
    });
    if (disputed === true)
      add("reject", respondedAt, {
        type: "RejectResolution",
        reason: "the consumer disputed the company's response",
      });
    else {
      if (disputed === false) add("accept", respondedAt, { type: "AcceptResolution" });
      add("close", respondedAt, { type: "CloseComplaint", summary: clip(responseText, LONG) });
    }
  }
  return { key, streamId: streamIdFor(key, receivedAt), steps, sentClamped };
}

function readDate(compiled: CompiledMapping, text: string): CivilDate | undefined {
  return text === "" ? undefined : parseCivilDate(compiled.formats, text);
}

function describeDate(text: string): string {
  return text === "" ? "blank" : `${JSON.stringify(text)} matches none of the date formats`;
}

/** true / false / undefined (blank or not applicable) / null (not a known spelling). */
function readBoolean(compiled: CompiledMapping, text: string): boolean | undefined | null {
  if (text === "") return undefined;
  const key = normaliseValue(text);
  return compiled.booleans.has(key) ? compiled.booleans.get(key) : null;
}

function caseNumber(template: string, received: CivilDate, id: string): string {
  const iso = isoDate(received);
  return template
    .replace("{yyyy}", iso.slice(0, 4))
    .replace("{yy}", iso.slice(2, 4))
    .replace("{mm}", iso.slice(5, 7))
    .replace("{dd}", iso.slice(8, 10))
    .replace(/\{id(?::(\d+))?\}/, (_, width: string | undefined) => id.padStart(Number(width ?? 0), "0"));
}
