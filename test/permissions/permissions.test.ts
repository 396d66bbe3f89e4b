import { describe, expect, it } from "vitest";
import {
  type Actor,
  COMMAND_TYPES,
  type ComplaintEvent,
  complaintId,
  createMemoryAuditLog,
  createMemoryComplaintList,
  createMemoryStore,
  createPermissionPolicy,
  createProjectionRunner,
  defaultPolicy,
  fixedClock,
  type HandleContext,
  handle,
  isPermissionPolicyError,
  mayIssue,
  maySeePersonalData,
  REJECTIONS,
  ulidGenerator,
} from "../../src/index.js";
import { LIFECYCLE, NAME, PHONE, runLifecycle, secretsIn } from "../privacy/lifecycle.js";

const permissions = createPermissionPolicy({
  id: "acme",
  version: "1",
  roles: {
    staff: { commands: COMMAND_TYPES.filter((t) => t !== "ChangePolicy"), personalData: true },
    hotline: { commands: ["ReceiveComplaint", "ReportProgress"], personalData: false },
    auditor: { commands: [], personalData: false },
    administrator: { commands: "*", personalData: true },
  },
});

const clock = fixedClock("2026-03-02T01:00:00.000Z");
const hotline: Actor = { id: "hl-3", role: "hotline", unit: "service" };
const admin: Actor = { id: "admin-1", role: "administrator", unit: "it" };
const received = LIFECYCLE[0]![1] as Record<string, unknown>;

function setup() {
  const store = createMemoryStore();
  const audit = createMemoryAuditLog({ clock });
  const ids = ulidGenerator({ clock, seed: 9 });
  const ctx = (actor: Actor): HandleContext => ({
    clock,
    ids,
    actor,
    policy: defaultPolicy,
    permissions,
    onRejected: audit.onRejected,
  });
  return { store, audit, ctx, id: complaintId(ids.next()) };
}

describe("permission policy", () => {
  it("is validated data: an unknown command or a missing visibility is refused, naming the field", () => {
    const error = (() => {
      try {
        createPermissionPolicy({
          id: "x",
          version: "1",
          roles: { staff: { commands: ["CloseCase" as never], personalData: true } },
        });
      } catch (e) {
        return e;
      }
    })();
    expect(isPermissionPolicyError(error)).toBe(true);
    expect(String(error)).toContain("roles.staff.commands.0");
    expect(() =>
      createPermissionPolicy({ id: "x", version: "1", roles: { staff: { commands: "*" } as never } }),
    ).toThrow(/roles\.staff\.personalData/);
  });

  it("R-36 a role not listed may do nothing and see nothing", () => {
    expect(mayIssue(permissions, "visitor", "ReceiveComplaint")).toBe(false);
    expect(maySeePersonalData(permissions, "visitor")).toBe(false);
    expect(maySeePersonalData(permissions, "toString")).toBe(false);
    expect(mayIssue(permissions, "administrator", "ChangePolicy")).toBe(true);
  });
});

describe("handle with permissions", () => {
  it("R-36 a command the role may not issue is refused as permission/denied, appended nowhere, and audited", async () => {
    const { store, audit, ctx, id } = setup();
    expect((await handle(store, id, received, ctx(hotline))).ok).toBe(true);
    const close = { type: "ClassifyComplaint", kind: "complaint", category: "packaging", commandId: "cls-1" };
    const result = await handle(store, id, close, ctx(hotline));
    expect(result).toMatchObject({ ok: false, rejection: { code: "permission/denied" } });
    if (result.ok) return;
    expect(result.rejection.message).toBe(
      'role "hotline" may not issue ClassifyComplaint (permission policy acme@1)',
    );
    expect(REJECTIONS["permission/denied"].meaning).toContain("permission policy");
    expect((await store.readStream(id)).map((e) => e.type)).toEqual(["ComplaintReceived"]);
    expect(audit.entries()).toEqual([
      {
        at: "2026-03-02T01:00:00.000Z",
        streamId: id,
        actor: hotline,
        commandType: "ClassifyComplaint",
        commandId: "cls-1",
        code: "permission/denied",
        rule: undefined,
        message: result.rejection.message,
      },
    ]);
  });

  it("R-28 an administrator allowed every command is still recused from a complaint about them", async () => {
    const { store, audit, ctx, id } = setup();
    const aboutAdmin = { ...received, complainedAbout: { id: "admin-1", unit: "it" } };
    expect((await handle(store, id, aboutAdmin, ctx(hotline))).ok).toBe(true);
    const result = await handle(
      store,
      id,
      { type: "ClassifyComplaint", kind: "complaint", category: "other" },
      ctx(admin),
    );
    expect(result).toMatchObject({ ok: false, rejection: { code: "complaint/recusal", rule: "R-28" } });
    expect(audit.entries().map((e) => [e.code, e.actor.id])).toEqual([["complaint/recusal", "admin-1"]]);
  });

  it("R-27 an administrator allowed every command cannot promise a remedy beyond their authority", async () => {
    const { store, audit, ctx, id } = setup();
    for (const command of [
      received,
      { type: "ClassifyComplaint", kind: "complaint", category: "packaging" },
      { type: "RecordInvestigation", findings: { facts: "密封圈老化", validity: "valid" } },
    ])
      expect((await handle(store, id, command, ctx(admin))).ok).toBe(true);
    const remedy = { kinds: ["compensation"], description: "赔偿", value: { amount: 800, currency: "CNY" } };
    const result = await handle(store, id, { type: "ProposeResolution", remedy }, ctx(admin));
    expect(result).toMatchObject({
      ok: false,
      rejection: { code: "policy/authority-exceeded", rule: "R-27" },
    });
    expect(audit.entries().map((e) => e.code)).toEqual(["policy/authority-exceeded"]);
  });

  it("R-36 a role that may not see personal data gets the result's events redacted, also on a repeated command id", async () => {
    const { store, ctx, id } = setup();
    const first = await handle(store, id, { ...received, commandId: "intake-1" }, ctx(admin));
    expect(first.ok && first.events[0]?.data).toMatchObject({ personalData: { name: NAME, phone: PHONE } });
    // The hotline repeats the command id of the administrator's intake: it gets that answer, redacted.
    const again = await handle(store, id, { ...received, commandId: "intake-1" }, ctx(hotline));
    expect(again.ok && again.alreadyHandled).toBe(true);
    const shown: readonly ComplaintEvent[] = again.ok ? again.events : [];
    expect(shown[0]?.data).toMatchObject({
      personalData: { name: "***", phone: "***", email: "***", address: "***" },
    });
    expect(secretsIn(JSON.stringify(shown))).toEqual([]);
  });

  it("R-36 read models never hold personal data, whoever built them", async () => {
    const store = createMemoryStore();
    await runLifecycle(store);
    const list = createMemoryComplaintList();
    await createProjectionRunner({ store, target: list.target, projection: list.projection }).catchUp();
    const page = await list.query({});
    expect(page.total).toBe(1);
    const doc = await list.get(page.rows[0]!.streamId);
    expect(secretsIn(JSON.stringify([page, doc]))).toEqual([]);
  });
});
