// Module hooks for the benchmark process: TypeScript compiled by esbuild per file, the way the
// published build (tsup) compiles it. tsx, which `npm run bench` starts with, keeps function
// names (`keepNames`), wrapping every closure it creates at run time in a defineProperty call:
// measurable in hot paths that create closures, and absent from the published package.
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { transform } from "esbuild";

export async function resolve(specifier, context, next) {
  try {
    return await next(specifier, context);
  } catch (error) {
    // Sources import each other with `.js` suffixes (ESM with TypeScript); the files are `.ts`.
    if (
      error?.code === "ERR_MODULE_NOT_FOUND" &&
      specifier.endsWith(".js") &&
      !specifier.includes("node_modules")
    )
      return next(`${specifier.slice(0, -3)}.ts`, context);
    throw error;
  }
}

export async function load(url, context, next) {
  if (!url.startsWith("file:") || !url.endsWith(".ts")) return next(url, context);
  const path = fileURLToPath(url);
  const { code } = await transform(await readFile(path, "utf8"), {
    loader: "ts",
    format: "esm",
    target: "node20",
    sourcefile: path,
    sourcemap: "inline",
  });
  return { format: "module", source: code, shortCircuit: true };
}
