import Database from "better-sqlite3";
import { type ComplaintEvent, parseComplaintEvent } from "../../domain/events.js";
import { fold } from "../../domain/evolve.js";
import type { ComplaintId } from "../../domain/ids.js";
import { initialState } from "../../domain/state.js";
import {
  type ComplaintListDoc,
  type ComplaintListPage,
  type ComplaintListQuery,
  type ComplaintListRow,
  type ComplaintListSla,
  complaintListProjection,
} from "../../projections/complaintList.js";
import type { Projection, ProjectionTarget } from "../../projections/projection.js";
import { CorruptEventError } from "../eventStore.js";
import { runMigrations, type SqliteMigration } from "./migrations.js";
import { switchToWal } from "./wal.js";

/**
 * Where the SQLite complaint list lives: the events' file `path` (the list opens its own
 * connection and closes it on `close()`), or a better-sqlite3 `database` opened on it (its pragmas
 * are yours, and it stays open). The store's options object fits as it is.
 */
export type SqliteComplaintListConnection = (
  | { readonly path: string }
  | { readonly database: Database.Database }
) & {
  /** How long a commit waits for another writer's lock, in ms (default 5 000; `path` only). */
  readonly busyTimeoutMs?: number | undefined;
};

/** Options of {@link createSqliteComplaintList}. */
export interface SqliteComplaintListOptions {
  /** With SLA settings, rows carry `slaDueAt`, `slaLate` and `slaStatus`. */
  readonly sla?: ComplaintListSla | undefined;
}

/**
 * The SQLite list's transaction: `apply` may await, and a better-sqlite3 transaction may not, so
 * a batch writes to this overlay; the target writes the overlay and the checkpoint in one
 * transaction once the batch is done.
 */
export interface SqliteListTx {
  /** The documents written in this batch, by stream. */
  readonly writes: Map<ComplaintId, ComplaintListDoc>;
  /** The batch began with a reset: documents not in `writes` are gone. */
  cleared: boolean;
}

/** A complaint list in the SQLite file of the events: the projection, its target and queries. */
export interface SqliteComplaintList {
  /** The projection that keeps the list; give it to a projection runner. */
  readonly projection: Projection<SqliteListTx>;
  /** Where the list and its checkpoint are written; give it to a projection runner. */
  readonly target: ProjectionTarget<SqliteListTx>;
  /** A page of rows in list order (receipt, then case number) and the total matching. */
  query(query?: ComplaintListQuery): Promise<ComplaintListPage>;
  /** One complaint's document: its row, its state (folded from the events) and its events. */
  get(streamId: ComplaintId): Promise<ComplaintListDoc | undefined>;
  /** Closes the connection the list opened (never a `database` you passed). */
  close(): Promise<void>;
}

// Never edit a published migration: add the next one. Kept apart from the store's
// `kesu_migrations`, whose highest version tells the store whether it may open the file.
const MIGRATIONS: readonly SqliteMigration[] = [
  {
    version: 1,
    name: "complaint list, projection checkpoints",
    sql: `
      CREATE TABLE kesu_complaint_list (
        stream_id TEXT PRIMARY KEY,
        case_number TEXT NOT NULL,
        stage TEXT NOT NULL,
        kind TEXT,
        severity TEXT,
        category TEXT,
        channel TEXT NOT NULL,
        unit TEXT NOT NULL,
        owner TEXT,
        received_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        closed_at TEXT,
        sla_due_at TEXT,
        sla_late INTEGER NOT NULL CHECK (sla_late IN (0, 1)),
        version INTEGER NOT NULL CHECK (version >= 1),
        list_row TEXT NOT NULL,
        state TEXT NOT NULL,
        events TEXT NOT NULL
      );
      CREATE INDEX kesu_complaint_list_received ON kesu_complaint_list (received_at, case_number);
      CREATE INDEX kesu_complaint_list_stage ON kesu_complaint_list (stage, received_at);
      CREATE INDEX kesu_complaint_list_severity ON kesu_complaint_list (severity, received_at);
      CREATE INDEX kesu_complaint_list_category ON kesu_complaint_list (category, received_at);
      CREATE INDEX kesu_complaint_list_unit ON kesu_complaint_list (unit, received_at);
      CREATE INDEX kesu_complaint_list_sla_due ON kesu_complaint_list (sla_due_at);
      CREATE TABLE kesu_projection_checkpoints (
        name TEXT PRIMARY KEY,
        position INTEGER NOT NULL CHECK (position >= 0),
        updated_at TEXT NOT NULL
      ) WITHOUT ROWID;
    `,
  },
];

/** The schema version of the SQLite complaint list this release writes. */
export const SQLITE_LIST_SCHEMA_VERSION: number = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/** Like the store's migration, recorded apart in `kesu_projection_migrations`. */
function migrate(db: Database.Database): void {
  runMigrations(db, { table: "kesu_projection_migrations", migrations: MIGRATIONS });
}

interface DocRow {
  readonly stream_id: string;
  readonly version: number;
  readonly list_row: string;
  readonly events: string;
}

/**
 * A stored document, checked at the boundary: the events must parse with the event schema, and
 * the state is folded from them (never trusted from JSON) and must reach the row's version.
 * @throws CorruptEventError naming the stream and what is wrong.
 */
function decodeDoc(row: DocRow): ComplaintListDoc {
  const fail = (version: number, issues: string): never => {
    throw new CorruptEventError(row.stream_id, version, `complaint list: ${issues}`);
  };
  let stored: unknown;
  try {
    stored = JSON.parse(row.events);
  } catch (error) {
    return fail(row.version, `events are not JSON (${String(error)})`);
  }
  if (!Array.isArray(stored)) return fail(row.version, "events are not a JSON array");
  const events: ComplaintEvent[] = stored.map((value: unknown, i) => {
    const parsed = parseComplaintEvent(value);
    if (!parsed.ok) return fail(i + 1, parsed.issues);
    if (parsed.event.streamId !== row.stream_id) return fail(i + 1, "an event of another stream");
    return parsed.event;
  });
  const state = fold(initialState(row.stream_id as ComplaintId), events);
  if (state.version !== row.version) fail(row.version, `the events fold to version ${state.version}`);
  return { row: JSON.parse(row.list_row) as ComplaintListRow, state, events };
}

/** `WHERE …` of a query, with `?` parameters; shared by the count and the page. */
function whereOf(q: ComplaintListQuery): { readonly sql: string; readonly params: unknown[] } {
  const terms: string[] = [];
  const params: unknown[] = [];
  const equal = (column: string, value: string | undefined) => {
    if (value === undefined) return;
    terms.push(`${column} = ?`);
    params.push(value);
  };
  if (q.stage !== undefined) {
    const stages = typeof q.stage === "string" ? [q.stage] : q.stage;
    terms.push(stages.length === 0 ? "0" : `stage IN (${stages.map(() => "?").join(", ")})`);
    params.push(...stages);
  }
  equal("kind", q.kind);
  equal("severity", q.severity);
  equal("category", q.category);
  equal("channel", q.channel);
  equal("unit", q.unit);
  equal("owner", q.owner);
  if (q.open !== undefined) terms.push(q.open ? "stage <> 'closed'" : "stage = 'closed'");
  if (q.receivedFrom !== undefined) {
    terms.push("received_at >= ?");
    params.push(q.receivedFrom.toISOString());
  }
  if (q.receivedTo !== undefined) {
    terms.push("received_at < ?");
    params.push(q.receivedTo.toISOString());
  }
  if (q.breachedAt !== undefined) {
    // A clock already late at its last event, or a running one due before the instant.
    terms.push("(sla_late = 1 OR sla_due_at < ?)");
    params.push(q.breachedAt.toISOString());
  }
  return { sql: terms.length === 0 ? "" : `WHERE ${terms.join(" AND ")}`, params };
}

/** A LIMIT or OFFSET: a whole number from 0 (NaN reads as 0, infinity as no limit). */
const count = (value: number | undefined, fallback: number) =>
  Math.min(Number.MAX_SAFE_INTEGER, Math.max(0, Math.trunc(value ?? fallback))) || 0;

/**
 * The complaint list in the same SQLite file as the events, for `createProjectionRunner`
 * with a SQLite store. Rows have real columns for everything a query filters or sorts on, so
 * `query` runs in SQL; each document keeps its events as JSON. `target.commit` writes a batch
 * and the checkpoint in one transaction: after a crash the runner resumes from the checkpoint,
 * and no batch is applied twice or half.
 *
 * Several runners of the list on one file are safe: a commit whose checkpoint moved while its
 * batch was computed recomputes it, and a batch at or below the checkpoint was already applied
 * and is skipped. The tables are created by the list's own migration on open.
 * @throws SchemaVersionError when the list's tables were migrated by a newer kesu.
 * @example
 * import { calendars, createProjectionRunner } from "kesu";
 * import { createSqliteComplaintList, createSqliteStore } from "kesu/sqlite";
 *
 * const store = createSqliteStore({ path: "complaints.db" });
 * const list = createSqliteComplaintList({ path: "complaints.db" }, {
 *   sla: { policy, calendar: calendars.chinaMainland() },
 * });
 * const runner = createProjectionRunner({ store, ...list });
 * await runner.start(); // catches up, then follows appends (from other processes too)
 * const { rows, total } = await list.query({ open: true, breachedAt: new Date(), limit: 20 });
 */
export function createSqliteComplaintList(
  connection: SqliteComplaintListConnection,
  options: SqliteComplaintListOptions = {},
): SqliteComplaintList {
  const owned = "path" in connection;
  const db = owned ? new Database(connection.path) : connection.database;
  try {
    if (owned) {
      switchToWal(db, Math.max(0, Math.trunc(connection.busyTimeoutMs ?? 5_000)));
      // A commit lost to a power failure takes its checkpoint with it: the runner applies that
      // batch again, so the list does not need every commit synced.
      db.pragma("synchronous = NORMAL");
    }
    migrate(db);
  } catch (error) {
    if (owned) db.close();
    throw error;
  }

  const sql = {
    checkpoint: db.prepare<[string], { position: number | bigint }>(
      "SELECT position FROM kesu_projection_checkpoints WHERE name = ?",
    ),
    setCheckpoint: db.prepare<[string, number]>(
      `INSERT INTO kesu_projection_checkpoints (name, position, updated_at)
       VALUES (?, ?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
       ON CONFLICT (name) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at`,
    ),
    doc: db.prepare<[string], DocRow>(
      "SELECT stream_id, version, list_row, events FROM kesu_complaint_list WHERE stream_id = ?",
    ),
    put: db.prepare(
      `INSERT INTO kesu_complaint_list (stream_id, case_number, stage, kind, severity, category, channel,
         unit, owner, received_at, updated_at, closed_at, sla_due_at, sla_late, version, list_row, state, events)
       VALUES (@streamId, @caseNumber, @stage, @kind, @severity, @category, @channel, @unit, @owner,
         @receivedAt, @updatedAt, @closedAt, @slaDueAt, @slaLate, @version, @listRow, @state, @events)
       ON CONFLICT (stream_id) DO UPDATE SET case_number = excluded.case_number, stage = excluded.stage,
         kind = excluded.kind, severity = excluded.severity, category = excluded.category,
         channel = excluded.channel, unit = excluded.unit, owner = excluded.owner,
         received_at = excluded.received_at, updated_at = excluded.updated_at, closed_at = excluded.closed_at,
         sla_due_at = excluded.sla_due_at, sla_late = excluded.sla_late, version = excluded.version,
         list_row = excluded.list_row, state = excluded.state, events = excluded.events`,
    ),
    clear: db.prepare("DELETE FROM kesu_complaint_list"),
  };
  let closed = false;
  const ensureOpen = () => {
    if (closed) throw new Error("the SQLite complaint list is closed");
  };
  const checkpointOf = (name: string) => Number(sql.checkpoint.get(name)?.position ?? 0);

  const write = db.transaction((name: string, seen: number, position: number, tx: SqliteListTx) => {
    // Another runner committed after this batch was computed: its reads may be stale.
    if (checkpointOf(name) !== seen) return false;
    if (tx.cleared) sql.clear.run();
    for (const { row, state, events } of tx.writes.values())
      sql.put.run({
        streamId: row.streamId,
        caseNumber: row.caseNumber,
        stage: row.stage,
        kind: row.kind,
        severity: row.severity,
        category: row.category,
        channel: row.channel,
        unit: row.unit,
        owner: row.owner,
        receivedAt: row.receivedAt,
        updatedAt: row.updatedAt,
        closedAt: row.closedAt,
        slaDueAt: row.slaDueAt,
        slaLate: row.slaLate.length > 0 ? 1 : 0,
        version: row.version,
        listRow: JSON.stringify(row),
        state: JSON.stringify(state),
        events: JSON.stringify(events),
      });
    sql.setCheckpoint.run(name, position);
    return true;
  });

  const projection = complaintListProjection<SqliteListTx>(
    {
      get(tx, id) {
        const written = tx.writes.get(id);
        if (written || tx.cleared) return written;
        const row = sql.doc.get(id);
        return row && decodeDoc(row);
      },
      put: (tx, doc) => void tx.writes.set(doc.row.streamId, doc),
      clear(tx) {
        tx.cleared = true;
        tx.writes.clear();
      },
    },
    { sla: options.sla },
  );

  // Queries differ only in which filters are set: a few dozen shapes, each prepared once.
  const statements = new Map<string, ReturnType<typeof prepareQuery>>();
  const prepareQuery = (where: string) => ({
    total: db.prepare<unknown[], { total: number }>(
      `SELECT COUNT(*) AS total FROM kesu_complaint_list ${where}`,
    ),
    page: db.prepare<unknown[], { list_row: string }>(
      `SELECT list_row FROM kesu_complaint_list ${where}
       ORDER BY received_at, case_number, stream_id LIMIT ? OFFSET ?`,
    ),
  });
  // One read transaction: the total and the page come from the same snapshot.
  const read = db.transaction((q: ComplaintListQuery): ComplaintListPage => {
    const where = whereOf(q);
    let prepared = statements.get(where.sql);
    if (!prepared) {
      prepared = prepareQuery(where.sql);
      if (statements.size < 256) statements.set(where.sql, prepared);
    }
    const total = prepared.total.get(...where.params)!.total;
    const rows = prepared.page
      .all(...where.params, count(q.limit, 50), count(q.offset, 0))
      .map((r) => JSON.parse(r.list_row) as ComplaintListRow);
    return { rows, total: Number(total) };
  });

  return {
    projection,
    target: {
      async checkpoint(name) {
        ensureOpen();
        return checkpointOf(name);
      },
      async commit(name, position, work) {
        ensureOpen();
        for (let attempt = 1; ; attempt++) {
          const seen = checkpointOf(name);
          // Position 0 is a reset (a rebuild); any other batch at or below the checkpoint is in.
          if (position !== 0 && position <= seen) return;
          const tx: SqliteListTx = { writes: new Map(), cleared: false };
          await work(tx);
          ensureOpen();
          if (write.immediate(name, seen, position, tx)) return;
          if (attempt === 10)
            throw new Error(`complaint list: checkpoint ${name} kept moving; is another runner looping?`);
        }
      },
    },
    async query(query = {}) {
      ensureOpen();
      return read(query);
    },
    async get(streamId) {
      ensureOpen();
      const row = sql.doc.get(streamId);
      return row && decodeDoc(row);
    },
    async close() {
      if (closed) return;
      closed = true;
      if (owned) db.close();
    },
  };
}
