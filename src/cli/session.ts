import { type Clock, type IdGenerator, systemClock, ulidGenerator } from "../domain/context.js";
import type { RecordedEvent } from "../domain/events.js";
import { fold } from "../domain/evolve.js";
import { type ComplaintId, isComplaintId } from "../domain/ids.js";
import type { Policy } from "../domain/policy.js";
import { type ComplaintState, initialState, type RegisteredComplaint } from "../domain/state.js";
import { type Actor, ActorSchema } from "../domain/values.js";
import type { PermissionPolicy } from "../permissions/permissionPolicy.js";
import { presets } from "../presets/catalog.js";
import { type HandleResult, handle } from "../stores/handle.js";
import {
  type Backend,
  type CliComplaintList,
  type CliSettings,
  type Location,
  openInitialised,
} from "./backend.js";
import { CliError, type CliIo, EXIT } from "./io.js";
import { loadPermissions } from "./permissions.js";
import { calendarFor, policyByRef, presetNamed } from "./settings.js";

/** The options every command accepts (see `kesu --help`). */
export interface GlobalOptions {
  readonly db?: string | undefined;
  readonly pg?: string | undefined;
  readonly pgSchema?: string | undefined;
  readonly preset?: string | undefined;
  readonly as?: string | undefined;
  readonly permissions?: string | undefined;
  readonly json?: boolean | undefined;
}

/** The default SQLite file, relative to the working directory. */
export const DEFAULT_DB = "kesu.db";

/**
 * Where the data is: `--db` wins, then `--pg`, then `KESU_PG_URL` (with `KESU_PG_SCHEMA`), then
 * `./kesu.db`. Giving both `--db` and `--pg` is a usage error.
 */
export function locationOf(options: GlobalOptions, env: CliIo["env"]): Location {
  if (options.db !== undefined && options.pg !== undefined)
    throw new CliError("give either --db or --pg, not both");
  if (options.db !== undefined) return { kind: "sqlite", path: options.db };
  const url = options.pg ?? env.KESU_PG_URL;
  if (url) return { kind: "postgres", url, schema: options.pgSchema ?? env.KESU_PG_SCHEMA };
  return { kind: "sqlite", path: DEFAULT_DB };
}

/** `id:role:unit` as an actor (R-27 matches the role, R-05 the unit). */
export function parseActor(text: string): Actor {
  const [id, role, unit, ...rest] = text.split(":");
  const parsed = ActorSchema.safeParse({ id, role, unit });
  if (!parsed.success || rest.length > 0)
    throw new CliError(`--as ${JSON.stringify(text)} must be id:role:unit, e.g. wang.li:staff:service`);
  return parsed.data;
}

/** An instant option (`--at`) as a Date; a usage error when it is not one. */
export function parseInstant(text: string, option = "--at"): Date {
  const at = new Date(text);
  if (Number.isNaN(at.getTime()))
    throw new CliError(
      `${option} ${JSON.stringify(text)} is not an instant (e.g. 2025-10-09T10:00:00+08:00)`,
    );
  return at;
}

/** An open, initialised database with the preset, actor and clock a command runs with. */
export interface Session {
  readonly backend: Backend;
  readonly settings: CliSettings;
  /** The preset new cases are received under: `--preset`, else the one `kesu init` stored. */
  readonly policy: Policy;
  readonly actor: Actor;
  /** Who may issue which command and see personal data: `--permissions`, `KESU_PERMISSIONS` or the default. */
  readonly permissions: PermissionPolicy;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  /** A case number or stream id as the case's stream; a usage error when there is no such case. */
  resolveCase(ref: string): Promise<ComplaintId>;
  /** A registered case's events and state. */
  load(streamId: ComplaintId): Promise<{ events: readonly RecordedEvent[]; state: RegisteredComplaint }>;
  /** The policy a case is judged by (the one its stream recorded). */
  policyOf(state: Pick<RegisteredComplaint, "policy" | "caseNumber">): Policy;
  /**
   * Handles one command on a stream, under the case's own policy (or the preset for a new case)
   * and the permission policy: a command the actor's role may not issue is `permission/denied`.
   */
  execute(streamId: ComplaintId, input: unknown): Promise<HandleResult>;
  /** The complaint list, caught up with the store unless `catchUp` is false. */
  complaintList(options?: {
    onProgress?: (position: number, applied: number) => void;
    catchUp?: boolean;
  }): Promise<CliComplaintList>;
  close(): Promise<void>;
}

/** Opens the session of one command. The caller closes it. */
export async function openSession(options: GlobalOptions, io: CliIo): Promise<Session> {
  // Usage errors first: nothing is opened for a bad --as, --permissions or --preset.
  const actor = parseActor(options.as ?? io.env.KESU_ACTOR ?? `${io.env.USER || "cli"}:staff:service`);
  const permissions = loadPermissions(options.permissions, io.env);
  const override = options.preset === undefined ? undefined : presetNamed(options.preset);
  const { backend, settings } = await openInitialised(locationOf(options, io.env));
  const policy = presets[override ?? settings.preset];
  const clock = systemClock;
  const ids = ulidGenerator();
  let cachedList: CliComplaintList | undefined;

  const session: Session = {
    backend,
    settings,
    policy,
    actor,
    permissions,
    clock,
    ids,
    async resolveCase(ref) {
      const byNumber = await backend.findCase(ref);
      if (byNumber) return byNumber;
      if (isComplaintId(ref) && (await backend.store.streamInfo(ref))) return ref;
      throw new CliError(`unknown case ${JSON.stringify(ref)}`);
    },
    async load(streamId) {
      const events = await backend.store.readStream(streamId);
      const state: ComplaintState = fold(initialState(streamId), events);
      if (state.stage === "none") throw new CliError(`unknown case ${streamId}`);
      return { events, state };
    },
    policyOf(state) {
      const found = policyByRef(state.policy);
      if (!found)
        throw new CliError(
          `case ${state.caseNumber} is judged by policy ${state.policy.id}@${state.policy.version}, which this kesu does not ship`,
          EXIT.database,
        );
      return found;
    },
    async execute(streamId, input) {
      const info = await backend.store.streamInfo(streamId);
      let policy = session.policy;
      if (info) {
        const { state } = await session.load(streamId);
        policy = session.policyOf(state);
      }
      const calendar = calendarFor(policy);
      return handle(backend.store, streamId, input, {
        clock,
        ids,
        actor,
        policy,
        calendar: { id: calendar.id, version: calendar.version },
        permissions,
      });
    },
    async complaintList(options = {}) {
      // One list per session (a watch calls this on every pass); a progress callback gets its own.
      const list =
        options.onProgress === undefined && cachedList
          ? cachedList
          : await backend.complaintList({
              sla: { policy: policyByRef, calendar: calendarFor(policy) },
              onProgress: options.onProgress,
            });
      if (options.onProgress === undefined) cachedList = list;
      if (options.catchUp !== false) await list.runner.catchUp();
      return list;
    },
    close: () => backend.close(),
  };
  return session;
}
