/**
 * Workload 1, append: `streams` complaint streams of 10 events each, appended one stream at a
 * time by one writer. Each stream is one append of its 10 events (a batch per stream), with
 * the expectation that the stream does not exist yet (kesu `"no-stream"`, Emmett
 * `STREAM_DOES_NOT_EXIST`). Every timed run starts from an empty store.
 */
import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  getInMemoryEventStore,
  type InMemoryEventStore,
  STREAM_DOES_NOT_EXIST,
} from "@event-driven-io/emmett";
import { getPostgreSQLEventStore, type PostgresEventStore } from "@event-driven-io/emmett-postgresql";
import { getSQLiteEventStore, type SQLiteEventStore, sqliteConnection } from "@event-driven-io/emmett-sqlite";
import { createMemoryStore, type EventStore } from "../../src/index.js";
import { createPostgresStore } from "../../src/stores/postgres/index.js";
import { createSqliteStore } from "../../src/stores/sqlite/index.js";
import { type BenchStream, makeStreams } from "../data.js";
import { type EmmettComplaintEvent, streamName, toEmmettEvent } from "../emmett/domain.js";
import type { Side, Workload } from "../harness.js";
import { databaseUrl, EMMETT_DB, KESU_DB, KESU_SCHEMA, resetEmmett, resetKesu } from "../pg.js";

/** Events per stream, and so per append, unless a workload says otherwise. */
export const EVENTS_PER_STREAM = 10;

interface Data {
  readonly streams: readonly BenchStream[];
  readonly emmett: readonly { readonly name: string; readonly events: EmmettComplaintEvent[] }[];
}

const dataCache = new Map<string, Data>();
function data(streams: number, perStream: number): Data {
  const key = `${streams}x${perStream}`;
  let d = dataCache.get(key);
  if (!d) {
    const kesu = makeStreams({ set: 1, streams, eventsPerStream: perStream });
    d = {
      streams: kesu,
      emmett: kesu.map((s) => ({ name: streamName(s.id), events: s.events.map(toEmmettEvent) })),
    };
    dataCache.clear();
    dataCache.set(key, d);
  }
  return d;
}

async function appendKesu(store: EventStore, d: Data, deadline: number): Promise<number | undefined> {
  for (let i = 0; i < d.streams.length; i++) {
    const s = d.streams[i]!;
    await store.appendToStream(s.id, s.events, { expectedVersion: "no-stream" });
    if (i % 50 === 49 && performance.now() > deadline) return (i + 1) * s.events.length;
  }
  return undefined;
}

type EmmettStore = Pick<InMemoryEventStore | SQLiteEventStore | PostgresEventStore, "appendToStream">;

async function appendEmmett(store: EmmettStore, d: Data, deadline: number): Promise<number | undefined> {
  for (let i = 0; i < d.emmett.length; i++) {
    const s = d.emmett[i]!;
    await store.appendToStream(s.name, s.events, { expectedStreamVersion: STREAM_DOES_NOT_EXIST });
    if (i % 50 === 49 && performance.now() > deadline) return (i + 1) * s.events.length;
  }
  return undefined;
}

const sizeLabel = (events: number) => `${(events / 1000).toLocaleString("en")} k`;

/** In-memory stores. */
export function appendMemoryWorkload(
  streams: number,
  perStream = EVENTS_PER_STREAM,
  id = "append.memory",
): Workload {
  let kesu: EventStore | undefined;
  let emmett: InMemoryEventStore | undefined;
  const events = streams * perStream;
  return {
    id,
    title: `Append ${sizeLabel(events)} events over ${streams.toLocaleString("en")} streams, in memory`,
    unit: "events",
    units: events,
    rounds: 3,
    budgetMs: 20_000,
    prepare: () => void data(streams, perStream),
    cleanup: () => dataCache.clear(),
    sides: [
      {
        lib: "kesu",
        label: "kesu memory store",
        setup: () => {
          kesu = createMemoryStore();
        },
        run: (deadline) => appendKesu(kesu!, data(streams, perStream), deadline),
        teardown: async () => {
          await kesu?.close();
          kesu = undefined;
        },
      },
      {
        lib: "emmett",
        label: "emmett in-memory store",
        setup: () => {
          emmett = getInMemoryEventStore();
        },
        run: (deadline) => appendEmmett(emmett!, data(streams, perStream), deadline),
        teardown: () => {
          emmett = undefined;
        },
      },
    ],
    notes: [
      `One append per stream carrying its ${perStream} events; one writer; a fresh store for every run.`,
      "Emmett's in-memory store computes each new global position by counting the events of every stream, so an append costs time in proportion to the number of streams already stored.",
    ],
  };
}

const sqlitePath = (name: string) => join(tmpdir(), `kesu-bench-${process.pid}-${name}.db`);
function removeDb(path: string) {
  for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(path + suffix, { force: true });
}

/** SQLite files in WAL mode. */
export function appendSqliteWorkload(
  streams: number,
  perStream = EVENTS_PER_STREAM,
  id = "append.sqlite",
): Workload {
  const events = streams * perStream;
  const kesuSide = (label: string, synchronous: "NORMAL" | "FULL", extra: boolean): Side => {
    const path = sqlitePath(`append-kesu-${synchronous}`);
    let store: EventStore | undefined;
    return {
      lib: "kesu",
      label,
      extra,
      setup: () => {
        removeDb(path);
        store = createSqliteStore({ path, synchronous, pollMs: 0 });
      },
      run: (deadline) => appendKesu(store!, data(streams, perStream), deadline),
      teardown: async () => {
        await store?.close();
        removeDb(path);
      },
    };
  };
  const emmettSide = (label: string, shared: boolean): Side => {
    const path = sqlitePath(`append-emmett-${shared ? "shared" : "default"}`);
    let store: SQLiteEventStore | undefined;
    let connection: ReturnType<typeof sqliteConnection> | undefined;
    return {
      lib: "emmett",
      label,
      setup: async () => {
        removeDb(path);
        connection = shared ? sqliteConnection({ fileName: path }) : undefined;
        store = connection
          ? getSQLiteEventStore({ fileName: path, connectionOptions: { singleton: true, connection } })
          : getSQLiteEventStore({ fileName: path });
        await store.schema.migrate();
      },
      run: (deadline) => appendEmmett(store!, data(streams, perStream), deadline),
      teardown: () => {
        connection?.close();
        connection = undefined;
        removeDb(path);
      },
    };
  };
  return {
    id,
    title: `Append ${sizeLabel(events)} events over ${streams.toLocaleString("en")} streams, SQLite file (WAL)`,
    unit: "events",
    units: events,
    rounds: 2,
    budgetMs: 10_000,
    prepare: () => void data(streams, perStream),
    cleanup: () => dataCache.clear(),
    sides: [
      kesuSide("kesu sqlite (synchronous=NORMAL, default)", "NORMAL", false),
      emmettSide("emmett sqlite (default: a connection per call)", false),
      emmettSide("emmett sqlite (one shared connection)", true),
      kesuSide("kesu sqlite (synchronous=FULL)", "FULL", true),
    ],
    notes: [
      `One append per stream carrying its ${perStream} events (one transaction each); one writer; a fresh file for every run.`,
      "kesu: better-sqlite3, WAL, synchronous=NORMAL by default (a commit survives a process crash, the last commits may be lost on power failure); the FULL line syncs every commit. Emmett: the sqlite3 driver, WAL, the driver's default synchronous=FULL.",
      "Emmett's documented setup (`getSQLiteEventStore({ fileName })`) opens and closes a connection for every call; the shared-connection line passes one connection through `connectionOptions`.",
    ],
  };
}

/** PostgreSQL server. */
export function appendPostgresWorkload(
  pgUrl: string,
  streams: number,
  perStream = EVENTS_PER_STREAM,
  id = "append.postgres",
): Workload {
  const events = streams * perStream;
  let kesu: ReturnType<typeof createPostgresStore> | undefined;
  let emmett: PostgresEventStore | undefined;
  return {
    id,
    title: `Append ${sizeLabel(events)} events over ${streams.toLocaleString("en")} streams, PostgreSQL`,
    unit: "events",
    units: events,
    rounds: 2,
    budgetMs: 10_000,
    prepare: () => void data(streams, perStream),
    cleanup: () => dataCache.clear(),
    sides: [
      {
        lib: "kesu",
        label: "kesu postgres",
        setup: async () => {
          await resetKesu(pgUrl);
          kesu = createPostgresStore({ connectionString: databaseUrl(pgUrl, KESU_DB), schema: KESU_SCHEMA });
          await kesu.migrate();
        },
        run: (deadline) => appendKesu(kesu!, data(streams, perStream), deadline),
        teardown: async () => {
          await kesu?.close();
        },
      },
      {
        lib: "emmett",
        label: "emmett postgresql",
        setup: async () => {
          await resetEmmett(pgUrl);
          emmett = getPostgreSQLEventStore(databaseUrl(pgUrl, EMMETT_DB));
          await emmett.schema.migrate();
        },
        run: (deadline) => appendEmmett(emmett!, data(streams, perStream), deadline),
        teardown: async () => {
          await emmett?.close();
        },
      },
    ],
    notes: [
      `One append per stream carrying its ${perStream} events (one transaction each); one writer, so one connection busy at a time; the schema is dropped and re-created before every run.`,
    ],
  };
}
