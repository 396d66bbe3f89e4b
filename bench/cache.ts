/**
 * Prepared SQLite files kept between benchmark runs. Filling a file with a million events
 * through a store takes longer than measuring it, and the file only changes when the data or
 * the store's code does, so the cache key covers both: the data parameters and the text of the
 * source files that write the rows. `--fresh` ignores the cache.
 */
import { createHash } from "node:crypto";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const cacheDir = join(tmpdir(), "kesu-bench-cache");

/** Removes a SQLite file and its WAL companions. */
export function removeDb(path: string): void {
  for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(path + suffix, { force: true });
}

/** A scratch path for a SQLite file of this process (or of the process `pid`). */
export function scratchDb(name: string, pid: number = process.pid): string {
  return join(tmpdir(), `kesu-bench-${pid}-${name}.db`);
}

/**
 * A hash of the given source directories or files (relative to the repository) and extra key
 * parts.
 */
export function sourceKey(dirs: readonly string[], ...parts: readonly unknown[]): string {
  const hash = createHash("sha256");
  for (const part of parts) hash.update(JSON.stringify(part));
  for (const dir of dirs) {
    const full = join(root, dir);
    if (existsSync(full) && statSync(full).isFile()) {
      hash.update(dir);
      hash.update(readFileSync(full));
      continue;
    }
    const files = existsSync(full) ? readdirSync(full, { recursive: true }).map(String).sort() : [];
    for (const file of files) {
      if (!file.endsWith(".ts") && !file.endsWith(".json")) continue;
      hash.update(file);
      hash.update(readFileSync(join(full, file)));
    }
  }
  return hash.digest("hex").slice(0, 16);
}

/**
 * A copy of the cached file `name-key.db` at `target`, building the cached file with `build`
 * first when it is missing (or `fresh`). Returns whether the cache was used.
 */
export async function cachedDb(
  name: string,
  key: string,
  target: string,
  fresh: boolean,
  build: (path: string) => Promise<void>,
): Promise<boolean> {
  mkdirSync(cacheDir, { recursive: true });
  const cached = join(cacheDir, `${name}-${key}.db`);
  const hit = !fresh && existsSync(cached);
  if (!hit) {
    for (const old of readdirSync(cacheDir)) if (old.startsWith(`${name}-`)) rmSync(join(cacheDir, old));
    const building = `${cached}.building`;
    removeDb(building);
    // The builder closes its connections, which folds the WAL back into the file.
    await build(building);
    renameSync(building, cached);
  }
  removeDb(target);
  copyFileSync(cached, target);
  return hit;
}
