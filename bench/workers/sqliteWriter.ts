/**
 * A writer process for the SQLite concurrency checks: it opens its own store on the shared
 * file, says it is ready, waits for the word to go so every process starts at once, runs its
 * writers concurrently and reports each append's outcome.
 */
import { NO_CONCURRENCY_CHECK, STREAM_DOES_NOT_EXIST } from "@event-driven-io/emmett";
import { getSQLiteEventStore } from "@event-driven-io/emmett-sqlite";
import type { ComplaintId } from "../../src/index.js";
import { createSqliteStore } from "../../src/stores/sqlite/index.js";
import { streamName, toEmmettEvent } from "../emmett/domain.js";
import { describeError, type WriterJob, type WriterResult } from "./writerJob.js";

// An error event nobody listens to (the sqlite3 driver emits some under contention) would end
// the process: count it instead, and report it with the outcomes.
const uncaught: string[] = [];
process.on("uncaughtException", (error) => uncaught.push(describeError(error)));
process.on("unhandledRejection", (error) => uncaught.push(describeError(error)));

const job = await new Promise<WriterJob>((resolve) =>
  process.once("message", (m) => resolve(m as WriterJob)),
);

const kesu = job.lib === "kesu" ? createSqliteStore({ path: job.path, pollMs: 0 }) : undefined;
const emmett =
  job.lib === "emmett"
    ? getSQLiteEventStore({ fileName: job.path, schema: { autoMigration: "None" } })
    : undefined;

const go = new Promise<void>((resolve) => process.once("message", () => resolve()));
process.send!({ ready: true });
await go;

const result: WriterResult = { outcomes: [], written: [], uncaught };
await Promise.all(
  job.writers.map(async (appends, w) => {
    const outcomes: WriterResult["outcomes"][number] = [];
    result.outcomes[w] = outcomes;
    for (const append of appends) {
      try {
        if (kesu)
          await kesu.appendToStream(append.stream as ComplaintId, append.events, {
            expectedVersion: append.expected,
          });
        else
          await emmett!.appendToStream(streamName(append.stream), append.events.map(toEmmettEvent), {
            expectedStreamVersion:
              append.expected === "no-stream"
                ? STREAM_DOES_NOT_EXIST
                : append.expected === "any"
                  ? NO_CONCURRENCY_CHECK
                  : BigInt(append.expected),
          });
        outcomes.push({ ok: true });
        result.written.push(...append.events.map((e) => e.id));
      } catch (error) {
        outcomes.push({ ok: false, error: describeError(error) });
      }
    }
  }),
);
await kesu?.close();
process.send!({ done: true, result }, () => process.exit(0));
