/**
 * `kesu/sqlite`: the event store on SQLite, through better-sqlite3 (an optional peer
 * dependency, loaded only by this entry).
 * @packageDocumentation
 */

export type {
  SqliteComplaintList,
  SqliteComplaintListConnection,
  SqliteComplaintListOptions,
  SqliteListTx,
} from "./complaintList.js";
export { createSqliteComplaintList, SQLITE_LIST_SCHEMA_VERSION } from "./complaintList.js";
export { isSchemaVersionError, SchemaVersionError } from "./migrations.js";
export { SQLITE_SCHEMA_VERSION } from "./schema.js";
export type { SqliteStoreOptions, SqliteTuning } from "./sqliteStore.js";
export { createSqliteStore } from "./sqliteStore.js";
