import type { ComplaintEvent } from "../domain/events.js";
import type { EventStore } from "../stores/eventStore.js";
import { carriesPersonalData, isPlainPersonalData } from "./personalData.js";

/** What a reader without permission sees in place of each personal-data field. */
export const REDACTED = "***";

/**
 * The event as a reader may see it: unchanged when `canSee`; otherwise every field of
 * plain personal data reads `"***"`. Erased and sealed values carry nothing readable and stay
 * as they are; events without personal data are returned as they are.
 * @example
 * const shown = events.map((e) => redactPersonalData(e, maySeePersonalData(permissions, actor.role)));
 */
export function redactPersonalData<E extends ComplaintEvent>(event: E, canSee: boolean): E {
  if (canSee || !carriesPersonalData(event)) return event;
  const field = event.data.personalData;
  if (!isPlainPersonalData(field)) return event;
  const redacted = Object.fromEntries(
    Object.entries(field)
      .filter(([, value]) => value !== undefined)
      .map(([name]) => [name, REDACTED]),
  );
  return { ...event, data: { ...event.data, personalData: redacted } };
}

/** The read side of an {@link EventStore}. */
export type EventReader = Pick<EventStore, "readStream" | "readAll" | "subscribe" | "streamInfo">;

/**
 * A read-only view of `store` whose events are redacted with {@link redactPersonalData} unless
 * `canSee`: hand it to code acting for someone who may not see complainants' personal data.
 */
export function createRedactingReader(store: EventReader, canSee: boolean): EventReader {
  const shown = <E extends ComplaintEvent>(events: readonly E[]): E[] =>
    events.map((event) => redactPersonalData(event, canSee));
  return {
    readStream: async (streamId, options) => shown(await store.readStream(streamId, options)),
    readAll: async (options) => shown(await store.readAll(options)),
    subscribe: (options) =>
      store.subscribe({ ...options, onEvents: (events) => options.onEvents(shown(events)) }),
    streamInfo: (streamId) => store.streamInfo(streamId),
  };
}
