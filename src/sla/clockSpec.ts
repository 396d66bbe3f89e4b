import { z } from "zod";
import { type ComplaintEventType, EVENT_TYPES } from "../domain/events.js";
import { DurationSchema, KindSchema } from "../domain/values.js";

const EventTypeSchema = z.custom<ComplaintEventType>(
  (value) => typeof value === "string" && (EVENT_TYPES as string[]).includes(value),
  { message: `must be an event type (${EVENT_TYPES.join(", ")})` },
);

/** A target for one severity (and optionally one kind); the first matching row wins. */
export const ClockTargetSchema = z.object({
  severity: z.string().min(1).optional(),
  kind: KindSchema.optional(),
  target: DurationSchema,
});

/** What a clock does when it is at risk or breached: escalate to a level. */
export const ClockEscalationSchema = z.object({
  on: z.enum(["at-risk", "breached"]),
  toLevel: z.union([z.literal(1), z.literal(2), z.literal(3)]),
});

/**
 * An SLA clock of a policy: when it starts and stops, what pauses it, its target per
 * severity and kind, when it warns, and how it escalates. `after` chains it to another clock:
 * it starts when that one stops (002:128-132).
 */
export const ClockSpecSchema = z.object({
  id: z.string().min(1),
  label: z.string().min(1),
  /** Seed reference of the time limit, e.g. `000:403`. */
  source: z.string().optional(),
  /** Events that start the clock; may be empty when `after` chains it to another clock. */
  start: z.array(EventTypeSchema).default([]),
  stop: z.array(EventTypeSchema).min(1),
  pause: z.array(EventTypeSchema).default([]),
  resume: z.array(EventTypeSchema).default([]),
  after: z.string().min(1).optional(),
  targets: z.array(ClockTargetSchema).min(1),
  /** Fraction of the target after which the clock is "at risk" (e.g. 0.75). */
  warnAt: z.number().gt(0).lt(1).default(0.75),
  escalations: z.array(ClockEscalationSchema).default([]),
  /** Only cases of these kinds run this clock (default: every kind). */
  kinds: z.array(KindSchema).optional(),
});
/** An SLA clock of a policy, as {@link ClockSpecSchema} parses it. */
export type ClockSpec = z.infer<typeof ClockSpecSchema>;
/** An SLA clock as written: defaults may be left out. */
export type ClockSpecInput = z.input<typeof ClockSpecSchema>;
