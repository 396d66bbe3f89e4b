import { fileURLToPath } from "node:url";
import { defineConfig, type Options } from "tsup";

const external = ["better-sqlite3", "pg", "@electric-sql/pglite", "fast-check", "vitest"];

const common: Options = {
  entry: {
    index: "src/index.ts",
    testing: "src/testing/index.ts",
    presets: "src/presets/index.ts",
    sqlite: "src/stores/sqlite/index.ts",
    postgres: "src/stores/postgres/index.ts",
    reports: "src/reports/index.ts",
    import: "src/importer/index.ts",
    cli: "src/cli/main.ts",
  },
  dts: true,
  sourcemap: true,
  // import.meta.url in CJS (the dashboard locates its chart library relative to itself).
  shims: true,
  target: "node20",
  // Drivers are optional peers: only their own entry loads them.
  external,
};

// Vitest cannot be required from CommonJS, so the CJS build swaps it for a shim that explains
// itself when the contract suite is called (see src/testing/vitestCjsShim.ts).
const shim = fileURLToPath(new URL("src/testing/vitestCjsShim.ts", import.meta.url));

export default defineConfig([
  { ...common, format: ["esm"] },
  {
    ...common,
    format: ["cjs"],
    external: external.filter((name) => name !== "vitest"),
    // vitest is a peer, which tsup would keep external; let the shim replace it instead.
    noExternal: ["vitest"],
    esbuildPlugins: [
      {
        name: "vitest-cjs-shim",
        setup(build) {
          build.onResolve({ filter: /^vitest$/ }, () => ({ path: shim }));
        },
      },
    ],
  },
]);
