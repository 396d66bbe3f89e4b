import { describe, expect, it } from "vitest";
import {
  type ComplaintEvent,
  createEncryptedStore,
  createMemoryKeyStore,
  createMemoryStore,
  createPermissionPolicy,
  createRedactingReader,
  ERASED_PERSONAL_DATA,
  forgetComplainant,
  REDACTED,
  readerFor,
  redactPersonalData,
} from "../../src/index.js";
import { ADDRESS, COMPLAINANT, EMAIL, NAME, PHONE, runLifecycle, secretsIn } from "../privacy/lifecycle.js";

const permissions = createPermissionPolicy({
  id: "acme",
  version: "1",
  roles: {
    handler: { commands: "*", personalData: true },
    auditor: { commands: [], personalData: false },
  },
});
const auditor = { id: "au-1", role: "auditor", unit: "internal-audit" };
const handler = { id: "qa-1", role: "handler", unit: "qa" };

const personalDataOf = (events: readonly ComplaintEvent[]) =>
  events.flatMap((e) =>
    e.type === "ComplaintReceived" || e.type === "ComplainantContactChanged" ? [e.data.personalData] : [],
  );

describe("redaction", () => {
  it("R-36 a reader without the permission sees *** per field; the handler sees the data", async () => {
    const store = createMemoryStore();
    const id = await runLifecycle(store);
    const redacted = await readerFor(store, permissions, auditor).readStream(id);
    expect(personalDataOf(redacted)[0]).toEqual({
      name: REDACTED,
      phone: REDACTED,
      email: REDACTED,
      address: REDACTED,
    });
    expect(secretsIn(JSON.stringify(redacted))).toEqual([]);
    // Nothing else about the case is hidden from the auditor.
    expect(redacted.map((e) => e.type)).toEqual((await store.readStream(id)).map((e) => e.type));

    const shown = await readerFor(store, permissions, handler).readStream(id);
    expect(personalDataOf(shown)[0]).toEqual({ name: NAME, phone: PHONE, email: EMAIL, address: ADDRESS });
  });

  it("R-36 R-37 erased and anonymous values stay what they are; other events are untouched", async () => {
    const keys = createMemoryKeyStore();
    const store = createEncryptedStore(createMemoryStore(), keys);
    const id = await runLifecycle(store);
    await forgetComplainant(keys, COMPLAINANT);
    const all = await createRedactingReader(store, false).readAll();
    expect(personalDataOf(all)).toEqual([ERASED_PERSONAL_DATA, ERASED_PERSONAL_DATA]);

    const [received] = await store.readStream(id);
    if (received?.type !== "ComplaintReceived") throw new Error("unexpected stream");
    const anonymous = { ...received, data: { ...received.data, personalData: null } };
    expect(redactPersonalData(anonymous, false)).toBe(anonymous);
    const progress = all.find(
      (e) => e.type !== "ComplaintReceived" && e.type !== "ComplainantContactChanged",
    )!;
    expect(redactPersonalData(progress, false)).toBe(progress);
  });

  it("R-36 subscriptions through a redacting reader deliver redacted events", async () => {
    const store = createMemoryStore();
    await runLifecycle(store);
    const seen: ComplaintEvent[] = [];
    const subscription = readerFor(store, permissions, auditor).subscribe({
      onEvents: (events) => void seen.push(...events),
    });
    await subscription.caughtUp();
    await subscription.close();
    expect(personalDataOf(seen)).toHaveLength(2);
    expect(secretsIn(JSON.stringify(seen))).toEqual([]);
  });
});
