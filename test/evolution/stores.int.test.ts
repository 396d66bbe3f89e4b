import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type ComplaintEvent,
  complaintId,
  createSealer,
  type EventStore,
  fixedClock,
  fold,
  handle,
  initialState,
  isUnknownSchemaVersionError,
  parseComplaintEvent,
  ulidGenerator,
  verifyStore,
} from "../../src/index.js";
import { tobacco } from "../../src/presets/index.js";
import { createSqliteStore } from "../../src/stores/sqlite/index.js";
import { backend, openTestDatabase, type TestDatabase } from "../support/postgres.js";
import { loadFixture, NEWER_FILE, type StoredEvent, V1_FILES } from "./load.js";

let pg: TestDatabase;
beforeAll(async () => {
  pg = await openTestDatabase();
});
afterAll(() => pg?.close());

/** A store with old rows written straight into its tables, as an older release left them. */
interface Seeded {
  readonly store: EventStore;
  /** The `schemaVersion` each stored row of this type still has. */
  storedSchemaVersions(type: string): Promise<number[]>;
}

// Rows are sealed as the release that wrote them would have (tamper evidence covers old rows too).
function rowsOf(files: readonly string[]) {
  const sealer = createSealer();
  return files
    .map(loadFixture)
    .flatMap((events) =>
      events.map((event) => ({ event, seal: sealer.seal(event.streamId, event), last: events.at(-1)! })),
    );
}

async function seedSqlite(files: readonly string[]): Promise<Seeded> {
  const database = new Database(":memory:");
  const store = createSqliteStore({ database });
  const insert = database.prepare(
    "INSERT INTO kesu_events (stream_id, version, event, hash, prev_hash, chain) VALUES (?, ?, ?, ?, ?, ?)",
  );
  const stream = database.prepare(
    `INSERT INTO kesu_streams (stream_id, version, case_number, stage, created_at, updated_at) VALUES (?, ?, ?, 'closed', ?, ?)
     ON CONFLICT (stream_id) DO NOTHING`,
  );
  for (const { event, seal, last } of rowsOf(files)) {
    const { streamId, version, ...body } = event;
    insert.run(streamId, version, JSON.stringify(body), seal.hash, seal.prevHash, seal.chain);
    stream.run(streamId, last.version, caseNumberOf(files, streamId), event.recordedAt, last.recordedAt);
  }
  return {
    store,
    async storedSchemaVersions(type) {
      const rows = database.prepare("SELECT event FROM kesu_events ORDER BY position").all() as {
        event: string;
      }[];
      return rows
        .map((row) => JSON.parse(row.event) as StoredEvent)
        .filter((e) => e.type === type)
        .map((e) => e.schemaVersion);
    },
  };
}

async function seedPostgres(files: readonly string[]): Promise<Seeded> {
  const schema = pg.newSchema();
  const store = pg.openStore({ schema });
  await store.migrate();
  for (const { event, seal, last } of rowsOf(files)) {
    await pg.sql(
      `INSERT INTO "${schema}".streams (stream_id, version, case_number, stage, created_at, updated_at)
       VALUES ($1, $2, $3, 'closed', $4, $5) ON CONFLICT (stream_id) DO NOTHING`,
      [event.streamId, last.version, caseNumberOf(files, event.streamId), event.recordedAt, last.recordedAt],
    );
    await pg.sql(
      `INSERT INTO "${schema}".events (stream_id, version, event_id, type, schema_version, occurred_at, recorded_at,
         actor, metadata, data, hash, prev_hash, chain)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
      [
        event.streamId,
        event.version,
        event.id,
        event.type,
        event.schemaVersion,
        event.occurredAt,
        event.recordedAt,
        JSON.stringify(event.actor),
        JSON.stringify(event.metadata),
        JSON.stringify(event.data),
        seal.hash,
        seal.prevHash,
        seal.chain,
      ],
    );
  }
  return {
    store,
    async storedSchemaVersions(type) {
      const rows = await pg.sql<{ schema_version: number }>(
        `SELECT schema_version FROM "${schema}".events WHERE type = $1 ORDER BY position`,
        [type],
      );
      return rows.map((row) => row.schema_version);
    },
  };
}

function caseNumberOf(files: readonly string[], streamId: string): string {
  const received = files.flatMap(loadFixture).find((e) => e.streamId === streamId && e.version === 1)!;
  return received.data.caseNumber as string;
}

const expected = (file: string): ComplaintEvent[] =>
  loadFixture(file).map((e) => {
    const parsed = parseComplaintEvent(e);
    if (!parsed.ok) throw new Error(parsed.issues);
    return parsed.event;
  });

const withoutPosition = (events: readonly ComplaintEvent[]) =>
  events.map(({ position: _position, ...e }: ComplaintEvent & { position?: number }) => e);

describe.each([
  ["SQLite", seedSqlite],
  [backend, seedPostgres],
])("v1 rows in %s", (_name, seed) => {
  it("R-30 R-33 are read upcast and fold as before; the rows stay as written and their seals verify", async () => {
    const { store, storedSchemaVersions } = await seed(V1_FILES);
    for (const file of V1_FILES) {
      const want = expected(file);
      const id = complaintId(want[0]!.streamId);
      const read = await store.readStream(id);
      expect(withoutPosition(read)).toEqual(want);
      expect(fold(initialState(id), read)).toEqual(fold(initialState(id), want));
    }
    const all = await store.readAll();
    expect(all.filter((e) => e.type === "ComplaintClosed").map((e) => [e.schemaVersion, e.data])).toEqual([
      [2, { outcome: "resolved", summary: expect.stringContaining("复检合格"), gates: { educated: true } }],
      [2, { outcome: "answered", gates: { educated: false } }],
      [
        2,
        { outcome: "not-established", summary: expect.stringContaining("撤诉"), gates: { educated: false } },
      ],
    ]);
    expect(await storedSchemaVersions("ComplaintClosed")).toEqual([1, 1, 1]);
    expect(await verifyStore(store)).toMatchObject({ ok: true, events: all.length });
  });

  it("R-12 a case closed under v1 reopens and closes again: one stream holds both versions", async () => {
    const { store, storedSchemaVersions } = await seed(V1_FILES);
    const id = complaintId(expected(V1_FILES[1])[0]!.streamId);
    const clock = fixedClock("2025-10-09T02:00:00.000Z");
    const ctx = {
      clock,
      ids: ulidGenerator({ clock, seed: 3 }),
      actor: { id: "kf-014", role: "staff", unit: "customer-service" },
      policy: tobacco,
    };
    for (const command of [
      {
        type: "ReopenComplaint",
        reason: "new-information",
        description: "客户补充：希望了解换证是否需要现场核查",
      },
      {
        type: "ProposeResolution",
        remedy: { kinds: ["answer"], description: "告知换证需现场核查经营场所，约定核查时间" },
      },
      { type: "AcceptResolution" },
      { type: "CloseComplaint" },
    ]) {
      const result = await handle(store, id, command, ctx);
      if (!result.ok) throw new Error(result.rejection.message);
    }
    const events = await store.readStream(id);
    const state = fold(initialState(id), events);
    expect(state).toMatchObject({ stage: "closed", cycle: 2, closure: { outcome: "answered" } });
    const closures = events.filter((e) => e.type === "ComplaintClosed").map((e) => e.data);
    expect(closures).toEqual([
      { outcome: "answered", gates: { educated: false } },
      {
        outcome: "answered",
        gates: {
          causeFound: false,
          solved: true,
          measuresInPlace: false,
          accountable: false,
          educated: false,
        },
      },
    ]);
    expect(await storedSchemaVersions("ComplaintClosed")).toEqual([1, 1, 1, 2]);
  });

  it("an event from a newer kesu is an UnknownSchemaVersionError naming stream, version and schemaVersion", async () => {
    const { store } = await seed([NEWER_FILE]);
    const streamId = loadFixture(NEWER_FILE)[0]!.streamId;
    for (const read of [() => store.readStream(complaintId(streamId)), () => store.readAll()]) {
      const error = await read().catch((e: unknown) => e);
      expect(isUnknownSchemaVersionError(error)).toBe(true);
      expect(error).toMatchObject({
        code: "store/unknown-schema-version",
        streamId,
        version: 2,
        type: "ComplaintClosed",
        schemaVersion: 3,
        known: 2,
      });
      expect(String(error)).toContain(`stream ${streamId} version 2: ComplaintClosed has schemaVersion 3`);
    }
  });
});
