import { existsSync, readFileSync } from "node:fs";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import {
  type ComplaintEvent,
  createEncryptedStore,
  createSqliteKeyStore,
  ERASED_PERSONAL_DATA,
  fold,
  forgetComplainant,
  initialState,
  isSealedPersonalData,
  verifyStore,
} from "../../src/index.js";
import { createSqliteStore } from "../../src/stores/sqlite/index.js";
import { tempDb } from "../stores/fixtures/tempDb.js";
import { COMPLAINANT, NAME, receiveAnonymous, runLifecycle, secretsIn } from "./lifecycle.js";

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** Events and keys in one SQLite file, WAL mode: the worst case for a leaked file. */
function open(path: string) {
  const database = new Database(path);
  database.pragma("journal_mode = WAL");
  const keys = createSqliteKeyStore({ database });
  const store = createEncryptedStore(createSqliteStore({ database }), keys);
  return { database, keys, store };
}

/** The bytes of the database file and its WAL, as a leaked copy would have them. */
function fileBytes(path: string): Buffer {
  return Buffer.concat([path, `${path}-wal`].filter(existsSync).map((file) => readFileSync(file)));
}

const personalDataOf = (events: readonly ComplaintEvent[]) =>
  events.flatMap((e) =>
    e.type === "ComplaintReceived" || e.type === "ComplainantContactChanged" ? [e.data.personalData] : [],
  );

describe("personal data at rest in SQLite", () => {
  it("R-36 the database file never holds the plaintext; forgetting removes the key, reads show erased, seals still verify", async () => {
    const db = tempDb();
    cleanups.push(db.remove);
    const first = open(db.path);
    const id = await runLifecycle(first.store);
    const opened = await first.store.readStream(id);
    expect(personalDataOf(opened)[0]).toMatchObject({ name: NAME });

    // Before any forgetting, the file and its WAL hold ciphertext only.
    expect(secretsIn(fileBytes(db.path))).toEqual([]);
    const rows = first.database.prepare("SELECT event FROM kesu_events").all() as { event: string }[];
    const stored = rows.map((row) => JSON.parse(row.event) as ComplaintEvent);
    expect(personalDataOf(stored)).toHaveLength(2);
    expect(personalDataOf(stored).every(isSealedPersonalData)).toBe(true);

    const received = personalDataOf(stored)[0];
    if (received === undefined || !isSealedPersonalData(received)) throw new Error("not sealed");
    const key = await first.keys.findKey(received.sealed.keyId);
    expect(key?.key.byteLength).toBe(32);

    expect(await verifyStore(first.store)).toMatchObject({ ok: true });
    expect(await forgetComplainant(first.keys, COMPLAINANT)).toMatchObject({ keysDestroyed: 1 });
    // Seals cover the ciphertext: erasure changes no stored byte, so the chains still verify.
    expect(await verifyStore(first.store)).toMatchObject({ ok: true, events: stored.length });
    const keyRows = first.database.prepare("SELECT count(*) AS n FROM kesu_personal_data_keys").get();
    expect(keyRows).toEqual({ n: 0 });
    await first.store.close();
    first.database.close();
    // The destroyed key's bytes are overwritten, not left behind in a free page or the WAL.
    expect(fileBytes(db.path).includes(Buffer.from(key!.key))).toBe(false);

    const again = open(db.path);
    const after = await again.store.readStream(id);
    expect(personalDataOf(after)).toEqual([ERASED_PERSONAL_DATA, ERASED_PERSONAL_DATA]);
    expect(fold(initialState(id), after)).toEqual(fold(initialState(id), opened));
    await again.store.close();
    again.database.close();
  });

  it("R-37 an anonymous complaint writes no key row", async () => {
    const db = tempDb();
    cleanups.push(db.remove);
    const { database, store } = open(db.path);
    await receiveAnonymous(store);
    expect(database.prepare("SELECT count(*) AS n FROM kesu_personal_data_keys").get()).toEqual({ n: 0 });
    await store.close();
    database.close();
  });
});
