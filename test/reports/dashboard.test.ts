import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import type { ComplaintListRow } from "../../src/index.js";
import {
  buildReport,
  type ComplaintReport,
  DASHBOARD_CHARTS,
  dashboardData,
  renderDashboard,
} from "../../src/reports/index.js";
import { calendar, policy, seedHistory } from "./history.js";

const CHROMIUM = "/usr/bin/chromium";
const out = join(import.meta.dirname, "..", "..", "test-output");
const browserAvailable = existsSync(CHROMIUM);
if (!browserAvailable && !process.env.CI)
  console.warn(
    `Skipping the headless dashboard test: ${CHROMIUM} is missing (install with: apt-get install -y chromium fonts-noto-cjk). In CI it runs.`,
  );

/** The few browser globals the page checks use (the project compiles without the DOM library). */
interface BrowserCanvas {
  readonly width: number;
  readonly height: number;
  getContext(
    kind: "2d",
  ): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } } | null;
}
interface BrowserGlobals {
  readonly __kesuCharts?: Record<string, { series: number; points: number }>;
  readonly document: {
    querySelector(selector: string): BrowserCanvas | null;
  };
}

let rows: ComplaintListRow[];
let months: ComplaintReport[];

beforeAll(async () => {
  ({ rows } = await seedHistory());
  months = ["2026-01", "2026-02"].map((month) =>
    buildReport(rows, { period: { month }, policy, calendar, previous: rows }),
  );
});

describe("renderDashboard", () => {
  it("R-34 one self-contained page: echarts and the data inlined, no external resource", () => {
    const html = renderDashboard(months);
    // Plain booleans: a failing match would otherwise print the whole megabyte page.
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(/<script[^>]+src=/i.test(html)).toBe(false);
    expect(/<link[^>]+href=/i.test(html)).toBe(false);
    expect(html.includes('font-family: "Noto Sans CJK SC"')).toBe(true);
    for (const id of DASHBOARD_CHARTS) expect(html.includes(`id="${id}"`), id).toBe(true);
    // The echarts build is inside the page (its version banner is in the minified file).
    expect(html.length).toBeGreaterThan(500_000);
    expect(
      renderDashboard(months[1] as ComplaintReport, { echartsSource: "/* stub */" }).length,
    ).toBeLessThan(100_000);
  });

  it("R-35 the charts draw the reports' figures: weekly volume across months, Pareto, matrix", () => {
    const data = dashboardData(months);
    // Week of Mon 01-26 spans both months: 1 case on 01-26 (J3) and none on 02-01.
    const week = data.volume.weeks.indexOf("2026-01-26");
    const weekTotal = data.volume.series.reduce((n, s) => n + (s.data[week] ?? 0), 0);
    expect(weekTotal).toBe(1);
    const allWeeks = data.volume.series.reduce(
      (n, s) => n + s.data.reduce<number>((a, b) => a + (b ?? 0), 0),
      0,
    );
    expect(allWeeks).toBe((months[0]?.total ?? 0) + (months[1]?.total ?? 0));
    expect(data.pareto.categories[0]).toBe("Delivery 卷烟配送");
    expect(data.pareto.cumulative[data.pareto.cumulative.length - 1]).toBe(100);
    expect(data.matrix.cells.reduce((n, c) => n + c[2], 0)).toBe(months[1]?.matrix.total);
    expect(data.satisfaction.labels).toEqual(["2026-01", "2026-02"]);
  });

  it("R-34 a year report trends satisfaction by month; an empty month still renders", () => {
    const year = buildReport(rows, { period: { year: 2026 }, policy, calendar });
    const data = dashboardData([year]);
    expect(data.satisfaction.labels).toHaveLength(12);
    // Revisit scores by month of receipt: J1 90 in January, F2 60 and F1 80 in February.
    expect(data.satisfaction.average.slice(0, 3)).toEqual([90, 70, null]);
    expect(data.satisfaction.revisited.slice(0, 3)).toEqual([1, 2, 0]);
    const empty = buildReport([], { period: { month: "2026-06" }, policy, calendar });
    const none = dashboardData([empty]);
    expect(none.pareto.categories).toEqual([]);
    expect(none.volume.series).toEqual([]);
    expect(renderDashboard(empty, { echartsSource: "/* stub */" })).toContain("无数据 No data");
  });

  it.skipIf(!browserAvailable && !process.env.CI)(
    "R-34 headless Chromium renders every chart with data and Chinese labels",
    async () => {
      mkdirSync(out, { recursive: true });
      const file = join(out, "dashboard.html");
      writeFileSync(file, renderDashboard(months));
      const browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
      });
      try {
        const page = await browser.newPage({ viewport: { width: 1280, height: 1500 } });
        const requests: string[] = [];
        page.on("request", (r) => requests.push(r.url()));
        const errors: string[] = [];
        page.on("pageerror", (e) => errors.push(e.message));
        await page.goto(pathToFileURL(file).href);
        await page.waitForFunction(
          (ids) => {
            const charts = (globalThis as unknown as BrowserGlobals).__kesuCharts;
            return charts !== undefined && ids.every((id) => id in charts);
          },
          [...DASHBOARD_CHARTS],
          { timeout: 15_000 },
        );
        const markers = await page.evaluate(
          () => (globalThis as unknown as BrowserGlobals).__kesuCharts ?? {},
        );
        for (const id of DASHBOARD_CHARTS) {
          expect(markers[id]?.series, id).toBeGreaterThan(0);
          expect(markers[id]?.points, id).toBeGreaterThan(0);
        }
        // Each chart drew on its canvas: a real size and a good share of non-blank pixels.
        const drawn = await page.evaluate(
          (ids) => {
            const result: Record<string, { width: number; height: number; inked: number }> = {};
            for (const id of ids) {
              const canvas = (globalThis as unknown as BrowserGlobals).document.querySelector(
                `#${id} canvas`,
              );
              if (!canvas) continue;
              const ctx = canvas.getContext("2d");
              const pixels = ctx?.getImageData(0, 0, canvas.width, canvas.height).data ?? [];
              let inked = 0;
              for (let i = 3; i < pixels.length; i += 4) if ((pixels[i] ?? 0) > 0) inked++;
              result[id] = { width: canvas.width, height: canvas.height, inked };
            }
            return result;
          },
          [...DASHBOARD_CHARTS],
        );
        for (const id of DASHBOARD_CHARTS) {
          expect(drawn[id]?.width, id).toBeGreaterThan(100);
          expect(drawn[id]?.height, id).toBeGreaterThan(100);
          expect(drawn[id]?.inked, id).toBeGreaterThan(1_000);
        }
        // Chinese text is drawn with a CJK face, not tofu: ask Chromium which platform font
        // rendered the title's glyphs.
        const cdp = await page.context().newCDPSession(page);
        const { root } = await cdp.send("DOM.getDocument");
        const { nodeId } = await cdp.send("DOM.querySelector", { nodeId: root.nodeId, selector: "h1" });
        await cdp.send("CSS.enable");
        const { fonts } = await cdp.send("CSS.getPlatformFontsForNode", { nodeId });
        expect(fonts.map((f) => f.familyName)).toContain("Noto Sans CJK SC");
        expect(errors).toEqual([]);
        expect(requests.filter((u) => !u.startsWith("file:"))).toEqual([]);
        await page.screenshot({ path: join(out, "dashboard.png"), fullPage: true });
      } finally {
        await browser.close();
      }
    },
    60_000,
  );
});
