import {
  checkIdentifier,
  checkMasterKey,
  type DataKey,
  type KeyStore,
  keyFromStored,
  newDataKey,
  storedKeyBytes,
} from "./keyStore.js";

/**
 * Runs one SQL statement with `$1`… parameters. A `pg` Pool or Client and a PGlite instance
 * satisfy it as they are: the key store needs no transaction.
 */
export interface KeyQueryRunner {
  /** Runs one statement with `$1`-style parameters. */
  query(text: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
}

/** Options of {@link createPostgresKeyStore}. */
export interface PostgresKeyStoreOptions {
  /** A `pg` Pool (or Client) or a PGlite instance; the key store never closes it. */
  readonly db: KeyQueryRunner;
  /** Default `kesu_keys`: keep keys out of the event schema, ideally in another database. */
  readonly schema?: string | undefined;
  /** Default `personal_data_keys`. */
  readonly table?: string | undefined;
  /**
   * 32 bytes held outside this database (an environment secret, a KMS): keys are then stored
   * wrapped with it, so a dump of the database alone opens no personal data.
   */
  readonly masterKey?: Uint8Array | undefined;
}

/** A {@link KeyStore} on PostgreSQL, with `purge()` to reclaim the space of destroyed keys. */
export interface PostgresKeyStore extends KeyStore {
  /**
   * `VACUUM`s the key table, so the tuples of destroyed keys are removed from its files (not
   * from backups or archived WAL: keep their retention short). Run it after forgetting.
   */
  purge(): Promise<void>;
}

interface KeyRow {
  readonly key_id: string;
  readonly key: Uint8Array;
}

const ALREADY_EXISTS = new Set(["23505", "42P07", "42P06"]);

/**
 * A {@link KeyStore} in a PostgreSQL table (through `pg` or PGlite), created on first use.
 * @example
 * const keys = createPostgresKeyStore({ db: keyPool, masterKey: Buffer.from(process.env.KESU_MASTER_KEY!, "base64") });
 * const store = createEncryptedStore(createPostgresStore({ pool }), keys);
 */
export function createPostgresKeyStore(options: PostgresKeyStoreOptions): PostgresKeyStore {
  const db = options.db;
  const schema = `"${checkIdentifier("schema", options.schema ?? "kesu_keys")}"`;
  const table = `${schema}."${checkIdentifier("table", options.table ?? "personal_data_keys")}"`;
  const masterKey = checkMasterKey(options.masterKey);
  let created: Promise<void> | undefined;

  async function create(): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await db.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
        await db.query(`CREATE TABLE IF NOT EXISTS ${table} (
          complainant_id text PRIMARY KEY,
          key_id text NOT NULL UNIQUE,
          key bytea NOT NULL,
          created_at timestamptz NOT NULL DEFAULT now()
        )`);
        return;
      } catch (error) {
        // Two processes creating the table at once: the loser sees a catalog conflict.
        const code = (error as { code?: unknown }).code;
        if (attempt > 0 || typeof code !== "string" || !ALREADY_EXISTS.has(code)) throw error;
      }
    }
  }

  async function run(text: string, params: unknown[]): Promise<unknown[]> {
    created ??= create().catch((error: unknown) => {
      created = undefined;
      throw error;
    });
    await created;
    return (await db.query(text, params)).rows;
  }

  const toKey = (rows: unknown[]): DataKey | undefined => {
    const row = rows[0] as KeyRow | undefined;
    return row ? keyFromStored(row.key_id, row.key, masterKey) : undefined;
  };
  const select = `SELECT key_id, key FROM ${table} WHERE`;

  return {
    async keyFor(complainantId) {
      const found = toKey(await run(`${select} complainant_id = $1`, [complainantId]));
      if (found) return found;
      const fresh = newDataKey();
      await run(
        `INSERT INTO ${table} (complainant_id, key_id, key) VALUES ($1, $2, $3) ON CONFLICT (complainant_id) DO NOTHING`,
        [complainantId, fresh.keyId, storedKeyBytes(fresh, masterKey)],
      );
      // A new statement, a new snapshot: it sees the winner's key when another writer was first.
      return toKey(await run(`${select} complainant_id = $1`, [complainantId]))!;
    },
    async findKey(keyId) {
      return toKey(await run(`${select} key_id = $1`, [keyId]));
    },
    async destroyKeys(complainantId) {
      const rows = await run(`DELETE FROM ${table} WHERE complainant_id = $1 RETURNING key_id`, [
        complainantId,
      ]);
      return rows.length;
    },
    async purge() {
      await run(`VACUUM ${table}`, []);
    },
  };
}
