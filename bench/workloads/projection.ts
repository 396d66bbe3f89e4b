/**
 * Workload 3, projection rebuild: build the complaint list (one row per complaint) from zero
 * over a stored log of `events` events (complaints of 20 events, appended in four rounds of
 * five events each, so the log interleaves complaints the way live traffic does).
 *
 * - kesu: `createProjectionRunner` with the complaint-list projection, batches of 500 (the
 *   runner's default), into the memory list or the SQLite list in the events' file.
 * - Emmett: a processor fed from the store's global log, folding each complaint with the
 *   Emmett-style `evolve` and writing its row: into Emmett's in-memory document database
 *   (`inMemorySingleStreamProjection`, the documented way), into a `Map` (the same storage as
 *   kesu's memory list), into a SQLite table through a SQLite consumer, or into a `Map` from a
 *   SQLite consumer.
 */

import {
  getInMemoryDatabase,
  type InMemoryProcessor,
  inMemoryProjector,
  inMemorySingleStreamProjection,
  type ReadEvent,
} from "@event-driven-io/emmett";
import { getSQLiteEventStore, type SQLiteConnection, sqliteProjection } from "@event-driven-io/emmett-sqlite";
import Database from "better-sqlite3";
import {
  createMemoryComplaintList,
  createMemoryStore,
  createProjectionRunner,
  EVENT_TYPES,
  type EventStore,
  type Projection,
  type ProjectionTarget,
} from "../../src/index.js";
import {
  createSqliteComplaintList,
  createSqliteStore,
  SQLITE_SCHEMA_VERSION,
} from "../../src/stores/sqlite/index.js";
import { cachedDb, removeDb, scratchDb, sourceKey } from "../cache.js";
import { type BenchStream, makeStreams } from "../data.js";
import {
  type EmmettComplaintEvent,
  type EmmettReadEvent,
  evolveListDoc,
  type ListDoc,
  toEmmettReadEvent,
} from "../emmett/domain.js";
import type { Side, Workload } from "../harness.js";

export const PER_STREAM = 20;
export const CHUNK = 5;
export const BATCH = 500;
export const DATA_VERSION = 1;

/** Thrown from a progress callback to stop a run at its budget. */
export class Budget extends Error {
  constructor(readonly done: number) {
    super("budget");
  }
}

/**
 * kesu's timed side: the runner catches the list up from its checkpoint in batches of 500,
 * stopped at `deadline`. Returns the events applied when stopped, nothing when it finished.
 */
export async function rebuildFor<Tx>(
  store: EventStore,
  list: { readonly target: ProjectionTarget<Tx>; readonly projection: Projection<Tx> },
  deadline: number,
): Promise<number | undefined> {
  const runner = createProjectionRunner({
    store,
    target: list.target,
    projection: list.projection,
    batchSize: BATCH,
    onProgress: (_position, applied) => {
      if (performance.now() > deadline) throw new Budget(applied);
    },
  });
  try {
    await runner.catchUp();
  } catch (error) {
    if (error instanceof Budget) return error.done;
    throw error;
  }
  return undefined;
}

/** Streams per chunk when a data set is made a chunk at a time. */
const STREAM_CHUNK = 10_000;

/**
 * The streams of the data set of `events` events (the same as {@link data}'s), a chunk at a
 * time: ten million events would not fit in memory at once, twice over for both libraries.
 */
export function* streamChunks(events: number): Generator<{ first: number; streams: BenchStream[] }> {
  const total = events / PER_STREAM;
  for (let first = 0; first < total; first += STREAM_CHUNK)
    yield {
      first,
      streams: makeStreams({
        set: 3,
        streams: Math.min(STREAM_CHUNK, total - first),
        first,
        eventsPerStream: PER_STREAM,
      }),
    };
}

/** {@link fillKesu} for a data set made a chunk at a time, in the same order. */
async function fillKesuChunked(store: EventStore, events: number): Promise<void> {
  for (let round = 0; round < PER_STREAM / CHUNK; round++)
    for (const { streams } of streamChunks(events))
      for (const s of streams)
        await store.appendToStream(s.id, s.events.slice(round * CHUNK, (round + 1) * CHUNK), {
          expectedVersion: round === 0 ? "no-stream" : round * CHUNK,
        });
}

/**
 * The data set as Emmett reads it back from a global log, in log order (round by round, every
 * stream's next five events), made a chunk of streams at a time so that only these events, not
 * the streams they were cut from, stay on the heap.
 */
function emmettLog(events: number): EmmettReadEvent[] {
  const log: EmmettReadEvent[] = [];
  for (let round = 0; round < PER_STREAM / CHUNK; round++)
    for (const { streams } of streamChunks(events))
      for (const s of streams)
        for (const e of s.events.slice(round * CHUNK, (round + 1) * CHUNK))
          log.push(toEmmettReadEvent(e, log.length + 1));
  return log;
}

/**
 * Writes the data set into Emmett's SQLite schema with the rows Emmett's `appendToStream`
 * writes (checked against rows Emmett wrote itself: same columns, same JSON, same partition
 * values), in the interleaved order. Emmett's own append would take minutes for a million.
 */
async function fillEmmettSqlite(path: string, events: number): Promise<void> {
  const store = getSQLiteEventStore({ fileName: path });
  await store.schema.migrate();
  const db = new Database(path);
  db.pragma("journal_mode = WAL");
  const insertMessage = db.prepare(
    `INSERT INTO emt_messages (stream_id, stream_position, partition, message_kind, message_data,
       message_metadata, message_schema_version, message_type, message_id, is_archived)
     VALUES (?, ?, 'emt:default', 'E', ?, ?, ?, ?, ?, 0)`,
  );
  const upsertStream = db.prepare(
    `INSERT INTO emt_streams (stream_id, stream_position, partition, stream_type, stream_metadata, is_archived)
     VALUES (?, ?, '[object Object]', 'complaint', '[]', 0)
     ON CONFLICT (stream_id, partition, is_archived) DO UPDATE SET stream_position = excluded.stream_position`,
  );
  const write = db.transaction((events: readonly EmmettReadEvent[]) => {
    for (const e of events) {
      const position = Number(e.metadata.streamPosition);
      const { globalPosition: _g, ...metadata } = e.metadata;
      insertMessage.run(
        e.metadata.streamName,
        position,
        JSON.stringify(e.data),
        JSON.stringify(metadata, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v)),
        String(position - 1 - ((position - 1) % CHUNK)),
        e.type,
        e.metadata.messageId,
      );
      upsertStream.run(e.metadata.streamName, position);
    }
  });
  // The log order of `data`: round by round, every stream's next five events; positions count on.
  const total = events / PER_STREAM;
  for (let round = 0; round < PER_STREAM / CHUNK; round++)
    for (const { first, streams } of streamChunks(events)) {
      const batch: EmmettReadEvent[] = [];
      for (const [i, s] of streams.entries())
        for (const [k, e] of s.events.slice(round * CHUNK, (round + 1) * CHUNK).entries())
          batch.push(toEmmettReadEvent(e, round * total * CHUNK + (first + i) * CHUNK + k + 1));
      write(batch);
    }
  db.close();
}

export const label = (events: number) =>
  events >= 1e6 ? `${events / 1e6} M` : `${(events / 1000).toLocaleString("en")} k`;

/**
 * In-memory: kesu memory store and list; Emmett in-memory processors. With `only`, only that
 * library's data is made and only its sides run: at ten million events either library's data
 * alone fills most of this machine's memory (see `--side` in run.ts).
 */
export function projectionMemoryWorkload(
  events: number,
  id = "projection.memory",
  only?: "kesu" | "emmett",
): Workload {
  let store: EventStore | undefined;
  let list: ReturnType<typeof createMemoryComplaintList> | undefined;
  let processor: InMemoryProcessor | undefined;
  let map = new Map<string, ListDoc>();
  let log: EmmettReadEvent[] = [];
  const feed = async (p: InMemoryProcessor, deadline: number): Promise<number | undefined> => {
    for (let i = 0; i < log.length; i += BATCH) {
      await p.handle(log.slice(i, i + BATCH), {});
      if (performance.now() > deadline) return Math.min(log.length, i + BATCH);
    }
    return undefined;
  };
  return {
    id,
    title: `Projection rebuild from zero over ${label(events)} stored events, in memory`,
    unit: "events",
    units: events,
    rounds: 2,
    budgetMs: 10_000,
    async prepare() {
      if (only !== "emmett") {
        store = createMemoryStore();
        await fillKesuChunked(store, events);
      }
      if (only !== "kesu") log = emmettLog(events);
    },
    async cleanup() {
      await store?.close();
      store = undefined;
      // A million events on the heap would slow the garbage collector for every later workload.
      log = [];
    },
    sides: (
      [
        {
          lib: "kesu",
          label: "kesu runner → memory list",
          setup: () => {
            list = createMemoryComplaintList();
          },
          run: (deadline) => rebuildFor(store!, list!, deadline),
          teardown: () => {
            list = undefined;
          },
        },
        {
          lib: "emmett",
          label: "emmett projector → Map",
          async setup() {
            map = new Map();
            processor = inMemoryProjector<EmmettComplaintEvent>({
              processorId: "complaint-list-map",
              projection: {
                name: "complaint-list",
                canHandle: [...EVENT_TYPES],
                handle: async (batch) => {
                  for (const e of batch) {
                    const key = String(e.metadata.streamName);
                    map.set(key, evolveListDoc(map.get(key) ?? null, e as EmmettReadEvent));
                  }
                },
              },
            }) as unknown as InMemoryProcessor;
            await processor.start({ database: processor.database });
          },
          run: (deadline) => feed(processor!, deadline),
          teardown: async () => {
            await processor?.close({});
            processor = undefined;
          },
        },
        {
          lib: "emmett",
          label: "emmett inMemorySingleStreamProjection",
          async setup() {
            processor = inMemoryProjector<EmmettComplaintEvent>({
              processorId: "complaint-list-documents",
              connectionOptions: { database: getInMemoryDatabase() },
              projection: inMemorySingleStreamProjection<ListDoc, EmmettComplaintEvent>({
                collectionName: "complaint_list",
                canHandle: [...EVENT_TYPES],
                evolve: (doc: ListDoc | null, e: ReadEvent<EmmettComplaintEvent>) =>
                  evolveListDoc(doc, e as unknown as EmmettReadEvent),
              }),
            }) as unknown as InMemoryProcessor;
            await processor.start({ database: processor.database });
          },
          run: (deadline) => feed(processor!, deadline),
          teardown: async () => {
            await processor?.close({});
            processor = undefined;
          },
        },
      ] satisfies Side[]
    ).filter((side) => only === undefined || side.lib === only),
    notes: [
      "Emmett's in-memory store has no global log to read (no readAll, no consumer), so its processors are fed the stored events in batches of 500 directly, as a consumer would feed them.",
      "Emmett's in-memory document database keeps a collection as an array: each document update scans and copies it, so that line slows down as the list grows, and is stopped at the budget.",
    ],
  };
}

/** SQLite: kesu SQLite store and SQLite list; Emmett SQLite consumer. */
export function projectionSqliteWorkload(events: number, fresh: boolean, id = "projection.sqlite"): Workload {
  const kesuPath = scratchDb(`projection-kesu-${events}`);
  const emmettPath = scratchDb(`projection-emmett-${events}`);
  let store: EventStore | undefined;
  let list: ReturnType<typeof createSqliteComplaintList> | undefined;
  const notes = [
    "kesu reads the log with readAll (every row parsed against the event schema) and commits each batch of 500 with its checkpoint in one transaction; the list keeps each complaint's row, state and events.",
    "Emmett's SQLite consumer pulls batches of 500 (pullingFrequencyInMs 0: no pause between full batches) and its processor runs each batch in one transaction, storing its checkpoint after every message; the table line reads and writes each complaint's document per event.",
    "Emmett's rows are written straight into its schema (the same rows its appendToStream writes): appending a million events through it would take longer than the whole benchmark. kesu's rows are appended through the store once and kept in a cache file between runs.",
  ];
  const lastPosition = BigInt(events);

  const emmettSide = (sideLabel: string, into: "table" | "map"): Side => {
    let map = new Map<string, ListDoc>();
    return {
      lib: "emmett",
      label: sideLabel,
      setup: () => {
        const db = new Database(emmettPath);
        db.exec("CREATE TABLE IF NOT EXISTS complaint_list (stream_id TEXT PRIMARY KEY, doc TEXT NOT NULL)");
        db.exec("DELETE FROM complaint_list");
        db.exec("DELETE FROM emt_processors");
        db.close();
        map = new Map();
      },
      async run(deadline) {
        const emmett = getSQLiteEventStore({ fileName: emmettPath, schema: { autoMigration: "None" } });
        const consumer = emmett.consumer({ pulling: { batchSize: BATCH, pullingFrequencyInMs: 0 } });
        let done = 0;
        const stopAfter = (m: { metadata: { globalPosition: bigint } }) =>
          m.metadata.globalPosition >= lastPosition || performance.now() > deadline;
        if (into === "table")
          consumer.processor<EmmettComplaintEvent>({
            processorId: "complaint-list-table",
            startFrom: "BEGINNING",
            stopAfter,
            projection: sqliteProjection<EmmettComplaintEvent>({
              name: "complaint-list",
              canHandle: [...EVENT_TYPES],
              handle: async (batch, { connection }: { connection: SQLiteConnection }) => {
                for (const e of batch) {
                  const key = String(e.metadata.streamName);
                  const row = await connection.querySingle<{ doc: string }>(
                    "SELECT doc FROM complaint_list WHERE stream_id = ?",
                    [key],
                  );
                  const doc = evolveListDoc(
                    row ? (JSON.parse(row.doc) as ListDoc) : null,
                    e as EmmettReadEvent,
                  );
                  await connection.command(
                    "INSERT INTO complaint_list (stream_id, doc) VALUES (?, ?) ON CONFLICT (stream_id) DO UPDATE SET doc = excluded.doc",
                    [key, JSON.stringify(doc)],
                  );
                  done++;
                }
              },
            }),
          });
        else
          consumer.processor<EmmettComplaintEvent>({
            processorId: "complaint-list-map",
            startFrom: "BEGINNING",
            stopAfter,
            eachMessage: (e) => {
              const key = String(e.metadata.streamName);
              map.set(key, evolveListDoc(map.get(key) ?? null, e as EmmettReadEvent));
              done++;
            },
          });
        await consumer.start();
        await consumer.stop();
        return done < events ? done : undefined;
      },
    };
  };

  return {
    id,
    title: `Projection rebuild from zero over ${label(events)} stored events, SQLite file`,
    unit: "events",
    units: events,
    rounds: 2,
    budgetMs: 15_000,
    async prepare() {
      const kesuKey = sourceKey(
        ["src/stores/sqlite", "src/integrity", "src/domain"],
        DATA_VERSION,
        events,
        SQLITE_SCHEMA_VERSION,
      );
      const kesuHit = await cachedDb(`projection-kesu-${events}`, kesuKey, kesuPath, fresh, async (path) => {
        const s = createSqliteStore({ path, pollMs: 0 });
        await fillKesuChunked(s, events);
        await s.close();
      });
      const emmettKey = sourceKey([], DATA_VERSION, events, "emmett-sqlite-0.42");
      const emmettHit = await cachedDb(`projection-emmett-${events}`, emmettKey, emmettPath, fresh, (path) =>
        fillEmmettSqlite(path, events),
      );
      notes.push(
        `This run: kesu's file ${kesuHit ? "came from the cache" : "was filled now"}, Emmett's ${emmettHit ? "came from the cache" : "was written now"}.`,
      );
      store = createSqliteStore({ path: kesuPath, pollMs: 0 });
    },
    async cleanup() {
      await store?.close();
      removeDb(kesuPath);
      removeDb(emmettPath);
    },
    sides: [
      {
        lib: "kesu",
        label: "kesu runner → sqlite list",
        async setup() {
          list = createSqliteComplaintList({ path: kesuPath });
          // Empty the list and its checkpoint, untimed: the timed run is the catch-up from zero.
          await list.target.commit("complaint-list", 0, (tx) => list!.projection.reset(tx));
        },
        run: (deadline) => rebuildFor(store!, list!, deadline),
        teardown: async () => {
          await list?.close();
          list = undefined;
        },
      },
      emmettSide("emmett consumer → sqlite table", "table"),
      emmettSide("emmett consumer → Map", "map"),
    ],
    notes,
  };
}
