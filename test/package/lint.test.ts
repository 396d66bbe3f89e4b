import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { publint } from "publint";
import { formatMessage } from "publint/utils";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { root } from "../support/build.js";
import { type PackedPackage, packPackage } from "../support/pack.js";

// The published tarball is checked the way TanStack checks theirs (`publint --strict && attw --pack`):
// publint for the manifest (every path exists and is published, formats match extensions,
// condition order), are-the-types-wrong for what TypeScript sees under each module resolution.

const run = promisify(execFile);
const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
  exports: Record<string, unknown>;
};
const entrypoints = Object.keys(manifest.exports);

let packed: PackedPackage;
beforeAll(async () => {
  packed = await packPackage();
}, 300_000);
afterAll(() => packed?.remove());

/** publint's errors and warnings (warnings count as errors: `strict`), as readable lines. */
async function lint(options: Parameters<typeof publint>[0]): Promise<string[]> {
  const { messages, pkg } = await publint({ ...options, strict: true, level: "warning" });
  return messages.map((m) => `${m.type} ${m.code}: ${formatMessage(m, pkg!, { color: false })}`);
}

describe("publint", () => {
  it("finds nothing wrong with the tarball", async () => {
    const tarball = readFileSync(packed.tarball);
    const data = tarball.buffer.slice(tarball.byteOffset, tarball.byteOffset + tarball.byteLength);
    expect(await lint({ pack: { tarball: data as ArrayBuffer } })).toEqual([]);
  });

  it("notices an export whose file is not in the package (the check is not vacuous)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kesu-publint-"));
    try {
      cpSync(packed.dir, dir, { recursive: true });
      const broken = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
      broken.exports["./testing"].import.default = "./dist/missing.js";
      writeFileSync(join(dir, "package.json"), JSON.stringify(broken));
      expect((await lint({ pkgDir: dir, pack: false })).join("\n")).toMatch(
        /FILE_DOES_NOT_EXIST.*missing\.js/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

interface Resolution {
  resolution?: { fileName: string; isTypeScript: boolean };
}
interface AttwReport {
  analysis: {
    entrypoints: Record<string, { resolutions: Record<string, Resolution> }>;
    problems: { kind: string; entrypoint: string; resolutionKind: string }[];
  };
}

describe("are the types wrong", () => {
  let report: AttwReport;
  beforeAll(async () => {
    // `--profile node16` ignores only the node10 resolution kind (TypeScript's `moduleResolution:
    // node`), which predates `exports` and so cannot see subpaths such as `kesu/testing` without a
    // `typesVersions` shim. kesu needs Node >= 20, which resolves `exports`; TypeScript users
    // resolve it with node16, nodenext or bundler. Every other kind must be clean.
    const attw = join(root, "node_modules", ".bin", "attw");
    const { stdout } = await run(attw, [packed.tarball, "--profile", "node16", "--format", "json"], {
      maxBuffer: 64 * 1024 * 1024,
    }).catch((error: { stdout?: string; code?: number }) => {
      // attw exits 1 when it finds problems; the report says which.
      if (error.code === 1 && error.stdout) return { stdout: error.stdout };
      throw error;
    });
    report = JSON.parse(stdout);
  }, 120_000);

  it("checks every entry point in the manifest", () => {
    expect(Object.keys(report.analysis.entrypoints).sort()).toEqual([...entrypoints].sort());
  });

  it("finds no problem except node10 missing the subpaths", () => {
    const unexpected = report.analysis.problems.filter(
      (p) => !(p.kind === "NoResolution" && p.resolutionKind === "node10" && p.entrypoint !== "."),
    );
    expect(unexpected).toEqual([]);
  });

  it("resolves every entry point to its own declarations under node16 (CJS and ESM) and bundlers", () => {
    for (const entry of entrypoints) {
      const { resolutions } = report.analysis.entrypoints[entry]!;
      const file = (kind: string) => {
        const r = resolutions[kind]?.resolution;
        expect(r, `${entry} under ${kind}`).toBeDefined();
        expect(r!.isTypeScript || r!.fileName.endsWith(".json"), `${entry} under ${kind}`).toBe(true);
        return r!.fileName;
      };
      if (entry === "./package.json") {
        for (const kind of ["node16-cjs", "node16-esm", "bundler"])
          expect(file(kind)).toMatch(/package\.json$/);
        continue;
      }
      const name = entry === "." ? "index" : entry.slice(2);
      expect(file("node16-cjs")).toMatch(new RegExp(`/dist/${name}\\.d\\.cts$`));
      expect(file("node16-esm")).toMatch(new RegExp(`/dist/${name}\\.d\\.ts$`));
      expect(file("bundler")).toMatch(new RegExp(`/dist/${name}\\.d\\.ts$`));
    }
    // The root entry still resolves under node10 through `types`.
    expect(report.analysis.entrypoints["."]!.resolutions.node10!.resolution?.fileName).toMatch(
      /\/dist\/index\.d\.cts$/,
    );
  });
});
