/**
 * An HTTP service that embeds kesu, on PostgreSQL, with Hono:
 *
 * - `POST /complaints` receives a complaint. An `Idempotency-Key` header makes a retried
 *   delivery answer the first one instead of registering the complaint twice.
 * - `POST /complaints/:id/commands` applies any other command (`ClassifyComplaint`,
 *   `AssignComplaint`, `RecordInvestigation`, `ProposeResolution`, `CloseComplaint`, …) through
 *   `handle`.
 * - `GET /complaints/:id` is one case: its list row and every SLA clock, judged now.
 * - `GET /sla-board` lists the open complaints, most urgent first, each with its clocks judged now
 *   on the business calendar.
 *
 * Malformed input is a 400 naming each bad field; a refused command is a 409 (it conflicts with
 * the case's state) or a 422 (the policy does not allow it), with kesu's stable rejection code.
 * Who acts comes from an `X-Actor: id:role:unit` header here; a real service takes it from its
 * authentication (pass `resolveActor`).
 *
 * Run it: `npx tsx examples/httpService.ts` (PostgreSQL from `KESU_PG_URL`, schema `KESU_PG_SCHEMA`
 * (default `kesu`), port `PORT` (default 3000); without `KESU_PG_URL` it runs on PGlite in memory).
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";
import { serve } from "@hono/node-server";
import { type Context, Hono } from "hono";
import {
  type Actor,
  type BusinessCalendar,
  type Clock,
  type ClockResult,
  type ClockStatus,
  type ComplaintEvent,
  type ComplaintId,
  calendars,
  complaintListRow,
  createProjectionRunner,
  evaluateSla,
  fold,
  type HandleResult,
  handle,
  initialState,
  isComplaintId,
  isConcurrencyError,
  type Policy,
  type Rejection,
  type RejectionCode,
  systemClock,
  ulidGenerator,
} from "kesu";
import {
  createPostgresComplaintList,
  createPostgresStore,
  type PostgresComplaintList,
  type PostgresComplaintListConnection,
  type PostgresEventStore,
} from "kesu/postgres";
import { tobacco } from "kesu/presets";

/** The HTTP status of each rejection: the map is total, so a new rejection code fails to compile here. */
const REJECTION_STATUS: Record<RejectionCode, 400 | 403 | 404 | 409 | 422> = {
  "command/invalid": 400,
  "permission/denied": 403,
  "complaint/not-found": 404,
  // The case's state does not allow the command now: 409 Conflict.
  "command/id-reused": 409,
  "complaint/already-received": 409,
  "complaint/closed": 409,
  "complaint/not-closed": 409,
  "complaint/wrong-stage": 409,
  "complaint/already-acknowledged": 409,
  "complaint/already-classified": 409,
  "complaint/waiting-on-complainant": 409,
  "complaint/not-waiting": 409,
  "policy/mismatch": 409,
  "assignment/already-owner": 409,
  "assignment/none-pending": 409,
  "resolution/not-proposed": 409,
  "resolution/already-accepted": 409,
  "resolution/not-investigated": 409,
  "revisit/not-resolved": 409,
  "close/not-resolved": 409,
  "close/confirmation-required": 409,
  "close/revisit-required": 409,
  "close/gate": 409,
  "close/accountability-required": 409,
  "close/regulator-not-informed": 409,
  "corrective/out-of-order": 409,
  "corrective/duplicate": 409,
  // Well-formed, but the policy does not allow it whatever the state: 422 Unprocessable Content.
  "complaint/anonymous-with-personal-data": 422,
  "complaint/recusal": 422,
  "assignment/not-assignee": 422,
  "policy/unknown-category": 422,
  "policy/unknown-severity": 422,
  "policy/kind-not-allowed": 422,
  "policy/severity-below-rule": 422,
  "policy/authority-exceeded": 422,
  "policy/currency-mismatch": 422,
  "escalation/invalid-level": 422,
  "resolution/explanation-required": 422,
  "on-the-spot/not-allowed": 422,
  "withdraw/not-allowed": 422,
  "extension/approver-not-authorised": 422,
  "extension/complainant-not-notified": 422,
  "extension/unknown-clock": 422,
  "corrective/not-applicable": 422,
  "corrective/unknown": 422,
};

/** Errors of the HTTP layer itself, before kesu sees the request. */
type RequestErrorCode = "request/invalid-json" | "request/invalid" | "request/unauthenticated";

/** Every error body: `{ error: { code, message, rule?, fields? } }`. */
export interface ErrorBody {
  readonly error: {
    readonly code: RejectionCode | RequestErrorCode | "store/concurrency";
    readonly message: string;
    readonly rule?: string | undefined;
    readonly fields?: readonly { readonly path: string; readonly message: string }[] | undefined;
  };
}

/** One SLA clock of a case, judged at the instant of the request. */
export interface BoardClock {
  readonly clockId: string;
  readonly label: string;
  readonly status: ClockStatus;
  readonly dueAt: string | null;
  readonly remainingMs: number;
}

/** One open complaint on the SLA board. */
export interface BoardEntry {
  readonly id: ComplaintId;
  readonly caseNumber: string;
  readonly stage: string;
  readonly kind: string | null;
  readonly category: string | null;
  readonly severity: string | null;
  readonly unit: string;
  readonly owner: string | null;
  readonly receivedAt: string;
  /** The most urgent status among the clocks (breached, at-risk, running, paused, …). */
  readonly status: ClockStatus;
  /** The earliest due instant among the clocks still running (breached ones included). */
  readonly nextDueAt: string | null;
  readonly clocks: readonly BoardClock[];
}

/** The body of `GET /sla-board`. */
export interface Board {
  readonly at: string;
  readonly open: number;
  readonly breached: number;
  readonly atRisk: number;
  readonly complaints: readonly BoardEntry[];
}

/** Options of {@link createComplaintService}. */
export interface ComplaintServiceOptions {
  /** Where the events and the complaint list live: `{ pool }`, `{ connectionString }` or `{ pglite }`, and `schema`. */
  readonly connection: PostgresComplaintListConnection;
  /** Default: the tobacco bureau preset. */
  readonly policy?: Policy | undefined;
  /** Default: the mainland China calendar (statutory holidays and 调休 working weekends). */
  readonly calendar?: BusinessCalendar | undefined;
  /** Default: the system clock. Tests pass a clock they move. */
  readonly clock?: Clock | undefined;
  /** Who sends the request; undefined answers 401. Default: the `X-Actor: id:role:unit` header. */
  readonly resolveActor?: ((request: Request) => Actor | undefined) | undefined;
}

/** The service: the Hono app, the store and list behind it, and `close()`. */
export interface ComplaintService {
  readonly app: Hono;
  readonly store: PostgresEventStore;
  readonly list: PostgresComplaintList;
  /** Stops following the store and releases the connections the service opened. */
  close(): Promise<void>;
}

/** `X-Actor: wang.li:staff:service-desk` → `{ id, role, unit }`. */
export function actorFromHeader(request: Request): Actor | undefined {
  const [id, role, unit, ...rest] = (request.headers.get("x-actor") ?? "").split(":").map((s) => s.trim());
  if (!id || !role || !unit || rest.length > 0) return undefined;
  return { id, role, unit };
}

const STATUS_URGENCY: Record<ClockStatus, number> = {
  breached: 6,
  "at-risk": 5,
  running: 4,
  paused: 3,
  "met-late": 2,
  met: 1,
  "not-started": 0,
};

/**
 * Opens the store and the complaint list on `connection`, keeps the list up to date, and builds
 * the Hono app. Serve `service.app.fetch` with any adapter (see {@link startServer}).
 */
export async function createComplaintService(options: ComplaintServiceOptions): Promise<ComplaintService> {
  const policy = options.policy ?? tobacco;
  const calendar = options.calendar ?? calendars.chinaMainland();
  const clock = options.clock ?? systemClock;
  const ids = ulidGenerator({ clock });
  const resolveActor = options.resolveActor ?? actorFromHeader;

  const store = createPostgresStore(options.connection);
  await store.migrate(); // fail at start-up, not on the first request
  const list = createPostgresComplaintList(options.connection, { sla: { policy, calendar } });
  const runner = createProjectionRunner({ store, ...list });
  await runner.start(); // catches up, then follows LISTEN/NOTIFY

  const fail = (c: Context, status: 400 | 401 | 403 | 404 | 409 | 422, error: ErrorBody["error"]) =>
    c.json<ErrorBody>({ error }, status);
  const rejected = (c: Context, rejection: Rejection) =>
    fail(c, REJECTION_STATUS[rejection.code], {
      code: rejection.code,
      message: rejection.message,
      rule: rejection.rule,
      fields: rejection.fields,
    });

  /** The JSON object in the body, or the error response to send. */
  async function bodyOf(c: Context): Promise<Record<string, unknown> | Response> {
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      return fail(c, 400, { code: "request/invalid-json", message: "the body is not JSON" });
    }
    if (typeof body !== "object" || body === null || Array.isArray(body))
      return fail(c, 400, {
        code: "request/invalid",
        message: "the body must be a JSON object",
        fields: [{ path: "(body)", message: "expected an object" }],
      });
    return body as Record<string, unknown>;
  }

  /** Runs `handle` with the request's actor; answers the error response itself. */
  async function run(c: Context, id: ComplaintId, command: Record<string, unknown>) {
    const actor = resolveActor(c.req.raw);
    if (!actor)
      return fail(c, 401, {
        code: "request/unauthenticated",
        message: "send X-Actor: <id>:<role>:<unit>",
        fields: [{ path: "header x-actor", message: "missing or not id:role:unit" }],
      });
    try {
      return await handle(store, id, command, { clock, ids, policy, calendar, actor });
    } catch (error) {
      // Only after handle's own retries: another writer kept winning the race for this case.
      if (isConcurrencyError(error))
        return fail(c, 409, { code: "store/concurrency", message: "the case changed meanwhile; try again" });
      throw error;
    }
  }

  const outcome = (result: Extract<HandleResult, { ok: true }>) => ({
    id: result.streamId,
    caseNumber: result.state.stage === "none" ? null : result.state.caseNumber,
    stage: result.state.stage,
    version: result.state.version,
    events: result.events.map((e) => e.type),
    alreadyHandled: result.alreadyHandled,
  });

  const judge = (events: readonly ComplaintEvent[], now: Date): BoardClock[] =>
    evaluateSla(events, policy, calendar, now).clocks.map((clock: ClockResult) => ({
      clockId: clock.clockId,
      label: clock.label,
      status: clock.status,
      dueAt: clock.dueAt ?? null,
      remainingMs: clock.remainingMs,
    }));

  const app = new Hono();

  app.post("/complaints", async (c) => {
    const body = await bodyOf(c);
    if (body instanceof Response) return body;
    const commandId =
      c.req.header("idempotency-key") ?? (typeof body.commandId === "string" ? body.commandId : undefined);
    // A retried delivery targets the complaint its first delivery created.
    const first = commandId === undefined ? undefined : await store.findCommand(commandId);
    const id = first?.streamId ?? (ids.next() as ComplaintId);
    const command = { ...body, type: "ReceiveComplaint", ...(commandId === undefined ? {} : { commandId }) };
    const result = await run(c, id, command);
    if (result instanceof Response) return result;
    if (!result.ok) return rejected(c, result.rejection);
    c.header("Location", `/complaints/${result.streamId}`);
    return c.json(outcome(result), result.alreadyHandled ? 200 : 201);
  });

  app.post("/complaints/:id/commands", async (c) => {
    const id = c.req.param("id");
    if (!isComplaintId(id))
      return fail(c, 400, {
        code: "request/invalid",
        message: `${id} is not a complaint id`,
        fields: [{ path: "id", message: "expected a ULID" }],
      });
    const body = await bodyOf(c);
    if (body instanceof Response) return body;
    if (body.type === "ReceiveComplaint")
      return fail(c, 400, {
        code: "request/invalid",
        message: "receive complaints with POST /complaints",
        fields: [{ path: "type", message: "ReceiveComplaint is not accepted here" }],
      });
    const commandId = c.req.header("idempotency-key");
    const result = await run(c, id, commandId === undefined ? body : { ...body, commandId });
    if (result instanceof Response) return result;
    if (!result.ok) return rejected(c, result.rejection);
    return c.json(outcome(result), 200);
  });

  app.get("/complaints/:id", async (c) => {
    const id = c.req.param("id");
    const events = isComplaintId(id) ? await store.readStream(id) : [];
    const state = isComplaintId(id) ? fold(initialState(id), events) : undefined;
    if (!state || state.stage === "none")
      return fail(c, 404, { code: "complaint/not-found", message: `no complaint ${id}` });
    // The list row holds no personal data; the events never leave the service.
    return c.json({ ...complaintListRow(state, events), sla: judge(events, clock.now()) });
  });

  app.get("/sla-board", async (c) => {
    await runner.idle(); // read this process's own writes; other processes' arrive by NOTIFY
    const now = clock.now();
    const { rows } = await list.query({ open: true, limit: 1_000 });
    const complaints: BoardEntry[] = [];
    for (const row of rows) {
      const doc = await list.get(row.streamId);
      if (!doc) continue;
      const clocks = judge(doc.events, now);
      const live = clocks.filter((k) => ["running", "at-risk", "breached"].includes(k.status) && k.dueAt);
      complaints.push({
        id: row.streamId,
        caseNumber: row.caseNumber,
        stage: row.stage,
        kind: row.kind,
        category: row.category,
        severity: row.severity,
        unit: row.unit,
        owner: row.owner,
        receivedAt: row.receivedAt,
        status: clocks.reduce<ClockStatus>(
          (worst, k) => (STATUS_URGENCY[k.status] > STATUS_URGENCY[worst] ? k.status : worst),
          "not-started",
        ),
        nextDueAt: live.map((k) => k.dueAt!).sort()[0] ?? null,
        clocks,
      });
    }
    // Most urgent first: the earliest due instant (breached ones are the earliest), then the rest.
    complaints.sort(
      (a, b) =>
        (a.nextDueAt ?? "~").localeCompare(b.nextDueAt ?? "~") || a.caseNumber.localeCompare(b.caseNumber),
    );
    return c.json<Board>({
      at: now.toISOString(),
      open: complaints.length,
      breached: complaints.filter((e) => e.status === "breached").length,
      atRisk: complaints.filter((e) => e.status === "at-risk").length,
      complaints,
    });
  });

  return {
    app,
    store,
    list,
    async close() {
      await runner.stop();
      await list.close();
      await store.close();
    },
  };
}

/** Serves `app` on Node's HTTP server; `port: 0` takes a free port. Resolves once it listens. */
export async function startServer(
  app: Hono,
  options: { port?: number; hostname?: string } = {},
): Promise<{ url: string; close(): Promise<void> }> {
  const hostname = options.hostname ?? "127.0.0.1";
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, port: options.port ?? 3000, hostname }, (info: AddressInfo) =>
      resolve({
        url: `http://${hostname}:${info.port}`,
        close: () =>
          new Promise<void>((done, failed) => {
            server.close((e) => (e ? failed(e) : done()));
            // Clients keep connections alive; close would wait for them to time out.
            server.closeAllConnections();
          }),
      }),
    ) as Server;
  });
}

async function main(): Promise<void> {
  const url = process.env.KESU_PG_URL;
  const schema = process.env.KESU_PG_SCHEMA || "kesu";
  const connection: PostgresComplaintListConnection = url
    ? { connectionString: url, schema }
    : { pglite: new (await import("@electric-sql/pglite")).PGlite(), schema };
  const service = await createComplaintService({ connection });
  const server = await startServer(service.app, { port: Number(process.env.PORT ?? 3000) });
  console.log(`kesu complaint service on ${server.url} (${url ? "PostgreSQL" : "PGlite in memory"})`);
  const stop = async () => {
    await server.close();
    await service.close();
    process.exit(0);
  };
  process.once("SIGINT", () => void stop());
  process.once("SIGTERM", () => void stop());
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
