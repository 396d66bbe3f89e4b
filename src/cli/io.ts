/** Where the CLI reads and writes: the process by default, buffers in tests. */
export interface CliIo {
  readonly stdout: CliStream;
  readonly stderr: CliStream;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The whole of standard input, for `kesu cmd -`. */
  readStdin(): Promise<string>;
}

/** A writable text stream; `isTTY` decides whether progress bars are drawn. */
export interface CliStream {
  write(text: string): unknown;
  readonly isTTY?: boolean | undefined;
}

/** The process's own streams and environment. */
export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    async readStdin() {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString("utf8");
    },
  };
}

/**
 * Exit codes: 0 done; 1 the command was rejected (a business rule, R-nn); 2 bad input (usage,
 * malformed JSON or CSV, unknown case or preset); 3 the database could not be used; 4 anything
 * unexpected (a bug: please report it with the message).
 */
export const EXIT = { ok: 0, rejected: 1, usage: 2, database: 3, internal: 4 } as const;

/** An exit code of the CLI. */
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A failure the CLI reports as one line on stderr, with its exit code. */
export class CliError extends Error {
  /** Always `"CliError"`. */
  override readonly name = "CliError" as const;
  constructor(
    message: string,
    readonly exitCode: ExitCode = EXIT.usage,
  ) {
    super(message);
  }
}

/** Is `error` a {@link CliError}? */
export function isCliError(error: unknown): error is CliError {
  return error instanceof Error && error.name === "CliError";
}

/**
 * One line for an error that is not a {@link CliError}: database failures named as such
 * (exit 3), anything else as an internal error with its message.
 */
export function describeError(error: unknown): { message: string; exitCode: ExitCode } {
  if (isCliError(error)) return { message: error.message, exitCode: error.exitCode };
  const e = error instanceof Error ? error : new Error(String(error));
  // Business calendars hold holiday data for known years only (see docs/calendars.md).
  if (e.name === "CalendarRangeError") return { message: e.message, exitCode: EXIT.usage };
  const code = String((e as { code?: unknown }).code ?? "");
  const oneLine = (text: string) => text.replace(/\s+/g, " ").trim();
  if (isConnectionError(code))
    return { message: `database unreachable: ${oneLine(e.message) || code}`, exitCode: EXIT.database };
  if (code.startsWith("SQLITE_") || code.startsWith("store/") || /^[0-9A-Z]{5}$/.test(code))
    return { message: `database error: ${oneLine(e.message)}`, exitCode: EXIT.database };
  return { message: `unexpected error: ${oneLine(e.message) || e.name}`, exitCode: EXIT.internal };
}

const CONNECTION_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "ETIMEDOUT", "EHOSTUNREACH", "ECONNRESET"]);

function isConnectionError(code: string): boolean {
  // PostgreSQL SQLSTATE classes 08 (connection) and 28 (authorisation), and socket errors.
  return CONNECTION_CODES.has(code) || /^(08|28|3D)[0-9A-Z]{3}$/.test(code);
}
