import { z } from "zod";
import { EventData, FindingsSchema, PolicyRefSchema, SubjectSchema } from "./events.js";
import {
  ActorSchema,
  CauseClassSchema,
  ChannelSchema,
  DurationSchema,
  EscalationLevelSchema,
  InstantSchema,
  KindSchema,
  LocalDateSchema,
  LongText,
  MoneySchema,
  PartySchema,
  PersonalDataSchema,
  RemedySchema,
  SatisfactionSchema,
  ShortText,
} from "./values.js";

/**
 * Fields every command may carry. `commandId` makes handling idempotent (a retried intake with
 * the same e-mail Message-ID or webhook delivery id appends once); `occurredAt` lets an importer
 * replay history with its original timestamps (default: the context clock).
 */
const commandShape = {
  commandId: ShortText.optional(),
  // Year 0000 is valid ISO 8601 but PostgreSQL refuses it, and case numbers would print it as year 1.
  occurredAt: InstantSchema.refine(
    (at) => !at.startsWith("0000-"),
    "year 0000 is before the first year (0001)",
  ).optional(),
  correlationId: ShortText.optional(),
  causationId: ShortText.optional(),
};

function command<T extends string, S extends z.ZodRawShape>(type: T, shape: S) {
  return z.strictObject({ type: z.literal(type), ...commandShape, ...shape });
}

/** R-02 registration. Omit `personalData` (or set `anonymous`) for an anonymous complaint. */
export const ReceiveComplaint = command("ReceiveComplaint", {
  caseNumber: ShortText.optional(),
  channel: ChannelSchema,
  complainant: z.strictObject({ id: ShortText, anonymous: z.boolean().default(false) }),
  personalData: PersonalDataSchema.nullable().default(null),
  subject: SubjectSchema.default({}),
  description: LongText,
  request: LongText.optional(),
  complainedAbout: PartySchema.optional(),
  tags: z.array(ShortText).default([]),
  externalRef: ShortText.optional(),
});
export const UpdateComplainantContact = command("UpdateComplainantContact", {
  personalData: PersonalDataSchema.nullable(),
});
/** R-03 tell the complainant who handles it and by when. */
export const AcknowledgeReceipt = command("AcknowledgeReceipt", {
  handler: PartySchema,
  expectedResponseBy: InstantSchema,
  channel: ChannelSchema,
});
export const ClassifyComplaint = command("ClassifyComplaint", {
  kind: KindSchema,
  category: ShortText,
  severity: ShortText.optional(),
  causeClass: CauseClassSchema.optional(),
  tags: z.array(ShortText).default([]),
});
/** R-25 severity changes re-evaluate the running clocks. */
export const ChangeSeverity = command("ChangeSeverity", { severity: ShortText, reason: LongText });
/** R-05 route to the responsible unit; a second assignment is a re-assignment. */
export const AssignComplaint = command("AssignComplaint", {
  assignee: PartySchema,
  reason: LongText.optional(),
});
/** R-06 the assignee acknowledges the hand-over; until then the first responder owns the case. */
export const AcceptAssignment = command("AcceptAssignment", {});
/** R-26 escalation to level 2 or 3. */
export const EscalateComplaint = command("EscalateComplaint", {
  toLevel: EscalationLevelSchema,
  reason: LongText,
  clock: ShortText.optional(),
  automatic: z.boolean().default(false),
});
/** R-07 record the findings, including validity. */
export const RecordInvestigation = command("RecordInvestigation", { findings: FindingsSchema });
/** R-08 propose a remedy; `approvedBy` is a superior whose authority covers its value. */
export const ProposeResolution = command("ProposeResolution", {
  remedy: RemedySchema,
  approvedBy: ActorSchema.optional(),
});
/** R-04 settle a simple matter at once: records classification, the remedy and its acceptance. */
export const ResolveOnTheSpot = command("ResolveOnTheSpot", {
  kind: KindSchema.default("complaint"),
  category: ShortText,
  severity: ShortText.optional(),
  remedy: RemedySchema,
});
export const AcceptResolution = command("AcceptResolution", {});
/** R-09 the complainant rejects the remedy: back to investigation, one more round. */
export const RejectResolution = command("RejectResolution", { reason: LongText });
/** R-10 revisit (回访) with the 90/80/70/60 scale. */
export const RecordRevisit = command("RecordRevisit", {
  satisfaction: SatisfactionSchema,
  comment: LongText.optional(),
  complainantConfirmed: z.boolean().default(false),
  followUp: z.boolean().default(false),
});
/** close the case. */
export const CloseComplaint = command("CloseComplaint", {
  summary: LongText.optional(),
  staffEducated: z.boolean().default(false),
});
/** R-12 the complainant comes back on the same matter. */
export const ReopenComplaint = command("ReopenComplaint", {
  reason: EventData.ComplaintReopened.shape.reason,
  description: LongText,
});
/** R-13 withdrawal (撤诉): both sides at fault, the complainant mainly. */
export const WithdrawComplaint = command("WithdrawComplaint", {
  reason: LongText,
  complainantMainlyAtFault: z.boolean(),
});
/** R-14 an extension needs an approver, a reason, and the complainant told. */
export const ExtendDeadline = command("ExtendDeadline", {
  clock: ShortText,
  extension: DurationSchema,
  reason: LongText,
  approvedBy: ActorSchema,
  complainantNotified: z.boolean(),
});
export const ReportProgress = command("ReportProgress", { message: LongText, channel: ChannelSchema });
/** R-23 the clock pauses while waiting on the complainant. */
export const StartWaitingOnComplainant = command("StartWaitingOnComplainant", { reason: LongText });
export const EndWaitingOnComplainant = command("EndWaitingOnComplainant", { note: LongText.optional() });
/** R-31 corrective and preventive action. */
export const PlanCorrectiveAction = command("PlanCorrectiveAction", {
  actionId: ShortText,
  description: LongText,
  owner: PartySchema,
  dueDate: LocalDateSchema.optional(),
  preventive: z.boolean().default(false),
});
export const RecordCorrectiveActionImplemented = command("RecordCorrectiveActionImplemented", {
  actionId: ShortText,
  note: LongText.optional(),
});
export const VerifyCorrectiveAction = command("VerifyCorrectiveAction", {
  actionId: ShortText,
  effective: z.boolean(),
  note: LongText.optional(),
});
/** R-29 the responsible unit or person and the measure taken. */
export const RecordAccountability = command("RecordAccountability", {
  responsible: PartySchema,
  measure: LongText,
  penalty: MoneySchema.optional(),
});
/** R-32 report the outcome back to the regulator that forwarded the complaint. */
export const InformRegulator = command("InformRegulator", {
  regulator: ShortText,
  summary: LongText,
  reference: ShortText.optional(),
});
/** Apply another policy (or version) to an open case; closed cases are never rewritten. */
export const ChangePolicy = command("ChangePolicy", { to: PolicyRefSchema, reason: LongText });

/** Every command, discriminated on `type`. Parse untrusted input with {@link parseCommand}. */
export const CommandSchema = z.discriminatedUnion("type", [
  ReceiveComplaint,
  UpdateComplainantContact,
  AcknowledgeReceipt,
  ClassifyComplaint,
  ChangeSeverity,
  AssignComplaint,
  AcceptAssignment,
  EscalateComplaint,
  RecordInvestigation,
  ProposeResolution,
  ResolveOnTheSpot,
  AcceptResolution,
  RejectResolution,
  RecordRevisit,
  CloseComplaint,
  ReopenComplaint,
  WithdrawComplaint,
  ExtendDeadline,
  ReportProgress,
  StartWaitingOnComplainant,
  EndWaitingOnComplainant,
  PlanCorrectiveAction,
  RecordCorrectiveActionImplemented,
  VerifyCorrectiveAction,
  RecordAccountability,
  InformRegulator,
  ChangePolicy,
]);

/** A parsed command (defaults filled). */
export type Command = z.infer<typeof CommandSchema>;
/** What a caller writes: defaults may be left out. */
export type CommandInput = z.input<typeof CommandSchema>;
/** Every command type name. */
export type CommandType = Command["type"];
/** The parsed command of one type. */
export type CommandOf<T extends CommandType> = Extract<Command, { type: T }>;
/** Every command type name, in the order of {@link CommandSchema}. */
export const COMMAND_TYPES = CommandSchema.options.map((o) => o.shape.type.value) as CommandType[];
