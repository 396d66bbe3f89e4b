import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { promisify } from "node:util";
import { ensureBuiltCopy, root } from "./build.js";

const run = promisify(execFile);

/** A package as `npm publish` would upload it. */
export interface PackedPackage {
  /** The package folder that was packed: package.json, the files it lists, and this run's build. */
  readonly dir: string;
  /** The `.tgz` made by `npm pack`. */
  readonly tarball: string;
  /** The paths inside the tarball, as `npm pack` reported them. */
  readonly files: readonly string[];
  /** Removes the folder and the tarball. */
  remove(): void;
}

/**
 * Packs the package with `npm pack` from a staged copy in the OS temp folder: package.json, the
 * entries of its `files`, and this test run's copy of the build (see `ensureBuiltCopy`), so
 * another test run rebuilding `dist` cannot change the tarball half way.
 * @example
 * const packed = await packPackage();
 * afterAll(() => packed.remove());
 */
export async function packPackage(): Promise<PackedPackage> {
  const build = await ensureBuiltCopy();
  const dir = mkdtempSync(join(tmpdir(), "kesu-pack-"));
  const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { files?: string[] };
  cpSync(join(root, "package.json"), join(dir, "package.json"));
  for (const entry of manifest.files ?? []) {
    if (entry === "dist") continue;
    if (existsSync(join(root, entry))) cpSync(join(root, entry), join(dir, entry), { recursive: true });
  }
  // npm adds a licence file whatever `files` says.
  for (const licence of ["LICENSE", "LICENSE.md", "LICENCE"])
    if (existsSync(join(root, licence))) cpSync(join(root, licence), join(dir, licence));
  // The build copy holds a marker file of the test support; it is not part of the build.
  cpSync(build, join(dir, "dist"), { recursive: true, filter: (from) => basename(from) !== ".complete" });
  const { stdout } = await run("npm", ["pack", "--json", "--pack-destination", dir], {
    cwd: dir,
    maxBuffer: 64 * 1024 * 1024,
  });
  const [result] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
  const tarball = join(dir, result!.filename);
  return {
    dir,
    tarball,
    files: result!.files.map((f) => f.path),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
