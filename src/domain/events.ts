import { z } from "zod";
import { currentSchemaVersion, type TooNewSchemaVersion, upcastEvent } from "./upcasters.js";
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
  PersonalDataFieldSchema,
  RemedySchema,
  SatisfactionSchema,
  ShortText,
  ValiditySchema,
} from "./values.js";

/** The policy (and its version) a case is judged by; recorded on the stream for faithful replay. */
export const PolicyRefSchema = z.strictObject({
  id: ShortText,
  version: ShortText,
  /** The business calendar (and its data version) the SLA clocks were judged on. */
  calendar: z.strictObject({ id: ShortText, version: ShortText }).optional(),
});
/** The policy (and its version) a case is judged by, with the calendar its clocks run on. */
export type PolicyRef = z.infer<typeof PolicyRefSchema>;

/** R-02 product complaint subject fields (003:89, 001:110). All optional: many complaints are about service. */
export const SubjectSchema = z.strictObject({
  product: ShortText.optional(),
  orderNumber: ShortText.optional(),
  itemNumber: ShortText.optional(),
  quantity: z.number().int().nonnegative().optional(),
  defectQuantity: z.number().int().nonnegative().optional(),
  deliveryDate: LocalDateSchema.optional(),
  purchaseDate: LocalDateSchema.optional(),
});

/** R-07 / 000:793-797: the inspection report of a product complaint. */
export const InspectionReportSchema = z.strictObject({
  background: LongText,
  itemsInspected: LongText,
  analysis: LongText,
  correctiveAction: LongText,
  verification: LongText,
});

/** R-07 findings of an investigation. */
export const FindingsSchema = z.strictObject({
  facts: LongText,
  evidence: z.array(ShortText).default([]),
  rootCause: LongText.optional(),
  responsible: PartySchema.optional(),
  validity: ValiditySchema.exclude(["not-established"]),
  inspectionReport: InspectionReportSchema.optional(),
});
/** The findings of an investigation: facts, evidence, root cause, responsibility, validity. */
export type Findings = z.infer<typeof FindingsSchema>;

/**
 * R-30 五不放过 (002:442) as judged when the case closed. A gate that was not judged is absent:
 * closing on the spot, on a withdrawal or an inquiry judges none, and an event written before
 * schemaVersion 2 holds only `educated`, the gate the closer states.
 */
export const ClosureGatesRecordSchema = z.strictObject({
  /** 问题及其原因没有查明不放过: a root cause is recorded. */
  causeFound: z.boolean().optional(),
  /** 问题得不到有效解决不放过: the complainant accepted the remedy or confirmed at the revisit. */
  solved: z.boolean().optional(),
  /** 无整改措施不放过: corrective actions exist and all were verified effective. */
  measuresInPlace: z.boolean().optional(),
  /** 责任人不受到责任追究不放过: accountability recorded. */
  accountable: z.boolean().optional(),
  /** 有关人员没有得到启示和教育不放过: the closer states staff were educated. */
  educated: z.boolean().optional(),
});
/** The closure gates judged when a case closed; a gate not judged is absent. */
export type ClosureGatesRecord = z.infer<typeof ClosureGatesRecordSchema>;

/** Event payloads, one schema each. Keys are the event `type`s. */
export const EventData = {
  ComplaintReceived: z.object({
    caseNumber: ShortText,
    channel: ChannelSchema,
    complainant: z.object({ id: ShortText, anonymous: z.boolean() }),
    /**
     * The one place for the complainant's personal data; null when anonymous.
     * Sealed when written through an encrypted store, erased once its key is destroyed.
     */
    personalData: PersonalDataFieldSchema.nullable(),
    subject: SubjectSchema,
    description: LongText,
    request: LongText.optional(),
    complainedAbout: PartySchema.optional(),
    tags: z.array(ShortText).default([]),
    externalRef: ShortText.optional(),
    policy: PolicyRefSchema,
  }),
  ComplainantContactChanged: z.object({
    complainantId: ShortText,
    personalData: PersonalDataFieldSchema.nullable(),
  }),
  ReceiptAcknowledged: z.object({
    handler: PartySchema,
    expectedResponseBy: InstantSchema,
    channel: ChannelSchema,
  }),
  ComplaintClassified: z.object({
    kind: KindSchema,
    severity: ShortText,
    category: ShortText,
    causeClass: CauseClassSchema.optional(),
    /** Id of the policy severity rule that set or raised the severity, if any. */
    severityRule: ShortText.optional(),
    /** the unit the policy routes this category to. */
    routedTo: ShortText.optional(),
    tags: z.array(ShortText).default([]),
  }),
  SeverityChanged: z.object({
    from: ShortText,
    to: ShortText,
    reason: LongText,
    severityRule: ShortText.optional(),
  }),
  ComplaintAssigned: z.object({ assignee: PartySchema, reason: LongText.optional() }),
  ComplaintReassigned: z.object({ from: PartySchema, to: PartySchema, reason: LongText }),
  AssignmentAccepted: z.object({ assignee: PartySchema }),
  ComplaintEscalated: z.object({
    fromLevel: EscalationLevelSchema,
    toLevel: EscalationLevelSchema,
    reason: LongText,
    /** The SLA clock whose breach or risk triggered it, for automatic escalations. */
    clock: ShortText.optional(),
    automatic: z.boolean(),
  }),
  ComplaintInvestigated: z.object({ round: z.number().int().positive(), findings: FindingsSchema }),
  ComplaintResolved: z.object({
    round: z.number().int().positive(),
    remedy: RemedySchema,
    onTheSpot: z.boolean(),
    approvedBy: ActorSchema.optional(),
  }),
  ResolutionAccepted: z.object({ round: z.number().int().positive(), onTheSpot: z.boolean() }),
  ResolutionRejected: z.object({ round: z.number().int().positive(), reason: LongText }),
  ComplaintRevisited: z.object({
    satisfaction: SatisfactionSchema,
    comment: LongText.optional(),
    /** R-11 谁投诉谁关闭: the complainant confirms the matter can be closed. */
    complainantConfirmed: z.boolean(),
    followUp: z.boolean(),
  }),
  /** schemaVersion 2: `gates` replaced v1's `staffEducated` (see `UPCASTERS`). */
  ComplaintClosed: z.object({
    outcome: z.enum(["resolved", "explained", "answered", "acknowledged", "not-established"]),
    summary: LongText.optional(),
    gates: ClosureGatesRecordSchema,
  }),
  ComplaintReopened: z.object({
    reason: z.enum(["complainant-returned", "handled-badly", "new-information"]),
    description: LongText,
    cycle: z.number().int().min(2),
  }),
  ComplaintWithdrawn: z.object({ reason: LongText }),
  DeadlineExtended: z.object({
    clock: ShortText,
    extension: DurationSchema,
    reason: LongText,
    approvedBy: ActorSchema,
    complainantNotified: z.literal(true),
  }),
  ProgressReported: z.object({ message: LongText, channel: ChannelSchema }),
  WaitingOnComplainantStarted: z.object({ reason: LongText }),
  WaitingOnComplainantEnded: z.object({ note: LongText.optional() }),
  CorrectiveActionPlanned: z.object({
    actionId: ShortText,
    description: LongText,
    owner: PartySchema,
    dueDate: LocalDateSchema.optional(),
    preventive: z.boolean(),
  }),
  CorrectiveActionImplemented: z.object({ actionId: ShortText, note: LongText.optional() }),
  CorrectiveActionVerified: z.object({
    actionId: ShortText,
    effective: z.boolean(),
    note: LongText.optional(),
  }),
  AccountabilityRecorded: z.object({
    responsible: PartySchema,
    measure: LongText,
    penalty: MoneySchema.optional(),
  }),
  RegulatorInformed: z.object({ regulator: ShortText, summary: LongText, reference: ShortText.optional() }),
  PolicyChanged: z.object({ from: PolicyRefSchema, to: PolicyRefSchema, reason: LongText }),
} as const;

/** Every event type name. */
export type ComplaintEventType = keyof typeof EventData;
/** Every event type name, in the order of {@link EventData}. */
export const EVENT_TYPES = Object.keys(EventData) as ComplaintEventType[];

/**
 * The schema version each event type is written with today (most are at 1; `ComplaintClosed`
 * is at 2). Stored events of older versions are upcast on read, see `UPCASTERS`.
 */
export const CURRENT_SCHEMA_VERSIONS: Readonly<Record<ComplaintEventType, number>> = Object.fromEntries(
  EVENT_TYPES.map((type) => [type, currentSchemaVersion(type)]),
) as Record<ComplaintEventType, number>;

/** Request tracing carried by every event. */
export const EventMetadataSchema = z.object({
  correlationId: ShortText,
  causationId: ShortText,
  commandId: ShortText,
});
/** The tracing ids of an event: the correlation, the cause and the command that wrote it. */
export type EventMetadata = z.infer<typeof EventMetadataSchema>;

const envelopeShape = {
  id: z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, "must be a ULID"),
  streamId: z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, "must be a ULID"),
  version: z.number().int().positive(),
  occurredAt: InstantSchema,
  recordedAt: InstantSchema,
  actor: ActorSchema,
  metadata: EventMetadataSchema,
  schemaVersion: z.number().int().positive(),
};

type EnvelopeOf<T extends ComplaintEventType> = z.ZodObject<
  typeof envelopeShape & { type: z.ZodLiteral<T>; data: (typeof EventData)[T] }
>;

// `schemaVersion` must be the type's current one: older rows are upcast before they get here.
function envelopeOf<T extends ComplaintEventType>(type: T): EnvelopeOf<T> {
  return z.object({
    ...envelopeShape,
    schemaVersion: z.literal(CURRENT_SCHEMA_VERSIONS[type]),
    type: z.literal(type),
    data: EventData[type],
  }) as unknown as EnvelopeOf<T>;
}

type EnvelopeTuple = { [K in ComplaintEventType]: EnvelopeOf<K> }[ComplaintEventType];

/**
 * The schema of one complaint event as written to a stream: the envelope (`id`, `streamId`,
 * `version`, `occurredAt`, `recordedAt`, `actor`, `metadata`, `schemaVersion`) discriminated on `type`.
 */
export const ComplaintEventSchema = z.discriminatedUnion(
  "type",
  EVENT_TYPES.map(envelopeOf) as unknown as [EnvelopeTuple, ...EnvelopeTuple[]],
);

/** A complaint event (any type). Narrow on `type`. */
export type ComplaintEvent = z.infer<typeof ComplaintEventSchema>;
/** The event of one type. */
export type EventOf<T extends ComplaintEventType> = Extract<ComplaintEvent, { type: T }>;
/** A persisted event: the store has assigned its global `position`. */
export type RecordedEvent = ComplaintEvent & { readonly position: number };

/** The result of checking an untrusted value (a database row, a message) against the event schema. */
export type EventParseResult =
  | { readonly ok: true; readonly event: ComplaintEvent }
  | {
      readonly ok: false;
      readonly issues: string;
      /** Set when the event was written by a newer kesu: report it, never skip or guess. */
      readonly tooNew?: TooNewSchemaVersion | undefined;
    };

const isEventType = (type: string) => Object.hasOwn(EventData, type);

/**
 * Validates an untrusted value as a complaint event, at the boundary (rows out of a store).
 * Events of an older `schemaVersion` are first upcast to the current shape of their type; a
 * version newer than this release knows fails with `tooNew`. Never throws; the failure text
 * names each offending field path.
 */
export function parseComplaintEvent(value: unknown): EventParseResult {
  const upcast = upcastEvent(value, isEventType);
  if (!upcast.ok) return upcast;
  const result = ComplaintEventSchema.safeParse(upcast.value);
  if (result.success) return { ok: true, event: result.data };
  return { ok: false, issues: formatIssues(result.error) };
}

/** One line naming every failing field of a zod error: `data.channel: Invalid option …; version: …`. */
export function formatIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`).join("; ");
}
