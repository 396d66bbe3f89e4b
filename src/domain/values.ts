import { z } from "zod";

/** An instant as an ISO-8601 UTC string with milliseconds, e.g. `2026-02-13T08:00:00.000Z`. */
export const InstantSchema = z.iso.datetime({ precision: 3 });
/** A civil date `YYYY-MM-DD`. */
export const LocalDateSchema = z.iso.date();

const text = (max: number) => z.string().trim().min(1).max(max);
/** Short free text (names, units, ids). */
export const ShortText = text(200);
/** Long free text (descriptions, findings). */
export const LongText = text(20_000);

/**
 * Who did it: every event records the acting user. `role` is matched against the policy's
 * authority table and escalation ladder; `unit` is the department.
 */
export const ActorSchema = z.strictObject({ id: ShortText, role: ShortText, unit: ShortText });
/** The acting user recorded on every event: `id`, `role` (matched against the policy's authority table and escalation ladder) and `unit`. */
export type Actor = z.infer<typeof ActorSchema>;

/** A person or department that owns, handles or answers for a complaint. */
export const PartySchema = z.strictObject({ id: ShortText.optional(), unit: ShortText });
/** A person (`id`, optional) in a unit, or the unit alone. */
export type Party = z.infer<typeof PartySchema>;

/** How a complaint arrived. `regulator` means forwarded by a regulator. */
export const CHANNELS = [
  "phone",
  "hotline",
  "letter",
  "email",
  "fax",
  "walk-in",
  "on-site",
  "online-form",
  "suggestion-box",
  "regulator",
  "referral",
  "media",
  "internal",
] as const;
export const ChannelSchema = z.enum(CHANNELS);
/** How a complaint arrived: one of {@link CHANNELS}. */
export type Channel = z.infer<typeof ChannelSchema>;

/** complaint (投诉), inquiry (咨询), suggestion (建议). */
export const KINDS = ["complaint", "inquiry", "suggestion"] as const;
export const KindSchema = z.enum(KINDS);
/** Complaint, inquiry or suggestion: one of {@link KINDS}. */
export type Kind = z.infer<typeof KindSchema>;

/** valid (有效), invalid (无效), not established (不成立, after a withdrawal R-13). */
export const VALIDITIES = ["valid", "invalid", "not-established"] as const;
export const ValiditySchema = z.enum(VALIDITIES);
/** Whether a complaint was found valid: one of {@link VALIDITIES}. */
export type Validity = z.infer<typeof ValiditySchema>;

/** quality anomaly, non-quality (human factor, disaster, attitude, slow reply), other. */
export const CauseClassSchema = z.enum(["quality", "non-quality", "other"]);
/** The class of cause: `quality`, `non-quality` or `other`. */
export type CauseClass = z.infer<typeof CauseClassSchema>;

/** R-08 remedies: 解释/道歉, 替代品, 退货, 换货, 减价, 免费维修, 赔偿 (001:381), plus a plain answer. */
export const REMEDY_KINDS = [
  "explanation",
  "apology",
  "answer",
  "substitute",
  "return",
  "exchange",
  "price-reduction",
  "free-repair",
  "compensation",
] as const;
export const RemedyKindSchema = z.enum(REMEDY_KINDS);
/** One kind of remedy: one of {@link REMEDY_KINDS}. */
export type RemedyKind = z.infer<typeof RemedyKindSchema>;

/** A money amount; never negative, never NaN. */
export const MoneySchema = z.strictObject({
  amount: z.number().finite().nonnegative(),
  currency: z.string().regex(/^[A-Z]{3}$/, "must be an ISO 4217 code such as CNY"),
});
/** An amount (never negative) in an ISO 4217 currency. */
export type Money = z.infer<typeof MoneySchema>;

/** what the organisation offers. `value` is what R-27 checks against the actor's authority. */
export const RemedySchema = z.strictObject({
  kinds: z.array(RemedyKindSchema).min(1),
  description: LongText,
  value: MoneySchema.optional(),
});
/** What the organisation offers: its kinds, a description and, for R-27, its value. */
export type Remedy = z.infer<typeof RemedySchema>;

/** the 满意 90 / 较满意 80 / 一般 70 / 较差 60 scale of 004:25. */
export const SATISFACTION_SCORES = [90, 80, 70, 60] as const;
export const SatisfactionSchema = z.union([z.literal(90), z.literal(80), z.literal(70), z.literal(60)]);
/** A revisit score: one of {@link SATISFACTION_SCORES}. */
export type Satisfaction = z.infer<typeof SatisfactionSchema>;
/** The Chinese label of each satisfaction score: 满意, 较满意, 一般, 较差. */
export const SATISFACTION_LABELS: Readonly<Record<Satisfaction, string>> = {
  90: "满意",
  80: "较满意",
  70: "一般",
  60: "较差",
};

/**
 * The complainant's personal data. It lives in exactly one field of `ComplaintReceived`
 * and `ComplainantContactChanged`, so it can be encrypted per complainant and erased by destroying
 * the key (crypto-shredding) without rewriting any other part of the history.
 */
export const PersonalDataSchema = z.strictObject({
  name: ShortText.optional(),
  phone: ShortText.optional(),
  email: ShortText.optional(),
  address: text(1_000).optional(),
});
/** The complainant's name, phone, e-mail and address, each optional. */
export type PersonalData = z.infer<typeof PersonalDataSchema>;

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, "must be base64");

/**
 * Personal data sealed with AES-256-GCM under the complainant's own key: what an
 * encrypted store writes instead of {@link PersonalDataSchema}. `keyId` names the key in the key
 * store; `iv`, `tag` and `ciphertext` are base64. Opening it needs that key; once the key is
 * destroyed, the value can only read as {@link ErasedPersonalDataSchema}.
 */
export const SealedPersonalDataSchema = z.strictObject({
  sealed: z.strictObject({
    v: z.literal(1),
    alg: z.literal("A256GCM"),
    keyId: ShortText,
    iv: base64.length(16),
    tag: base64.length(24),
    ciphertext: base64.min(4),
  }),
});
/** Personal data sealed with AES-256-GCM under the complainant's key, as an encrypted store writes it. */
export type SealedPersonalData = z.infer<typeof SealedPersonalDataSchema>;

/**
 * What a read shows where the complainant's key was destroyed (crypto-shredding): the data is
 * gone for good, the rest of the history stays.
 */
export const ErasedPersonalDataSchema = z.strictObject({ erased: z.literal(true) });
/** What personal data reads as once the complainant's key was destroyed. */
export type ErasedPersonalData = z.infer<typeof ErasedPersonalDataSchema>;

/**
 * The personal-data field of an event: plain, sealed (as stored by an encrypted store) or
 * erased (read after the key was destroyed).
 */
export const PersonalDataFieldSchema = z.union([
  PersonalDataSchema,
  SealedPersonalDataSchema,
  ErasedPersonalDataSchema,
]);
/** The personal-data field of an event: plain, sealed or erased. */
export type PersonalDataField = z.infer<typeof PersonalDataFieldSchema>;

/** The escalation ladder of R-26: 1 front line, 2 department head, 3 senior management. */
export const EscalationLevelSchema = z.union([z.literal(1), z.literal(2), z.literal(3)]);
/** The escalation level: 1 front line, 2 department head, 3 senior management. */
export type EscalationLevel = z.infer<typeof EscalationLevelSchema>;

/** An SLA target: amount and unit (the calendar turns it into a due instant). */
export const DurationSchema = z.strictObject({
  amount: z.number().finite().positive(),
  unit: z.enum([
    "calendar-hours",
    "calendar-days",
    "working-days",
    "working-hours",
    "end-of-next-working-day",
  ]),
});
/** An SLA target or extension: an amount and its unit. */
export type Duration = z.infer<typeof DurationSchema>;
