import { randomBytes } from "node:crypto";
import { PGlite } from "@electric-sql/pglite";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createMemoryKeyStore,
  createPostgresKeyStore,
  createSqliteKeyStore,
  isKeyStoreError,
  type KeyStore,
} from "../../src/index.js";

let lite: PGlite;
beforeAll(async () => {
  lite = new PGlite();
  await lite.query("SELECT 1");
});
afterAll(() => lite?.close());

let schemas = 0;
const implementations: [string, () => KeyStore][] = [
  ["memory", () => createMemoryKeyStore()],
  ["SQLite", () => createSqliteKeyStore({ database: new Database(":memory:") })],
  // A PGlite instance is a query runner as it is.
  ["PGlite", () => createPostgresKeyStore({ db: lite, schema: `keys_${++schemas}` })],
];

describe.each(implementations)("%s key store", (_name, open) => {
  it("R-36 one key per complainant, created once even when asked for concurrently", async () => {
    const keys = open();
    const all = await Promise.all(Array.from({ length: 8 }, () => keys.keyFor("cust-1")));
    expect(new Set(all.map((k) => k.keyId)).size).toBe(1);
    const first = all[0]!;
    expect(first.key.byteLength).toBe(32);
    expect(Buffer.from((await keys.keyFor("cust-1")).key)).toEqual(Buffer.from(first.key));
    expect(Buffer.from((await keys.findKey(first.keyId))!.key)).toEqual(Buffer.from(first.key));
    const other = await keys.keyFor("cust-2");
    expect(other.keyId).not.toBe(first.keyId);
    expect(Buffer.from(other.key)).not.toEqual(Buffer.from(first.key));
  });

  it("R-36 destroying a complainant's key is final; a later key is a new one", async () => {
    const keys = open();
    const first = await keys.keyFor("cust-1");
    const kept = await keys.keyFor("cust-2");
    expect(await keys.destroyKeys("cust-1")).toBe(1);
    expect(await keys.destroyKeys("cust-1")).toBe(0);
    expect(await keys.findKey(first.keyId)).toBeUndefined();
    expect(await keys.findKey(kept.keyId)).toBeDefined();
    expect((await keys.keyFor("cust-1")).keyId).not.toBe(first.keyId);
  });
});

describe("master key", () => {
  it("R-36 keys are stored wrapped, and open only with the same master key", async () => {
    const database = new Database(":memory:");
    const masterKey = randomBytes(32);
    const key = await createSqliteKeyStore({ database, masterKey }).keyFor("cust-1");
    const { key: stored } = database.prepare("SELECT key FROM kesu_personal_data_keys").get() as {
      key: Buffer;
    };
    expect(stored.includes(Buffer.from(key.key))).toBe(false);

    const same = await createSqliteKeyStore({ database, masterKey }).findKey(key.keyId);
    expect(Buffer.from(same!.key)).toEqual(Buffer.from(key.key));
    const wrong = createSqliteKeyStore({ database, masterKey: randomBytes(32) });
    const error = await wrong.findKey(key.keyId).catch((e: unknown) => e);
    expect(isKeyStoreError(error)).toBe(true);
    expect(String(error)).toContain("does not unwrap");
    // Without a master key, a wrapped key is refused rather than used as if it were raw.
    await expect(createSqliteKeyStore({ database }).findKey(key.keyId)).rejects.toThrow(/master key/);
  });

  it("refuses a master key that is not 32 bytes, and table names that are not plain identifiers", () => {
    const database = new Database(":memory:");
    expect(() => createSqliteKeyStore({ database, masterKey: randomBytes(16) })).toThrow(/32 bytes/);
    expect(() => createSqliteKeyStore({ database, table: "keys; DROP TABLE x" })).toThrow(/lower-case/);
    expect(() => createPostgresKeyStore({ db: lite, schema: "Keys" })).toThrow(/lower-case/);
  });
});
