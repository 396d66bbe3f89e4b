import type { ComplaintId } from "../domain/ids.js";
import type { PresetName } from "../presets/catalog.js";
import type {
  ComplaintListPage,
  ComplaintListQuery,
  ComplaintListSla,
} from "../projections/complaintList.js";
import type { ProjectionRunner } from "../projections/runner.js";
import type { EventStore } from "../stores/eventStore.js";
import { CliError, EXIT } from "./io.js";

/** What `kesu init` remembers next to the data. */
export interface CliSettings {
  readonly preset: PresetName;
}

/** The complaint list read model of a database, with the runner that keeps it current. */
export interface CliComplaintList {
  readonly runner: ProjectionRunner;
  query(query?: ComplaintListQuery): Promise<ComplaintListPage>;
}

/** Options of {@link Backend.complaintList}. */
export interface ComplaintListOptions {
  readonly sla: ComplaintListSla;
  readonly onProgress?: ((position: number, applied: number) => void) | undefined;
}

/** One database as the CLI sees it: the event store plus the few things the CLI keeps beside it. */
export interface Backend {
  /** For messages: `SQLite kesu.db`, `PostgreSQL schema kesu`. */
  readonly label: string;
  readonly store: EventStore;
  /** The settings `kesu init` wrote, or undefined when the database was never initialised. */
  readSettings(): Promise<CliSettings | undefined>;
  writeSettings(settings: CliSettings): Promise<void>;
  /** The stream of a case number, if any. */
  findCase(caseNumber: string): Promise<ComplaintId | undefined>;
  /** The global position of the last event (0 when empty), e.g. for a progress bar's total. */
  lastPosition(): Promise<number>;
  complaintList(options: ComplaintListOptions): Promise<CliComplaintList>;
  close(): Promise<void>;
}

/** Where the data is: a SQLite file or a PostgreSQL database (and schema). */
export type Location =
  | { readonly kind: "sqlite"; readonly path: string }
  | { readonly kind: "postgres"; readonly url: string; readonly schema?: string | undefined };

/**
 * Opens the database at `location`. `create` (for `kesu init`) creates the file or schema;
 * otherwise a missing database is an error and nothing is created.
 */
export async function openBackend(location: Location, options: { create: boolean }): Promise<Backend> {
  if (location.kind === "sqlite") {
    const { openSqliteBackend } = await import("./sqliteBackend.js");
    return openSqliteBackend(location.path, options);
  }
  const { openPostgresBackend } = await import("./postgresBackend.js");
  return openPostgresBackend(location.url, location.schema, options);
}

/** Opens an initialised database and reads its settings; a clear error when it is not one. */
export async function openInitialised(
  location: Location,
): Promise<{ backend: Backend; settings: CliSettings }> {
  const backend = await openBackend(location, { create: false });
  try {
    const settings = await backend.readSettings();
    if (!settings)
      throw new CliError(`${backend.label} is not initialised: run kesu init first`, EXIT.database);
    return { backend, settings };
  } catch (error) {
    await backend.close();
    throw error;
  }
}

/** A URL with its password hidden, for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(unparseable URL)";
  }
}
