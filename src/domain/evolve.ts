import type { ComplaintEvent } from "./events.js";
import type { CaseNumber } from "./ids.js";
import type { Classification, ClosedComplaint, ComplaintState, CorrectiveActionState } from "./state.js";

/** Thrown by {@link evolve} when a stream is not a valid complaint history (a corrupted store). */
export class InvalidStreamError extends Error {
  /** Always `"InvalidStreamError"`. */
  override readonly name = "InvalidStreamError" as const;
  /** Stable code to match on. */
  readonly code = "stream/invalid" as const;
  constructor(
    /** The stream that cannot be folded. */
    readonly streamId: string,
    /** The version of the event that does not fit the history before it. */
    readonly version: number,
    message: string,
  ) {
    super(`stream ${streamId} at version ${version}: ${message}`);
  }
}

/** Is `error` an {@link InvalidStreamError}? */
export function isInvalidStreamError(error: unknown): error is InvalidStreamError {
  return error instanceof Error && error.name === "InvalidStreamError";
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
// The fold works on one mutable draft holding every field any stage may have; nested values
// are always replaced, never mutated, so a shallow copy keeps earlier states intact.
type Draft = Mutable<Omit<ClosedComplaint, "stage" | "closure">> & {
  stage: ComplaintState["stage"];
  closure?: ClosedComplaint["closure"] | undefined;
};

/**
 * Folds one event into the state. Pure: `state` is not modified.
 * @throws InvalidStreamError when the event cannot follow `state` (wrong version, event after
 * Closed other than a reopen, anything before Received).
 */
export function evolve(state: ComplaintState, event: ComplaintEvent): ComplaintState {
  const draft = { ...state } as Draft;
  apply(draft, event);
  return draft as ComplaintState;
}

/**
 * Folds many events at once; equal to `events.reduce(evolve, state)` but copies the state once.
 * @example const state = fold(initialState(id), await store.readStream(id));
 */
export function fold(state: ComplaintState, events: Iterable<ComplaintEvent>): ComplaintState {
  const draft = { ...state } as Draft;
  for (const event of events) apply(draft, event);
  return draft as ComplaintState;
}

function apply(d: Draft, e: ComplaintEvent): void {
  if (e.version !== d.version + 1)
    throw new InvalidStreamError(e.streamId, e.version, `expected version ${d.version + 1}`);
  if (d.stage === "none" && e.type !== "ComplaintReceived")
    throw new InvalidStreamError(e.streamId, e.version, `${e.type} before ComplaintReceived`);
  if (d.stage === "closed" && e.type !== "ComplaintReopened")
    throw new InvalidStreamError(e.streamId, e.version, `${e.type} after ComplaintClosed`);
  d.version = e.version;
  d.updatedAt = e.occurredAt;
  switch (e.type) {
    case "ComplaintReceived": {
      if (d.stage !== "none") throw new InvalidStreamError(e.streamId, e.version, "received twice");
      const x = e.data;
      d.stage = "received";
      d.caseNumber = x.caseNumber as CaseNumber;
      d.receivedAt = e.occurredAt;
      d.channel = x.channel;
      d.complainantId = x.complainant.id;
      d.anonymous = x.complainant.anonymous;
      d.complainedAbout = x.complainedAbout;
      d.tags = x.tags;
      d.policy = x.policy;
      d.owner = { id: e.actor.id, unit: e.actor.unit };
      d.acknowledged = false;
      d.assignments = 0;
      d.escalationLevel = 1;
      d.cycle = 1;
      d.round = 1;
      d.rejections = 0;
      d.waitingOnComplainant = false;
      d.correctiveActions = [];
      d.accountabilityRecorded = false;
      d.accountabilityRequired = false;
      d.regulatorInformed = false;
      d.extensions = 0;
      return;
    }
    case "ComplainantContactChanged":
    case "ProgressReported":
      return;
    case "ReceiptAcknowledged":
      d.acknowledged = true;
      return;
    case "ComplaintClassified": {
      const x = e.data;
      const classification: Classification = {
        kind: x.kind,
        severity: x.severity,
        category: x.category,
        routedTo: x.routedTo,
        tags: x.tags,
      };
      d.classification = classification;
      d.stage = "classified";
      return;
    }
    case "SeverityChanged":
      if (d.classification) d.classification = { ...d.classification, severity: e.data.to };
      return;
    case "ComplaintAssigned":
      d.pendingAssignee = e.data.assignee;
      d.assignments += 1;
      return;
    case "ComplaintReassigned":
      d.pendingAssignee = e.data.to;
      d.assignments += 1;
      return;
    case "AssignmentAccepted":
      d.owner = e.data.assignee;
      d.pendingAssignee = undefined;
      return;
    case "ComplaintEscalated":
      d.escalationLevel = e.data.toLevel;
      return;
    case "ComplaintInvestigated":
      d.findings = e.data.findings;
      d.validity = e.data.findings.validity;
      d.stage = "investigated";
      return;
    case "ComplaintResolved":
      d.resolution = {
        round: e.data.round,
        remedy: e.data.remedy,
        onTheSpot: e.data.onTheSpot,
        status: "proposed",
      };
      d.stage = "resolved";
      return;
    case "ResolutionAccepted":
      if (d.resolution) d.resolution = { ...d.resolution, status: "accepted" };
      return;
    case "ResolutionRejected":
      d.resolution = undefined;
      d.revisit = undefined;
      d.rejections += 1;
      d.round += 1;
      d.stage = "classified";
      return;
    case "ComplaintRevisited":
      d.revisit = {
        satisfaction: e.data.satisfaction,
        complainantConfirmed: e.data.complainantConfirmed,
        followUp: e.data.followUp,
      };
      d.stage = "revisited";
      return;
    case "ComplaintClosed":
      d.closure = { closedAt: e.occurredAt, outcome: e.data.outcome };
      d.waitingOnComplainant = false;
      d.stage = "closed";
      return;
    case "ComplaintReopened":
      d.stage = d.classification ? "classified" : "received";
      d.closure = undefined;
      d.resolution = undefined;
      d.revisit = undefined;
      d.cycle = e.data.cycle;
      d.round += 1;
      d.accountabilityRecorded = false;
      d.regulatorInformed = false;
      d.accountabilityRequired = e.data.reason === "handled-badly" && d.validity === "valid";
      return;
    case "ComplaintWithdrawn":
      d.validity = "not-established";
      return;
    case "DeadlineExtended":
      d.extensions += 1;
      return;
    case "WaitingOnComplainantStarted":
      d.waitingOnComplainant = true;
      return;
    case "WaitingOnComplainantEnded":
      d.waitingOnComplainant = false;
      return;
    case "CorrectiveActionPlanned":
      d.correctiveActions = [...d.correctiveActions, { actionId: e.data.actionId, status: "planned" }];
      return;
    case "CorrectiveActionImplemented":
      d.correctiveActions = updateAction(d.correctiveActions, e.data.actionId, { status: "implemented" });
      return;
    case "CorrectiveActionVerified":
      d.correctiveActions = updateAction(d.correctiveActions, e.data.actionId, {
        status: "verified",
        effective: e.data.effective,
      });
      return;
    case "AccountabilityRecorded":
      d.accountabilityRecorded = true;
      return;
    case "RegulatorInformed":
      d.regulatorInformed = true;
      return;
    case "PolicyChanged":
      d.policy = e.data.to;
      return;
    default:
      assertNever(e);
  }
}

function updateAction(
  actions: readonly CorrectiveActionState[],
  actionId: string,
  patch: Partial<CorrectiveActionState>,
): CorrectiveActionState[] {
  return actions.map((a) => (a.actionId === actionId ? { ...a, ...patch } : a));
}

/** Exhaustiveness check: adding an event type breaks the build where it is not handled. */
export function assertNever(value: never): never {
  throw new Error(`unhandled value: ${JSON.stringify(value)}`);
}
