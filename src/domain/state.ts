import type { Findings, PolicyRef } from "./events.js";
import type { CaseNumber, ComplaintId } from "./ids.js";
import type { Channel, EscalationLevel, Kind, Party, Remedy, Satisfaction, Validity } from "./values.js";

/** Where a complaint is in its lifecycle. */
export type Stage = ComplaintState["stage"];

/** What the classification step decided. */
export interface Classification {
  readonly kind: Kind;
  readonly severity: string;
  readonly category: string;
  readonly routedTo?: string | undefined;
  readonly tags: readonly string[];
}

/** The remedy on the table in this round and whether the complainant accepted it. */
export interface ResolutionState {
  readonly round: number;
  readonly remedy: Remedy;
  readonly onTheSpot: boolean;
  readonly status: "proposed" | "accepted";
}

/** The latest revisit. */
export interface RevisitState {
  readonly satisfaction: Satisfaction;
  readonly complainantConfirmed: boolean;
  readonly followUp: boolean;
}

/** R-31 one corrective or preventive action. */
export interface CorrectiveActionState {
  readonly actionId: string;
  readonly status: "planned" | "implemented" | "verified";
  readonly effective?: boolean | undefined;
}

/** How and when the case was closed. */
export interface ClosureState {
  readonly closedAt: string;
  readonly outcome: "resolved" | "explained" | "answered" | "acknowledged" | "not-established";
}

/** Facts every registered complaint has, whatever its stage. */
export interface ComplaintBase {
  readonly streamId: ComplaintId;
  readonly version: number;
  readonly caseNumber: CaseNumber;
  readonly receivedAt: string;
  readonly updatedAt: string;
  readonly channel: Channel;
  readonly complainantId: string;
  readonly anonymous: boolean;
  readonly complainedAbout?: Party | undefined;
  readonly tags: readonly string[];
  readonly policy: PolicyRef;
  /** the first responder, until a hand-over is acknowledged. */
  readonly owner: Party;
  /** an assignee who has not yet acknowledged the hand-over. */
  readonly pendingAssignee?: Party | undefined;
  /** How many assignments were made (the first is `ComplaintAssigned`, later ones re-assignments). */
  readonly assignments: number;
  readonly acknowledged: boolean;
  readonly escalationLevel: EscalationLevel;
  /** 1, then +1 for every reopen. */
  readonly cycle: number;
  /** Investigation round: 1, then +1 for every rejected resolution. */
  readonly round: number;
  readonly rejections: number;
  readonly validity?: Validity | undefined;
  readonly waitingOnComplainant: boolean;
  readonly correctiveActions: readonly CorrectiveActionState[];
  /** Accountability recorded in the current cycle. */
  readonly accountabilityRecorded: boolean;
  /** a valid complaint reopened because it was handled badly needs accountability. */
  readonly accountabilityRequired: boolean;
  /** the outcome was reported to the regulator in the current cycle. */
  readonly regulatorInformed: boolean;
  readonly extensions: number;
}

/** No `ComplaintReceived` yet. */
export interface NoComplaint {
  readonly stage: "none";
  readonly streamId: ComplaintId;
  readonly version: 0;
}
export interface ReceivedComplaint extends ComplaintBase {
  readonly stage: "received";
}
export interface ClassifiedComplaint extends ComplaintBase {
  readonly stage: "classified";
  readonly classification: Classification;
  /** Findings of an earlier round, when a resolution was rejected or the case reopened. */
  readonly findings?: Findings | undefined;
}
export interface InvestigatedComplaint extends ComplaintBase {
  readonly stage: "investigated";
  readonly classification: Classification;
  readonly findings: Findings;
}
export interface ResolvedComplaint extends ComplaintBase {
  readonly stage: "resolved";
  readonly classification: Classification;
  readonly findings?: Findings | undefined;
  readonly resolution: ResolutionState;
}
export interface RevisitedComplaint extends ComplaintBase {
  readonly stage: "revisited";
  readonly classification: Classification;
  readonly findings?: Findings | undefined;
  readonly resolution: ResolutionState;
  readonly revisit: RevisitState;
}
export interface ClosedComplaint extends ComplaintBase {
  readonly stage: "closed";
  readonly classification?: Classification | undefined;
  readonly findings?: Findings | undefined;
  readonly resolution?: ResolutionState | undefined;
  readonly revisit?: RevisitState | undefined;
  readonly closure: ClosureState;
}

/** A complaint as folded from its events: a union on `stage`. */
export type ComplaintState =
  | NoComplaint
  | ReceivedComplaint
  | ClassifiedComplaint
  | InvestigatedComplaint
  | ResolvedComplaint
  | RevisitedComplaint
  | ClosedComplaint;

/** A registered complaint (any stage but `none`). */
export type RegisteredComplaint = Exclude<ComplaintState, NoComplaint>;
/** A complaint that is registered and not closed. */
export type OpenComplaint = Exclude<RegisteredComplaint, ClosedComplaint>;

/** The state of a stream with no events. */
export function initialState(streamId: ComplaintId): NoComplaint {
  return { stage: "none", streamId, version: 0 };
}

/** Is the complaint registered and not closed? */
export function isOpen(state: ComplaintState): state is OpenComplaint {
  return state.stage !== "none" && state.stage !== "closed";
}

/** Has the complaint been registered? */
export function isRegistered(state: ComplaintState): state is RegisteredComplaint {
  return state.stage !== "none";
}
