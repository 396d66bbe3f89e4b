import { execFile } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";

/**
 * Builds the package once for the tests that need `dist/` (the published-package checks, the
 * CLI run as a binary). It builds only when `dist` is missing or older than the sources, and a
 * lock directory makes test files that run in parallel wait for one build instead of racing
 * (`npm run build` empties `dist` first).
 */

/** The repository root. */
export const root = join(import.meta.dirname, "..", "..");
/** The build output. */
export const dist = join(root, "dist");

// Outside dist, so it is never published; a build without a stamp-matching dist counts as stale.
const stampFile = join(root, "test-output", ".build-stamp");
const lockDir = join(root, "test-output", ".build-lock");
/** A lock older than this belongs to a build that died; it is taken over. */
const STALE_LOCK_MS = 5 * 60_000;

const run = promisify(execFile);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The newest modification time among the inputs of the build. */
function newestSource(): number {
  let newest = 0;
  const visit = (path: string) => {
    const stat = statSync(path);
    if (stat.isDirectory()) for (const name of readdirSync(path)) visit(join(path, name));
    else newest = Math.max(newest, stat.mtimeMs);
  };
  for (const input of ["src", "package.json", "tsup.config.ts", "tsconfig.json"]) visit(join(root, input));
  return newest;
}

/**
 * The test run this process belongs to: vitest's main process (test files run in forked workers
 * or in threads of it). Within one run `dist` is built at most once: sources that others save
 * meanwhile must not empty `dist` under test files that are using it.
 */
const runId = String(typeof process.send === "function" ? process.ppid : process.pid);

/** The current `dist`'s build: when it started (0 when unknown) and which test run made it. */
function stamp(): { startedAt: number; run: string } {
  try {
    const [startedAt, run = ""] = readFileSync(stampFile, "utf8").split(" ");
    return { startedAt: Number(startedAt) || 0, run };
  } catch {
    return { startedAt: 0, run: "" };
  }
}

const isFresh = () => {
  if (!existsSync(join(dist, "index.js")) || !existsSync(join(dist, "cli.js"))) return false;
  const built = stamp();
  return built.run === runId || built.startedAt >= newestSource();
};

function tryLock(): boolean {
  mkdirSync(join(root, "test-output"), { recursive: true });
  try {
    mkdirSync(lockDir);
    return true;
  } catch {
    try {
      if (Date.now() - statSync(lockDir).mtimeMs > STALE_LOCK_MS) {
        rmSync(lockDir, { recursive: true, force: true });
        return tryLock();
      }
    } catch {
      // The holder released it between the two calls: try again on the next round.
    }
    return false;
  }
}

/**
 * Makes sure `dist/` holds a build of the current sources, building it if needed, and resolves
 * with the `dist` path. Safe to call from every test file's `beforeAll` (give it a few minutes:
 * a build takes about one under load).
 * @example
 * beforeAll(async () => { await ensureBuilt(); }, 300_000);
 */
export async function ensureBuilt(): Promise<string> {
  for (;;) {
    if (isFresh()) return dist;
    if (tryLock()) {
      try {
        // Another file may have finished a build while this one waited for the lock.
        if (isFresh()) return dist;
        const startedAt = Date.now();
        await run("npm", ["run", "build", "--silent"], { cwd: root, maxBuffer: 64 * 1024 * 1024 });
        // The start time, not the end: a source saved during the build makes the next call rebuild.
        writeFileSync(stampFile, `${startedAt} ${runId}`);
        return dist;
      } finally {
        rmSync(lockDir, { recursive: true, force: true });
      }
    }
    await sleep(500);
  }
}

/**
 * A copy of the build for this test run only (`test-output/dist-<run>`), for tests that run
 * `dist` files as programs: another test run in the same checkout may rebuild `dist` meanwhile,
 * and `npm run build` empties it first. Packages still resolve from the repository's
 * `node_modules`. Copies of test runs that have ended are removed.
 */
export async function ensureBuiltCopy(): Promise<string> {
  const copy = join(root, "test-output", `dist-${runId}`);
  for (;;) {
    if (existsSync(join(copy, ".complete"))) return copy;
    await ensureBuilt();
    if (tryLock()) {
      try {
        if (existsSync(join(copy, ".complete"))) return copy;
        for (const name of readdirSync(join(root, "test-output")))
          if (name.startsWith("dist-") && !isAlive(Number(name.slice(5))))
            rmSync(join(root, "test-output", name), { recursive: true, force: true });
        rmSync(copy, { recursive: true, force: true });
        cpSync(dist, copy, { recursive: true });
        // A build outside the tests (`npm run build`) may have emptied `dist` during the copy:
        // only a complete copy is used. (The stamp lives in test-output, never in `dist`.)
        if (!existsSync(join(copy, "cli.js")) || !existsSync(join(copy, "index.js"))) continue;
        writeFileSync(join(copy, ".complete"), "");
        return copy;
      } finally {
        rmSync(lockDir, { recursive: true, force: true });
      }
    }
    await sleep(500);
  }
}

/** Is the process `pid` still running? */
function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === "EPERM";
  }
}
