import { z } from "zod";

/** A complaint's stream id: a ULID, never shown to the complainant. */
export type ComplaintId = string & { readonly __brand: "ComplaintId" };
/** The human-readable, policy-formatted case number, e.g. `2026-11-0042`. */
export type CaseNumber = string & { readonly __brand: "CaseNumber" };

const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

/** Zod schema for a stream id (a ULID). */
export const ComplaintIdSchema = z
  .string()
  .regex(ULID, "must be a ULID (26 Crockford base-32 characters)")
  .transform((value) => value as ComplaintId);

/** Zod schema for a case number. */
export const CaseNumberSchema = z
  .string()
  .min(1)
  .max(64)
  .transform((value) => value as CaseNumber);

/** Is `value` a syntactically valid stream id? */
export function isComplaintId(value: unknown): value is ComplaintId {
  return typeof value === "string" && ULID.test(value);
}

/**
 * Brands a string as a {@link ComplaintId}; throws a `TypeError` when it is not a ULID.
 * @example const id = complaintId("01JD3Q5ZK9W6Y2R8V4T7N0M1PX");
 */
export function complaintId(value: string): ComplaintId {
  if (!isComplaintId(value)) throw new TypeError(`not a complaint id (ULID): ${JSON.stringify(value)}`);
  return value;
}

/** Brands a string as a {@link CaseNumber}. */
export function caseNumber(value: string): CaseNumber {
  return value as CaseNumber;
}
