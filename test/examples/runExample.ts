import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { root } from "../support/build.js";

const exec = promisify(execFile);

/**
 * Runs `examples/<file>` as a user would (`npx tsx examples/<file> …args`, "kesu" resolved
 * through tsconfig.json's paths) from the repository root, and resolves with what it printed.
 */
export async function runExample(
  file: string,
  options: { args?: readonly string[]; env?: Record<string, string> } = {},
): Promise<string> {
  const { stdout } = await exec(
    process.execPath,
    ["--import", "tsx", join(root, "examples", file), ...(options.args ?? [])],
    { cwd: root, env: { ...process.env, ...options.env }, encoding: "utf8", timeout: 120_000 },
  );
  return stdout;
}
