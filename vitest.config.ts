import { configDefaults, defineConfig } from "vitest/config";

const allTests = ["test/**/*.test.ts"];
// Calendar results must not depend on the host's time zone, so the calendar tests run once per
// zone below (process.env.TZ set per project); every other test runs once, in the "default" project.
const calendarTests = ["test/sla/calendar*.test.ts"];
const hostTimeZones = ["UTC", "America/New_York", "Asia/Shanghai"];

export default defineConfig({
  // "kesu", "kesu/presets", … resolve to the sources through tsconfig.json's `paths`, as in
  // `tsx examples/….ts`: the examples import the package by its published names, without a build.
  resolve: { tsconfigPaths: true },
  test: {
    testTimeout: 30_000,
    hookTimeout: 120_000,
    projects: [
      {
        extends: true,
        test: { name: "default", include: allTests, exclude: [...configDefaults.exclude, ...calendarTests] },
      },
      ...hostTimeZones.map((timeZone) => ({
        extends: true as const,
        test: { name: `calendar TZ=${timeZone}`, include: calendarTests, env: { TZ: timeZone } },
      })),
    ],
  },
});
