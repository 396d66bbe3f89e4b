import { execFile } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureBuiltCopy } from "../support/build.js";

/** What one run of the binary gave. */
export interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options of {@link kesu}. */
export interface RunOptions {
  readonly cwd?: string | undefined;
  /** Added to the environment (after KESU_* variables of the test process are removed). */
  readonly env?: Readonly<Record<string, string>> | undefined;
  readonly stdin?: string | undefined;
}

/**
 * Runs the built `kesu` binary (`node dist/cli.js …`, from this test run's copy of `dist`, built
 * on first use) as a child process. The test process's
 * own `KESU_*` variables (CI sets `KESU_PG_URL`) are not passed on, so each test says where its
 * data is.
 */
export async function kesu(args: readonly string[], options: RunOptions = {}): Promise<Run> {
  const build = await ensureBuiltCopy();
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith("KESU_")) env[k] = v;
  Object.assign(env, options.env ?? {});
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [join(build, "cli.js"), ...args],
      { cwd: options.cwd, env, encoding: "utf8", timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
    child.stdin?.end(options.stdin ?? "");
  });
}

/** A new temporary directory for one test. */
export function scratchDir(label: string): string {
  return mkdtempSync(join(tmpdir(), `kesu-${label}-`));
}
