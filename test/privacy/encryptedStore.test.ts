import { describe, expect, it } from "vitest";
import {
  type ComplaintEvent,
  calendars,
  createEncryptedStore,
  createMemoryComplaintList,
  createMemoryKeyStore,
  createMemoryStore,
  createProjectionRunner,
  defaultPolicy,
  ERASED_PERSONAL_DATA,
  type EventStore,
  evaluateSla,
  fold,
  forgetComplainant,
  initialState,
  isPersonalDataIntegrityError,
  isSealedPersonalData,
  type KeyStore,
  type RecordedEvent,
} from "../../src/index.js";
import { buildReport } from "../../src/reports/index.js";
import {
  ADDRESS,
  COMPLAINANT,
  EMAIL,
  NAME,
  NEW_PHONE,
  PHONE,
  receiveAnonymous,
  runLifecycle,
  secretsIn,
} from "./lifecycle.js";

function encrypted(): { inner: EventStore; keys: KeyStore; store: EventStore } {
  const inner = createMemoryStore();
  const keys = createMemoryKeyStore();
  return { inner, keys, store: createEncryptedStore(inner, keys) };
}

const personalDataOf = (events: readonly ComplaintEvent[]) =>
  events.flatMap((e) =>
    e.type === "ComplaintReceived" || e.type === "ComplainantContactChanged" ? [e.data.personalData] : [],
  );

const withoutPersonalData = (events: readonly RecordedEvent[]) =>
  events.map((e) =>
    e.type === "ComplaintReceived" || e.type === "ComplainantContactChanged"
      ? { ...e, data: { ...e.data, personalData: null } }
      : e,
  );

describe("encrypted store", () => {
  it("R-36 appends seal personal data, reads open it, and the inner store holds only ciphertext", async () => {
    const { inner, store } = encrypted();
    const id = await runLifecycle(store);

    expect(personalDataOf(await store.readStream(id))).toEqual([
      { name: NAME, phone: PHONE, email: EMAIL, address: ADDRESS },
      { name: NAME, phone: NEW_PHONE, email: EMAIL },
    ]);
    const raw = await inner.readStream(id);
    expect(personalDataOf(raw).every(isSealedPersonalData)).toBe(true);
    expect(secretsIn(JSON.stringify(raw))).toEqual([]);
    // Everything but the personal-data field is stored as it is.
    expect(withoutPersonalData(raw)).toEqual(withoutPersonalData(await store.readStream(id)));
  });

  it("R-36 forgetting the complainant erases their data and nothing else: fold, SLA, list and report are unchanged", async () => {
    const { keys, store } = encrypted();
    const id = await runLifecycle(store);
    const calendar = calendars.chinaMainland();
    const at = new Date("2026-03-20T00:00:00.000Z");
    const before = await store.readStream(id);

    expect(await forgetComplainant(keys, COMPLAINANT)).toEqual({
      complainantId: COMPLAINANT,
      keysDestroyed: 1,
    });
    const after = await store.readStream(id);
    expect(personalDataOf(after)).toEqual([ERASED_PERSONAL_DATA, ERASED_PERSONAL_DATA]);
    expect(secretsIn(JSON.stringify(after))).toEqual([]);
    expect(withoutPersonalData(after)).toEqual(withoutPersonalData(before));
    expect(fold(initialState(id), after)).toEqual(fold(initialState(id), before));
    expect(evaluateSla(after, defaultPolicy, calendar, at)).toEqual(
      evaluateSla(before, defaultPolicy, calendar, at),
    );

    const list = createMemoryComplaintList({ sla: { policy: defaultPolicy, calendar } });
    await createProjectionRunner({ store, target: list.target, projection: list.projection }).catchUp();
    const page = await list.query({});
    expect(page.total).toBe(1);
    expect(page.rows[0]).toMatchObject({ streamId: id, stage: "closed", outcome: "resolved" });
    const report = buildReport(page.rows, { period: { month: "2026-03" }, policy: defaultPolicy, calendar });
    expect(report.total).toBe(1);
    expect(await forgetComplainant(keys, COMPLAINANT)).toEqual({
      complainantId: COMPLAINANT,
      keysDestroyed: 0,
    });
  });

  it("R-37 an anonymous complaint carries nothing to encrypt and creates no key", async () => {
    const inner = createMemoryStore();
    const asked: string[] = [];
    const memory = createMemoryKeyStore();
    const keys: KeyStore = {
      ...memory,
      keyFor(complainantId) {
        asked.push(complainantId);
        return memory.keyFor(complainantId);
      },
    };
    const id = await receiveAnonymous(createEncryptedStore(inner, keys));
    expect(asked).toEqual([]);
    expect(personalDataOf(await inner.readStream(id))).toEqual([null]);
  });

  it("R-36 a changed ciphertext, or one moved to another event, is an integrity error, never erased data", async () => {
    const { inner, keys, store } = encrypted();
    const id = await runLifecycle(store);
    const [received, changed] = (await inner.readStream(id)).filter(
      (e) => e.type === "ComplaintReceived" || e.type === "ComplainantContactChanged",
    );
    if (received?.type !== "ComplaintReceived" || changed?.type !== "ComplainantContactChanged")
      throw new Error("unexpected stream");
    const sealed = changed.data.personalData;
    if (!isSealedPersonalData(sealed)) throw new Error("not sealed");

    const flipped = Buffer.from(sealed.sealed.ciphertext, "base64");
    flipped[0]! ^= 1;
    const damaged = [
      // The contact change's sealed value pasted into the registration.
      { ...received, data: { ...received.data, personalData: sealed } },
      {
        ...received,
        data: {
          ...received.data,
          personalData: { sealed: { ...sealed.sealed, ciphertext: flipped.toString("base64") } },
        },
      },
    ];
    for (const event of damaged) {
      const copy = createMemoryStore();
      await copy.appendToStream(id, [event], { expectedVersion: "no-stream" });
      const error = await createEncryptedStore(copy, keys)
        .readStream(id)
        .catch((e: unknown) => e);
      expect(isPersonalDataIntegrityError(error)).toBe(true);
      expect(error).toMatchObject({ streamId: id, version: 1, keyId: sealed.sealed.keyId });
    }
  });

  it("R-36 subscriptions, idempotent answers and append results see opened data; open: false reads sealed", async () => {
    const { inner, keys, store } = encrypted();
    const id = await runLifecycle(store);
    const seen: RecordedEvent[] = [];
    const subscription = store.subscribe({ onEvents: (events) => void seen.push(...events) });
    await subscription.caughtUp();
    await subscription.close();
    expect(personalDataOf(seen)[0]).toMatchObject({ name: NAME });

    const first = (await store.readStream(id))[0]!;
    const answered = await store.findCommand(first.metadata.commandId);
    expect(personalDataOf(answered?.events ?? [])).toEqual([
      { name: NAME, phone: PHONE, email: EMAIL, address: ADDRESS },
    ]);

    const sealedView = createEncryptedStore(inner, keys, { open: false });
    expect(personalDataOf(await sealedView.readAll()).every(isSealedPersonalData)).toBe(true);
  });
});
