/**
 * The PostgreSQL store and list read their rows with their own type parsers. `pg` keeps one
 * table of parsers per process, and other libraries change it: Emmett's PostgreSQL store turns
 * `bigint` into `BigInt` and revives digit strings longer than 15 characters inside `jsonb` as
 * `BigInt`. A PGlite instance can be given parsers of its own the same way. Neither may change
 * what kesu reads back.
 */
import { PGlite } from "@electric-sql/pglite";
import { getPostgreSQLEventStore } from "@event-driven-io/emmett-postgresql";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import {
  type ComplaintEvent,
  type ComplaintId,
  createMemoryComplaintList,
  createMemoryStore,
  createProjectionRunner,
  type EventStore,
  verifyStore,
} from "../../src/index.js";
import {
  createPostgresComplaintList,
  createPostgresStore,
  type PostgresComplaintList,
  type PostgresEventStore,
} from "../../src/stores/postgres/index.js";
import { appendPlan, historyPlan, listSla, listSnapshot } from "../projections/listHistory.js";
import { onServer, openTestDatabase, progressEvents, type TestDatabase } from "../support/postgres.js";

/** A ULID made of digits only, as some real ULIDs are: `Number()` of it is not a safe integer. */
const digitId = (n: number) => `0000000${String(n).padStart(19, "1")}` as ComplaintId;
/** An 18-digit resident ID number, as a complainant might quote it in a message. */
const ID_NUMBER = "110101199003074514";

/** Progress events whose message is a long digit string, on a digit-only stream. */
function digitEvents(streamId: ComplaintId, count: number): ComplaintEvent[] {
  return progressEvents(streamId, count).map(
    (e) => ({ ...e, data: { ...e.data, message: ID_NUMBER } }) as ComplaintEvent,
  );
}

/** The seeded history of `listHistory`, on digit-only stream ids. */
function digitPlan() {
  const plan = historyPlan(8, 2031);
  const ids = new Map<string, ComplaintId>();
  return plan.map((append) => {
    const id = ids.get(append.streamId) ?? digitId(ids.size + 1);
    ids.set(append.streamId, id);
    return { ...append, streamId: id, events: append.events.map((e) => ({ ...e, streamId: id })) };
  });
}

/** Appends, reads and the list on `store`/`list`, checked against the memory store and list. */
async function expectReadsUnchanged(store: PostgresEventStore, list: PostgresComplaintList) {
  const plan = digitPlan();
  await appendPlan(store, plan);
  const memoryStore: EventStore = createMemoryStore();
  await appendPlan(memoryStore, plan);
  const memory = createMemoryComplaintList({ sla: listSla });
  await createProjectionRunner({ store: memoryStore, ...memory }).catchUp();
  await createProjectionRunner({ store, ...list }).catchUp();
  const expected = await listSnapshot(memory);
  expect(expected.rows.length).toBe(8);
  expect(await listSnapshot(list)).toStrictEqual(expected);

  // One append alone, then concurrent appends that go together as one group.
  const lone = digitId(90);
  const appended = [await store.appendToStream(lone, digitEvents(lone, 3), { expectedVersion: "no-stream" })];
  const grouped = [digitId(91), digitId(92), digitId(93)];
  appended.push(
    ...(await Promise.all(
      grouped.map((id) => store.appendToStream(id, digitEvents(id, 2), { expectedVersion: "no-stream" })),
    )),
  );
  for (const result of appended) {
    const read = await store.readStream(result.streamId);
    expect(read).toStrictEqual(result.events);
    expect(
      read.every(
        (e) => typeof e.position === "number" && (e.data as { message?: unknown }).message === ID_NUMBER,
      ),
    ).toBe(true);
  }
  const again = await store.appendToStream(lone, digitEvents(lone, 1), { expectedVersion: 3 });
  expect(again.events[0]?.position).toBe(
    Math.max(...appended.flatMap((r) => r.events.map((e) => e.position))) + 1,
  );

  const all = await store.readAll({ limit: 10_000 });
  expect(all.map((e) => e.position)).toStrictEqual(all.map((_, i) => i + 1));
  expect((await verifyStore(store)).ok).toBe(true);
}

describe("PostgreSQL store and list, whatever type parsers the process was given", () => {
  let server: TestDatabase | undefined;
  const saved = [20, 114, 3802].map((oid) => [oid, pg.types.getTypeParser(oid, "text")] as const);
  afterAll(async () => {
    for (const [oid, parser] of saved) pg.types.setTypeParser(oid, parser);
    await server?.close();
  });

  it.runIf(onServer)(
    "reads the same rows on the server after Emmett's store set pg's global parsers",
    async () => {
      server = await openTestDatabase("server");
      const emmett = getPostgreSQLEventStore(process.env.KESU_PG_URL!);
      await emmett.close();
      // Emmett's store changed pg's process-wide parsers: a test that runs without that proves nothing.
      expect(typeof pg.types.getTypeParser(20, "text")("1")).toBe("bigint");
      expect(typeof pg.types.getTypeParser(3802, "text")(`"${ID_NUMBER}"`)).toBe("bigint");

      const schema = server.newSchema();
      const store = server.openStore({ schema });
      const list = createPostgresComplaintList(
        { pool: server.newPool({ max: 4 }), schema },
        { sla: listSla },
      );
      try {
        await expectReadsUnchanged(store, list);
      } finally {
        await list.close();
      }
    },
  );

  it("reads the same rows on a PGlite instance given other parsers", async () => {
    const pglite = new PGlite({
      parsers: {
        20: (value: string) => BigInt(value),
        23: (value: string) => `int:${value}`,
        3802: (value: string) =>
          JSON.parse(value, (_key, v: unknown) =>
            typeof v === "string" && /^\d{16,}$/.test(v) ? BigInt(v) : v,
          ),
      },
    });
    const store = createPostgresStore({ pglite, schema: "kesu_parsers" });
    const list = createPostgresComplaintList({ pglite, schema: "kesu_parsers" }, { sla: listSla });
    try {
      await expectReadsUnchanged(store, list);
    } finally {
      await list.close();
      await store.close();
      await pglite.close();
    }
  });
});
