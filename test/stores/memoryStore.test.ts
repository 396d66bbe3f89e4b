import { describe, expect, it } from "vitest";
import { type ComplaintEvent, createMemoryStore, handle, type RecordedEvent } from "../../src/index.js";
import { contractScenario } from "../../src/testing/contractScenario.js";

async function storeWithComplaint() {
  const s = contractScenario();
  const store = createMemoryStore();
  const id = s.streamId();
  const ctx = s.handleContext();
  await handle(store, id, s.receive(), ctx);
  await handle(store, id, { type: "ClassifyComplaint", kind: "complaint", category: "packaging" }, ctx);
  return { store, id };
}

describe("memory store copies", () => {
  it("hands out copies: changing an event read back changes nothing stored", async () => {
    const { store, id } = await storeWithComplaint();
    const before = await store.readStream(id);
    const read = await store.readStream(id);
    const first = read[0] as RecordedEvent & { data: { tags: string[]; channel: string } };
    first.data.tags.push("tampered");
    first.data.channel = "tampered";
    (read[1] as { type: string }).type = "ComplaintWithdrawn";
    (await store.readAll())[0]!.metadata.commandId = "tampered";
    expect(await store.readStream(id)).toStrictEqual(before);
    expect(await store.readAll()).toStrictEqual(before);
  });

  it("keeps its own copy of what it was given, members set to undefined included", async () => {
    const { store, id } = await storeWithComplaint();
    const [template] = await store.readStream(id);
    const { position: _position, ...event } = template!;
    const given = {
      ...event,
      id: "01KESUMEMORYCOPY0000000001",
      metadata: { ...event.metadata, commandId: "copy-test" },
      data: { ...event.data, request: undefined },
    } as ComplaintEvent;
    const other = createMemoryStore();
    const { events } = await other.appendToStream(id, [given], { expectedVersion: "no-stream" });
    (given.data as { channel: string }).channel = "tampered";
    (events[0]!.data as { channel: string }).channel = "tampered too";
    const [stored] = await other.readStream(id);
    expect((stored!.data as { channel: string }).channel).toBe(
      (template!.data as { channel: string }).channel,
    );
    expect(Object.hasOwn(stored!.data, "request")).toBe(true);
    expect((stored!.data as { request?: unknown }).request).toBeUndefined();
  });

  it("keeps an own __proto__ key as data, not as the copy's prototype", async () => {
    const { store, id } = await storeWithComplaint();
    const [template] = await store.readStream(id);
    const { position: _position, ...event } = template!;
    const hostile = JSON.parse('{"__proto__": {"polluted": true}}') as Record<string, unknown>;
    const given = {
      ...event,
      id: "01KESUMEMORYCOPY0000000002",
      metadata: { ...event.metadata, commandId: "proto-test" },
      data: { ...event.data, subject: hostile },
    } as ComplaintEvent;
    const other = createMemoryStore();
    await other.appendToStream(id, [given], { expectedVersion: "no-stream" });
    const [stored] = await other.readStream(id);
    const subject = (stored!.data as { subject: Record<string, unknown> }).subject;
    expect(Object.getPrototypeOf(subject)).toBe(Object.prototype);
    expect(Object.hasOwn(subject, "__proto__")).toBe(true);
    expect((subject as { polluted?: unknown }).polluted).toBeUndefined();
  });
});
