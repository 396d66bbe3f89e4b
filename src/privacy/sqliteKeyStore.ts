import {
  checkIdentifier,
  checkMasterKey,
  type DataKey,
  type KeyStore,
  keyFromStored,
  newDataKey,
  storedKeyBytes,
} from "./keyStore.js";

/** The part of a better-sqlite3 `Database` the key store uses; a real one satisfies it. */
export interface SqliteKeyDatabase {
  /** Runs statements without parameters (the table is created with it). */
  exec(sql: string): unknown;
  /** Prepares one statement. */
  prepare(sql: string): {
    /** Runs it; `changes` is the number of rows it changed. */
    run(...params: unknown[]): { changes: number | bigint };
    /** Runs it and returns the first row, or undefined. */
    get(...params: unknown[]): unknown;
  };
}

/** Options of {@link createSqliteKeyStore}. */
export interface SqliteKeyStoreOptions {
  /** An open better-sqlite3 database; the key store never closes it. */
  readonly database: SqliteKeyDatabase;
  /** Default `kesu_personal_data_keys`. */
  readonly table?: string | undefined;
  /**
   * 32 bytes held outside this database (an environment secret, a KMS): keys are then stored
   * wrapped with it, so a copy of the database file alone opens no personal data.
   */
  readonly masterKey?: Uint8Array | undefined;
}

interface KeyRow {
  readonly key_id: string;
  readonly key: Uint8Array;
}

/**
 * A {@link KeyStore} in a table of a SQLite database (better-sqlite3). Put it in another file
 * than the events, or give it a `masterKey`, for the encryption to protect against a leaked
 * copy of the event database. Destroying a key overwrites its bytes (`secure_delete`) and
 * checkpoints the WAL, so the key does not linger in the file.
 * @example
 * import Database from "better-sqlite3";
 * const keys = createSqliteKeyStore({ database: new Database("keys.db") });
 * const store = createEncryptedStore(createSqliteStore({ path: "complaints.db" }), keys);
 */
export function createSqliteKeyStore(options: SqliteKeyStoreOptions): KeyStore {
  const db = options.database;
  const table = `"${checkIdentifier("table", options.table ?? "kesu_personal_data_keys")}"`;
  const masterKey = checkMasterKey(options.masterKey);
  db.exec(`CREATE TABLE IF NOT EXISTS ${table} (
    complainant_id TEXT PRIMARY KEY,
    key_id TEXT NOT NULL UNIQUE,
    key BLOB NOT NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
  ) WITHOUT ROWID`);
  const byComplainant = db.prepare(`SELECT key_id, key FROM ${table} WHERE complainant_id = ?`);
  const byId = db.prepare(`SELECT key_id, key FROM ${table} WHERE key_id = ?`);
  const insert = db.prepare(
    `INSERT INTO ${table} (complainant_id, key_id, key) VALUES (?, ?, ?) ON CONFLICT (complainant_id) DO NOTHING`,
  );
  const remove = db.prepare(`DELETE FROM ${table} WHERE complainant_id = ?`);
  const secureDelete = db.prepare("PRAGMA secure_delete");

  const toKey = (row: unknown): DataKey | undefined => {
    if (row === undefined) return undefined;
    const { key_id, key } = row as KeyRow;
    return keyFromStored(key_id, key, masterKey);
  };

  return {
    async keyFor(complainantId) {
      const found = toKey(byComplainant.get(complainantId));
      if (found) return found;
      const fresh = newDataKey();
      insert.run(complainantId, fresh.keyId, storedKeyBytes(fresh, masterKey));
      // Another process may have won the insert: its key is the one.
      return toKey(byComplainant.get(complainantId))!;
    },
    async findKey(keyId) {
      return toKey(byId.get(keyId));
    },
    async destroyKeys(complainantId) {
      const before = (secureDelete.get() as { secure_delete: number }).secure_delete;
      db.exec("PRAGMA secure_delete = ON");
      try {
        const { changes } = remove.run(complainantId);
        // The old page images stay in the WAL until it is checkpointed and truncated.
        if (Number(changes) > 0) db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
        return Number(changes);
      } finally {
        db.exec(`PRAGMA secure_delete = ${before === 1 ? "ON" : "OFF"}`);
      }
    },
  };
}
