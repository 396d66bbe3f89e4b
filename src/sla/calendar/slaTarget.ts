import { z } from "zod";

/** Zod schema of {@link SlaUnit}. */
export const slaUnitSchema = z.enum([
  "calendar-hours",
  "calendar-days",
  "working-days",
  "working-hours",
  "end-of-next-working-day",
]);

/**
 * A unit a time limit can be written in (DOMAIN §3).
 * - `calendar-hours` — elapsed hours (24 h).
 * - `calendar-days` — days of the calendar, counted by the calendar's conventions (Civil Code
 *   arts. 201-203 by default: from the next day, ending on a working day at close of business).
 * - `working-days` — working days (工作日), 调休 days included, ending at close of business.
 * - `working-hours` — time inside working intervals only (lunch breaks and days off excluded).
 * - `end-of-next-working-day` — close of business of the `amount`-th working day after the day of
 *   receipt, whatever the time of receipt; `amount: 0` is the end of the working day in progress.
 */
export type SlaUnit = z.infer<typeof slaUnitSchema>;

/** Zod schema of a time limit: an amount and a unit. Day counts must be whole numbers. */
export const slaTargetSchema = z
  .strictObject({ amount: z.number().finite().nonnegative(), unit: slaUnitSchema })
  .refine((target) => Number.isInteger(target.amount) || target.unit.endsWith("hours"), {
    error: "day counts must be whole numbers",
    path: ["amount"],
  });

/**
 * A time limit, e.g. `{ amount: 3, unit: "working-days" }`.
 *
 * @example
 * const firstOpinion: SlaTarget = { amount: 3, unit: "working-days" }; // retail, complex (000:403)
 */
export type SlaTarget = z.infer<typeof slaTargetSchema>;
