/**
 * The complaint domain written the way an Emmett app writes it, so both libraries do the same
 * work on the same events:
 *
 * - events are `{ type, data, metadata }` (Emmett's `Event`), with kesu's envelope fields
 *   (event id, instants, actor, tracing) in `metadata`, so each stored event carries the same
 *   bytes in both libraries;
 * - `evolve(state, event)` is a pure reducer that returns a new state object per event, as in
 *   Emmett's decider examples; `aggregateStream` folds a stream with it.
 *
 * `evolve` mirrors kesu's `src/domain/evolve.ts` field by field; `sameState` checks that both
 * fold a stream to the same complaint (the harness runs it before measuring).
 */
import type { Event, ReadEvent, ReadEventMetadataWithGlobalPosition } from "@event-driven-io/emmett";
import type {
  ComplaintEvent,
  ComplaintEventType,
  ComplaintListRow,
  ComplaintState,
  EventOf,
} from "../../src/index.js";

/** Emmett metadata of a complaint event: kesu's envelope fields. */
export interface ComplaintMeta {
  readonly eventId: string;
  readonly occurredAt: string;
  readonly recordedAt: string;
  readonly actor: ComplaintEvent["actor"];
  readonly correlationId: string;
  readonly causationId: string;
  readonly commandId: string;
  readonly schemaVersion: number;
  // Emmett metadata is an open record.
  readonly [key: string]: unknown;
}

/** A complaint event as an Emmett app appends it. */
export type EmmettComplaintEvent = {
  [K in ComplaintEventType]: Event<K, EventOf<K>["data"] & Record<string, unknown>, ComplaintMeta>;
}[ComplaintEventType];

/** A complaint event as Emmett reads it back (stream and global positions added). */
export type EmmettReadEvent = ReadEvent<EmmettComplaintEvent, ReadEventMetadataWithGlobalPosition>;

/** The Emmett stream name of a complaint: `<type>-<id>`, Emmett's convention. */
export const streamName = (id: string) => `complaint-${id}`;

/** Reshapes a kesu event into the event an Emmett app would append. */
export function toEmmettEvent(e: ComplaintEvent): EmmettComplaintEvent {
  return {
    type: e.type,
    data: e.data,
    metadata: {
      eventId: e.id,
      occurredAt: e.occurredAt,
      recordedAt: e.recordedAt,
      actor: e.actor,
      correlationId: e.metadata.correlationId,
      causationId: e.metadata.causationId,
      commandId: e.metadata.commandId,
      schemaVersion: e.schemaVersion,
    },
  } as EmmettComplaintEvent;
}

/** An Emmett read event as the in-memory store returns it. */
export function toEmmettReadEvent(e: ComplaintEvent, globalPosition: number): EmmettReadEvent {
  const event = toEmmettEvent(e);
  return {
    ...event,
    kind: "Event",
    metadata: {
      ...event.metadata,
      streamName: streamName(e.streamId),
      messageId: e.id,
      streamPosition: BigInt(e.version),
      globalPosition: BigInt(globalPosition),
    },
  } as EmmettReadEvent;
}

/** The Emmett-side complaint state: kesu's fields, without the stream id (Emmett's `initialState()` takes none). */
type Closed = Omit<Extract<ComplaintState, { stage: "closed" }>, "stage" | "version" | "streamId">;
export type ComplaintDoc = { readonly stage: ComplaintState["stage"]; readonly version: number } & {
  readonly [K in keyof Closed]?: Closed[K] | undefined;
};

/** Emmett's `initialState`. */
export const initialDoc = (): ComplaintDoc => ({ stage: "none", version: 0 });

type Meta = { readonly occurredAt: string; readonly streamPosition?: bigint | undefined };

/** Emmett-style `evolve`: one new state object per event. */
export function evolve(s: ComplaintDoc, event: EmmettComplaintEvent | EmmettReadEvent): ComplaintDoc {
  const meta = event.metadata as Meta & ComplaintMeta;
  const version = meta.streamPosition === undefined ? s.version + 1 : Number(meta.streamPosition);
  const at = meta.occurredAt;
  switch (event.type) {
    case "ComplaintReceived": {
      const x = event.data;
      return {
        ...s,
        version,
        updatedAt: at,
        stage: "received",
        caseNumber: x.caseNumber as NonNullable<ComplaintDoc["caseNumber"]>,
        receivedAt: at,
        channel: x.channel,
        complainantId: x.complainant.id,
        anonymous: x.complainant.anonymous,
        complainedAbout: x.complainedAbout,
        tags: x.tags,
        policy: x.policy,
        owner: { id: meta.actor.id, unit: meta.actor.unit },
        acknowledged: false,
        assignments: 0,
        escalationLevel: 1,
        cycle: 1,
        round: 1,
        rejections: 0,
        waitingOnComplainant: false,
        correctiveActions: [],
        accountabilityRecorded: false,
        accountabilityRequired: false,
        regulatorInformed: false,
        extensions: 0,
      };
    }
    case "ComplainantContactChanged":
    case "ProgressReported":
      return { ...s, version, updatedAt: at };
    case "ReceiptAcknowledged":
      return { ...s, version, updatedAt: at, acknowledged: true };
    case "ComplaintClassified": {
      const x = event.data;
      return {
        ...s,
        version,
        updatedAt: at,
        stage: "classified",
        classification: {
          kind: x.kind,
          severity: x.severity,
          category: x.category,
          routedTo: x.routedTo,
          tags: x.tags,
        },
      };
    }
    case "SeverityChanged":
      return s.classification
        ? { ...s, version, updatedAt: at, classification: { ...s.classification, severity: event.data.to } }
        : { ...s, version, updatedAt: at };
    case "ComplaintAssigned":
      return {
        ...s,
        version,
        updatedAt: at,
        pendingAssignee: event.data.assignee,
        assignments: (s.assignments ?? 0) + 1,
      };
    case "ComplaintReassigned":
      return {
        ...s,
        version,
        updatedAt: at,
        pendingAssignee: event.data.to,
        assignments: (s.assignments ?? 0) + 1,
      };
    case "AssignmentAccepted":
      return { ...s, version, updatedAt: at, owner: event.data.assignee, pendingAssignee: undefined };
    case "ComplaintEscalated":
      return { ...s, version, updatedAt: at, escalationLevel: event.data.toLevel };
    case "ComplaintInvestigated":
      return {
        ...s,
        version,
        updatedAt: at,
        stage: "investigated",
        findings: event.data.findings,
        validity: event.data.findings.validity,
      };
    case "ComplaintResolved":
      return {
        ...s,
        version,
        updatedAt: at,
        stage: "resolved",
        resolution: {
          round: event.data.round,
          remedy: event.data.remedy,
          onTheSpot: event.data.onTheSpot,
          status: "proposed",
        },
      };
    case "ResolutionAccepted":
      return s.resolution
        ? { ...s, version, updatedAt: at, resolution: { ...s.resolution, status: "accepted" } }
        : { ...s, version, updatedAt: at };
    case "ResolutionRejected":
      return {
        ...s,
        version,
        updatedAt: at,
        stage: "classified",
        resolution: undefined,
        revisit: undefined,
        rejections: (s.rejections ?? 0) + 1,
        round: (s.round ?? 1) + 1,
      };
    case "ComplaintRevisited":
      return {
        ...s,
        version,
        updatedAt: at,
        stage: "revisited",
        revisit: {
          satisfaction: event.data.satisfaction,
          complainantConfirmed: event.data.complainantConfirmed,
          followUp: event.data.followUp,
        },
      };
    case "ComplaintClosed":
      return {
        ...s,
        version,
        updatedAt: at,
        stage: "closed",
        closure: { closedAt: at, outcome: event.data.outcome },
        waitingOnComplainant: false,
      };
    case "ComplaintReopened":
      return {
        ...s,
        version,
        updatedAt: at,
        stage: s.classification ? "classified" : "received",
        closure: undefined,
        resolution: undefined,
        revisit: undefined,
        cycle: event.data.cycle,
        round: (s.round ?? 1) + 1,
        accountabilityRecorded: false,
        regulatorInformed: false,
        accountabilityRequired: event.data.reason === "handled-badly" && s.validity === "valid",
      };
    case "ComplaintWithdrawn":
      return { ...s, version, updatedAt: at, validity: "not-established" };
    case "DeadlineExtended":
      return { ...s, version, updatedAt: at, extensions: (s.extensions ?? 0) + 1 };
    case "WaitingOnComplainantStarted":
      return { ...s, version, updatedAt: at, waitingOnComplainant: true };
    case "WaitingOnComplainantEnded":
      return { ...s, version, updatedAt: at, waitingOnComplainant: false };
    case "CorrectiveActionPlanned":
      return {
        ...s,
        version,
        updatedAt: at,
        correctiveActions: [
          ...(s.correctiveActions ?? []),
          { actionId: event.data.actionId, status: "planned" },
        ],
      };
    case "CorrectiveActionImplemented": {
      const id = event.data.actionId;
      return {
        ...s,
        version,
        updatedAt: at,
        correctiveActions: (s.correctiveActions ?? []).map((a) =>
          a.actionId === id ? { ...a, status: "implemented" } : a,
        ),
      };
    }
    case "CorrectiveActionVerified": {
      const { actionId, effective } = event.data;
      return {
        ...s,
        version,
        updatedAt: at,
        correctiveActions: (s.correctiveActions ?? []).map((a) =>
          a.actionId === actionId ? { ...a, status: "verified", effective } : a,
        ),
      };
    }
    case "AccountabilityRecorded":
      return { ...s, version, updatedAt: at, accountabilityRecorded: true };
    case "RegulatorInformed":
      return { ...s, version, updatedAt: at, regulatorInformed: true };
    case "PolicyChanged":
      return { ...s, version, updatedAt: at, policy: event.data.to };
    default: {
      const unknown: never = event;
      throw new Error(`unknown event ${JSON.stringify(unknown)}`);
    }
  }
}

/** The complaint-list row of a folded complaint: the columns of kesu's `ComplaintListRow` (SLA columns empty, as in kesu's list without SLA settings). */
export function listRow(streamId: string, s: ComplaintDoc): ComplaintListRow | null {
  if (s.stage === "none") return null;
  const c = s.classification;
  return {
    streamId: streamId as ComplaintListRow["streamId"],
    caseNumber: s.caseNumber ?? "",
    stage: s.stage,
    kind: c?.kind ?? null,
    severity: c?.severity ?? null,
    category: c?.category ?? null,
    channel: s.channel!,
    unit: s.owner?.unit ?? "",
    owner: s.owner?.id ?? null,
    escalationLevel: s.escalationLevel ?? 1,
    validity: s.validity ?? null,
    complainantId: s.complainantId ?? "",
    anonymous: s.anonymous ?? false,
    receivedAt: s.receivedAt ?? "",
    updatedAt: s.updatedAt ?? "",
    closedAt: s.stage === "closed" ? (s.closure?.closedAt ?? null) : null,
    outcome: s.stage === "closed" ? (s.closure?.outcome ?? null) : null,
    cycle: s.cycle ?? 1,
    rejections: s.rejections ?? 0,
    satisfaction: s.revisit ? s.revisit.satisfaction : null,
    slaDueAt: null,
    slaLate: [],
    slaStatus: {},
    version: s.version,
  };
}

/** The document of Emmett's complaint-list projection. */
export interface ListDoc {
  readonly state: ComplaintDoc;
  readonly row: ComplaintListRow | null;
  readonly [key: string]: unknown;
}

/** Emmett projection evolve: fold the event into the state and recompute the row. */
export function evolveListDoc(doc: ListDoc | null, event: EmmettReadEvent): ListDoc {
  const state = evolve(doc?.state ?? initialDoc(), event);
  const id = String(event.metadata.streamName).slice("complaint-".length);
  return { state, row: listRow(id, state) };
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}

/** Do kesu's state and the Emmett-side state describe the same complaint (stream id aside)? */
export function sameState(kesu: ComplaintState, doc: ComplaintDoc): boolean {
  const { streamId: _id, ...rest } = kesu;
  return canonical(rest) === canonical(doc);
}
