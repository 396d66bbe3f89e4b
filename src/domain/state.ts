import type { Findings, PolicyRef } from "./events.js";
import type { CaseNumber, ComplaintId } from "./ids.js";
import type { Channel, EscalationLevel, Kind, Party, Remedy, Satisfaction, Validity } from "./values.js";

/** Where a complaint is in its lifecycle. */
export type Stage = ComplaintState["stage"];

/** What the classification step decided. */
export interface Classification {
  /** Complaint, inquiry or suggestion; the kind decides which clocks and gates apply. */
  readonly kind: Kind;
  /** One of the policy's severities: the one given or the default, raised by a matching severity rule; `ChangeSeverity` changes it. */
  readonly severity: string;
  /** A category id of the policy's taxonomy. */
  readonly category: string;
  /** The unit the category routes to, when the policy names one. */
  readonly routedTo?: string | undefined;
  /** Tags added when classifying, on top of those given at intake. */
  readonly tags: readonly string[];
}

/** The remedy on the table in this round and whether the complainant accepted it. */
export interface ResolutionState {
  /** The investigation round the remedy belongs to. */
  readonly round: number;
  /** What is offered. */
  readonly remedy: Remedy;
  /** Settled at once at first contact. */
  readonly onTheSpot: boolean;
  /** `accepted` once the complainant agreed; a rejection removes the resolution. */
  readonly status: "proposed" | "accepted";
}

/** The latest revisit. */
export interface RevisitState {
  /** The score on the 90/80/70/60 scale. */
  readonly satisfaction: Satisfaction;
  /** The complainant confirmed the outcome (谁投诉谁关闭, R-11). */
  readonly complainantConfirmed: boolean;
  /** The revisit found something still to follow up. */
  readonly followUp: boolean;
}

/** R-31 one corrective or preventive action. */
export interface CorrectiveActionState {
  /** The id given when the action was planned. */
  readonly actionId: string;
  /** Planned, then implemented, then verified. */
  readonly status: "planned" | "implemented" | "verified";
  /** Whether verification found it effective; absent until verified. */
  readonly effective?: boolean | undefined;
}

/** How and when the case was closed. */
export interface ClosureState {
  /** When the case was closed (ISO 8601). */
  readonly closedAt: string;
  /** How it ended; `not-established` for a withdrawal. */
  readonly outcome: "resolved" | "explained" | "answered" | "acknowledged" | "not-established";
}

/** Facts every registered complaint has, whatever its stage. */
export interface ComplaintBase {
  /** The complaint's stream. */
  readonly streamId: ComplaintId;
  /** The version of the last event folded. */
  readonly version: number;
  /** The case number people quote. */
  readonly caseNumber: CaseNumber;
  /** When the complaint was received (ISO 8601). */
  readonly receivedAt: string;
  /** When the last event occurred (ISO 8601). */
  readonly updatedAt: string;
  /** How the complaint came in. */
  readonly channel: Channel;
  /** The complainant's id in your system; contact details live in the events' personal data. */
  readonly complainantId: string;
  /** The complainant asked not to be identified. */
  readonly anonymous: boolean;
  /** The person or unit complained about, who may not handle the case. */
  readonly complainedAbout?: Party | undefined;
  /** Tags given at intake. */
  readonly tags: readonly string[];
  /** The policy (id and version) the case is handled under. */
  readonly policy: PolicyRef;
  /** the first responder, until a hand-over is acknowledged. */
  readonly owner: Party;
  /** an assignee who has not yet acknowledged the hand-over. */
  readonly pendingAssignee?: Party | undefined;
  /** How many assignments were made (the first is `ComplaintAssigned`, later ones re-assignments). */
  readonly assignments: number;
  /** The complainant was told who handles the case and by when. */
  readonly acknowledged: boolean;
  /** 1, or the level the case was escalated to. */
  readonly escalationLevel: EscalationLevel;
  /** 1, then +1 for every reopen. */
  readonly cycle: number;
  /** Investigation round: 1, then +1 for every rejected resolution. */
  readonly round: number;
  /** How many remedies the complainant rejected. */
  readonly rejections: number;
  /** Whether the complaint was found valid; absent until investigated. */
  readonly validity?: Validity | undefined;
  /** The clocks are paused while waiting on the complainant. */
  readonly waitingOnComplainant: boolean;
  /** Corrective and preventive actions. */
  readonly correctiveActions: readonly CorrectiveActionState[];
  /** Accountability recorded in the current cycle. */
  readonly accountabilityRecorded: boolean;
  /** a valid complaint reopened because it was handled badly needs accountability. */
  readonly accountabilityRequired: boolean;
  /** the outcome was reported to the regulator in the current cycle. */
  readonly regulatorInformed: boolean;
  /** How many deadline extensions were granted. */
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
/** A closed case; it keeps what it reached before closing, which depends on how it ended. */
export interface ClosedComplaint extends ComplaintBase {
  /** Always `closed`. */
  readonly stage: "closed";
  /** Absent when closed before classification (e.g. withdrawn). */
  readonly classification?: Classification | undefined;
  /** The findings of the last investigation round, if there was one. */
  readonly findings?: Findings | undefined;
  /** The remedy the case closed on, if any. */
  readonly resolution?: ResolutionState | undefined;
  /** The last revisit, if any. */
  readonly revisit?: RevisitState | undefined;
  /** When and how it was closed. */
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
