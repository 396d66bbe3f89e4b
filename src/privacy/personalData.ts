import type { ComplaintEvent } from "../domain/events.js";
import type {
  ErasedPersonalData,
  PersonalData,
  PersonalDataField,
  SealedPersonalData,
} from "../domain/values.js";

/** The marker a read shows where the complainant's key was destroyed. */
export const ERASED_PERSONAL_DATA: ErasedPersonalData = Object.freeze({ erased: true as const });

/** Is this personal-data value sealed (encrypted at rest)? */
export function isSealedPersonalData(value: PersonalDataField | null): value is SealedPersonalData {
  return value !== null && "sealed" in value;
}

/** Is this personal-data value the erased marker? */
export function isErasedPersonalData(value: PersonalDataField | null): value is ErasedPersonalData {
  return value !== null && "erased" in value;
}

/** Is this personal-data value plain (readable) data? */
export function isPlainPersonalData(value: PersonalDataField | null): value is PersonalData {
  return value !== null && !("sealed" in value) && !("erased" in value);
}

/** The two events that carry personal data, and nothing else does. */
export type PersonalDataEvent = Extract<
  ComplaintEvent,
  { type: "ComplaintReceived" | "ComplainantContactChanged" }
>;

/** Does this event carry a personal-data field? */
export function carriesPersonalData(event: ComplaintEvent): event is PersonalDataEvent {
  return event.type === "ComplaintReceived" || event.type === "ComplainantContactChanged";
}

/** The complainant whose personal data the event carries. */
export function complainantOf(event: PersonalDataEvent): string {
  return event.type === "ComplaintReceived" ? event.data.complainant.id : event.data.complainantId;
}

/**
 * The event with its personal-data field replaced by `change(field)`; events that carry none,
 * or carry null (anonymous, R-37), come back as they are.
 */
export async function mapPersonalData<E extends ComplaintEvent>(
  event: E,
  change: (
    field: PersonalDataField,
    event: PersonalDataEvent,
  ) => PersonalDataField | Promise<PersonalDataField>,
): Promise<E> {
  if (!carriesPersonalData(event) || event.data.personalData === null) return event;
  const personalData = await change(event.data.personalData, event);
  return { ...event, data: { ...event.data, personalData } };
}
