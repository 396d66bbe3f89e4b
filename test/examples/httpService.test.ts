import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type Board, createComplaintService, startServer } from "../../examples/httpService.js";
import { root } from "../support/build.js";
import { backend, openTestDatabase, type TestDatabase } from "../support/postgres.js";

// examples/httpService.ts over real HTTP: the server listens on a free port and the test fetches.
// PostgreSQL when KESU_PG_URL is set, PGlite otherwise; every test gets a schema of its own.

/** Thursday 2025-09-25 10:00 in Shanghai: a week before the National Day holiday (10-01..10-08). */
const T0 = "2025-09-25T02:00:00.000Z";
const clerk = "wang.li:staff:service-desk";

interface Reply {
  readonly status: number;
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are JSON, checked by the assertions
  readonly body: any;
  readonly headers: Headers;
}

let db: TestDatabase;
const opened: (() => Promise<void>)[] = [];

beforeAll(async () => {
  db = await openTestDatabase();
});
afterEach(async () => {
  for (const close of opened.splice(0)) await close();
});
afterAll(() => db?.close());

/** A service on its own schema, served on a free port, with a clock the test moves. */
async function openService() {
  let now = Date.parse(T0);
  const service = await createComplaintService({
    connection: db.connectionFor(),
    clock: { now: () => new Date(now) },
  });
  const server = await startServer(service.app, { port: 0 });
  opened.push(async () => {
    await server.close();
    await service.close();
  });
  const send = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: { "content-type": "application/json", "x-actor": clerk, ...headers },
      ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
    });
    return { status: response.status, body: await response.json(), headers: response.headers } as Reply;
  };
  return {
    send,
    /** Minutes after T0. */
    at(minutes: number) {
      now = Date.parse(T0) + minutes * 60_000;
    },
    atInstant(iso: string) {
      now = Date.parse(iso);
    },
    receive: (body: Record<string, unknown>, headers?: Record<string, string>) =>
      send("POST", "/complaints", body, headers),
    command: (id: string, body: Record<string, unknown>, actor = clerk) =>
      send("POST", `/complaints/${id}/commands`, body, { "x-actor": actor }),
  };
}

const intake = (complainant: string, description: string) => ({
  channel: "hotline",
  complainant: { id: complainant },
  description,
});

describe(`examples/httpService.ts on ${backend}`, () => {
  it("R-01 POST /complaints registers a case number; a retry with the same Idempotency-Key answers the first", async () => {
    const api = await openService();
    const body = {
      ...intake("retailer-0831", "三天前订的卷烟至今未送到"),
      personalData: { name: "李先生", phone: "138-0013-8000" },
      request: "今天送到",
    };
    const first = await api.receive(body, { "idempotency-key": "call-20250925-0001" });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      caseNumber: "YC20250925-001",
      stage: "received",
      version: 1,
      events: ["ComplaintReceived"],
      alreadyHandled: false,
    });
    expect(first.headers.get("location")).toBe(`/complaints/${first.body.id}`);

    api.at(2);
    const retry = await api.receive(body, { "idempotency-key": "call-20250925-0001" });
    expect(retry.status).toBe(200);
    expect(retry.body).toMatchObject({
      id: first.body.id,
      caseNumber: "YC20250925-001",
      alreadyHandled: true,
    });

    const other = await api.receive(intake("retailer-0832", "少了两条"), { "idempotency-key": "call-0002" });
    expect(other.body.caseNumber).toBe("YC20250925-002");

    const one = await api.send("GET", `/complaints/${first.body.id}`);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ caseNumber: "YC20250925-001", stage: "received", version: 1 });
    // personal data goes into the store, never out through the API.
    expect(JSON.stringify([first.body, retry.body, one.body])).not.toMatch(/138-0013-8000|李先生/);
  });

  it("R-02 malformed input is a 400 naming each bad field, and nothing is appended", async () => {
    const api = await openService();
    const bad = await api.receive({ channel: "pigeon", complainant: {}, tags: "urgent" });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe("command/invalid");
    const paths = (bad.body.error.fields as { path: string }[]).map((f) => f.path);
    expect(paths).toEqual(expect.arrayContaining(["channel", "complainant.id", "description", "tags"]));

    const notJson = await api.send("POST", "/complaints", "{ channel: hotline");
    expect(notJson).toMatchObject({ status: 400, body: { error: { code: "request/invalid-json" } } });
    const anonymousCaller = await api.send("POST", "/complaints", intake("c-1", "无人"), { "x-actor": "" });
    expect(anonymousCaller).toMatchObject({
      status: 401,
      body: { error: { code: "request/unauthenticated" } },
    });
    const badId = await api.command("not-a-ulid", { type: "AcceptResolution" });
    expect(badId).toMatchObject({ status: 400, body: { error: { fields: [{ path: "id" }] } } });

    const received = await api.receive(intake("retailer-1", "烟支空头"));
    const typo = await api.command(received.body.id, {
      type: "ClassifyComplaint",
      kind: "complaint",
      categroy: "cigarette-quality",
    });
    expect(typo.status).toBe(400);
    expect((typo.body.error.fields as { path: string }[]).map((f) => f.path)).toEqual(
      expect.arrayContaining(["category"]),
    );
    const board: Board = (await api.send("GET", "/sla-board")).body;
    expect(board.complaints.map((c) => c.id)).toEqual([received.body.id]);
    expect(board.complaints[0]).toMatchObject({ stage: "received", category: null });
  });

  it("R-20 a category outside the preset is a 422 policy/unknown-category; an unknown case a 404", async () => {
    const api = await openService();
    const { body } = await api.receive(intake("retailer-2", "假烟"));
    const refused = await api.command(body.id, {
      type: "ClassifyComplaint",
      kind: "complaint",
      category: "fakes",
    });
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ code: "policy/unknown-category", rule: "R-20" });
    expect(refused.body.error.message).toMatch(/^R-20 /);
    const missing = await api.command("01K5ZZZZZZZZZZZZZZZZZZZZZZ", { type: "AcceptResolution" });
    expect(missing).toMatchObject({ status: 404, body: { error: { code: "complaint/not-found" } } });
    expect((await api.send("GET", `/complaints/${body.id}`)).body).toMatchObject({
      version: 1,
      category: null,
    });
  });

  it("R-11 closing a case that has no resolution is a 409 close/not-resolved, classifying it twice a 409 too", async () => {
    const api = await openService();
    const { body } = await api.receive(intake("retailer-3", "配送员态度差"));
    await api.command(body.id, {
      type: "ClassifyComplaint",
      kind: "complaint",
      category: "service-attitude",
    });
    const close = await api.command(body.id, { type: "CloseComplaint" });
    expect(close.status).toBe(409);
    expect(close.body.error).toMatchObject({ code: "close/not-resolved", rule: "R-11" });
    const receiveHere = await api.command(body.id, { type: "ReceiveComplaint", ...intake("x", "y") });
    expect(receiveHere.status).toBe(400);
    const classifyAgain = await api.command(body.id, {
      type: "ClassifyComplaint",
      kind: "inquiry",
      category: "policy",
    });
    expect(classifyAgain).toMatchObject({
      status: 409,
      body: { error: { code: "complaint/already-classified" } },
    });
    expect((await api.send("GET", `/complaints/${body.id}`)).body).toMatchObject({
      version: 2,
      stage: "classified",
    });
  });

  it("R-06 only the assignee acknowledges a hand-over (422 otherwise), which meets the named-owner clock", async () => {
    const api = await openService();
    const { body } = await api.receive(intake("retailer-4", "配送延误"));
    api.at(20);
    await api.command(body.id, { type: "ClassifyComplaint", kind: "complaint", category: "delivery" });
    const assigned = await api.command(body.id, {
      type: "AssignComplaint",
      assignee: { id: "zhao.min", unit: "logistics" },
    });
    expect(assigned).toMatchObject({ status: 200, body: { events: ["ComplaintAssigned"] } });
    const byClerk = await api.command(body.id, { type: "AcceptAssignment" });
    expect(byClerk).toMatchObject({
      status: 422,
      body: { error: { code: "assignment/not-assignee", rule: "R-06" } },
    });
    api.at(40);
    const byAssignee = await api.command(body.id, { type: "AcceptAssignment" }, "zhao.min:staff:logistics");
    expect(byAssignee.status).toBe(200);
    const one = (await api.send("GET", `/complaints/${body.id}`)).body;
    expect(one).toMatchObject({ unit: "logistics", owner: "zhao.min" });
    const ownership = (one.sla as { clockId: string }[]).find((c) => c.clockId === "ownership");
    // General complaint: a named owner within 1 working day; accepted 40 minutes after receipt.
    expect(ownership).toMatchObject({ status: "met", dueAt: "2025-09-26T10:00:00.000Z" });
  });

  it("R-24 the SLA board lists open cases most urgent first, due on the China calendar (调休, National Day)", async () => {
    const api = await openService();
    // A: a general delivery complaint, acknowledged and handed over at once.
    const a = (await api.receive(intake("retailer-10", "配送延误"))).body.id as string;
    api.at(5);
    // B: cigarette quality is major under the tobacco preset: 1 hour to accept, 3 working days.
    const b = (await api.receive(intake("retailer-11", "整条卷烟受潮发霉"))).body.id as string;
    api.at(10);
    // C: an inquiry: 2 working days to answer.
    const c = (await api.receive(intake("retailer-12", "新的订货政策何时执行？"))).body.id as string;
    api.at(15);
    // D: settled on the spot: closed at once, never on the board.
    const d = await api.receive(intake("retailer-13", "营业员没有找零"));
    const settled = await api.command(d.body.id, {
      type: "ResolveOnTheSpot",
      category: "service-attitude",
      remedy: { kinds: ["apology"], description: "当面道歉并找零" },
    });
    expect(settled.body.stage).toBe("closed");

    api.at(30);
    for (const id of [a, c])
      expect(
        (
          await api.command(id, {
            type: "AcknowledgeReceipt",
            handler: { id: "wang.li", unit: "service-desk" },
            expectedResponseBy: "2025-09-30T10:00:00.000Z",
            channel: "phone",
          })
        ).status,
      ).toBe(200);
    await api.command(a, { type: "ClassifyComplaint", kind: "complaint", category: "delivery" });
    await api.command(a, { type: "AssignComplaint", assignee: { id: "zhao.min", unit: "logistics" } });
    await api.command(a, { type: "AcceptAssignment" }, "zhao.min:staff:logistics");
    await api.command(b, { type: "ClassifyComplaint", kind: "complaint", category: "cigarette-quality" });
    await api.command(c, { type: "ClassifyComplaint", kind: "inquiry", category: "ordering" });
    await api.command(c, { type: "AssignComplaint", assignee: { id: "sun.yu", unit: "marketing" } });
    await api.command(c, { type: "AcceptAssignment" }, "sun.yu:staff:marketing");

    // Monday 2025-09-29 14:00 in Shanghai.
    api.atInstant("2025-09-29T06:00:00.000Z");
    const board: Board = (await api.send("GET", "/sla-board")).body;
    expect(board).toMatchObject({ at: "2025-09-29T06:00:00.000Z", open: 3, breached: 2, atRisk: 0 });
    expect(board.complaints.map((e) => e.id)).toEqual([b, c, a]);
    const clocks = (id: string) =>
      Object.fromEntries(
        board.complaints.find((e) => e.id === id)!.clocks.map((k) => [k.clockId, [k.status, k.dueAt]]),
      );
    // B, received Thu 10:05: accept within the hour, not done; 3 working days counting Fri 09-26,
    // Sun 09-28 (a 调休 working day) and Mon 09-29: due Monday 18:00, four working hours from now.
    expect(clocks(b)).toEqual({
      acceptance: ["breached", "2025-09-25T03:05:00.000Z"],
      ownership: ["breached", "2025-09-25T03:05:00.000Z"],
      handling: ["at-risk", "2025-09-29T10:00:00.000Z"],
      revisit: ["not-started", null],
    });
    expect(board.complaints[0]).toMatchObject({ severity: "major", status: "breached" });
    // C: 2 working days, Fri 09-26 and the 调休 Sunday: due Sunday 09-28 18:00 and already late.
    expect(clocks(c)).toMatchObject({
      acceptance: ["met", "2025-09-26T02:10:00.000Z"],
      handling: ["breached", "2025-09-28T10:00:00.000Z"],
    });
    expect(board.complaints[1]).toMatchObject({ kind: "inquiry", nextDueAt: "2025-09-28T10:00:00.000Z" });
    // A: 7 working days: 09-26, 09-28, 09-29, 09-30, then past the holiday 10-09, 10-10 and the
    // 调休 Saturday 10-11: due Saturday 10-11 18:00.
    expect(clocks(a)).toEqual({
      acceptance: ["met", "2025-09-26T02:00:00.000Z"],
      ownership: ["met", "2025-09-26T10:00:00.000Z"],
      handling: ["running", "2025-10-11T10:00:00.000Z"],
      revisit: ["not-started", null],
    });
    expect(board.complaints[2]).toMatchObject({
      status: "running",
      nextDueAt: "2025-10-11T10:00:00.000Z",
      unit: "logistics",
      owner: "zhao.min",
    });

    // B is answered in time: its handling clock is met, though its acceptance stays breached.
    api.atInstant("2025-09-29T07:00:00.000Z");
    await api.command(b, {
      type: "RecordInvestigation",
      findings: { facts: "仓储受潮", validity: "valid", rootCause: "仓库漏雨" },
    });
    await api.command(b, {
      type: "ProposeResolution",
      remedy: { kinds: ["exchange"], description: "整条换货" },
    });
    const later: Board = (await api.send("GET", "/sla-board")).body;
    expect(later).toMatchObject({ open: 3, breached: 2 });
    expect(
      later.complaints.find((e) => e.id === b)!.clocks.find((k) => k.clockId === "handling"),
    ).toMatchObject({ status: "met", dueAt: "2025-09-29T10:00:00.000Z" });
  });
});

describe("examples/httpService.ts as a program", () => {
  let child: ChildProcess | undefined;
  afterEach(async () => {
    if (child && child.exitCode === null) {
      child.kill("SIGTERM");
      await once(child, "exit");
    }
  });

  it("serves on PORT, with the database from KESU_PG_URL (or PGlite without it)", async () => {
    child = spawn(process.execPath, ["--import", "tsx", join(root, "examples", "httpService.ts")], {
      cwd: root,
      env: { ...process.env, PORT: "0", KESU_PG_SCHEMA: db.newSchema() },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let output = "";
    child.stdout!.setEncoding("utf8");
    const url = await new Promise<string>((resolve, reject) => {
      child!.stdout!.on("data", (chunk: string) => {
        output += chunk;
        const found = /on (http:\/\/\S+)/.exec(output);
        if (found) resolve(found[1]!);
      });
      child!.once("exit", (code) => reject(new Error(`exited with ${code}: ${output}`)));
    });
    expect(output).toContain(backend === "PGlite" ? "PGlite in memory" : "PostgreSQL");
    const created = await fetch(`${url}/complaints`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-actor": clerk },
      body: JSON.stringify(intake("retailer-99", "卷烟破损")),
    });
    expect(created.status).toBe(201);
    const board = (await (await fetch(`${url}/sla-board`)).json()) as Board;
    expect(board.open).toBe(1);
    expect(board.complaints[0]!.clocks.map((k) => k.clockId)).toEqual([
      "acceptance",
      "ownership",
      "handling",
      "revisit",
    ]);
    child.kill("SIGTERM");
    const [code] = await once(child, "exit");
    expect(code).toBe(0);
  }, 60_000);
});
