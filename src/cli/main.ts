#!/usr/bin/env node
/**
 * The `kesu` command line: `main(argv, io)` runs one command and resolves with its exit code,
 * so tests can call it in-process; run as a program, it calls `main` with the process's own
 * arguments and streams.
 * @packageDocumentation
 */
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { CommanderError } from "commander";
import { type CliIo, describeError, EXIT, type ExitCode, processIo } from "./io.js";
import { createProgram } from "./program.js";

export type { CliIo, CliStream, ExitCode } from "./io.js";
export { CliError, EXIT, isCliError } from "./io.js";

/**
 * Runs `kesu` with `argv` (the arguments after the program name) and resolves with the exit
 * code: 0 done, 1 rejected by a business rule, 2 bad input, 3 database unusable, 4 unexpected.
 * Errors are reported as one line on `io.stderr`; nothing is thrown.
 * @example
 * const code = await main(["list", "--db", "complaints.db", "--format", "csv"]);
 */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<ExitCode> {
  const result: { code: ExitCode } = { code: EXIT.ok };
  const program = createProgram(io, result);
  try {
    await program.parseAsync([...argv], { from: "user" });
    return result.code;
  } catch (error) {
    if (error instanceof CommanderError)
      // Help and version exit 0; commander has already printed its one-line usage error.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    const { message, exitCode } = describeError(error);
    io.stderr.write(`kesu: ${message}\n`);
    return exitCode;
  }
}

/** Is this module the program being run (not imported by a test or another module)? */
function isEntryPoint(): boolean {
  const entry = process.argv[1];
  if (entry === undefined || typeof import.meta.url !== "string") return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`kesu: ${String(error)}\n`);
      process.exitCode = EXIT.internal;
    },
  );
}
