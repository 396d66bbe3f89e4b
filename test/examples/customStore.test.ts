import { execFile } from "node:child_process";
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { type ComplaintId, defaultPolicy, fixedClock, handleOrThrow, ulidGenerator, verifyStore } from "kesu";
import { eventStoreContract } from "kesu/testing";
import { afterEach, describe, expect, it } from "vitest";
import { createJsonLinesStore } from "../../examples/customStore.js";
import { root } from "../support/build.js";
import { runExample } from "./runExample.js";

const exec = promisify(execFile);

// The adapter of examples/customStore.ts must pass the contract every kesu store passes; a second
// store instance on the same file plays the second connection.
eventStoreContract("JSON-lines file (examples/customStore.ts)", async () => {
  const dir = mkdtempSync(join(tmpdir(), "kesu-jsonl-"));
  const path = join(dir, "events.jsonl");
  return {
    store: createJsonLinesStore({ path }),
    connect: async () => createJsonLinesStore({ path }),
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
});

describe("examples/customStore.ts beyond the contract", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  const newFile = () => {
    const dir = mkdtempSync(join(tmpdir(), "kesu-jsonl-"));
    dirs.push(dir);
    return join(dir, "events.jsonl");
  };
  const clock = fixedClock("2026-03-02T01:00:00.000Z");
  const ids = ulidGenerator({ clock, seed: 3 });
  const ctx = { clock, ids, policy: defaultPolicy, actor: { id: "agent-7", role: "staff", unit: "hotline" } };
  const intake = (commandId: string) => ({
    type: "ReceiveComplaint",
    commandId,
    channel: "hotline",
    complainant: { id: "c-42" },
    description: "烟支空头，盒内少两支",
  });

  it("R-01 keeps everything in the file: a store opened later sees the streams, command ids and serials", async () => {
    const path = newFile();
    const first = createJsonLinesStore({ path });
    const id = ids.next() as ComplaintId;
    const received = await handleOrThrow(first, id, intake("call-1"), ctx);
    await first.close();
    expect(readFileSync(path, "utf8").trimEnd().split("\n")).toHaveLength(2); // the serial, the append

    const again = createJsonLinesStore({ path });
    expect(await again.readStream(id)).toStrictEqual(received.events);
    expect(await again.streamInfo(id)).toMatchObject({
      version: 1,
      caseNumber: "2026-03-0001",
      stage: "received",
    });
    expect((await handleOrThrow(again, id, intake("call-1"), ctx)).alreadyHandled).toBe(true);
    const next = await handleOrThrow(again, ids.next() as ComplaintId, intake("call-2"), ctx);
    expect(next.state.stage !== "none" && next.state.caseNumber).toBe("2026-03-0002");
    expect(await verifyStore(again)).toMatchObject({ ok: true, events: 2 });
    await again.close();
  });

  it("a line cut short by a writer that died mid-write is not part of the log, and the next append cuts it off", async () => {
    const path = newFile();
    const store = createJsonLinesStore({ path });
    const id = ids.next() as ComplaintId;
    await handleOrThrow(store, id, intake("call-3"), ctx);
    await store.close();
    const intact = readFileSync(path, "utf8");
    appendFileSync(path, '{"kind":"append","position":2,"streamId":"01K'); // the crash

    const reopened = createJsonLinesStore({ path });
    expect(await reopened.readAll()).toHaveLength(1);
    await handleOrThrow(
      reopened,
      id,
      { type: "ClassifyComplaint", kind: "complaint", category: "quality" },
      ctx,
    );
    expect(readFileSync(path, "utf8").startsWith(intact)).toBe(true);
    expect((await reopened.readStream(id)).map((e) => e.version)).toEqual([1, 2]);
    expect(await verifyStore(reopened)).toMatchObject({ ok: true, events: 2 });
    await reopened.close();
  });

  it("several processes append to one file: every command once, versions without gaps, seals intact", async () => {
    const path = newFile();
    const store = createJsonLinesStore({ path });
    const id = ids.next() as ComplaintId;
    await handleOrThrow(store, id, intake("call-6"), ctx);
    const writers = ["w1", "w2", "w3", "w4"];
    const script = join(import.meta.dirname, "jsonLinesWriter.ts");
    await Promise.all(
      writers.map((writer) =>
        exec(process.execPath, ["--import", "tsx", script, path, id, "25", writer], { cwd: root }),
      ),
    );
    const stream = await store.readStream(id);
    expect(stream.map((e) => e.version)).toEqual(Array.from({ length: 101 }, (_, i) => i + 1));
    const messages = stream.flatMap((e) => (e.type === "ProgressReported" ? [e.data.message] : []));
    expect([...messages].sort()).toEqual(
      writers.flatMap((w) => Array.from({ length: 25 }, (_, i) => `${w}#${i + 1}`)).sort(),
    );
    expect(await verifyStore(store)).toMatchObject({ ok: true, events: 101 });
    await store.close();
  }, 120_000);

  it("an edited event is refused when read, naming the stream, the version and the field", async () => {
    const path = newFile();
    const store = createJsonLinesStore({ path });
    const id = ids.next() as ComplaintId;
    await handleOrThrow(store, id, intake("call-4"), ctx);
    await store.close();
    writeFileSync(path, readFileSync(path, "utf8").replace('"channel":"hotline"', '"channel":"pigeon"'));
    const reopened = createJsonLinesStore({ path });
    await expect(reopened.readStream(id)).rejects.toMatchObject({
      code: "store/corrupt-event",
      streamId: id,
      version: 1,
      message: expect.stringContaining("data.channel"),
    });
    await reopened.close();
  });

  it("a line that is no longer JSON fails every read, naming the line; it is never skipped", async () => {
    const path = newFile();
    const store = createJsonLinesStore({ path });
    await handleOrThrow(store, ids.next() as ComplaintId, intake("call-5"), ctx);
    await store.close();
    const [serial, append] = readFileSync(path, "utf8").trimEnd().split("\n");
    writeFileSync(path, `${serial}\n${append!.slice(0, -1)}\n`);
    expect(() => createJsonLinesStore({ path })).toThrow(
      `${path}:2 is not JSON: the file was edited or damaged`,
    );
  });

  it("runs as a script on the file it is given: handles a complaint, reopens the file and verifies it", async () => {
    const path = newFile();
    const output = await runExample("customStore.ts", { args: [path] });
    expect(output).toContain(`${path}: case `);
    expect(output).toMatch(/case \d{4}-\d{2}-0001, classified, version 2/);
    expect(output).toContain("verified: 2 events, seals intact");
    // The serial, the intake, the classification: one line each.
    expect(readFileSync(path, "utf8").trimEnd().split("\n")).toHaveLength(3);
  });
});

describe("docs/store-adapter.md", () => {
  /** Lines without their indentation: the page quotes nested code flush left. */
  const flush = (text: string) =>
    text
      .split("\n")
      .map((line) => line.trim())
      .join("\n");

  it("quotes the example and its test as they are (each ```ts block, cut at `// …`)", () => {
    const doc = readFileSync(join(root, "docs", "store-adapter.md"), "utf8");
    const sources = ["examples/customStore.ts", "test/examples/customStore.test.ts"].map((file) =>
      flush(readFileSync(join(root, file), "utf8")),
    );
    const blocks = [...doc.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
    expect(blocks.length).toBeGreaterThanOrEqual(8);
    for (const block of blocks)
      for (const piece of block.split(/^\/\/ …$/m).map((p) => flush(p).trim()))
        if (piece)
          expect(
            sources.some((source) => source.includes(piece)),
            piece,
          ).toBe(true);
  });
});
