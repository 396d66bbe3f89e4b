import { createReadStream, readFileSync, statSync } from "node:fs";
import {
  type ImportMapping,
  type ImportReport,
  importCsv,
  isImportInputError,
  isImportMappingError,
  parseImportMapping,
} from "../importer/index.js";
import { presets } from "../presets/catalog.js";
import { CliError, type CliIo, EXIT, type ExitCode } from "./io.js";
import { progressBar } from "./progress.js";
import type { Session } from "./session.js";
import { calendarFor } from "./settings.js";

/** The mapping file, validated; a usage error naming the file and every bad field. */
function readMapping(path: string): ImportMapping {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new CliError(`cannot read the mapping ${path}: ${(error as Error).message}`);
  }
  try {
    return parseImportMapping(text);
  } catch (error) {
    if (isImportMappingError(error)) throw new CliError(`${path}: ${error.message}`);
    throw error;
  }
}

/** Counts lines by streaming the file (for the progress bar's total; never loads it whole). */
async function countLines(path: string): Promise<number> {
  let lines = 0;
  for await (const chunk of createReadStream(path))
    for (const byte of chunk as Buffer) if (byte === 10) lines++;
  return lines;
}

/**
 * `kesu import <file.csv> --map <mapping.json>`: historical complaints replayed through the
 * domain with their own dates (kesu/import). Good rows are kept, bad rows reported by line;
 * the exit code is 1 when any row was skipped. A second import of the same rows appends nothing.
 */
export async function runImport(
  io: CliIo,
  session: Session,
  file: string,
  mappingPath: string,
  json: boolean,
): Promise<ExitCode> {
  const mapping = readMapping(mappingPath);
  const policy = Object.values(presets).find((p) => p.id === mapping.preset);
  if (!policy)
    throw new CliError(
      `${mappingPath}: preset ${JSON.stringify(mapping.preset)} is not a policy this kesu ships`,
    );
  try {
    if (!statSync(file).isFile()) throw new Error("not a file");
  } catch (error) {
    throw new CliError(`cannot read ${file}: ${(error as Error).message}`);
  }
  if (policy.id !== session.policy.id && !json)
    io.stderr.write(
      `note: rows are imported under ${policy.id}; new cases of this database use ${session.policy.id}\n`,
    );

  const bar = progressBar(io.stderr, "import");
  if (io.stderr.isTTY) bar.start(await countLines(file));
  const calendar = calendarFor(policy);
  let report: ImportReport;
  try {
    report = await importCsv({
      store: session.backend.store,
      input: createReadStream(file),
      mapping,
      policy,
      calendar: { id: calendar.id, version: calendar.version },
      progressEvery: 100,
      onProgress: (p) => bar.update(p.line),
    });
  } catch (error) {
    if (isImportInputError(error) || isImportMappingError(error))
      throw new CliError(`${file}: ${error.message}`);
    throw error;
  } finally {
    bar.stop();
  }

  if (json) io.stdout.write(`${JSON.stringify(report)}\n`);
  else {
    io.stdout.write(
      `${file}: ${report.rows} rows: ${report.imported} imported, ${report.duplicates} already present` +
        `${report.updated > 0 ? ` (${report.updated} updated)` : ""}, ${report.skipped} skipped\n`,
    );
    for (const e of report.errors) io.stderr.write(`line ${e.line}: ${e.message.replace(/\s+/g, " ")}\n`);
  }
  return report.skipped > 0 ? EXIT.rejected : EXIT.ok;
}
