/**
 * The small query-runner interface the PostgreSQL store is written against, with adapters for
 * a `pg` pool and for a PGlite instance, so exactly the same SQL runs on both. The types of
 * both drivers are described structurally: neither package is needed to compile against this
 * entry, and neither is loaded unless the caller hands us one (or a connection string).
 */

/** Runs one SQL statement with positional parameters (`$1`, `$2`, …). */
export interface SqlRunner {
  query<R>(text: string, params?: readonly unknown[]): Promise<{ readonly rows: R[] }>;
}

/** What the store needs from a database: statements, transactions and notifications. */
export interface SqlDriver extends SqlRunner {
  /** Runs `work` in one transaction on one connection; commits when it resolves, rolls back when it throws. */
  transaction<T>(work: (tx: SqlRunner) => Promise<T>): Promise<T>;
  /**
   * LISTENs on `channel` on a dedicated connection. `onLost` is called once when that
   * connection fails; the returned function UNLISTENs and gives the connection back.
   */
  listen(channel: string, onNotify: () => void, onLost: () => void): Promise<() => Promise<void>>;
  /** Releases what the store itself opened (never a pool or PGlite instance the caller owns). */
  close(): Promise<void>;
}

/** A statement with its parameters and the type parsers its rows are read with (`pg`'s `QueryConfig`). */
export interface PgQueryConfig {
  readonly text: string;
  readonly values?: unknown[];
  readonly types?: typeof PG_TYPES;
}

/** The part of a `pg` `PoolClient` the store uses. A real `pg.PoolClient` satisfies it. */
export interface PgClientLike {
  /** Runs one statement with `$1`-style parameters. */
  query(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
  /** Runs one statement given as a config object (with kesu's own type parsers). */
  query(config: PgQueryConfig): Promise<{ rows: unknown[] }>;
  /** Returns the client to the pool; `true` or an error destroys the connection instead. */
  release(destroy?: Error | boolean): void;
  /** Listens for `NOTIFY` messages (the store's change feed). */
  on(
    event: "notification",
    listener: (message: { channel: string; payload?: string | undefined }) => void,
  ): unknown;
  /** Listens for a connection error. */
  on(event: "error", listener: (error: Error) => void): unknown;
  /** Listens for the connection closing. */
  on(event: "end", listener: () => void): unknown;
  /** Stops listening for `NOTIFY` messages. */
  removeListener(event: "notification", listener: (message: { channel: string }) => void): unknown;
  /** Stops listening for connection errors. */
  removeListener(event: "error", listener: (error: Error) => void): unknown;
  /** Stops listening for the connection closing. */
  removeListener(event: "end", listener: () => void): unknown;
}

/** The part of a `pg` `Pool` the store uses. A real `pg.Pool` satisfies it. */
export interface PgPoolLike {
  /** Checks a client out of the pool, for a transaction or a `LISTEN`. */
  connect(): Promise<PgClientLike>;
  /** Runs one statement on any pooled connection. */
  query(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
  /** Runs one statement given as a config object (with kesu's own type parsers). */
  query(config: PgQueryConfig): Promise<{ rows: unknown[] }>;
  /** Closes every connection of the pool. */
  end(): Promise<void>;
}

/** The part of a PGlite instance (`@electric-sql/pglite`) the store uses. */
export interface PGliteLike {
  /** Runs one statement with `$1`-style parameters, its rows read with the given parsers. */
  query<R>(text: string, params?: unknown[], options?: PgliteQueryOptions): Promise<{ rows: R[] }>;
  /** Runs `work` in a transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(
    work: (tx: {
      query<R>(text: string, params?: unknown[], options?: PgliteQueryOptions): Promise<{ rows: R[] }>;
    }) => Promise<T>,
  ): Promise<T>;
  /** Listens for `NOTIFY` on `channel`; resolves with the function that stops listening. */
  listen(channel: string, callback: (payload: string) => void): Promise<() => Promise<void>>;
}

/** PGlite's per-statement options, the part kesu sets: parsers by type oid. */
export interface PgliteQueryOptions {
  readonly parsers?: Readonly<Record<number, (value: string, typeId: number) => unknown>>;
}

/**
 * kesu's own parsers for the column types its statements return, in text format: `boolean`,
 * `bigint` (kept as text, as `pg` does by default: every reader converts it), `smallint`,
 * `integer`, `json` and `jsonb`; any other type stays text. Every statement names these, because
 * `pg` keeps one table of parsers per process (`pg.types.setTypeParser`) that other code may
 * change: Emmett's PostgreSQL store, for one, turns `bigint` into `BigInt` and revives long
 * digit strings inside `jsonb` as `BigInt`. kesu's reads mean the same whatever else the process
 * loaded. Arrays are selected as `json` (`to_json`), so no array parser is needed.
 */
const TEXT_PARSERS: Readonly<Record<number, (value: string) => unknown>> = {
  16: (value) => value === "t",
  20: (value) => value,
  21: (value) => Number.parseInt(value, 10),
  23: (value) => Number.parseInt(value, 10),
  114: (value) => JSON.parse(value),
  3802: (value) => JSON.parse(value),
};

const asText = (value: unknown) => value;

/** The `types` of every `pg` statement kesu runs (see {@link TEXT_PARSERS}). */
export const PG_TYPES = {
  getTypeParser: (oid: number, format?: "text" | "binary") =>
    format === "binary" ? asText : (TEXT_PARSERS[oid] ?? asText),
};

/** The same parsers for PGlite, whose instance may have been given others. */
const PGLITE_OPTIONS: PgliteQueryOptions = { parsers: TEXT_PARSERS };

// SQLSTATE classes and codes of a connection that went away, and the driver's own messages
// for a socket that closed under it. Retrying on a new connection can succeed.
const CONNECTION_STATES = /^(08|57P0[1-3]$|53300$)/;
const CONNECTION_CODES = new Set(["ECONNRESET", "ECONNREFUSED", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH"]);
const CONNECTION_MESSAGES =
  /Connection terminated|connection error|not queryable|timeout exceeded when trying to connect/i;

/**
 * Did `error` come from a lost or refused connection (a terminated backend, a restart, a
 * network failure) rather than from the statement? Such a read can be retried.
 */
export function isConnectionError(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" && (CONNECTION_STATES.test(code) || CONNECTION_CODES.has(code))) return true;
  const message = (error as { message?: unknown }).message;
  return typeof message === "string" && CONNECTION_MESSAGES.test(message);
}

/** Quotes an identifier for SQL (our schema and channel names are validated before this). */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Adapts a `pg` pool. `owned` pools (created from a connection string) are ended by `close()`. */
export function pgDriver(pool: PgPoolLike, owned: boolean): SqlDriver {
  const run =
    (target: Pick<PgPoolLike, "query">): SqlRunner["query"] =>
    async <R>(text: string, params: readonly unknown[] = []) => {
      const result = await target.query({ text, values: [...params], types: PG_TYPES });
      return { rows: result.rows as R[] };
    };

  return {
    query: run(pool),

    async transaction(work) {
      const client = await pool.connect();
      // A connection killed mid-transaction fails the running query; without a listener the
      // client's own "error" event would also crash the process.
      const ignore = () => {};
      client.on("error", ignore);
      let broken: Error | undefined;
      try {
        await client.query("BEGIN");
        const result = await work({ query: run(client) });
        await client.query("COMMIT");
        return result;
      } catch (error) {
        try {
          await client.query("ROLLBACK");
        } catch (rollbackError) {
          broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
        }
        throw error;
      } finally {
        // A broken client is destroyed, not reused; it keeps the listener for late events.
        if (!broken) client.removeListener("error", ignore);
        client.release(broken);
      }
    },

    async listen(channel, onNotify, onLost) {
      const client = await pool.connect();
      let done = false;
      const onNotification = (message: { channel: string }) => {
        if (message.channel === channel) onNotify();
      };
      const lost = () => {
        if (done) return;
        done = true;
        client.release(true);
        onLost();
      };
      client.on("notification", onNotification);
      client.on("error", lost);
      client.on("end", lost);
      try {
        await client.query(`LISTEN ${quoteIdent(channel)}`);
      } catch (error) {
        done = true;
        client.release(true);
        throw error;
      }
      return async () => {
        if (done) return;
        done = true;
        client.removeListener("notification", onNotification);
        client.removeListener("end", lost);
        try {
          await client.query(`UNLISTEN ${quoteIdent(channel)}`);
          client.removeListener("error", lost);
          client.release();
        } catch {
          client.release(true);
        }
      };
    },

    async close() {
      if (owned) await pool.end();
    },
  };
}

/** Adapts a PGlite instance. The caller owns it: `close()` leaves it open. */
export function pgliteDriver(db: PGliteLike): SqlDriver {
  return {
    query: <R>(text: string, params: readonly unknown[] = []) =>
      db.query<R>(text, [...params], PGLITE_OPTIONS),
    transaction: (work) =>
      db.transaction((tx) =>
        work({
          query: <R>(text: string, params: readonly unknown[] = []) =>
            tx.query<R>(text, [...params], PGLITE_OPTIONS),
        }),
      ),
    // One in-process connection: it cannot be lost, so `onLost` is never called.
    listen: (channel, onNotify) => db.listen(channel, () => onNotify()),
    close: async () => {},
  };
}

/** Creates a pool for a connection string, loading `pg` only now (it is an optional peer). */
export async function pgPoolFor(connectionString: string): Promise<PgPoolLike> {
  let pg: typeof import("pg").default;
  try {
    pg = (await import("pg")).default;
  } catch (error) {
    throw new Error("kesu/postgres: a connection string needs the pg package (npm install pg)", {
      cause: error,
    });
  }
  const pool = new pg.Pool({ connectionString });
  // An idle connection that drops is already removed from the pool; nothing else to do.
  pool.on("error", () => {});
  return pool;
}
