import { existsSync, rmSync } from "node:fs";
import Database from "better-sqlite3";
import type { ComplaintId } from "../domain/ids.js";
import { createProjectionRunner } from "../projections/runner.js";
import {
  createSqliteComplaintList,
  createSqliteStore,
  type SqliteComplaintList,
} from "../stores/sqlite/index.js";
import type { Backend, CliSettings } from "./backend.js";
import { CliError, EXIT } from "./io.js";
import { parseSettings } from "./settings.js";

// The CLI's own table: kept apart from the store's `kesu_*` migrations, created only by `kesu init`.
const SETTINGS_TABLE = "kesu_cli_settings";

/** The SQLite file at `path` as a {@link Backend}. */
export function openSqliteBackend(path: string, options: { create: boolean }): Backend {
  const existed = existsSync(path);
  if (!existed && !options.create)
    throw new CliError(`no kesu database at ${path}: run kesu init (or pass --db)`, EXIT.database);
  let db: Database.Database;
  try {
    db = new Database(path, { fileMustExist: !options.create });
  } catch (error) {
    throw new CliError(`cannot open ${path}: ${(error as Error).message}`, EXIT.database);
  }
  let store: ReturnType<typeof createSqliteStore>;
  try {
    db.pragma("busy_timeout = 5000");
    db.pragma("journal_mode = WAL");
    // As the store sets for a file it opens: a commit survives a process crash; an OS crash
    // may lose the last commits but never corrupts the file.
    db.pragma("synchronous = NORMAL");
    store = createSqliteStore({ database: db });
  } catch (error) {
    db.close();
    // Nothing half-written: a file this call created and could not set up is removed again.
    if (!existed) removeDatabase(path);
    if ((error as { code?: unknown }).code === "SQLITE_NOTADB")
      throw new CliError(`${path} is not a SQLite database`, EXIT.database);
    throw error;
  }
  const lists: SqliteComplaintList[] = [];
  const hasSettings = () =>
    db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(SETTINGS_TABLE) !==
    undefined;

  return {
    label: `SQLite ${path}`,
    store,
    async readSettings() {
      if (!hasSettings()) return undefined;
      const rows = db.prepare(`SELECT key, value FROM ${SETTINGS_TABLE}`).all() as {
        key: string;
        value: string;
      }[];
      return parseSettings(rows, `SQLite ${path}`);
    },
    async writeSettings(settings: CliSettings) {
      db.transaction(() => {
        db.exec(`CREATE TABLE IF NOT EXISTS ${SETTINGS_TABLE} (key TEXT PRIMARY KEY, value TEXT NOT NULL)`);
        const put = db.prepare(
          `INSERT INTO ${SETTINGS_TABLE} (key, value) VALUES (?, ?)
           ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
        );
        for (const [key, value] of Object.entries(settings)) put.run(key, String(value));
      })();
    },
    async findCase(caseNumber: string) {
      // The store keeps case numbers beside each stream (indexed), so no fold is needed.
      const row = db.prepare("SELECT stream_id FROM kesu_streams WHERE case_number = ?").get(caseNumber) as
        | { stream_id: string }
        | undefined;
      return row?.stream_id as ComplaintId | undefined;
    },
    async lastPosition() {
      const row = db.prepare("SELECT MAX(position) AS last FROM kesu_events").get() as {
        last: number | null;
      };
      return row.last ?? 0;
    },
    async complaintList({ sla, onProgress }) {
      // The read model lives in the same file, on the same connection, next to its checkpoint.
      const list = createSqliteComplaintList({ database: db }, { sla });
      lists.push(list);
      const runner = createProjectionRunner({ store, ...list, batchSize: 1000, onProgress });
      return { runner, query: (q) => list.query(q) };
    },
    async close() {
      for (const list of lists) await list.close();
      await store.close();
      db.close();
    },
  };
}

/** Deletes a SQLite database and its WAL files. */
export function removeDatabase(path: string): void {
  for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(`${path}${suffix}`, { force: true });
}
