import { z } from "zod";
import type { ComplaintEventType } from "./events.js";
import { LongText } from "./values.js";

/**
 * Turns the `data` of one event type from schema version `from` into version `from + 1`.
 * `data` is the old shape, frozen here as it was released: it checks a stored row before the
 * change is applied, so a damaged old row is reported in its own terms.
 */
export interface Upcaster {
  /** The event type it applies to. */
  readonly type: ComplaintEventType;
  /** The schema version it reads; it writes `from + 1`. */
  readonly from: number;
  /** Why the shape changed, for the changelog and for people reading old rows. */
  readonly reason: string;
  /** The `data` schema of version `from`, as released. */
  readonly data: z.ZodType;
  /** Converts `data` already checked against {@link Upcaster.data}; pure, it never reads anything else. */
  up(data: unknown): unknown;
}

// Frozen copy of ComplaintClosed as released with schemaVersion 1. Never edit it: rows written
// by that release still exist.
const ComplaintClosedV1 = z.object({
  outcome: z.enum(["resolved", "explained", "answered", "acknowledged", "not-established"]),
  summary: LongText.optional(),
  staffEducated: z.boolean(),
});

/**
 * Every upcaster, oldest first per type. An event type's current schema version is one more
 * than the number of upcasters it has, so adding one here is what moves a type forward.
 */
export const UPCASTERS: readonly Upcaster[] = [
  {
    type: "ComplaintClosed",
    from: 1,
    reason:
      "R-30 五不放过: v1 wrote `staffEducated: false` on every closure, including the ones no gate applies to " +
      "(on-the-spot, withdrawn, inquiries), which reads as 'staff not educated'. v2 records the gates judged " +
      "at closing in `gates`; a gate not judged is absent. A v1 event judged only the gate the closer states.",
    data: ComplaintClosedV1,
    up(data) {
      const { staffEducated, ...rest } = data as z.output<typeof ComplaintClosedV1>;
      return { ...rest, gates: { educated: staffEducated } };
    },
  },
];

/** The schema version each event type is written with; a type without upcasters is at 1. */
export function currentSchemaVersion(type: ComplaintEventType): number {
  let version = 1;
  for (const upcaster of UPCASTERS)
    if (upcaster.type === type) version = Math.max(version, upcaster.from + 1);
  return version;
}

/** The event was written by a newer kesu: its schema version for its type is above this release's. */
export interface TooNewSchemaVersion {
  /** The event's type. */
  readonly type: string;
  /** The schema version the event was written with. */
  readonly schemaVersion: number;
  /** The newest schema version of this type that this release knows. */
  readonly known: number;
}

/** The result of {@link upcastEvent}. */
export type UpcastResult =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly issues: string; readonly tooNew?: TooNewSchemaVersion | undefined };

/**
 * Brings an untrusted event value to the current shape of its type: applies each upcaster from
 * its `schemaVersion` up and sets `schemaVersion` to the current one. Values whose `type` or
 * `schemaVersion` are not usable pass through unchanged, for the event schema to report. A
 * version newer than this release knows is refused, never guessed at.
 */
export function upcastEvent(value: unknown, isEventType: (type: string) => boolean): UpcastResult {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return { ok: true, value };
  const event = value as { type?: unknown; schemaVersion?: unknown; data?: unknown };
  const { type, schemaVersion } = event;
  if (typeof type !== "string" || !isEventType(type)) return { ok: true, value };
  if (typeof schemaVersion !== "number" || !Number.isInteger(schemaVersion) || schemaVersion < 1)
    return { ok: true, value };
  const known = currentSchemaVersion(type as ComplaintEventType);
  if (schemaVersion > known)
    return {
      ok: false,
      issues: `schemaVersion: ${type} version ${schemaVersion} is newer than this kesu knows (${known}): upgrade kesu`,
      tooNew: { type, schemaVersion, known },
    };
  if (schemaVersion === known) return { ok: true, value };
  let data = event.data;
  for (let from = schemaVersion; from < known; from++) {
    const upcaster = UPCASTERS.find((u) => u.type === type && u.from === from);
    if (!upcaster)
      return { ok: false, issues: `schemaVersion: no upcaster for ${type} from version ${from}` };
    const old = upcaster.data.safeParse(data);
    if (!old.success)
      return {
        ok: false,
        issues: old.error.issues
          .map((i) => `data.${i.path.join(".")}: ${i.message} (as ${type} schemaVersion ${from})`)
          .join("; "),
      };
    data = upcaster.up(old.data);
  }
  return { ok: true, value: { ...event, schemaVersion: known, data } };
}

/**
 * Thrown by a store reading an event written by a newer kesu (see {@link TooNewSchemaVersion}):
 * the row is intact, this release cannot read it. Upgrade kesu; never skip the row.
 */
export class UnknownSchemaVersionError extends Error {
  /** Always `"UnknownSchemaVersionError"`. */
  override readonly name = "UnknownSchemaVersionError" as const;
  /** Stable code to match on. */
  readonly code = "store/unknown-schema-version" as const;
  /** The event's type. */
  readonly type: string;
  /** The schema version the event was written with. */
  readonly schemaVersion: number;
  /** The newest schema version of this type that this release knows. */
  readonly known: number;
  constructor(
    /** The stream holding the event. */
    readonly streamId: string,
    /** The event's version in its stream. */
    readonly version: number,
    found: TooNewSchemaVersion,
  ) {
    super(
      `stream ${streamId} version ${version}: ${found.type} has schemaVersion ${found.schemaVersion}, this kesu reads up to ${found.known}; upgrade kesu`,
    );
    this.type = found.type;
    this.schemaVersion = found.schemaVersion;
    this.known = found.known;
  }
}

/** Is `error` an {@link UnknownSchemaVersionError}? */
export function isUnknownSchemaVersionError(error: unknown): error is UnknownSchemaVersionError {
  return error instanceof Error && error.name === "UnknownSchemaVersionError";
}
