/**
 * kesu/postgres: the event store on PostgreSQL (through the `pg` driver) or on PGlite, the
 * embedded Postgres. `pg` is an optional peer dependency: only this entry loads it, and only
 * when given a connection string.
 * @packageDocumentation
 */

export type {
  PostgresComplaintList,
  PostgresComplaintListConnection,
  PostgresComplaintListOptions,
  PostgresListTx,
} from "./complaintList.js";
export { createPostgresComplaintList, POSTGRES_LIST_SCHEMA_VERSION } from "./complaintList.js";
export type { PGliteLike, PgClientLike, PgPoolLike } from "./driver.js";
export { isConnectionError } from "./driver.js";
export { isSchemaTooNewError, SchemaTooNewError } from "./migrationRunner.js";
export { SCHEMA_VERSION } from "./migrations.js";
export type { PostgresConnection, PostgresEventStore, PostgresStoreOptions } from "./postgresStore.js";
export { createPostgresStore } from "./postgresStore.js";
