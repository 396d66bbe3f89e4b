import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import {
  createSealer,
  type EventStore,
  type IntegrityReport,
  verifyStore,
  verifyStream,
} from "../../src/index.js";
import { createSqliteStore } from "../../src/stores/sqlite/index.js";
import { rowEnvelope, type SealedRow } from "../../src/stores/sqlite/integrity.js";
import { tempDb } from "../stores/fixtures/tempDb.js";
import { type History, records, writeHistory } from "./fixtures.js";

// Damage a real SQLite file through a second connection, as someone with the file would, and
// expect the store's verification to name the first broken link.
const open: { close(): unknown }[] = [];
const temps: { remove(): void }[] = [];
afterEach(async () => {
  for (const x of open.splice(0).reverse()) await x.close();
  for (const t of temps.splice(0)) t.remove();
});

async function fixture() {
  const file = tempDb();
  temps.push(file);
  const store = createSqliteStore({ path: file.path });
  open.push(store);
  const h = await writeHistory(store);
  const db = new Database(file.path);
  open.push(db);
  const before = await verifyStore(store);
  expect(before).toMatchObject({ ok: true, events: 8 });
  return { store, h, db, head: before.ok ? before.head! : undefined };
}

const expectBreak = (report: IntegrityReport, broken: Record<string, unknown>) =>
  expect(report).toMatchObject({ ok: false, broken });

/** Reseals every row in position order, as a forger covering an edit would. */
function resealAll(db: Database.Database) {
  const rows = db.prepare("SELECT * FROM kesu_events ORDER BY position").all() as SealedRow[];
  const sealer = createSealer();
  const update = db.prepare("UPDATE kesu_events SET hash = ?, prev_hash = ?, chain = ? WHERE position = ?");
  for (const row of rows) {
    const seal = sealer.seal(row.stream_id, rowEnvelope(row));
    update.run(seal.hash, seal.prevHash, seal.chain, row.position);
  }
}

describe("SQLite: damage to the file is detected", () => {
  it("an edited event (json_set on its text)", async () => {
    const { store, h, db } = await fixture();
    db.prepare(
      "UPDATE kesu_events SET event = json_set(event, '$.data.message', '已处理') WHERE stream_id = ? AND version = 2",
    ).run(h.a);
    const at = { kind: "content", streamId: h.a, version: 2, position: h.at(h.a, 2).position };
    expectBreak(await verifyStream(store, h.a), at);
    expectBreak(await verifyStore(store), at);
    expect(await verifyStream(store, h.b)).toMatchObject({ ok: true, events: 3 });
  });

  it("an edited actor, with the event's hash recomputed by the forger", async () => {
    const { store, h, db } = await fixture();
    const { hash: original } = db
      .prepare("SELECT hash FROM kesu_events WHERE stream_id = ? AND version = 1")
      .get(h.c) as { hash: string };
    db.prepare(
      "UPDATE kesu_events SET event = json_set(event, '$.actor.id', 'someone-else') WHERE stream_id = ? AND version = 1",
    ).run(h.c);
    const row = db
      .prepare("SELECT * FROM kesu_events WHERE stream_id = ? AND version = 1")
      .get(h.c) as SealedRow;
    const forged = createSealer().seal(h.c, rowEnvelope(row)).hash;
    db.prepare("UPDATE kesu_events SET hash = ? WHERE position = ?").run(forged, row.position);
    expectBreak(await verifyStream(store, h.c), {
      kind: "stream-link",
      version: 2,
      expected: forged,
      found: original,
    });
    expectBreak(await verifyStore(store), { kind: "log-chain", position: row.position });
  });

  it("a deleted event in the middle of a stream", async () => {
    const { store, h, db } = await fixture();
    db.prepare("DELETE FROM kesu_events WHERE stream_id = ? AND version = 2").run(h.a);
    expectBreak(await verifyStream(store, h.a), { kind: "version-gap", version: 3, expected: "version 2" });
    expectBreak(await verifyStore(store), { kind: "log-chain", position: h.at(h.c, 1).position });
  });

  it("a deleted newest event of a stream, its metadata left alone", async () => {
    const { store, h, db } = await fixture();
    db.prepare("DELETE FROM kesu_events WHERE stream_id = ? AND version = 3").run(h.a);
    expectBreak(await verifyStream(store, h.a), {
      kind: "stream-info",
      expected: "version 3",
      found: "version 2",
    });
    expectBreak(await verifyStore(store), { kind: "log-chain", position: h.at(h.c, 2).position });
  });

  it("the log's last event deleted and its stream rewound: the anchor catches it", async () => {
    const { store, h, db, head } = await fixture();
    db.prepare("DELETE FROM kesu_events WHERE position = ?").run(head!.position);
    db.prepare("UPDATE kesu_streams SET version = 2 WHERE stream_id = ?").run(h.b);
    expect(await verifyStore(store)).toMatchObject({ ok: true, events: 7 });
    expectBreak(await verifyStore(store, { anchors: [head!] }), {
      kind: "anchor",
      position: head!.position,
      found: "no event at this position",
    });
  });

  it("two events of different streams swapped in the log", async () => {
    const { store, h, db } = await fixture();
    const [p, q] = [h.at(h.b, 1).position, h.at(h.c, 1).position];
    const move = db.prepare("UPDATE kesu_events SET position = ? WHERE position = ?");
    db.transaction(() => {
      move.run(-1, p);
      move.run(p, q);
      move.run(q, -1);
    })();
    // Each stream alone is intact; the log's order is not.
    expect(await verifyStream(store, h.b)).toMatchObject({ ok: true });
    expect(await verifyStream(store, h.c)).toMatchObject({ ok: true });
    expectBreak(await verifyStore(store), { kind: "log-chain", position: p, streamId: h.c });
  });

  it("two events of one stream swapped (versions exchanged)", async () => {
    const { store, h, db } = await fixture();
    const renumber = db.prepare("UPDATE kesu_events SET version = ? WHERE stream_id = ? AND version = ?");
    db.transaction(() => {
      renumber.run(99, h.b, 2);
      renumber.run(2, h.b, 3);
      renumber.run(3, h.b, 99);
    })();
    expectBreak(await verifyStream(store, h.b), { kind: "stream-link", streamId: h.b, version: 2 });
  });

  it("an event moved to another stream", async () => {
    const { store, h, db } = await fixture();
    db.prepare("UPDATE kesu_events SET stream_id = ?, version = 4 WHERE stream_id = ? AND version = 2").run(
      h.a,
      h.c,
    );
    expectBreak(await verifyStream(store, h.a), { kind: "stream-link", streamId: h.a, version: 4 });
    expectBreak(await verifyStream(store, h.c), { kind: "stream-info", streamId: h.c });
  });

  it("a row inserted around the store", async () => {
    const { store, h, db } = await fixture();
    const { event } = db
      .prepare("SELECT event FROM kesu_events WHERE stream_id = ? AND version = 3")
      .get(h.b) as {
      event: string;
    };
    db.prepare("INSERT INTO kesu_events (stream_id, version, event) VALUES (?, 4, ?)").run(h.b, event);
    expectBreak(await verifyStream(store, h.b), { kind: "unsealed", version: 4, found: "none" });
    expectBreak(await verifyStore(store), { kind: "unsealed", position: 9 });
  });

  it("a forger who reseals the whole file passes the chains, but not an anchor kept elsewhere", async () => {
    const { store, h, db, head } = await fixture();
    db.prepare(
      "UPDATE kesu_events SET event = json_set(event, '$.recordedAt', '2026-03-01T00:00:00.000Z') WHERE stream_id = ? AND version = 1",
    ).run(h.a);
    resealAll(db);
    expect(await verifyStore(store)).toMatchObject({ ok: true, events: 8 });
    expectBreak(await verifyStore(store, { anchors: [head!] }), {
      kind: "anchor",
      position: head!.position,
      expected: head!.chain,
    });
  });
});

describe("SQLite: a file written before seals existed", () => {
  it("is sealed by the migration exactly as appends seal, and verifies", async () => {
    const file = tempDb();
    temps.push(file);
    let store: EventStore = createSqliteStore({ path: file.path });
    const h: History = await writeHistory(store);
    const sealed = await records(store);
    await store.close();
    // Back to schema 1: no seal columns, migration 2 not applied.
    const db = new Database(file.path);
    for (const column of ["hash", "prev_hash", "chain"])
      db.exec(`ALTER TABLE kesu_events DROP COLUMN ${column}`);
    db.prepare("DELETE FROM kesu_migrations WHERE version = 2").run();
    db.close();
    store = createSqliteStore({ path: file.path });
    open.push(store);
    expect(await records(store)).toEqual(sealed);
    expect(await verifyStore(store)).toMatchObject({ ok: true, events: h.log.length });
    const more = await store.readStream(h.c);
    const next = more
      .slice(-1)
      .map((e) => ({ ...e, metadata: { ...e.metadata, commandId: "after-upgrade" } }));
    await store.appendToStream(h.c, next, { expectedVersion: 2 });
    expect(await verifyStore(store)).toMatchObject({ ok: true, events: h.log.length + 1 });
  });
});
