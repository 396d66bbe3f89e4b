/**
 * Importing the largest CFPB extract (kesu only: Emmett has no importer): 8,340 rows of the 2014
 * file, each row's lifecycle replayed through `handle` under the `usCfpb` preset with the mapping
 * shipped in `examples/`, into an empty store per run — in memory and into a SQLite file.
 */
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type ImportReport, importCsv, parseImportMapping } from "../../src/importer/index.js";
import { createMemoryStore, type EventStore, fixedClock, ulidGenerator } from "../../src/index.js";
import { usCfpb, usFederalCalendar } from "../../src/presets/index.js";
import { createSqliteStore } from "../../src/stores/sqlite/index.js";
import { removeDb } from "../cache.js";
import type { Side, Workload } from "../harness.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const FILE = "lakshlk0310__Consumer_Complaints_2014.csv";

/** Import of the largest extract, in memory and into SQLite. */
export function importWorkload(): Workload {
  const csv = readFileSync(join(root, "test", "fixtures", "cfpb", FILE));
  const mapping = parseImportMapping(readFileSync(join(root, "examples", "cfpb-mapping.json"), "utf8"));
  const calendar = usFederalCalendar({ outOfRange: "weekdays" });
  const dbPath = join(tmpdir(), `kesu-bench-import-${process.pid}.db`);
  let store: EventStore | undefined;
  let last: ImportReport | undefined;
  const notes: string[] = [];
  const run = async () => {
    last = await importCsv({
      store: store!,
      input: csv,
      mapping,
      policy: usCfpb,
      calendar: { id: calendar.id, version: calendar.version },
      clock: fixedClock("2026-01-05T00:00:00.000Z"),
      ids: ulidGenerator({ seed: 7 }),
    });
    return undefined;
  };
  const side = (label: string, open: () => EventStore, extra: boolean): Side => ({
    lib: "kesu",
    label,
    extra,
    setup() {
      removeDb(dbPath);
      store = open();
    },
    run,
    async teardown() {
      await store?.close();
      store = undefined;
      removeDb(dbPath);
    },
  });
  return {
    id: "import.cfpb",
    title: `Import the largest CFPB extract (${FILE.split("__")[0]}, 2014), usCfpb preset`,
    unit: "rows",
    units: 8_340,
    rounds: 3,
    sides: [
      side("kesu importCsv → memory store", () => createMemoryStore(), false),
      side("kesu importCsv → SQLite file", () => createSqliteStore({ path: dbPath }), true),
    ],
    cleanup() {
      if (last)
        notes.push(
          `Last run: ${last.rows.toLocaleString("en")} rows, ${last.imported.toLocaleString("en")} imported, ${last.skipped} skipped (the file's last record is truncated).`,
        );
    },
    notes,
  };
}
