import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

/** A complainant's data key: 256 random bits, named by `keyId` in sealed values. */
export interface DataKey {
  /** The name sealed data records, to find the key again. */
  readonly keyId: string;
  /** The AES-256 key: 32 bytes. Never log or store it in the clear. */
  readonly key: Uint8Array;
}

/**
 * Where the complainants' data keys live (R-36): one key per complainant, created on first
 * use, destroyed to forget the complainant (crypto-shredding). Implementations: memory
 * ({@link createMemoryKeyStore}), SQLite and PostgreSQL; write your own over a KMS or vault.
 */
export interface KeyStore {
  /** The complainant's key, created on first use. Concurrent callers get the same key. */
  keyFor(complainantId: string): Promise<DataKey>;
  /** The key named `keyId`, or undefined once it was destroyed. */
  findKey(keyId: string): Promise<DataKey | undefined>;
  /** Destroys the complainant's keys; resolves to how many there were. A later `keyFor` makes a new one. */
  destroyKeys(complainantId: string): Promise<number>;
}

/** Thrown by a key store that cannot do its work: a bad master key, a key that does not unwrap. */
export class KeyStoreError extends Error {
  /** Always `"KeyStoreError"`. */
  override readonly name = "KeyStoreError" as const;
  /** Stable code to match on. */
  readonly code = "privacy/key-store" as const;
}

/** Is `error` a {@link KeyStoreError}? */
export function isKeyStoreError(error: unknown): error is KeyStoreError {
  return error instanceof Error && error.name === "KeyStoreError";
}

/** A new random data key. */
export function newDataKey(): DataKey {
  return { keyId: `pdk_${randomBytes(16).toString("base64url")}`, key: randomBytes(32) };
}

/**
 * Keys in memory, for tests and single-process apps that keep nothing: a restart forgets every
 * complainant, so pair it only with a memory event store.
 */
export function createMemoryKeyStore(): KeyStore {
  const byComplainant = new Map<string, DataKey>();
  const byId = new Map<string, DataKey>();
  const copy = (k: DataKey): DataKey => ({ keyId: k.keyId, key: Uint8Array.from(k.key) });
  return {
    async keyFor(complainantId) {
      let key = byComplainant.get(complainantId);
      if (!key) {
        key = newDataKey();
        byComplainant.set(complainantId, key);
        byId.set(key.keyId, key);
      }
      return copy(key);
    },
    async findKey(keyId) {
      const key = byId.get(keyId);
      return key ? copy(key) : undefined;
    },
    async destroyKeys(complainantId) {
      const key = byComplainant.get(complainantId);
      if (!key) return 0;
      byComplainant.delete(complainantId);
      byId.delete(key.keyId);
      key.key.fill(0);
      return 1;
    },
  };
}

/** Checks a master key option: 32 bytes, or absent. */
export function checkMasterKey(masterKey: Uint8Array | undefined): Uint8Array | undefined {
  if (masterKey !== undefined && masterKey.byteLength !== 32)
    throw new KeyStoreError(`masterKey must be 32 bytes (AES-256), got ${masterKey.byteLength}`);
  return masterKey;
}

/** The bytes a database keeps for a key: the raw key, or with a master key `iv | tag | wrapped key`. */
export function storedKeyBytes(key: DataKey, masterKey: Uint8Array | undefined): Buffer {
  if (!masterKey) return Buffer.from(key.key);
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", masterKey, iv);
  cipher.setAAD(Buffer.from(key.keyId, "utf8"));
  const wrapped = Buffer.concat([cipher.update(key.key), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), wrapped]);
}

/** The key from what a database keeps (see {@link storedKeyBytes}). */
export function keyFromStored(keyId: string, stored: Uint8Array, masterKey: Uint8Array | undefined): DataKey {
  const bytes = Buffer.from(stored);
  if (!masterKey) {
    if (bytes.length !== 32)
      throw new KeyStoreError(`key ${keyId} is not 32 bytes: was it wrapped with a master key?`);
    return { keyId, key: bytes };
  }
  try {
    const decipher = createDecipheriv("aes-256-gcm", masterKey, bytes.subarray(0, 12));
    decipher.setAAD(Buffer.from(keyId, "utf8"));
    decipher.setAuthTag(bytes.subarray(12, 28));
    return { keyId, key: Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]) };
  } catch {
    throw new KeyStoreError(`key ${keyId} does not unwrap with this master key`);
  }
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,39}$/;

/** Checks a table or schema name (lower-case letters, digits and `_`). */
export function checkIdentifier(what: string, name: string): string {
  if (!IDENTIFIER.test(name))
    throw new KeyStoreError(
      `${what} ${JSON.stringify(name)} must be lower-case letters, digits and _ (at most 40)`,
    );
  return name;
}
