import { describe, expect, it } from "vitest";
import { calendars } from "../../src/index.js";
import { generic } from "../../src/presets/index.js";
import { complaintCase, sh } from "./harness.js";

const cn = calendars.chinaMainland();
const staff = { id: "cs-9", role: "staff", unit: "customer-service" };

describe("generic preset", () => {
  it("R-03 R-23 R-10 acknowledge, assess, respond in 15 working days across National Day, follow up", async () => {
    const c = complaintCase(generic, cn, staff);
    // Thursday 2025-09-25 09:30.
    await c.run(sh("2025-09-25T09:30"), {
      type: "ReceiveComplaint",
      channel: "online-form",
      complainant: { id: "cust-77" },
      description: "订单延迟两周未发货",
    });
    await c.run(sh("2025-09-25T10:00"), {
      type: "AcknowledgeReceipt",
      handler: { unit: "customer-service", id: "cs-9" },
      expectedResponseBy: sh("2025-10-22T18:00"),
      channel: "email",
    });
    await c.run(sh("2025-09-25T15:00"), {
      type: "ClassifyComplaint",
      kind: "complaint",
      category: "delivery",
    });

    // respond (002:270): 15 working days, Thursday not counted: Fri 09-26 (1), Sun 09-28 — 调休 (2),
    // 09-29 (3), 09-30 (4), holiday 10-01..10-08, 10-09 (5), 10-10 (6), Sat 10-11 — 调休 (7),
    // 10-13..10-17 (8-12), 10-20 (13), 10-21 (14), Wed 10-22 (15) → 10-22 18:00.
    const first = await c.sla(sh("2025-09-26T12:00"));
    expect(first.clocks.map((k) => [k.clockId, k.status, k.dueAt])).toEqual([
      ["acknowledge", "met", sh("2025-09-26T09:30")],
      ["assess", "met", sh("2025-09-26T09:30")],
      ["respond", "running", sh("2025-10-22T18:00")],
      ["follow-up", "not-started", undefined],
    ]);

    // waiting for the order number pauses the response clock from Mon 09-29 10:00 to Thu
    // 10-09 10:00 — 7 + 8 + 1 = 16 working hours, so the due instant moves two working days:
    // 10-22 18:00 + 16 h → Fri 10-24 18:00.
    await c.run(sh("2025-09-29T10:00"), { type: "StartWaitingOnComplainant", reason: "请提供订单号" });
    const paused = await c.clock("respond", sh("2025-10-05T12:00"));
    expect(paused.status).toBe("paused");
    await c.run(sh("2025-10-09T10:00"), { type: "EndWaitingOnComplainant", note: "客户补充订单号" });
    const resumed = await c.clock("respond", sh("2025-10-09T12:00"));
    expect(resumed.dueAt).toBe(sh("2025-10-24T18:00"));
    expect(resumed.pausedMs).toBe(16 * 3_600_000);

    await c.run(sh("2025-10-17T11:00"), {
      type: "RecordInvestigation",
      findings: { facts: "仓库漏发", rootCause: "拣货单未打印", validity: "valid" },
    });
    await c.run(sh("2025-10-20T10:00"), {
      type: "ProposeResolution",
      remedy: {
        kinds: ["apology", "compensation"],
        description: "补发并赠送优惠券",
        value: { amount: 50, currency: "CNY" },
      },
    });
    // follow-up starts when respond stops, Mon 10-20 10:00: 5 working days → Mon 10-27 18:00.
    const follow = await c.clock("follow-up", sh("2025-10-21T09:00"));
    expect(follow).toMatchObject({ status: "running", dueAt: sh("2025-10-27T18:00") });
    await c.run(sh("2025-10-21T10:00"), { type: "AcceptResolution" });
    await c.run(sh("2025-10-23T10:00"), { type: "RecordRevisit", satisfaction: 90 });
    // No gate and no confirmation required in the generic preset.
    const closed = await c.run(sh("2025-10-23T11:00"), { type: "CloseComplaint" });
    expect(closed.stage).toBe("closed");
    const done = await c.sla(sh("2025-10-24T09:00"));
    expect(done.clocks.map((k) => k.status)).toEqual(["met", "met", "met", "met"]);
  });

  it("R-18 a complaint through the media is major and must be answered in 7 working days (002:48)", async () => {
    const c = complaintCase(generic, cn, staff);
    await c.run(sh("2026-02-13T10:00"), {
      type: "ReceiveComplaint",
      channel: "media",
      complainant: { id: "reporter-2" },
      description: "网络曝光售后推诿",
    });
    await c.run(sh("2026-02-13T11:00"), {
      type: "ClassifyComplaint",
      kind: "complaint",
      category: "service-attitude",
    });
    // 7 working days from Fri 02-13: Sat 02-14 (1), holiday, 02-24..02-27 (2-5), Sat 02-28 — 调休 (6),
    // Mon 03-02 (7) → 03-02 18:00.
    const respond = await c.clock("respond", sh("2026-02-24T09:00"));
    expect(respond.severity).toBe("major");
    expect(respond.dueAt).toBe(sh("2026-03-02T18:00"));
  });
});
