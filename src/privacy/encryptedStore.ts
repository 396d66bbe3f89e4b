import type { ComplaintEvent, RecordedEvent } from "../domain/events.js";
import type { PersonalDataField } from "../domain/values.js";
import type { AppendResult, EventStore } from "../stores/eventStore.js";
import type { DataKey, KeyStore } from "./keyStore.js";
import {
  complainantOf,
  ERASED_PERSONAL_DATA,
  isPlainPersonalData,
  isSealedPersonalData,
  mapPersonalData,
  type PersonalDataEvent,
} from "./personalData.js";
import { openPersonalData, PersonalDataIntegrityError, sealPersonalData } from "./seal.js";

/** Options of {@link createEncryptedStore}. */
export interface EncryptedStoreOptions {
  /**
   * Default true. False: reads return personal data as stored (sealed), for copies and
   * backups that must never hold plaintext.
   */
  readonly open?: boolean | undefined;
}

// Binds a sealed value to its complainant and event: moved anywhere else, it no longer opens.
const contextOf = (event: PersonalDataEvent) => `kesu/personal-data/1\n${complainantOf(event)}\n${event.id}`;

/**
 * Wraps any {@link EventStore} so personal data is encrypted at rest: appends seal
 * `data.personalData` with AES-256-GCM under the complainant's own key (created on first use in
 * `keyStore`), reads open it. Nothing else changes: `handle`, projections and subscriptions
 * work on the wrapper as on the store. Once {@link forgetComplainant} destroyed the key, reads
 * show `{ erased: true }` and the rest of the history replays as before. Anonymous complaints
 * carry nothing to seal and create no key.
 * @throws PersonalDataIntegrityError on a read whose sealed value was changed.
 * @example
 * const keys = createSqliteKeyStore({ database: new Database("keys.db") });
 * const store = createEncryptedStore(createSqliteStore({ path: "complaints.db" }), keys);
 * await handle(store, id, { type: "ReceiveComplaint", personalData: { name: "王小明" }, … }, ctx);
 * await forgetComplainant(keys, "cust-0042"); // the name now reads as { erased: true }
 */
export function createEncryptedStore(
  store: EventStore,
  keyStore: KeyStore,
  options: EncryptedStoreOptions = {},
): EventStore {
  const reveal = options.open ?? true;

  async function seal(event: ComplaintEvent): Promise<ComplaintEvent> {
    return mapPersonalData(event, async (field, carrier) => {
      if (!isPlainPersonalData(field)) return field; // already sealed, or erased: keep as given
      return sealPersonalData(field, await keyStore.keyFor(complainantOf(carrier)), contextOf(carrier));
    });
  }

  async function openAll<E extends RecordedEvent>(events: readonly E[]): Promise<E[]> {
    if (!reveal) return [...events];
    // Keys are looked up once per call and never kept: a destroyed key is gone at the next read.
    const keys = new Map<string, Promise<DataKey | undefined>>();
    const keyOf = (keyId: string) => {
      const known = keys.get(keyId);
      if (known) return known;
      const key = keyStore.findKey(keyId);
      keys.set(keyId, key);
      return key;
    };
    return Promise.all(
      events.map((event) =>
        mapPersonalData(event, async (field, carrier): Promise<PersonalDataField> => {
          if (!isSealedPersonalData(field)) return field;
          const key = await keyOf(field.sealed.keyId);
          if (!key) return ERASED_PERSONAL_DATA;
          const opened = openPersonalData(field, key, contextOf(carrier));
          if (!opened)
            throw new PersonalDataIntegrityError(carrier.streamId, carrier.version, field.sealed.keyId);
          return opened;
        }),
      ),
    );
  }

  const openResult = async (result: AppendResult): Promise<AppendResult> => ({
    ...result,
    events: await openAll(result.events),
  });

  return {
    async appendToStream(streamId, events, appendOptions) {
      const sealed = await Promise.all(events.map(seal));
      return openResult(await store.appendToStream(streamId, sealed, appendOptions));
    },
    async readStream(streamId, readOptions) {
      return openAll(await store.readStream(streamId, readOptions));
    },
    async readAll(readOptions) {
      return openAll(await store.readAll(readOptions));
    },
    subscribe(subscribeOptions) {
      return store.subscribe({
        ...subscribeOptions,
        onEvents: async (events) => subscribeOptions.onEvents(await openAll(events)),
      });
    },
    streamInfo: (streamId) => store.streamInfo(streamId),
    async findCommand(commandId) {
      const found = await store.findCommand(commandId);
      return found && openResult(found);
    },
    nextSerial: (scope) => store.nextSerial(scope),
    close: () => store.close(),
    // Seals cover the events as stored, ciphertext included: verifying needs no key, and
    // forgetting a complainant leaves every chain intact.
    ...(store.readIntegrity && { readIntegrity: (range) => store.readIntegrity!(range) }),
  };
}

/** The outcome of {@link forgetComplainant}. */
export interface ForgetResult {
  /** The complainant forgotten. */
  readonly complainantId: string;
  /** How many keys were destroyed (0: nothing was ever sealed for this complainant, or already forgotten). */
  readonly keysDestroyed: number;
}

/**
 * Forgets a complainant by destroying their key (crypto-shredding): every sealed copy of their
 * personal data, in the event table and in its backups, can no longer be opened and reads as
 * `{ erased: true }`. Events, folds, SLA clocks, lists and reports are unchanged. Personal data
 * stored before the store was encrypted, or typed into free text, is not reached by this.
 */
export async function forgetComplainant(keyStore: KeyStore, complainantId: string): Promise<ForgetResult> {
  return { complainantId, keysDestroyed: await keyStore.destroyKeys(complainantId) };
}
