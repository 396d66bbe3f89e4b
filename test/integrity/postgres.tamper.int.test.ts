import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type IntegrityReport, verifyStore, verifyStream } from "../../src/index.js";
import type { PostgresEventStore } from "../../src/stores/postgres/index.js";
import { openTestDatabase, serverUrl, type TestDatabase } from "../support/postgres.js";
import { type History, records, writeHistory } from "./fixtures.js";

// Damage the rows with SQL on the store's schema, as a database administrator could, and
// expect the store's verification to name the first broken link. PGlite always; the server
// as well when KESU_PG_URL is set.
const backends = serverUrl ? (["pglite", "server"] as const) : (["pglite"] as const);

const expectBreak = (report: IntegrityReport, broken: Record<string, unknown>) =>
  expect(report).toMatchObject({ ok: false, broken });

for (const backend of backends) {
  describe(`PostgreSQL (${backend === "server" ? "PostgreSQL server" : "PGlite"}): damage to the rows is detected`, () => {
    let db: TestDatabase;
    beforeAll(async () => {
      db = await openTestDatabase(backend);
    });
    afterAll(() => db?.close());

    async function fixture() {
      const store = db.openStore();
      const h = await writeHistory(store);
      const before = await verifyStore(store);
      expect(before).toMatchObject({ ok: true, events: 8 });
      const events = `"${store.schema}".events`;
      const sql = (text: string, params: unknown[] = []) =>
        db.sql(text.replaceAll("$events", events), params);
      return { store, h, sql, head: before.ok ? before.head! : undefined };
    }

    it("an edited payload (jsonb_set)", async () => {
      const { store, h, sql } = await fixture();
      await sql(
        `UPDATE $events SET data = jsonb_set(data, '{message}', '"已处理"') WHERE stream_id = $1 AND version = 2`,
        [h.a],
      );
      const at = { kind: "content", streamId: h.a, version: 2, position: h.at(h.a, 2).position };
      expectBreak(await verifyStream(store, h.a), at);
      expectBreak(await verifyStore(store), at);
    });

    it("an edited instant, a millisecond later", async () => {
      const { store, h, sql } = await fixture();
      await sql(
        `UPDATE $events SET recorded_at = recorded_at + interval '1 millisecond' WHERE stream_id = $1 AND version = 1`,
        [h.c],
      );
      expectBreak(await verifyStore(store), { kind: "content", streamId: h.c, version: 1 });
    });

    it("a deleted event in the middle of a stream", async () => {
      const { store, h, sql } = await fixture();
      await sql("DELETE FROM $events WHERE stream_id = $1 AND version = 2", [h.a]);
      expectBreak(await verifyStream(store, h.a), { kind: "version-gap", version: 3, expected: "version 2" });
      expectBreak(await verifyStore(store), { kind: "log-chain", position: h.at(h.c, 1).position });
    });

    it("a deleted newest event of a stream", async () => {
      const { store, h, sql } = await fixture();
      await sql("DELETE FROM $events WHERE stream_id = $1 AND version = 3", [h.a]);
      expectBreak(await verifyStream(store, h.a), { kind: "stream-info", found: "version 2" });
      expectBreak(await verifyStore(store), { kind: "log-chain", position: h.at(h.c, 2).position });
    });

    it("the log's last event deleted and its stream rewound: the anchor catches it", async () => {
      const { store, h, sql, head } = await fixture();
      await sql("DELETE FROM $events WHERE position = $1", [head!.position]);
      await sql(`UPDATE "${store.schema}".streams SET version = 2 WHERE stream_id = $1`, [h.b]);
      expect(await verifyStore(store)).toMatchObject({ ok: true, events: 7 });
      expectBreak(await verifyStore(store, { anchors: [head!] }), {
        kind: "anchor",
        position: head!.position,
      });
    });

    it("two events of different streams swapped in the log", async () => {
      const { store, h, sql } = await fixture();
      const [p, q] = [h.at(h.b, 1).position, h.at(h.c, 1).position];
      // Positions are GENERATED ALWAYS: the rows are taken out and put back at each other's place.
      const moved = `"${store.schema}".moved`;
      await sql(`CREATE TABLE ${moved} AS SELECT * FROM $events WHERE position IN ($1, $2)`, [p, q]);
      await sql("DELETE FROM $events WHERE position IN ($1, $2)", [p, q]);
      await sql(
        `INSERT INTO $events OVERRIDING SYSTEM VALUE
         SELECT CASE WHEN position = $1 THEN $2::bigint ELSE $1::bigint END, stream_id, version, event_id, type,
           schema_version, occurred_at, recorded_at, actor, metadata, data, hash, prev_hash, chain FROM ${moved}`,
        [p, q],
      );
      expect(await verifyStream(store, h.b)).toMatchObject({ ok: true });
      expectBreak(await verifyStore(store), { kind: "log-chain", position: p, streamId: h.c });
    });

    it("two events of one stream swapped (versions exchanged)", async () => {
      const { store, h, sql } = await fixture();
      await sql("UPDATE $events SET version = 99 WHERE stream_id = $1 AND version = 2", [h.b]);
      await sql("UPDATE $events SET version = 2 WHERE stream_id = $1 AND version = 3", [h.b]);
      await sql("UPDATE $events SET version = 3 WHERE stream_id = $1 AND version = 99", [h.b]);
      expectBreak(await verifyStream(store, h.b), { kind: "stream-link", version: 2 });
      // In log order the old third event now comes first, numbered 3.
      expectBreak(await verifyStore(store), {
        kind: "version-gap",
        position: h.at(h.b, 2).position,
        found: "version 3",
      });
    });

    it("a seal column rewritten by hand", async () => {
      const { store, h, sql } = await fixture();
      await sql("UPDATE $events SET chain = $2 WHERE position = $1", [h.at(h.b, 2).position, "f".repeat(64)]);
      expectBreak(await verifyStore(store), {
        kind: "log-chain",
        position: h.at(h.b, 2).position,
        found: "f".repeat(64),
      });
      expect(await verifyStream(store, h.b)).toMatchObject({ ok: true });
    });

    it("an upgrade seals the rows an older schema wrote, exactly as appends seal them", async () => {
      const schema = db.newSchema();
      let store: PostgresEventStore = db.openStore({ schema });
      const h: History = await writeHistory(store);
      const sealed = await records(store);
      await store.close();
      await db.sql(
        `ALTER TABLE "${schema}".events DROP COLUMN hash, DROP COLUMN prev_hash, DROP COLUMN chain`,
      );
      await db.sql(`DELETE FROM "${schema}".migrations WHERE version = 2`);
      store = db.openStore({ schema });
      expect(await records(store)).toEqual(sealed);
      expect(await verifyStore(store)).toMatchObject({ ok: true, events: h.log.length });
      // A writer that does not seal (an older kesu still running) is refused, not let through.
      const unsealed = await db
        .sql(
          `INSERT INTO "${schema}".events (stream_id, version, event_id, type, schema_version, occurred_at,
             recorded_at, actor, metadata, data)
           SELECT stream_id, 4, event_id || 'x', type, schema_version, occurred_at, recorded_at, actor, metadata, data
           FROM "${schema}".events WHERE stream_id = $1 AND version = 3`,
          [h.b],
        )
        .catch((error: unknown) => error);
      expect(String(unsealed)).toMatch(/null value in column "(hash|prev_hash|chain)"/);
    });

    it("an upgrade from schema 2 (no append_events) continues the chain of the rows already there", async () => {
      const schema = db.newSchema();
      let store: PostgresEventStore = db.openStore({ schema });
      await writeHistory(store);
      const sealed = await records(store);
      await store.close();
      await db.sql(`DROP FUNCTION "${schema}".append_events`);
      await db.sql(`DROP FUNCTION "${schema}".append_to_stream`);
      await db.sql(`DROP FUNCTION "${schema}".append_group`);
      await db.sql(`DELETE FROM "${schema}".migrations WHERE version >= 3`);
      store = db.openStore({ schema });
      await writeHistory(store);
      const after = await records(store);
      expect(after.slice(0, sealed.length)).toEqual(sealed);
      expect(await verifyStore(store)).toMatchObject({ ok: true, events: 2 * sealed.length });
      const applied = await db.sql<{ version: number }>(`SELECT version FROM "${schema}".migrations`);
      expect(applied.map((row) => row.version)).toEqual(expect.arrayContaining([3, 4, 5]));
    });
  });
}
