import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type CommandInput, type ComplaintEventType, EVENT_TYPES } from "../../src/index.js";
import { deciderSpec } from "../../src/testing/index.js";

const receive: CommandInput = {
  type: "ReceiveComplaint",
  channel: "phone",
  complainant: { id: "c-1" },
  description: "配送的卷烟有霉变",
};
const classify: CommandInput = { type: "ClassifyComplaint", kind: "complaint", category: "service-content" };

/** The message of the error `fn` throws (fails the test when it does not throw). */
function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("expected a throw");
}

describe("deciderSpec reports failures readably", () => {
  it("a wrong expected event list throws with both lists in the message", () => {
    const message = messageOf(() =>
      deciderSpec().given(receive).when(classify).thenEmits("ComplaintClassified", "ComplaintAssigned"),
    );
    expect(message).toBe("expected events ComplaintClassified, ComplaintAssigned; got ComplaintClassified");
  });

  it("any wrong list is reported with both lists, in order", () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...EVENT_TYPES), { maxLength: 5 }),
        (expected: ComplaintEventType[]) => {
          fc.pre(expected.join() !== "ComplaintClassified");
          const message = messageOf(() =>
            deciderSpec()
              .given(receive)
              .when(classify)
              .thenEmits(...expected),
          );
          expect(message).toContain(`expected events ${expected.join(", ") || "none"};`);
          expect(message).toMatch(/; got ComplaintClassified$/);
        },
      ),
      { numRuns: 100 },
    );
  });

  it("expecting no events names 'none' rather than an empty list", () => {
    expect(messageOf(() => deciderSpec().when(receive).thenEmits())).toBe(
      "expected events none; got ComplaintReceived",
    );
  });

  it("expecting events from a rejected command names the events and the rejection with its rule", () => {
    const message = messageOf(() =>
      deciderSpec().given(receive).when({ type: "AcceptResolution" }).thenEmits("ResolutionAccepted"),
    );
    expect(message).toMatch(
      /^expected events ResolutionAccepted; got rejection resolution\/not-proposed: R-08 /,
    );
  });

  it("the wrong rejection code names both codes and the rule-prefixed message", () => {
    const message = messageOf(() =>
      deciderSpec().given(receive).when({ type: "CloseComplaint" }).thenRejects("close/gate"),
    );
    expect(message).toMatch(
      /^expected rejection close\/gate; got close\/not-resolved: R-11 case .+ has no resolution/,
    );
  });

  it("expecting a rejection from an accepted command lists the events decided", () => {
    expect(messageOf(() => deciderSpec().given(receive).when(classify).thenRejects("complaint/closed"))).toBe(
      "expected rejection complaint/closed; got events ComplaintClassified",
    );
  });

  it("reading events or state of a rejected command names the rejection", () => {
    const then = deciderSpec().when({ type: "AcceptResolution" });
    expect(messageOf(() => then.events)).toMatch(/^expected events, got rejection complaint\/not-found: /);
    expect(messageOf(() => then.state)).toMatch(/complaint\/not-found/);
  });

  it("a given command that is rejected names the command, the code and the rule", () => {
    expect(messageOf(() => deciderSpec().given(receive, receive))).toMatch(
      /^given ReceiveComplaint was rejected: complaint\/already-received R-01 /,
    );
  });

  it("a malformed command names the failing field", () => {
    const malformed = {
      type: "ClassifyComplaint",
      kind: "grumble",
      category: "other",
    } as unknown as CommandInput;
    expect(messageOf(() => deciderSpec().given(receive).when(malformed))).toMatch(
      /^spec command is malformed: invalid command: kind: /,
    );
  });

  it("passing expectations chain and hand back what was decided", () => {
    const then = deciderSpec().given(receive).when(classify).thenEmits("ComplaintClassified");
    expect(then.state.stage).toBe("classified");
    const message = deciderSpec()
      .given(receive, classify)
      .when(classify)
      .thenRejects("complaint/already-classified");
    expect(message).toMatch(/^R-18 /);
  });
});
