/**
 * Concurrency checks beside the speed figures, the same for both libraries on each backend:
 *
 * 1. create race: 20 appends that each create the same new stream at once (expected version
 *    "no stream"); how many succeed, how many events the stream holds afterwards;
 * 2. writers and a consumer: 16 writers append to their own complaints while a catch-up
 *    consumer reads the global log; every event written must be delivered exactly once;
 * 3. a failed multi-event append: a batch of five whose third event fails; all or nothing?
 *
 * In memory and on PostgreSQL the writers are concurrent calls in this process (PostgreSQL
 * runs them on separate connections). On SQLite they are separate processes, each with its
 * own store on the file.
 */

import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { getInMemoryEventStore, NO_CONCURRENCY_CHECK, STREAM_DOES_NOT_EXIST } from "@event-driven-io/emmett";
import { getPostgreSQLEventStore } from "@event-driven-io/emmett-postgresql";
import { getSQLiteEventStore } from "@event-driven-io/emmett-sqlite";
import Database from "better-sqlite3";
import pg from "pg";
import { type ComplaintEvent, type ComplaintId, createMemoryStore, type EventStore } from "../src/index.js";
import { createPostgresStore } from "../src/stores/postgres/index.js";
import { createSqliteStore } from "../src/stores/sqlite/index.js";
import { removeDb, scratchDb } from "./cache.js";
import { makeUlid } from "./data.js";
import { type EmmettComplaintEvent, streamName, toEmmettEvent } from "./emmett/domain.js";
import { freshEvent, freshReceipt } from "./events.js";
import type { Library } from "./harness.js";
import { databaseUrl, EMMETT_DB, KESU_DB, KESU_SCHEMA, query, resetEmmett, resetKesu } from "./pg.js";
import { describeError, runWriterThreads, type WriterAppend } from "./workers/writerJob.js";

export type Backend = "memory" | "sqlite" | "postgres";

/** One check on one backend for one library. */
export interface CheckResult {
  readonly check: string;
  readonly backend: Backend;
  readonly lib: Library;
  /** True when the library did what the check expects (one create, nothing lost, all or none). */
  readonly ok: boolean;
  readonly summary: string;
  readonly details: Readonly<Record<string, unknown>>;
}

type Expected = "no-stream" | "any" | number;

/** What the checks need from a store, for either library. */
interface Subject {
  readonly lib: Library;
  readonly backend: Backend;
  append(stream: string, events: readonly ComplaintEvent[], expected: Expected): Promise<void>;
  /** Events stored for the stream, counted in the store's own tables. */
  stored(stream: string): Promise<number>;
  /** The version the store's stream bookkeeping holds (0 when it has none). */
  bookkept(stream: string): Promise<number>;
  /** Emmett only: append events already in Emmett's shape, as the app hands them over. */
  appendEmmett?(stream: string, events: EmmettComplaintEvent[]): Promise<void>;
  /** Starts reading the store's log from the beginning, recording the ids it is given. */
  consumer(): Promise<Consumer>;
  /** Writes a row around the store at the third position of `stream`, as a foreign writer would. */
  foreignRow?(stream: string): Promise<void>;
  close(): Promise<void>;
}

/** What a backend states for a subject; the appends are the library's. */
type StoreParts = Pick<Subject, "stored" | "bookkept" | "consumer" | "foreignRow" | "close">;

interface Consumer {
  readonly delivered: Map<string, number>;
  stop(): Promise<void>;
}

function recorder(): Map<string, number> {
  return new Map<string, number>();
}
const record = (map: Map<string, number>, id: string) => map.set(id, (map.get(id) ?? 0) + 1);

const emmettExpected = (expected: Expected) =>
  expected === "no-stream"
    ? STREAM_DOES_NOT_EXIST
    : expected === "any"
      ? NO_CONCURRENCY_CHECK
      : BigInt(expected);

let nextSet = 100;

// --- subjects -------------------------------------------------------------------------------

function kesuSubject(backend: Backend, store: EventStore, parts: StoreParts): Subject {
  return {
    lib: "kesu",
    backend,
    append: async (stream, events, expected) => {
      await store.appendToStream(stream as ComplaintId, events, { expectedVersion: expected });
    },
    ...parts,
  };
}

type EmmettStore = {
  appendToStream(
    name: string,
    events: EmmettComplaintEvent[],
    options: { expectedStreamVersion: ReturnType<typeof emmettExpected> },
  ): Promise<unknown>;
};

function emmettSubject(backend: Backend, store: EmmettStore, parts: StoreParts): Subject {
  return {
    lib: "emmett",
    backend,
    append: async (stream, events, expected) => {
      await store.appendToStream(streamName(stream), events.map(toEmmettEvent), {
        expectedStreamVersion: emmettExpected(expected),
      });
    },
    appendEmmett: async (stream, events) => {
      await store.appendToStream(streamName(stream), events, {
        expectedStreamVersion: STREAM_DOES_NOT_EXIST,
      });
    },
    ...parts,
  };
}

async function memorySubject(lib: Library): Promise<Subject> {
  const delivered = recorder();
  if (lib === "kesu") {
    const store = createMemoryStore();
    return kesuSubject("memory", store, {
      stored: async (s) => (await store.readStream(s as ComplaintId)).length,
      bookkept: async (s) => (await store.streamInfo(s as ComplaintId))?.version ?? 0,
      consumer: async () => {
        const sub = store.subscribe({
          onEvents: (batch) => {
            for (const e of batch) record(delivered, e.id);
          },
        });
        return { delivered, stop: () => sub.close() };
      },
      close: () => store.close(),
    });
  }
  // Emmett's in-memory store has no global log to read; its after-commit hook is the feed.
  const store = getInMemoryEventStore({
    hooks: {
      onAfterCommit: (events) => {
        for (const e of events) record(delivered, String((e.metadata as { eventId?: unknown }).eventId));
      },
    },
  });
  return emmettSubject("memory", store as unknown as EmmettStore, {
    stored: async (s) => (await store.readStream(streamName(s))).events.length,
    bookkept: async (s) => Number((await store.readStream(streamName(s))).currentStreamVersion),
    consumer: async () => ({ delivered, stop: async () => {} }),
    close: async () => {},
  });
}

async function sqliteSubject(lib: Library, path: string): Promise<Subject> {
  removeDb(path);
  const consumer = () => sqliteConsumer(lib, path);
  const foreign = (stream: string) => foreignRow("sqlite", lib, path, stream);
  if (lib === "kesu") {
    const store = createSqliteStore({ path, pollMs: 0 });
    const db = new Database(path);
    const count = db.prepare<[string], { n: number }>(
      "SELECT count(*) AS n FROM kesu_events WHERE stream_id = ?",
    );
    const version = db.prepare<[string], { v: number }>(
      "SELECT version AS v FROM kesu_streams WHERE stream_id = ?",
    );
    return kesuSubject("sqlite", store, {
      stored: async (s) => count.get(s)!.n,
      bookkept: async (s) => version.get(s)?.v ?? 0,
      consumer,
      foreignRow: foreign,
      close: async () => {
        db.close();
        await store.close();
      },
    });
  }
  const store = getSQLiteEventStore({ fileName: path });
  await store.schema.migrate();
  const db = new Database(path);
  const count = db.prepare<[string], { n: number }>(
    "SELECT count(*) AS n FROM emt_messages WHERE stream_id = ?",
  );
  const version = db.prepare<[string], { v: number }>(
    "SELECT max(stream_position) AS v FROM emt_streams WHERE stream_id = ?",
  );
  return emmettSubject("sqlite", store as unknown as EmmettStore, {
    stored: async (s) => count.get(streamName(s))!.n,
    bookkept: async (s) => version.get(streamName(s))?.v ?? 0,
    consumer,
    foreignRow: foreign,
    close: async () => {
      db.close();
    },
  });
}

async function postgresSubject(lib: Library, pgUrl: string): Promise<Subject> {
  const consumer = () => postgresConsumer(lib, pgUrl);
  const foreign = (stream: string) => foreignRow("postgres", lib, pgUrl, stream);
  if (lib === "kesu") {
    await resetKesu(pgUrl);
    const pool = new pg.Pool({ connectionString: databaseUrl(pgUrl, KESU_DB), max: 24 });
    const store = createPostgresStore({ pool, schema: KESU_SCHEMA });
    await store.migrate();
    return kesuSubject("postgres", store, {
      stored: async (s) =>
        Number(
          (await pool.query(`SELECT count(*) AS n FROM ${KESU_SCHEMA}.events WHERE stream_id = $1`, [s]))
            .rows[0].n,
        ),
      bookkept: async (s) =>
        Number(
          (await pool.query(`SELECT version FROM ${KESU_SCHEMA}.streams WHERE stream_id = $1`, [s])).rows[0]
            ?.version ?? 0,
        ),
      consumer,
      foreignRow: foreign,
      close: async () => {
        await store.close();
        await pool.end();
      },
    });
  }
  await resetEmmett(pgUrl);
  const pool = new pg.Pool({ connectionString: databaseUrl(pgUrl, EMMETT_DB), max: 24 });
  const store = getPostgreSQLEventStore(databaseUrl(pgUrl, EMMETT_DB), { connectionOptions: { pool } });
  await store.schema.migrate();
  return emmettSubject("postgres", store as unknown as EmmettStore, {
    stored: async (s) =>
      Number(
        (await pool.query("SELECT count(*) AS n FROM emt_messages WHERE stream_id = $1", [streamName(s)]))
          .rows[0].n,
      ),
    bookkept: async (s) =>
      Number(
        (
          await pool.query("SELECT max(stream_position) AS v FROM emt_streams WHERE stream_id = $1", [
            streamName(s),
          ])
        ).rows[0]?.v ?? 0,
      ),
    consumer,
    foreignRow: foreign,
    close: async () => {
      await store.close();
      await pool.end().catch(() => {});
    },
  });
}

// --- 1. create race -------------------------------------------------------------------------

const CREATORS = 20;

function tally(errors: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const e of errors) counts.set(e, (counts.get(e) ?? 0) + 1);
  return [...counts].map(([e, n]) => `${n}× ${e}`).join(", ");
}

async function createRace(subject: Subject, check: string, sqlitePath?: string): Promise<CheckResult> {
  const set = nextSet++;
  const stream = makeUlid(set, 0);
  const appends: WriterAppend[] = Array.from({ length: CREATORS }, (_, i) => ({
    stream,
    events: [freshReceipt(set, i, stream)],
    expected: "no-stream",
  }));
  let outcomes: { ok: boolean; error?: string }[];
  const writerUncaught: string[] = [];
  if (sqlitePath !== undefined) {
    // Four processes of five writers: twenty appends in flight on four connections.
    const threads = [0, 1, 2, 3].map((t) => appends.slice(t * 5, t * 5 + 5).map((a) => [a]));
    const results = await runWriterThreads(subject.lib, sqlitePath, threads);
    outcomes = results.flatMap((r) => r.outcomes.flat());
    writerUncaught.push(...results.flatMap((r) => r.uncaught ?? []));
  } else {
    outcomes = await Promise.all(
      appends.map((a) =>
        subject.append(a.stream, a.events, a.expected).then(
          () => ({ ok: true }),
          (error: unknown) => ({ ok: false, error: describeError(error) }),
        ),
      ),
    );
  }
  const succeeded = outcomes.filter((o) => o.ok).length;
  const stored = await subject.stored(stream);
  const errors = outcomes.flatMap((o) => (o.ok ? [] : [o.error ?? "?"]));
  return {
    check,
    backend: subject.backend,
    lib: subject.lib,
    ok: succeeded === 1 && stored === 1,
    summary:
      `${succeeded} of ${CREATORS} creates succeeded, ${stored} event${stored === 1 ? "" : "s"} stored${errors.length ? `; others: ${tally(errors)}` : ""}` +
      (writerUncaught.length ? `; in the writer processes, uncaught: ${tally(writerUncaught)}` : ""),
    details: {
      creators: CREATORS,
      succeeded,
      stored,
      errors: tally(errors),
      writerUncaught: tally(writerUncaught),
    },
  };
}

// --- 2. writers and a consumer --------------------------------------------------------------

const WRITERS = 16;
const APPENDS_PER_WRITER = 20;

/** Each writer alternates between two complaints of its own, appending 1-3 events at a time. */
function writerPlan(set: number): WriterAppend[][] {
  let n = 0;
  return Array.from({ length: WRITERS }, (_, w) => {
    const streams = [makeUlid(set, w * 2), makeUlid(set, w * 2 + 1)];
    const versions = [0, 0];
    return Array.from({ length: APPENDS_PER_WRITER }, (_, i) => {
      const s = i % 2;
      const size = 1 + ((w + i) % 3);
      const events = Array.from({ length: size }, (_, k) =>
        freshEvent(set, n++, streams[s]!, versions[s]! + k === 0 ? 0 : 1 + ((n + k) % 9)),
      );
      const expected: Expected = versions[s] === 0 ? "no-stream" : versions[s]!;
      versions[s]! += size;
      return { stream: streams[s]!, events, expected };
    });
  });
}

async function waitForDelivery(
  consumer: Consumer,
  written: number,
  quietMs = 6000,
  capMs = 30_000,
): Promise<number> {
  const started = performance.now();
  let last = -1;
  let since = performance.now();
  for (;;) {
    const seen = [...consumer.delivered.values()].reduce((a, b) => a + b, 0);
    if (seen !== last) {
      last = seen;
      since = performance.now();
    }
    if (seen >= written && performance.now() - since > 300) break;
    if (performance.now() - since > quietMs || performance.now() - started > capMs) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return performance.now() - started;
}

async function writersAndConsumer(
  subject: Subject,
  check: string,
  sqlitePath?: string,
): Promise<CheckResult> {
  const plan = writerPlan(nextSet++);
  const consumer = await subject.consumer();
  let written: string[] = [];
  const errors: string[] = [];
  const writerUncaught: string[] = [];
  if (sqlitePath !== undefined) {
    const threads = [0, 1, 2, 3].map((t) => plan.slice(t * 4, t * 4 + 4));
    const results = await runWriterThreads(subject.lib, sqlitePath, threads);
    for (const r of results) {
      written.push(...r.written);
      for (const o of r.outcomes.flat()) if (!o.ok) errors.push(o.error ?? "?");
      writerUncaught.push(...(r.uncaught ?? []));
    }
  } else {
    await Promise.all(
      plan.map(async (appends) => {
        for (const a of appends) {
          try {
            await subject.append(a.stream, a.events, a.expected);
            written = written.concat(a.events.map((e) => e.id));
          } catch (error) {
            errors.push(describeError(error));
          }
        }
      }),
    );
  }
  const waitedMs = await waitForDelivery(consumer, written.length);
  await consumer.stop();
  const writtenSet = new Set(written);
  const lost = written.filter((id) => !consumer.delivered.has(id)).length;
  const duplicated = [...consumer.delivered.values()].filter((n) => n > 1).length;
  const phantom = [...consumer.delivered.keys()].filter((id) => !writtenSet.has(id)).length;
  const delivered = consumer.delivered.size;
  return {
    check,
    backend: subject.backend,
    lib: subject.lib,
    ok: lost === 0 && duplicated === 0 && phantom === 0 && errors.length === 0,
    summary:
      `${written.length} events written by ${WRITERS} writers, ${delivered} delivered: ${lost} lost, ${duplicated} duplicated` +
      (phantom ? `, ${phantom} delivered that no successful append wrote` : "") +
      (errors.length ? `; ${errors.length} appends failed (${tally(errors)})` : "") +
      (writerUncaught.length ? `; in the writer processes, uncaught: ${tally(writerUncaught)}` : ""),
    details: {
      written: written.length,
      delivered,
      lost,
      duplicated,
      phantom,
      failedAppends: tally(errors),
      waitedMs: Math.round(waitedMs),
    },
  };
}

// --- 3. a failed multi-event append ---------------------------------------------------------

type Failure = "unserialisable" | "nul-character" | "foreign-row";

const FAILURE_LABELS: Record<Failure, string> = {
  unserialisable: "failed batch (3rd event cannot be serialised)",
  "nul-character": "failed batch (3rd event holds a NUL the database rejects)",
  "foreign-row": "failed batch (a row already at the 3rd position)",
};

/** The batch of five, its third event broken the way `failure` says. */
function failingBatch(set: number, stream: string, failure: Failure): ComplaintEvent[] {
  const events = Array.from({ length: 5 }, (_, i) => freshEvent(set, i, stream, i));
  if (failure === "nul-character") {
    const third = events[2]!;
    events[2] = { ...third, data: { ...third.data, note: "bad\u0000byte" } } as ComplaintEvent;
  }
  return events;
}

/** Makes reading `data` of the third event throw, in the shape each library is handed. */
function poison<T extends object>(event: T): T {
  const copy = { ...event };
  Object.defineProperty(copy, "data", {
    enumerable: true,
    get() {
      throw new Error("this value cannot be serialised");
    },
  });
  return copy;
}

async function failedBatch(subject: Subject, failure: Failure): Promise<CheckResult> {
  const set = nextSet++;
  const stream = makeUlid(set, 0);
  const events = failingBatch(set, stream, failure);
  if (failure === "foreign-row") await subject.foreignRow!(stream);
  const foreign = failure === "foreign-row" ? 1 : 0;
  let error: string | undefined;
  try {
    if (failure === "unserialisable") {
      // Poisoned after the reshaping an app does, so it is the library that reads it.
      if (subject.lib === "kesu") {
        const batch = [...events];
        batch[2] = poison(batch[2]!);
        await subject.append(stream, batch, "no-stream");
      } else {
        const batch = events.map(toEmmettEvent);
        batch[2] = poison(batch[2]!);
        await subject.appendEmmett!(stream, batch);
      }
    } else await subject.append(stream, events, "no-stream");
  } catch (e) {
    error = describeError(e);
  }
  const stored = (await subject.stored(stream)) - foreign;
  const bookkept = await subject.bookkept(stream);
  const rejected = error !== undefined;
  const allOrNone = stored === 0 || stored === 5;
  const consistent = stored === 0 ? bookkept === 0 || (foreign === 1 && bookkept <= 0) : bookkept === stored;
  return {
    check: FAILURE_LABELS[failure],
    backend: subject.backend,
    lib: subject.lib,
    ok: rejected && stored === 0 && consistent,
    summary:
      `${rejected ? `append rejected (${error})` : "append reported success"}; ${stored} of 5 events stored` +
      (allOrNone ? "" : " (a partial batch)") +
      (consistent ? "" : `; the stream's bookkeeping says version ${bookkept}`),
    details: { rejected, error, stored, bookkept },
  };
}

// --- running everything ---------------------------------------------------------------------

const CHECK_TIMEOUT_MS = 60_000;

/**
 * Runs one check with a time limit, recording errors nobody caught (a driver emitting an
 * unhandled error event) instead of letting them end the benchmark.
 */
async function guarded(
  check: string,
  backend: Backend,
  lib: Library,
  work: () => Promise<CheckResult>,
): Promise<CheckResult> {
  const uncaught: string[] = [];
  const onError = (error: unknown) => uncaught.push(describeError(error));
  process.on("uncaughtException", onError);
  process.on("unhandledRejection", onError);
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const outcome = await Promise.race([
      work().catch(
        (error: unknown): CheckResult => ({
          check,
          backend,
          lib,
          ok: false,
          summary: `the check itself failed: ${describeError(error)}`,
          details: { error: describeError(error) },
        }),
      ),
      new Promise<undefined>((resolve) => {
        timer = setTimeout(() => resolve(undefined), CHECK_TIMEOUT_MS);
      }),
    ]);
    const result: CheckResult = outcome ?? {
      check,
      backend,
      lib,
      ok: false,
      summary: `did not finish within ${CHECK_TIMEOUT_MS / 1000} s`,
      details: {},
    };
    if (uncaught.length === 0) return result;
    return {
      ...result,
      ok: false,
      summary: `${result.summary}; uncaught driver errors: ${tally(uncaught)}`,
      details: { ...result.details, uncaught: tally(uncaught) },
    };
  } finally {
    if (timer) clearTimeout(timer);
    process.off("uncaughtException", onError);
    process.off("unhandledRejection", onError);
  }
}

/** One check, ready to run. */
interface Check {
  readonly label: string;
  run(): Promise<CheckResult>;
}

const PG_DELIVERY_RUNS = 3;

/** A kesu or Emmett consumer of a SQLite file, recording the ids it is given. */
async function sqliteConsumer(lib: Library, path: string): Promise<Consumer> {
  const delivered = recorder();
  if (lib === "kesu") {
    const reader = createSqliteStore({ path, pollMs: 50 });
    const sub = reader.subscribe({
      onEvents: (batch) => {
        for (const e of batch) record(delivered, e.id);
      },
    });
    return {
      delivered,
      stop: async () => {
        await sub.close();
        await reader.close();
      },
    };
  }
  const reader = getSQLiteEventStore({ fileName: path, schema: { autoMigration: "None" } });
  const consumer = reader.consumer({ pulling: { batchSize: 100, pullingFrequencyInMs: 50 } });
  consumer.processor({
    processorId: "delivery-check",
    startFrom: "BEGINNING",
    eachMessage: (m) => {
      record(delivered, String((m.metadata as { eventId?: unknown }).eventId));
    },
  });
  const running = consumer.start().catch(() => {});
  return {
    delivered,
    stop: async () => {
      await consumer.stop();
      await running;
    },
  };
}

/** A kesu or Emmett consumer of a PostgreSQL database, recording the ids it is given. */
async function postgresConsumer(lib: Library, pgUrl: string): Promise<Consumer> {
  const delivered = recorder();
  if (lib === "kesu") {
    const reader = createPostgresStore({
      connectionString: databaseUrl(pgUrl, KESU_DB),
      schema: KESU_SCHEMA,
    });
    const sub = reader.subscribe({
      onEvents: (batch) => {
        for (const e of batch) record(delivered, e.id);
      },
    });
    return {
      delivered,
      stop: async () => {
        await sub.close();
        await reader.close();
      },
    };
  }
  const reader = getPostgreSQLEventStore(databaseUrl(pgUrl, EMMETT_DB));
  const consumer = reader.consumer({ pulling: { batchSize: 100, pullingFrequencyInMs: 50 } });
  consumer.reactor({
    processorId: "delivery-check",
    startFrom: "BEGINNING",
    eachMessage: (m) => {
      record(delivered, String((m.metadata as { eventId?: unknown }).eventId));
    },
  });
  const running = consumer.start();
  return {
    delivered,
    stop: async () => {
      await consumer.stop();
      await running;
      await reader.close();
    },
  };
}

/** A row written around the store at the third position of `stream`, as a foreign writer would. */
async function foreignRow(backend: Backend, lib: Library, where: string, stream: string): Promise<void> {
  if (backend === "sqlite") {
    const db = new Database(where);
    if (lib === "kesu")
      db.prepare("INSERT INTO kesu_events (stream_id, version, event) VALUES (?, 3, '{}')").run(stream);
    else
      db.prepare(
        `INSERT INTO emt_messages (stream_id, stream_position, partition, message_kind, message_data,
           message_metadata, message_schema_version, message_type, message_id, is_archived)
         VALUES (?, 3, 'emt:default', 'E', '{}', '{}', '0', 'Foreign', 'foreign', 0)`,
      ).run(streamName(stream));
    db.close();
    return;
  }
  if (lib === "kesu") {
    // The events table refers to the stream's row: the foreign writer makes one too.
    await query(
      where,
      KESU_DB,
      `INSERT INTO ${KESU_SCHEMA}.streams (stream_id, version, created_at, updated_at) VALUES ($1, 0, now(), now())`,
      [stream],
    );
    await query(
      where,
      KESU_DB,
      `INSERT INTO ${KESU_SCHEMA}.events (stream_id, version, event_id, type, schema_version, occurred_at,
         recorded_at, actor, metadata, data, hash, prev_hash, chain)
       VALUES ($1, 3, $2, 'Foreign', 1, now(), now(), '{}', '{}', '{}', '', '', '')`,
      [stream, `foreign-${stream}`],
    );
  } else
    await query(
      where,
      EMMETT_DB,
      `INSERT INTO emt_messages (stream_id, stream_position, message_data, message_metadata,
         message_schema_version, message_type, message_kind, message_id, transaction_id)
       VALUES ($1, 3, '{}', '{}', '1', 'Foreign', 'E', 'foreign', pg_current_xact_id())`,
      [streamName(stream)],
    );
}

/** One check in a backend's list; `writersAt` is the file writer processes open, if they do. */
type CheckSpec =
  | {
      readonly kind: "create race" | "writers + consumer";
      readonly label: string;
      readonly writersAt?: string | undefined;
    }
  | { readonly kind: "failed batch"; readonly failure: Failure };

const race = (label: string, writersAt?: string): CheckSpec => ({ kind: "create race", label, writersAt });
const delivery = (label: string, writersAt?: string): CheckSpec => ({
  kind: "writers + consumer",
  label,
  writersAt,
});
const failed = (...failures: Failure[]): CheckSpec[] =>
  failures.map((failure) => ({ kind: "failed batch", failure }));

/** What differs between backends, for one library: how to open a subject, and which checks run. */
interface BackendChecks {
  /** A new subject on an empty store, closed after each check. */
  open(): Promise<Subject>;
  /** The checks, in the order of the report. */
  readonly checks: readonly CheckSpec[];
}

const BACKENDS: Record<Backend, (lib: Library, pgUrl: string | undefined) => BackendChecks | undefined> = {
  memory: (lib) => ({
    open: () => memorySubject(lib),
    checks: [race("create race"), delivery("writers + consumer"), ...failed("unserialisable")],
  }),
  sqlite: (lib) => {
    // Writers in four processes (each its own connection, as separate services would be), then
    // all in one process (the usual set-up of an app with one SQLite file).
    const path = scratchDb(`checks-${lib}`);
    const arrangements = [
      [" (writers in 4 processes)", path],
      [" (writers in one process)", undefined],
    ] as const;
    return {
      open: () => sqliteSubject(lib, path),
      checks: [
        ...arrangements.flatMap(([where, writersAt]) => [
          race(`create race${where}`, writersAt),
          delivery(`writers + consumer${where}`, writersAt),
        ]),
        ...failed("unserialisable", "foreign-row"),
      ],
    };
  },
  postgres: (lib, pgUrl) =>
    pgUrl === undefined
      ? undefined
      : {
          open: () => postgresSubject(lib, pgUrl),
          checks: [
            race("create race"),
            ...Array.from({ length: PG_DELIVERY_RUNS }, (_, i) =>
              delivery(`writers + consumer (run ${i + 1})`),
            ),
            ...failed("unserialisable", "nul-character", "foreign-row"),
          ],
        },
};

/** The checks of one backend for one library. */
function checksFor(backend: Backend, lib: Library, pgUrl: string | undefined): Check[] {
  const setup = BACKENDS[backend](lib, pgUrl);
  if (setup === undefined) return [];
  const withSubject = async (work: (subject: Subject) => Promise<CheckResult>) => {
    const subject = await setup.open();
    try {
      return await work(subject);
    } finally {
      await subject.close();
    }
  };
  return setup.checks.map((spec): Check => {
    switch (spec.kind) {
      case "create race":
        return {
          label: spec.label,
          run: () => withSubject((s) => createRace(s, spec.label, spec.writersAt)),
        };
      case "writers + consumer":
        return {
          label: spec.label,
          run: () => withSubject((s) => writersAndConsumer(s, spec.label, spec.writersAt)),
        };
      case "failed batch":
        return {
          label: FAILURE_LABELS[spec.failure],
          run: () => withSubject((s) => failedBatch(s, spec.failure)),
        };
      default:
        return spec satisfies never;
    }
  });
}

/** Runs one check (in a process of its own, see runChecks). */
export async function runOneCheck(
  backend: Backend,
  lib: Library,
  label: string,
  pgUrl: string | undefined,
): Promise<CheckResult> {
  const check = checksFor(backend, lib, pgUrl).find((c) => c.label === label);
  if (!check) throw new Error(`no check ${label} for ${backend}`);
  try {
    return await guarded(label, backend, lib, () => check.run());
  } finally {
    if (backend === "sqlite") removeDb(scratchDb(`checks-${lib}`));
  }
}

const checkScript = fileURLToPath(new URL("./workers/checkOne.ts", import.meta.url));
const loaderUrl = new URL("./loader/register.mjs", import.meta.url).href;

/**
 * Runs every check, each in a process of its own: a driver that fails badly (an unhandled
 * error event, a call that never settles) cannot then disturb the checks after it.
 * PostgreSQL checks only with a server.
 */
export async function runChecks(
  pgUrl: string | undefined,
  log: (line: string) => void,
): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const backends: Backend[] = pgUrl === undefined ? ["memory", "sqlite"] : ["memory", "sqlite", "postgres"];
  for (const backend of backends)
    for (const lib of ["kesu", "emmett"] as const)
      for (const { label } of checksFor(backend, lib, pgUrl)) {
        const child = fork(checkScript, [], {
          execArgv: ["--import", loaderUrl],
          // Emmett's SQLite connection logs every failed transaction to stdout: keep it out of the report.
          stdio: ["ignore", "ignore", "inherit", "ipc"],
          serialization: "advanced",
        });
        const result = new Promise<CheckResult>((resolve) => {
          let received: CheckResult | undefined;
          child.on("message", (m: { result?: CheckResult }) => {
            if (m.result) received = m.result;
          });
          child.on("exit", (code) =>
            resolve(
              received ?? {
                check: label,
                backend,
                lib,
                ok: false,
                summary: `the check's process ended (${code ?? "killed"}) before reporting`,
                details: {},
              },
            ),
          );
        });
        const timer = setTimeout(() => child.kill("SIGKILL"), 2 * CHECK_TIMEOUT_MS);
        child.send({ backend, lib, label, pgUrl });
        const r = await result;
        clearTimeout(timer);
        // A check's process that was killed, or whose driver held the file open, left its file.
        if (backend === "sqlite" && child.pid !== undefined) removeDb(scratchDb(`checks-${lib}`, child.pid));
        results.push(r);
        log(
          `  ${r.check}, ${r.backend}, ${r.lib}: ${r.summary}${r.ok ? "" : "  ← not the expected outcome"}`,
        );
      }
  return results;
}
