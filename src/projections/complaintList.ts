import type { ComplaintEvent, RecordedEvent } from "../domain/events.js";
import { fold } from "../domain/evolve.js";
import type { ComplaintId } from "../domain/ids.js";
import type { Policy } from "../domain/policy.js";
import { type ComplaintState, initialState, type Stage } from "../domain/state.js";
import type { Channel, EscalationLevel, Kind, Validity } from "../domain/values.js";
import type { BusinessCalendar } from "../sla/calendar/index.js";
import { type ClockStatus, evaluateSla, type PolicySource } from "../sla/evaluate.js";
import type { Projection } from "./projection.js";

/** One row of the complaint list (台账, R-33): what lists, filters and reports need, without a fold. */
export interface ComplaintListRow {
  /** The complaint's stream. */
  readonly streamId: ComplaintId;
  /** The case number people quote. */
  readonly caseNumber: string;
  /** Where the case is in its lifecycle. */
  readonly stage: Exclude<Stage, "none">;
  /** Complaint, inquiry or suggestion; null until classified. */
  readonly kind: Kind | null;
  /** The severity; null until classified. */
  readonly severity: string | null;
  /** The category id; null until classified. */
  readonly category: string | null;
  /** How the complaint came in. */
  readonly channel: Channel;
  /** The owning unit and person, if any. */
  readonly unit: string;
  /** The owning person's id, when a person (not only a unit) owns the case. */
  readonly owner: string | null;
  /** 1, or the level the case was escalated to. */
  readonly escalationLevel: EscalationLevel;
  /** Whether the complaint was found valid; null until investigated. */
  readonly validity: Validity | null;
  /** The complainant's id in your system. */
  readonly complainantId: string;
  /** The complainant asked not to be identified. */
  readonly anonymous: boolean;
  /** When the complaint was received (ISO 8601). */
  readonly receivedAt: string;
  /** When its last event occurred (ISO 8601). */
  readonly updatedAt: string;
  /** When it was closed (ISO 8601); null while open. */
  readonly closedAt: string | null;
  /** How it was closed; null while open. */
  readonly outcome: string | null;
  /** 1, +1 per reopen. */
  readonly cycle: number;
  /** Rejected resolutions. */
  readonly rejections: number;
  /** Latest revisit score, if any. */
  readonly satisfaction: number | null;
  /** Earliest due instant among the running (not paused) SLA clocks; null when none runs. */
  readonly slaDueAt: string | null;
  /** Clocks that were breached (still running past due) or met late, as of the last event. */
  readonly slaLate: readonly string[];
  /** Every clock's status as of the last event (final once the case is closed), by clock id. */
  readonly slaStatus: Readonly<Record<string, ClockStatus>>;
  /** The stream version the row was derived at. */
  readonly version: number;
}

/** Filters and paging of a complaint list query. All filters combine with AND. */
export interface ComplaintListQuery {
  /** In this stage, or in any of these stages. */
  readonly stage?: Stage | readonly Stage[] | undefined;
  /** Of this kind. */
  readonly kind?: Kind | undefined;
  /** Of this severity. */
  readonly severity?: string | undefined;
  /** In this category. */
  readonly category?: string | undefined;
  /** Received through this channel. */
  readonly channel?: Channel | undefined;
  /** Owned by this unit. */
  readonly unit?: string | undefined;
  /** Owned by this person. */
  readonly owner?: string | undefined;
  /** `true`: not closed; `false`: closed. */
  readonly open?: boolean | undefined;
  /** Only cases with a clock late at this instant (a running clock past due, or one met late). */
  readonly breachedAt?: Date | undefined;
  /** Received at or after / before (exclusive) these instants. */
  readonly receivedFrom?: Date | undefined;
  /** See `receivedFrom`. */
  readonly receivedTo?: Date | undefined;
  /** Rows per page (default 50). */
  readonly limit?: number | undefined;
  /** Matching rows to skip before the page (default 0). */
  readonly offset?: number | undefined;
}

/** A page of rows (ordered by receipt, then case number) and the total matching the filters. */
export interface ComplaintListPage {
  /** The page. */
  readonly rows: readonly ComplaintListRow[];
  /** How many rows match the filters, on every page. */
  readonly total: number;
}

/**
 * What the projection keeps per stream: the row, plus the state and events it is derived from
 * (with personal data removed).
 */
export interface ComplaintListDoc {
  /** The row lists and queries read. */
  readonly row: ComplaintListRow;
  /** The state folded from the events. */
  readonly state: ComplaintState;
  /** The stream's events, kept so SLA clocks can be judged without reading the store. */
  readonly events: readonly ComplaintEvent[];
}

/**
 * Storage of list documents inside a target transaction. `getMany` and `putMany` are optional:
 * a storage behind a network (a database server) gives them so that a batch costs one read and
 * one write, not one of each per complaint.
 */
export interface ComplaintListStorage<Tx> {
  /** The stream's document, or undefined when the list has not seen the stream. */
  get(tx: Tx, streamId: ComplaintId): ComplaintListDoc | undefined | Promise<ComplaintListDoc | undefined>;
  /** Writes the stream's document, replacing the old one. */
  put(tx: Tx, doc: ComplaintListDoc): void | Promise<void>;
  /** Removes every document, before a rebuild. */
  clear(tx: Tx): void | Promise<void>;
  /** The documents of the streams the list has seen, by stream id (absent: not seen). */
  getMany?(
    tx: Tx,
    streamIds: readonly ComplaintId[],
  ): ReadonlyMap<ComplaintId, ComplaintListDoc> | Promise<ReadonlyMap<ComplaintId, ComplaintListDoc>>;
  /** Writes the documents (one per stream), each replacing the old one. */
  putMany?(tx: Tx, docs: readonly ComplaintListDoc[]): void | Promise<void>;
}

/** SLA settings of the list: with them, rows carry `slaDueAt` and `slaLate`. */
export interface ComplaintListSla {
  /** The policy whose clocks are judged; a stream recorded under another policy gets no SLA fields. */
  readonly policy: PolicySource;
  /** The calendar the clocks run on. */
  readonly calendar: BusinessCalendar;
}

/** Derives a row from a folded state and the SLA evaluation at its last event. */
export function complaintListRow(
  state: Exclude<ComplaintState, { stage: "none" }>,
  events: readonly ComplaintEvent[],
  sla?: ComplaintListSla | undefined,
): ComplaintListRow {
  const classification = "classification" in state ? state.classification : undefined;
  let slaDueAt: string | null = null;
  const slaLate: string[] = [];
  const slaStatus: Record<string, ClockStatus> = {};
  if (sla) {
    const policy: Policy | undefined =
      typeof sla.policy === "function" ? sla.policy(state.policy) : sla.policy;
    if (policy && policy.id === state.policy.id && policy.version === state.policy.version) {
      const evaluation = evaluateSla(events, policy, sla.calendar, new Date(state.updatedAt));
      for (const clock of evaluation.clocks) {
        slaStatus[clock.clockId] = clock.status;
        if (clock.status === "met-late" || clock.status === "breached") slaLate.push(clock.clockId);
        if (
          (clock.status === "running" || clock.status === "at-risk" || clock.status === "breached") &&
          clock.dueAt
        )
          if (slaDueAt === null || clock.dueAt < slaDueAt) slaDueAt = clock.dueAt;
      }
    }
  }
  return {
    streamId: state.streamId,
    caseNumber: state.caseNumber,
    stage: state.stage,
    kind: classification?.kind ?? null,
    severity: classification?.severity ?? null,
    category: classification?.category ?? null,
    channel: state.channel,
    unit: state.owner.unit,
    owner: state.owner.id ?? null,
    escalationLevel: state.escalationLevel,
    validity: state.validity ?? null,
    complainantId: state.complainantId,
    anonymous: state.anonymous,
    receivedAt: state.receivedAt,
    updatedAt: state.updatedAt,
    closedAt: state.stage === "closed" ? state.closure.closedAt : null,
    outcome: state.stage === "closed" ? state.closure.outcome : null,
    cycle: state.cycle,
    rejections: state.rejections,
    satisfaction: "revisit" in state && state.revisit ? state.revisit.satisfaction : null,
    slaDueAt,
    slaLate,
    slaStatus,
    version: state.version,
  };
}

/**
 * The complaint-list projection over any storage: folds each stream's new events onto the
 * stored state (the same `evolve` as the write side) and rewrites its row.
 */
export function complaintListProjection<Tx>(
  storage: ComplaintListStorage<Tx>,
  options: { name?: string; sla?: ComplaintListSla | undefined } = {},
): Projection<Tx> {
  return {
    name: options.name ?? "complaint-list",
    async apply(tx, batch) {
      const byStream = new Map<ComplaintId, RecordedEvent[]>();
      for (const e of batch) {
        const id = e.streamId as ComplaintId;
        const list = byStream.get(id);
        if (list) list.push(e);
        else byStream.set(id, [e]);
      }
      const stored = storage.getMany ? await storage.getMany(tx, [...byStream.keys()]) : undefined;
      const written: ComplaintListDoc[] = [];
      for (const [streamId, fresh] of byStream) {
        const doc = stored ? stored.get(streamId) : await storage.get(tx, streamId);
        const known = doc?.state ?? initialState(streamId);
        // A batch may repeat events already applied (never with a checkpointed runner, but cheap to guard).
        const news = fresh.filter((e) => e.version > known.version);
        if (news.length === 0) continue;
        const state = fold(known, news);
        if (state.stage === "none") continue;
        const events = [...(doc?.events ?? []), ...news.map(stripPosition)];
        const next = { row: complaintListRow(state, events, options.sla), state, events };
        if (storage.putMany) written.push(next);
        else await storage.put(tx, next);
      }
      if (storage.putMany && written.length > 0) await storage.putMany(tx, written);
    },
    reset: (tx) => storage.clear(tx),
  };
}

// The read model keeps events only to judge SLA clocks: no position, and never the
// complainant's personal data, which stays in the event store alone.
function stripPosition(e: RecordedEvent): ComplaintEvent {
  const { position: _position, ...event } = e;
  if (event.type === "ComplaintReceived" || event.type === "ComplainantContactChanged")
    return { ...event, data: { ...event.data, personalData: null } } as ComplaintEvent;
  return event as ComplaintEvent;
}

/** Does a row match a query's filters? Shared by in-memory lists and tests. */
export function matchesQuery(row: ComplaintListRow, q: ComplaintListQuery): boolean {
  if (q.stage !== undefined) {
    const stages = typeof q.stage === "string" ? [q.stage] : q.stage;
    if (!stages.includes(row.stage)) return false;
  }
  if (q.kind !== undefined && row.kind !== q.kind) return false;
  if (q.severity !== undefined && row.severity !== q.severity) return false;
  if (q.category !== undefined && row.category !== q.category) return false;
  if (q.channel !== undefined && row.channel !== q.channel) return false;
  if (q.unit !== undefined && row.unit !== q.unit) return false;
  if (q.owner !== undefined && row.owner !== q.owner) return false;
  if (q.open !== undefined && (row.stage !== "closed") !== q.open) return false;
  if (q.receivedFrom !== undefined && row.receivedAt < q.receivedFrom.toISOString()) return false;
  if (q.receivedTo !== undefined && row.receivedAt >= q.receivedTo.toISOString()) return false;
  if (q.breachedAt !== undefined) {
    const late =
      row.slaLate.length > 0 || (row.slaDueAt !== null && row.slaDueAt < q.breachedAt.toISOString());
    if (!late) return false;
  }
  return true;
}

/** The list order: receipt time, then case number. */
export function compareRows(a: ComplaintListRow, b: ComplaintListRow): number {
  if (a.receivedAt !== b.receivedAt) return a.receivedAt < b.receivedAt ? -1 : 1;
  return a.caseNumber < b.caseNumber ? -1 : a.caseNumber > b.caseNumber ? 1 : 0;
}
