/**
 * A writer process for the customStore test: opens the JSON-lines file given as argv[2] and
 * reports progress on complaint argv[3] argv[4] times, tagging each message with argv[5].
 */
import { createJsonLinesStore } from "../../examples/customStore.js";
import { complaintId, defaultPolicy, handleOrThrow, systemClock, ulidGenerator } from "../../src/index.js";

const [path, id, count, writer] = process.argv.slice(2) as [string, string, string, string];
const store = createJsonLinesStore({ path, fsync: false });
const ctx = {
  clock: systemClock,
  ids: ulidGenerator(),
  policy: defaultPolicy,
  actor: { id: writer, role: "staff", unit: "service" },
  maxRetries: 1_000, // every writer races for the same stream
};
for (let i = 1; i <= Number(count); i++)
  await handleOrThrow(
    store,
    complaintId(id),
    { type: "ReportProgress", message: `${writer}#${i}`, channel: "phone", commandId: `${writer}-${i}` },
    ctx,
  );
await store.close();
