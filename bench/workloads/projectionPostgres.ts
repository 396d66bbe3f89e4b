/**
 * Workload 3 on the PostgreSQL server: the complaint list rebuilt from zero over a stored log of
 * `events` events (the data set and log order of `projection.ts`: complaints of 20 events,
 * appended in four rounds of five).
 *
 * - kesu: `createProjectionRunner` with the PostgreSQL complaint list in the store's schema,
 *   batches of 500 read with `readAll`, each committed with its checkpoint in one transaction.
 * - Emmett: `postgreSQLEventStoreConsumer` pulling batches of 500, with a projector running
 *   `pongoSingleStreamProjection` (Emmett's documented read model on PostgreSQL: one Pongo
 *   document per complaint), and a reactor folding into a `Map` (the read side alone).
 *
 * Both logs are written through each library's own append (eight appends in flight, round by
 * round) and kept on the server between runs: kesu's in a schema of its own, Emmett's in a
 * database of its own (it has no schema option), one per size, refilled when the data or the
 * code that writes the rows changes (or with `--fresh`).
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type ReadEvent, STREAM_DOES_NOT_EXIST } from "@event-driven-io/emmett";
import {
  getPostgreSQLEventStore,
  pongoSingleStreamProjection,
  postgreSQLEventStoreConsumer,
} from "@event-driven-io/emmett-postgresql";
import { EVENT_TYPES, type EventStore } from "../../src/index.js";
import {
  createPostgresComplaintList,
  createPostgresStore,
  type PostgresComplaintList,
  SCHEMA_VERSION,
} from "../../src/stores/postgres/index.js";
import { sourceKey } from "../cache.js";
import type { BenchStream } from "../data.js";
import {
  type EmmettComplaintEvent,
  type EmmettReadEvent,
  evolveListDoc,
  type ListDoc,
  streamName,
  toEmmettEvent,
} from "../emmett/domain.js";
import type { Side, Workload } from "../harness.js";
import { databaseUrl, KESU_DB, withClient } from "../pg.js";
import { BATCH, CHUNK, DATA_VERSION, label, PER_STREAM, rebuildFor, streamChunks } from "./projection.js";

/** Appends in flight while a log is filled: group commit gathers them (at most 64 a commit). */
const FILL_WRITERS = 32;

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const emmettVersion = (
  JSON.parse(
    readFileSync(join(root, "node_modules", "@event-driven-io", "emmett-postgresql", "package.json"), "utf8"),
  ) as { version: string }
).version;

/** The key a filled log was written under (`bench_meta.fill` in its database), if any. */
async function filledKey(url: string, name: string): Promise<string | undefined> {
  return withClient(url, async (c) => {
    await c.query("CREATE SCHEMA IF NOT EXISTS bench_meta");
    await c.query("CREATE TABLE IF NOT EXISTS bench_meta.fill (name text PRIMARY KEY, key text NOT NULL)");
    const { rows } = await c.query<{ key: string }>("SELECT key FROM bench_meta.fill WHERE name = $1", [
      name,
    ]);
    return rows[0]?.key;
  });
}

async function recordFill(url: string, name: string, key: string | null): Promise<void> {
  await withClient(url, async (c) => {
    if (key === null) await c.query("DELETE FROM bench_meta.fill WHERE name = $1", [name]);
    else
      await c.query(
        "INSERT INTO bench_meta.fill (name, key) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET key = excluded.key",
        [name, key],
      );
  });
}

/** Runs `work` over `items` with `writers` calls in flight, in order of start. */
async function inFlight<T>(
  items: readonly T[],
  writers: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: writers }, worker));
}

/** Round by round, each stream's next five events, through `append`. */
async function fill(
  events: number,
  append: (s: BenchStream, round: number, slice: BenchStream["events"]) => Promise<void>,
): Promise<void> {
  for (let round = 0; round < PER_STREAM / CHUNK; round++)
    for (const { streams } of streamChunks(events))
      await inFlight(streams, FILL_WRITERS, (s) =>
        append(s, round, s.events.slice(round * CHUNK, (round + 1) * CHUNK)),
      );
}

/** PostgreSQL server: kesu store and PostgreSQL list; Emmett consumer into Pongo and a Map. */
export function projectionPostgresWorkload(
  pgUrl: string,
  events: number,
  fresh: boolean,
  id = "projection.postgres",
): Workload {
  const kesuUrl = databaseUrl(pgUrl, KESU_DB);
  const kesuSchema = `bench_projection_${events}`;
  const emmettDb = `kesu_bench_emmett_projection_${events}`;
  const emmettUrl = databaseUrl(pgUrl, emmettDb);
  const lastPosition = BigInt(events);
  let store: EventStore | undefined;
  let list: PostgresComplaintList | undefined;
  const notes = [
    "kesu reads the log with readAll (every row parsed against the event schema) and commits each batch of 500 with its checkpoint in one transaction; the list keeps each complaint's row, state and events.",
    "Emmett's consumer pulls batches of 500 (pullingFrequencyInMs 0); its projector runs each batch in one transaction with its checkpoint. The Pongo line reads each complaint's document, evolves it and writes it back; the Map line is the read side alone.",
    `Both logs were written through each library's own append, ${FILL_WRITERS} appends in flight, and are kept on the server between runs (kesu: schema ${kesuSchema}; Emmett: database ${emmettDb}).`,
  ];

  async function fillKesu(): Promise<boolean> {
    // The code that writes the log's rows (not the list's, which the timed runs exercise).
    const key = sourceKey(
      [
        "src/stores/postgres/append.ts",
        "src/stores/postgres/groupCommit.ts",
        "src/stores/postgres/migrations.ts",
        "src/stores/postgres/postgresStore.ts",
        "src/integrity",
        "src/domain",
      ],
      DATA_VERSION,
      events,
      SCHEMA_VERSION,
    );
    if (!fresh && (await filledKey(kesuUrl, kesuSchema)) === key) return true;
    await recordFill(kesuUrl, kesuSchema, null);
    await withClient(kesuUrl, (c) => c.query(`DROP SCHEMA IF EXISTS ${kesuSchema} CASCADE`));
    const s = createPostgresStore({ connectionString: kesuUrl, schema: kesuSchema });
    try {
      await fill(events, async (stream, round, slice) => {
        await s.appendToStream(stream.id, slice, {
          expectedVersion: round === 0 ? "no-stream" : round * CHUNK,
        });
      });
    } finally {
      await s.close();
    }
    await withClient(kesuUrl, (c) => c.query(`VACUUM ANALYZE ${kesuSchema}.events`));
    await recordFill(kesuUrl, kesuSchema, key);
    return false;
  }

  async function fillEmmett(): Promise<boolean> {
    const key = sourceKey([], DATA_VERSION, events, `emmett-postgresql-${emmettVersion}`);
    await withClient(pgUrl, async (c) => {
      const { rows } = await c.query("SELECT 1 FROM pg_database WHERE datname = $1", [emmettDb]);
      if (rows.length === 0) await c.query(`CREATE DATABASE ${emmettDb}`);
    });
    if (!fresh && (await filledKey(emmettUrl, emmettDb)) === key) return true;
    await recordFill(emmettUrl, emmettDb, null);
    await withClient(emmettUrl, async (c) => {
      await c.query("DROP SCHEMA IF EXISTS public CASCADE");
      await c.query("CREATE SCHEMA public");
    });
    const s = getPostgreSQLEventStore(emmettUrl);
    try {
      await s.schema.migrate();
      await fill(events, async (stream, round, slice) => {
        await s.appendToStream(streamName(stream.id), slice.map(toEmmettEvent), {
          expectedStreamVersion: round === 0 ? STREAM_DOES_NOT_EXIST : BigInt(round * CHUNK),
        });
      });
    } finally {
      await s.close();
    }
    await withClient(emmettUrl, (c) => c.query("VACUUM ANALYZE emt_messages"));
    await recordFill(emmettUrl, emmettDb, key);
    return false;
  }

  const emmettSide = (sideLabel: string, into: "pongo" | "map"): Side => {
    let map = new Map<string, ListDoc>();
    return {
      lib: "emmett",
      label: sideLabel,
      async setup() {
        // Untimed: no documents, no checkpoint; the timed run is the catch-up from zero.
        await withClient(emmettUrl, async (c) => {
          await c.query("DROP TABLE IF EXISTS complaint_list");
          await c.query("DELETE FROM emt_processors");
        });
        map = new Map();
      },
      async run(deadline) {
        const consumer = postgreSQLEventStoreConsumer({
          connectionString: emmettUrl,
          pulling: { batchSize: BATCH, pullingFrequencyInMs: 0 },
        });
        let done = 0;
        const stopAfter = (m: { metadata: { globalPosition: bigint } }) =>
          m.metadata.globalPosition >= lastPosition || performance.now() > deadline;
        if (into === "pongo")
          consumer.projector<EmmettComplaintEvent>({
            processorId: "complaint-list-pongo",
            startFrom: "BEGINNING",
            stopAfter,
            projection: pongoSingleStreamProjection<ListDoc, EmmettComplaintEvent>({
              collectionName: "complaint_list",
              canHandle: [...EVENT_TYPES],
              evolve: (doc: ListDoc | null, e: ReadEvent<EmmettComplaintEvent>) => {
                done++;
                return evolveListDoc(doc, e as unknown as EmmettReadEvent);
              },
            }),
          });
        else
          consumer.reactor<EmmettComplaintEvent>({
            processorId: "complaint-list-map",
            startFrom: "BEGINNING",
            stopAfter,
            eachMessage: (e) => {
              const key = String(e.metadata.streamName);
              map.set(key, evolveListDoc(map.get(key) ?? null, e as unknown as EmmettReadEvent));
              done++;
            },
          });
        await consumer.start();
        await consumer.close();
        return done < events ? done : undefined;
      },
    };
  };

  return {
    id,
    title: `Projection rebuild from zero over ${label(events)} stored events, PostgreSQL`,
    unit: "events",
    units: events,
    rounds: 2,
    budgetMs: 15_000,
    async prepare() {
      const started = performance.now();
      const kesuHit = await fillKesu();
      const emmettHit = await fillEmmett();
      notes.push(
        `This run: kesu's log ${kesuHit ? "was already on the server" : "was filled now"}, Emmett's ${emmettHit ? "was already on the server" : "was filled now"} (${((performance.now() - started) / 1000).toFixed(0)} s).`,
      );
      store = createPostgresStore({ connectionString: kesuUrl, schema: kesuSchema });
    },
    async cleanup() {
      await store?.close();
      store = undefined;
    },
    sides: [
      {
        lib: "kesu",
        label: "kesu runner → postgres list",
        async setup() {
          list = createPostgresComplaintList({ connectionString: kesuUrl, schema: kesuSchema });
          // Empty the list and its checkpoint, untimed: the timed run is the catch-up from zero.
          await list.target.commit(list.projection.name, 0, (tx) => list!.projection.reset(tx));
        },
        run: (deadline) => rebuildFor(store!, list!, deadline),
        teardown: async () => {
          await list?.close();
          list = undefined;
        },
      },
      emmettSide("emmett consumer → pongo documents", "pongo"),
      emmettSide("emmett consumer → Map", "map"),
    ],
    notes,
  };
}
