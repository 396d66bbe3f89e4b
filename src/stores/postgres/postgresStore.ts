import type { ComplaintEvent } from "../../domain/events.js";
import type { ComplaintId } from "../../domain/ids.js";
import type { IntegrityRange } from "../../integrity/seal.js";
import type {
  AppendOptions,
  AppendResult,
  EventStore,
  ReadAllOptions,
  ReadStreamOptions,
  SubscribeOptions,
  Subscription,
} from "../eventStore.js";
import { createSubscription } from "../subscription.js";
import { appendToStream, commandResult, envelopeTexts, type PendingAppend, storeSchema } from "./append.js";
import { type ChangeFeed, createChangeFeed } from "./changeFeed.js";
import {
  isConnectionError,
  type PGliteLike,
  type PgPoolLike,
  pgDriver,
  pgliteDriver,
  pgPoolFor,
  type SqlDriver,
} from "./driver.js";
import { createGroupCommit } from "./groupCommit.js";
import { integrityRecord, SEALED_COLUMNS, type SealedRow } from "./integrity.js";
import { migrate } from "./migrations.js";
import {
  EVENT_COLUMNS,
  type EventRow,
  eventFromRow,
  STREAM_COLUMNS,
  type StreamRow,
  streamInfoFromRow,
} from "./rows.js";

/** Where the store's data lives: a `pg` pool, a connection string, or a PGlite instance. */
export type PostgresConnection =
  | {
      /** A `pg` Pool you own: the store never ends it. Subscriptions hold one of its connections for LISTEN. */
      readonly pool: PgPoolLike;
    }
  | {
      /** The store creates (and on `close()` ends) a `pg` Pool for this URL. */
      readonly connectionString: string;
    }
  | {
      /** An embedded PGlite database you own: the store never closes it. */
      readonly pglite: PGliteLike;
    };

/** Options of {@link createPostgresStore}. */
export type PostgresStoreOptions = PostgresConnection & {
  /**
   * The schema holding the store's tables (default `kesu`): lower-case letters, digits and `_`,
   * starting with a letter or `_`, at most 40 characters. Created on first use.
   */
  readonly schema?: string | undefined;
  /**
   * How often subscriptions read even without a notification, in ms (default 5 000): the safety
   * net for notifications lost while the LISTEN connection was down.
   */
  readonly pollIntervalMs?: number | undefined;
};

/** A PostgreSQL-backed {@link EventStore}. */
export interface PostgresEventStore extends EventStore {
  /** The schema this store uses. */
  readonly schema: string;
  /**
   * Creates the schema or brings it up to date. Every other method does this on first use;
   * call it at deploy time to fail early. Safe to run from several processes at once.
   * @throws SchemaTooNewError when the database was migrated by a newer kesu.
   */
  migrate(): Promise<void>;
}

/** What a store holds once connected. */
interface Connected {
  readonly driver: SqlDriver;
  readonly feed: ChangeFeed;
  /** Makes an append, sharing a commit with appends made at the same time (see {@link createGroupCommit}). */
  readonly commit: (append: PendingAppend) => Promise<AppendResult>;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,39}$/;
const UNIQUE_VIOLATION = "23505";
/** Versions are `integer` columns. */
const MAX_VERSION = 2_147_483_647;

/**
 * An event store on PostgreSQL (13 or later) or PGlite. The same SQL runs on both: a server
 * for production and for several processes, PGlite for tests and single-process apps.
 *
 * An append is one function call, so one transaction and usually one round trip: the expected
 * version is enforced by a lock on the stream's row, `commandId` is unique (a repeated command
 * answers the first append), and positions are assigned in commit order, so a reader following
 * `readAll` positions never skips an event that commits late. Appends a store makes while
 * another of its appends is on its way share one transaction and one commit (group commit), each
 * still answered, and failing, on its own. Subscriptions are woken by LISTEN/NOTIFY and poll
 * slowly as a safety net.
 * Rows are checked against the event schema when read; a bad row throws `CorruptEventError`.
 *
 * @example
 * import pg from "pg";
 * import { createPostgresStore } from "kesu/postgres";
 *
 * const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });
 * const store = createPostgresStore({ pool, schema: "complaints" });
 * await store.migrate(); // optional: the first call does it anyway
 * const result = await handle(store, id, { type: "ReceiveComplaint", … }, ctx);
 * await store.close(); // the pool stays open: it is yours
 *
 * @example
 * // Tests or a single process: embedded Postgres, no server.
 * import { PGlite } from "@electric-sql/pglite";
 * const store = createPostgresStore({ pglite: new PGlite() });
 */
export function createPostgresStore(options: PostgresStoreOptions): PostgresEventStore {
  const schema = options.schema ?? "kesu";
  if (!SCHEMA_NAME.test(schema))
    throw new TypeError(
      `createPostgresStore: schema ${JSON.stringify(schema)} must be lower-case letters, digits and _ (at most 40)`,
    );
  const t = storeSchema(schema);
  const pollMs = options.pollIntervalMs ?? 5_000;
  const subscriptions = new Set<Subscription>();
  let closed = false;
  let connected: Promise<Connected> | undefined;
  let migrated: Promise<void> | undefined;

  async function connect(): Promise<Connected> {
    const driver =
      "pool" in options
        ? pgDriver(options.pool, false)
        : "pglite" in options
          ? pgliteDriver(options.pglite)
          : pgDriver(await pgPoolFor(options.connectionString), true);
    /** One append alone: one call to `append_to_stream`, in autocommit. */
    const single = async ({ streamId, events, options, envelopes }: PendingAppend): Promise<AppendResult> => {
      try {
        return await appendToStream(driver, t, streamId, events, options, envelopes);
      } catch (error) {
        // The same command appended concurrently to another stream: the first one wins.
        const commandId = events[0]?.metadata.commandId;
        if (isUniqueViolation(error, "commands_pkey") && commandId !== undefined) {
          const previous = await commandResult(driver, t, commandId);
          if (previous) return previous;
        }
        throw error;
      }
    };
    return {
      driver,
      feed: createChangeFeed(driver, t.channel),
      commit: createGroupCommit(driver, t, single),
    };
  }

  /** The driver, with the schema migrated; retried on the next call when it failed. */
  async function ready(): Promise<Connected> {
    if (closed) throw new Error("the PostgreSQL store is closed");
    connected ??= connect().catch((error: unknown) => {
      connected = undefined;
      throw error;
    });
    const db = await connected;
    migrated ??= migrate(db.driver, schema).catch((error: unknown) => {
      migrated = undefined;
      throw error;
    });
    await migrated;
    return db;
  }

  async function readAll(options: ReadAllOptions = {}) {
    const { driver } = await ready();
    const { rows } = await driver.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM ${t.events} WHERE position > $1 ORDER BY position LIMIT $2`,
      [Math.max(0, options.after ?? 0), Math.max(0, options.limit ?? 1000)],
    );
    return rows.map(eventFromRow);
  }

  return {
    schema,

    async migrate() {
      await ready();
    },

    async appendToStream(streamId: ComplaintId, events: readonly ComplaintEvent[], options: AppendOptions) {
      const { driver, feed, commit } = await ready();
      if (events.length === 0) return appendToStream(driver, t, streamId, events, options);
      // Written out before queueing: an event that cannot be serialised fails its own append only.
      const result = await commit({ streamId, events, options, envelopes: envelopeTexts(streamId, events) });
      if (!result.alreadyAppended) feed.notifyLocal();
      return result;
    },

    async readStream(streamId: ComplaintId, options: ReadStreamOptions = {}) {
      const { driver } = await ready();
      const backward = options.direction === "backward";
      const { rows } = await driver.query<EventRow>(
        backward
          ? `SELECT ${EVENT_COLUMNS} FROM ${t.events}
             WHERE stream_id = $1 AND version <= $2 ORDER BY version DESC LIMIT $3`
          : `SELECT ${EVENT_COLUMNS} FROM ${t.events}
             WHERE stream_id = $1 AND version >= $2 ORDER BY version LIMIT $3`,
        [
          streamId,
          Math.min(MAX_VERSION, options.fromVersion ?? (backward ? MAX_VERSION : 1)),
          options.maxCount === undefined ? null : Math.max(0, options.maxCount),
        ],
      );
      return rows.map(eventFromRow);
    },

    readAll,

    subscribe(options: SubscribeOptions): Subscription {
      if (closed) throw new Error("the PostgreSQL store is closed");
      const inner = createSubscription(
        readAll,
        options,
        (notify) => {
          let unsubscribe: (() => void) | undefined;
          let gone = false;
          ready().then(
            ({ feed }) => {
              if (!gone) unsubscribe = feed.signal(notify);
            },
            () => {}, // the subscription's own read reports the failure
          );
          return () => {
            gone = true;
            unsubscribe?.();
          };
        },
        pollMs,
        // A dropped connection fails one read; the pool replaces it and the read is retried.
        { isTransient: isConnectionError },
      );
      const subscription: Subscription = {
        caughtUp: () => inner.caughtUp(),
        async close() {
          subscriptions.delete(subscription);
          await inner.close();
        },
      };
      subscriptions.add(subscription);
      return subscription;
    },

    async streamInfo(streamId: ComplaintId) {
      const { driver } = await ready();
      const { rows } = await driver.query<StreamRow>(
        `SELECT ${STREAM_COLUMNS} FROM ${t.streams} WHERE stream_id = $1 AND version > 0`,
        [streamId],
      );
      return rows[0] ? streamInfoFromRow(rows[0]) : undefined;
    },

    async findCommand(commandId: string) {
      const { driver } = await ready();
      return commandResult(driver, t, commandId);
    },

    async readIntegrity(range: IntegrityRange) {
      const { driver } = await ready();
      const limit = Math.max(0, range.limit ?? 1000);
      const { rows } =
        range.streamId === undefined
          ? await driver.query<SealedRow>(
              `SELECT ${SEALED_COLUMNS} FROM ${t.events} WHERE position > $1 ORDER BY position LIMIT $2`,
              [Math.max(0, range.after ?? 0), limit],
            )
          : await driver.query<SealedRow>(
              `SELECT ${SEALED_COLUMNS} FROM ${t.events}
               WHERE stream_id = $1 AND version >= $2 ORDER BY version LIMIT $3`,
              [range.streamId, Math.max(0, Math.min(MAX_VERSION, range.fromVersion ?? 1)), limit],
            );
      return rows.map(integrityRecord);
    },

    async nextSerial(scope: string) {
      const { driver } = await ready();
      const { rows } = await driver.query<{ value: number | string }>(
        `INSERT INTO ${t.serials} AS s (scope, value) VALUES ($1, 1)
         ON CONFLICT (scope) DO UPDATE SET value = s.value + 1 RETURNING value`,
        [scope],
      );
      return Number(rows[0]!.value);
    },

    async close() {
      if (closed) return;
      closed = true;
      await Promise.all([...subscriptions].map((subscription) => subscription.close()));
      const db = await connected?.catch(() => undefined);
      await db?.feed.close();
      await db?.driver.close();
    },
  };
}

function isUniqueViolation(error: unknown, constraint: string): boolean {
  return (
    typeof error === "object" &&
    error !== null &&
    (error as { code?: unknown }).code === UNIQUE_VIOLATION &&
    (error as { constraint?: unknown }).constraint === constraint
  );
}
