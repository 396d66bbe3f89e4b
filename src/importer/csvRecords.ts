import { Readable } from "node:stream";
import { type CsvError, parse } from "csv-parse";

/** What the importer reads: CSV text, its bytes, or a byte or text stream (a file, a download). */
export type ImportInput = string | Buffer | Readable;

/** One parsed record and the lines it spans (1-based; a quoted field may span several). */
export interface SourceRecord {
  readonly kind: "record";
  readonly line: number;
  readonly endLine: number;
  readonly fields: readonly string[];
}

/** A record the CSV parser could not read; the rest of the input is still read. */
export interface SourceError {
  readonly kind: "error";
  readonly line: number;
  readonly message: string;
}

/**
 * Streams the records of a CSV input with their line numbers. A byte-order mark is dropped;
 * line endings may be `\r\n`, `\n` or `\r`, mixed; quoted fields may hold line breaks; a stray
 * quote inside an unquoted field is kept as text; rows may have any number of fields (the caller
 * compares them with the header). A record the parser cannot read — a quoted field still open at
 * the end of the input, typically a truncated last record — comes back as a {@link SourceError}
 * naming the line it starts on.
 */
export async function* readCsvRecords(input: ImportInput): AsyncGenerator<SourceRecord | SourceError> {
  // The end line of the last record the parser produced, kept in its synchronous callbacks so
  // a skipped record can be placed right after it.
  let lastEnd = 0;
  // The parser may run ahead of the consumer: each skipped record remembers how many records
  // came before it, so it is handed over in input order.
  let produced = 0;
  const skipped: { readonly after: number; readonly error: SourceError }[] = [];
  const parser = parse({
    bom: true,
    record_delimiter: ["\r\n", "\n", "\r"],
    relax_column_count: true,
    relax_quotes: true,
    skip_records_with_error: true,
    on_record: (fields: string[], context) => {
      const record: SourceRecord = { kind: "record", line: lastEnd + 1, endLine: context.lines, fields };
      lastEnd = context.lines;
      produced++;
      return record as unknown as string[];
    },
    on_skip: (error: CsvError | undefined) => {
      const line = lastEnd + 1;
      skipped.push({ after: produced, error: { kind: "error", line, message: describe(error, line) } });
      lastEnd = typeof error?.lines === "number" ? error.lines : lastEnd;
      return undefined;
    },
  });
  const source = typeof input === "string" || Buffer.isBuffer(input) ? Readable.from([input]) : input;
  source.on("error", (error) => parser.destroy(error));
  source.pipe(parser);
  let consumed = 0;
  for await (const item of parser as AsyncIterable<SourceRecord>) {
    while (skipped[0] && skipped[0].after <= consumed) yield skipped.shift()!.error;
    yield item;
    consumed++;
  }
  for (const { error } of skipped) yield error;
}

function describe(error: CsvError | undefined, line: number): string {
  if (error?.code === "CSV_QUOTE_NOT_CLOSED") {
    const end = typeof error.lines === "number" ? error.lines : line;
    return `truncated record: a quoted field opened on line ${line} is still open at the end of the input (line ${end})`;
  }
  return `unreadable record: ${error?.message ?? "the CSV parser skipped it"}`;
}
