/**
 * Workload 4, concurrent appends: 8 writers on PostgreSQL append one event at a time to
 * complaints drawn at random from a small hot set, so writers collide. Each writer appends with
 * the version it last saw; on a conflict it re-reads the stream (as a command handler does
 * before deciding again) and retries, until its quota of appends has landed.
 */
import { isExpectedVersionConflictError, STREAM_DOES_NOT_EXIST } from "@event-driven-io/emmett";
import { getPostgreSQLEventStore, type PostgresEventStore } from "@event-driven-io/emmett-postgresql";
import pg from "pg";
import { type ComplaintEvent, type ComplaintId, isConcurrencyError } from "../../src/index.js";
import {
  createPostgresStore,
  type PostgresEventStore as KesuPostgresStore,
} from "../../src/stores/postgres/index.js";
import { makeUlid } from "../data.js";
import { type EmmettComplaintEvent, streamName, toEmmettEvent } from "../emmett/domain.js";
import { freshEvent, random } from "../events.js";
import type { Workload } from "../harness.js";
import { databaseUrl, EMMETT_DB, KESU_DB, KESU_SCHEMA, query, resetEmmett, resetKesu } from "../pg.js";

const WRITERS = 8;
const HOT_STREAMS = 32;
const POOL_SIZE = 10;

interface Plan {
  readonly streams: readonly string[];
  /** Per writer: the stream index of each append and its event. */
  readonly writers: readonly { readonly stream: number; readonly event: ComplaintEvent }[][];
}

function plan(appendsPerWriter: number, round: number): Plan {
  const streams = Array.from({ length: HOT_STREAMS }, (_, i) => makeUlid(40 + round, i));
  let n = 0;
  const writers = Array.from({ length: WRITERS }, (_, w) => {
    const pick = random(1000 * round + w + 1);
    return Array.from({ length: appendsPerWriter }, () => {
      const stream = Math.floor(pick() * HOT_STREAMS);
      return { stream, event: freshEvent(40 + round, n++, streams[stream]!) };
    });
  });
  return { streams, writers };
}

/** Counts kept by one run. */
interface Outcome {
  conflicts: number;
  stored: number;
}

/** PostgreSQL, 8 writers. */
export function concurrentPostgresWorkload(pgUrl: string, appendsPerWriter: number): Workload {
  const total = WRITERS * appendsPerWriter;
  let round = 0;
  let current: Plan = plan(appendsPerWriter, 0);
  let kesu: KesuPostgresStore | undefined;
  let emmett: PostgresEventStore | undefined;
  let pool: pg.Pool | undefined;
  const outcomes = { kesu: [] as Outcome[], emmett: [] as Outcome[] };
  const notes = [
    `${WRITERS} writers, one event per append, streams drawn at random from ${HOT_STREAMS}; ${appendsPerWriter} successful appends per writer; on a conflict the writer re-reads the stream and retries with the version it read.`,
    `Both libraries get a pg pool of ${POOL_SIZE} connections; kesu's store takes it as \`pool\`, Emmett's as \`connectionOptions.pool\`.`,
  ];
  const fresh = () => {
    round += 1;
    current = plan(appendsPerWriter, round);
  };
  return {
    id: "concurrent.postgres",
    title: `Concurrent appends: ${WRITERS} writers, ${total.toLocaleString("en")} appends to ${HOT_STREAMS} complaints, PostgreSQL`,
    unit: "appends",
    units: total,
    rounds: 3,
    budgetMs: 60_000,
    notes,
    sides: [
      {
        lib: "kesu",
        label: "kesu postgres",
        async setup() {
          fresh();
          await resetKesu(pgUrl);
          pool = new pg.Pool({ connectionString: databaseUrl(pgUrl, KESU_DB), max: POOL_SIZE });
          kesu = createPostgresStore({ pool, schema: KESU_SCHEMA });
          await kesu.migrate();
        },
        async run() {
          const store = kesu!;
          const outcome: Outcome = { conflicts: 0, stored: 0 };
          const known = new Map<number, number>();
          await Promise.all(
            current.writers.map(async (appends) => {
              for (const { stream, event } of appends) {
                const id = current.streams[stream] as ComplaintId;
                for (;;) {
                  const expected = known.get(stream) ?? 0;
                  try {
                    const r = await store.appendToStream(id, [event], {
                      expectedVersion: expected === 0 ? "no-stream" : expected,
                    });
                    known.set(stream, r.nextExpectedVersion);
                    break;
                  } catch (error) {
                    if (!isConcurrencyError(error)) throw error;
                    outcome.conflicts += 1;
                    const events = await store.readStream(id);
                    known.set(stream, events.at(-1)?.version ?? 0);
                  }
                }
              }
            }),
          );
          outcome.stored = Number(
            (
              await query<{ n: string }>(pgUrl, KESU_DB, `SELECT count(*) AS n FROM ${KESU_SCHEMA}.events`)
            )[0]!.n,
          );
          outcomes.kesu.push(outcome);
          return undefined;
        },
        async teardown() {
          await kesu?.close();
          await pool?.end();
        },
      },
      {
        lib: "emmett",
        label: "emmett postgresql",
        async setup() {
          fresh();
          await resetEmmett(pgUrl);
          pool = new pg.Pool({ connectionString: databaseUrl(pgUrl, EMMETT_DB), max: POOL_SIZE });
          emmett = getPostgreSQLEventStore(databaseUrl(pgUrl, EMMETT_DB), { connectionOptions: { pool } });
          await emmett.schema.migrate();
        },
        async run() {
          const store = emmett!;
          const outcome: Outcome = { conflicts: 0, stored: 0 };
          const known = new Map<number, bigint>();
          await Promise.all(
            current.writers.map(async (appends) => {
              for (const { stream, event } of appends) {
                const name = streamName(current.streams[stream]!);
                const emmettEvent: EmmettComplaintEvent = toEmmettEvent(event);
                for (;;) {
                  const expected = known.get(stream) ?? 0n;
                  try {
                    const r = await store.appendToStream(name, [emmettEvent], {
                      expectedStreamVersion: expected === 0n ? STREAM_DOES_NOT_EXIST : expected,
                    });
                    known.set(stream, r.nextExpectedStreamVersion);
                    break;
                  } catch (error) {
                    if (!isExpectedVersionConflictError(error)) throw error;
                    outcome.conflicts += 1;
                    const read = await store.readStream(name);
                    known.set(stream, read.currentStreamVersion);
                  }
                }
              }
            }),
          );
          outcome.stored = Number(
            (await query<{ n: string }>(pgUrl, EMMETT_DB, "SELECT count(*) AS n FROM emt_messages"))[0]!.n,
          );
          outcomes.emmett.push(outcome);
          return undefined;
        },
        async teardown() {
          await emmett?.close();
          await pool?.end().catch(() => {});
        },
      },
    ],
    cleanup() {
      const describe = (lib: string, list: Outcome[]) =>
        `${lib}: conflicts per run ${list.map((o) => o.conflicts).join(", ")}; events stored per run ${list.map((o) => o.stored).join(", ")} (of ${total} appended)`;
      notes.push(describe("kesu", outcomes.kesu), describe("emmett", outcomes.emmett));
    },
  };
}
