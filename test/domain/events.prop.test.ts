import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ComplaintEventSchema, fold, initialState } from "../../src/index.js";
import { arbValidStream, deciderSpec } from "../../src/testing/index.js";

describe("events on the wire", () => {
  it("every event survives a JSON round trip exactly and still parses with the schema", () => {
    fc.assert(
      fc.property(arbValidStream(), ({ events }) => {
        for (const event of events) {
          const back: unknown = JSON.parse(JSON.stringify(event));
          expect(back).toStrictEqual(event);
          expect(ComplaintEventSchema.safeParse(back).success).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });

  it("events are written in canonical form: parsing one changes nothing", () => {
    fc.assert(
      fc.property(arbValidStream(), ({ events }) => {
        for (const event of events) expect(ComplaintEventSchema.parse(event)).toStrictEqual(event);
      }),
      { numRuns: 200 },
    );
  });

  it("a stream read back from JSON folds to the same state", () => {
    fc.assert(
      fc.property(arbValidStream(), ({ streamId, events, state }) => {
        const back = JSON.parse(JSON.stringify(events)).map((e: unknown) => ComplaintEventSchema.parse(e));
        expect(fold(initialState(streamId), back)).toStrictEqual(state);
      }),
      { numRuns: 100 },
    );
  });

  // Found by the round-trip property: the schemas accept -0, JSON writes it as 0.
  it("R-08 a remedy worth -0 is written as 0, so the event survives JSON exactly", () => {
    const then = deciderSpec()
      .given({
        type: "ReceiveComplaint",
        channel: "phone",
        complainant: { id: "c-1" },
        description: "少了一条",
      })
      .when({
        type: "ResolveOnTheSpot",
        category: "quantity",
        remedy: { kinds: ["price-reduction"], description: "减价", value: { amount: -0, currency: "CNY" } },
      });
    const resolved = then.thenEmits(
      "ComplaintClassified",
      "ComplaintResolved",
      "ResolutionAccepted",
      "ComplaintClosed",
    ).events[1]!;
    expect(resolved.type === "ComplaintResolved" && Object.is(resolved.data.remedy.value?.amount, 0)).toBe(
      true,
    );
    expect(JSON.parse(JSON.stringify(resolved))).toStrictEqual(resolved);
  });

  it("R-02 a quantity of -0 is written as 0", () => {
    const received = deciderSpec()
      .when({
        type: "ReceiveComplaint",
        channel: "phone",
        complainant: { id: "c-1" },
        description: "少了一条",
        subject: { quantity: -0, defectQuantity: -0 },
      })
      .thenEmits("ComplaintReceived").events[0]!;
    expect(JSON.parse(JSON.stringify(received))).toStrictEqual(received);
  });
});
