import { describe, expect, it } from "vitest";
import { caseNumberScope, createPolicy, defaultPolicy, formatCaseNumber } from "../../src/index.js";
import { deciderSpec } from "../../src/testing/index.js";

const receive = {
  type: "ReceiveComplaint",
  channel: "phone",
  complainant: { id: "c-1" },
  description: "卷烟数量不足",
} as const;

describe("case numbers", () => {
  it("R-01 a year-month-serial case number in the policy's zone, separate from the stream id", () => {
    const policy = createPolicy({ ...defaultPolicy, caseNumberFormat: "{yyyy}-{mm}-{serial:4}" });
    // 2026-01-31T17:30Z is already 2026-02-01 01:30 in Asia/Shanghai: the February sequence.
    const then = deciderSpec({ policy, at: "2026-01-31T17:30:00.000Z", serial: 42 }).when(receive);
    const received = then.thenEmits("ComplaintReceived").events[0]!;
    expect(received.type === "ComplaintReceived" && received.data.caseNumber).toBe("2026-02-0042");
    expect(received.streamId).not.toBe("2026-02-0042");
    expect(caseNumberScope(policy, new Date("2026-01-31T17:30:00.000Z"))).toBe("2026-02-");
  });

  it("R-01 the serial token pads to its width and other tokens render", () => {
    const policy = createPolicy({ ...defaultPolicy, caseNumberFormat: "KS{yy}{mm}{dd}-{serial:3}" });
    expect(formatCaseNumber(policy, new Date("2025-12-31T16:00:00.000Z"), 7)).toBe("KS260101-007");
    expect(formatCaseNumber(policy, new Date("2025-12-31T15:59:59.999Z"), 1234)).toBe("KS251231-1234");
  });

  it("R-01 a format without a serial is refused when the policy is created", () => {
    expect(() => createPolicy({ ...defaultPolicy, caseNumberFormat: "{yyyy}-{mm}" })).toThrow(
      /caseNumberFormat/,
    );
  });
});
