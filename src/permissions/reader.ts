import type { Actor } from "../domain/values.js";
import { createRedactingReader, type EventReader } from "../privacy/redact.js";
import { maySeePersonalData, type PermissionPolicy } from "./permissionPolicy.js";

/**
 * The read side of `store` as `actor` may see it: complainants' personal data in clear only
 * when the actor's role may see it (R-36), else redacted to `"***"` per field.
 * @example
 * const reader = readerFor(store, permissions, actor);
 * const events = await reader.readStream(id);
 */
export function readerFor(store: EventReader, permissions: PermissionPolicy, actor: Actor): EventReader {
  return createRedactingReader(store, maySeePersonalData(permissions, actor.role));
}
