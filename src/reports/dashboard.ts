import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { ComplaintReport } from "./buildReport.js";
import { dashboardData } from "./dashboardData.js";

/** Options of {@link renderDashboard}. */
export interface DashboardOptions {
  /** Page and header title (default: the latest report's title and period). */
  readonly title?: string | undefined;
  /**
   * The echarts browser build to inline (default: `echarts/dist/echarts.min.js` from the installed
   * echarts package, read when first needed).
   */
  readonly echartsSource?: string | undefined;
  /** CSS font stack; the first fonts must carry CJK glyphs so Chinese labels render. */
  readonly fontFamily?: string | undefined;
}

/** The default font stack: CJK faces on Linux, macOS and Windows, then the generic family. */
export const DASHBOARD_FONT_FAMILY =
  '"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif';

/** The chart ids of the dashboard, also the keys of `window.__kesuCharts`. */
export const DASHBOARD_CHARTS = ["volume", "sla", "pareto", "matrix", "satisfaction"] as const;

let echartsCache: string | undefined;

function installedEcharts(): string {
  if (echartsCache === undefined) {
    // The CommonJS build has `require`; the ESM build resolves through `import.meta.url`. An ESM
    // bundle has a `require` stand-in without `resolve`, so test for `resolve` itself.
    const resolve =
      typeof require === "function" && typeof require.resolve === "function"
        ? require.resolve
        : createRequire(import.meta.url).resolve;
    echartsCache = readFileSync(resolve("echarts/dist/echarts.min.js"), "utf8");
  }
  return echartsCache;
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c] ?? c);

/** Text safe inside a CSS declaration in a `<style>` element (entities are not decoded there). */
const cssText = (text: string) => text.replace(/[<>{};\\]/g, "");

/** Text safe inside a `<script>` element: no `</script`, no `<!--`. */
const scriptText = (text: string) => text.replace(/<\/(script)/gi, "<\\/$1").replace(/<!--/g, "<\\!--");

/**
 * One self-contained HTML page of charts over one or more reports: volume per week by channel,
 * on-time rate by severity and clock, a Pareto of categories, the frequency × urgency heat map and
 * the satisfaction trend. echarts and the data are inlined, so the page needs no network when
 * opened. Each chart, once drawn, sets `window.__kesuCharts[id] = { series, points }` (the series
 * and non-empty data points it drew) so browser tests and monitors can tell it rendered.
 * @example
 * const months = ["2026-01", "2026-02"].map((month) => buildReport(rows, { period: { month }, policy, calendar }));
 * writeFileSync("dashboard.html", renderDashboard(months));
 */
export function renderDashboard(
  reports: ComplaintReport | readonly ComplaintReport[],
  options: DashboardOptions = {},
): string {
  const list: readonly ComplaintReport[] = "period" in reports ? [reports as ComplaintReport] : reports;
  const data = dashboardData(list, options.title);
  const font = options.fontFamily ?? DASHBOARD_FONT_FAMILY;
  const echarts = options.echartsSource ?? installedEcharts();
  const json = JSON.stringify({ ...data, font }).replace(/</g, "\\u003c");
  const cards = data.headline
    .map((h) => `<div class="figure"><span>${escapeHtml(h.label)}</span><b>${escapeHtml(h.value)}</b></div>`)
    .join("");
  const panels: [string, string][] = [
    ["volume", "Volume per week by channel 每周受理量(按渠道)"],
    ["sla", "On-time rate by severity and clock 各时限按时率(按严重程度)"],
    ["pareto", "Pareto of categories 投诉类别帕累托图"],
    ["matrix", "Frequency × urgency 频次×紧急程度 (004:123)"],
    ["satisfaction", "Satisfaction trend 满意度趋势 (90/80/70/60)"],
  ];
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(data.title)}</title>
<style>
  body { margin: 0; padding: 16px 24px; background: #f5f6f8; color: #1f2329; font-family: ${cssText(font)}; }
  h1 { font-size: 22px; margin: 0 0 4px; }
  .sub { color: #646a73; margin: 0 0 16px; font-size: 13px; }
  .figures { display: flex; flex-wrap: wrap; gap: 12px; margin-bottom: 16px; }
  .figure { background: #fff; border-radius: 6px; padding: 10px 14px; min-width: 150px; box-shadow: 0 1px 2px rgba(0,0,0,.08); }
  .figure span { display: block; font-size: 12px; color: #646a73; }
  .figure b { font-size: 20px; }
  .grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(560px, 1fr)); gap: 16px; }
  .panel { background: #fff; border-radius: 6px; padding: 12px; box-shadow: 0 1px 2px rgba(0,0,0,.08); }
  .panel h2 { font-size: 15px; margin: 0 0 8px; }
  .chart { height: 340px; }
</style>
</head>
<body>
<h1>${escapeHtml(data.title)}</h1>
<p class="sub">${escapeHtml(data.subtitle)}</p>
<div class="figures">${cards}</div>
<div class="grid">
${panels.map(([id, title]) => `<section class="panel"><h2>${escapeHtml(title)}</h2><div class="chart" id="${id}"></div></section>`).join("\n")}
</div>
<script type="application/json" id="kesu-data">${json}</script>
<script>${scriptText(echarts)}</script>
<script>${scriptText(CLIENT)}</script>
</body>
</html>
`;
}

/** The page's own script: builds one echarts option per chart from the inlined data. */
const CLIENT = `
(function () {
  "use strict";
  var d = JSON.parse(document.getElementById("kesu-data").textContent);
  var charts = (window.__kesuCharts = {});
  var base = { textStyle: { fontFamily: d.font }, animation: false, tooltip: { trigger: "axis" } };
  function count(series) {
    var points = 0, drawn = 0;
    series.forEach(function (s) {
      var n = s.filter(function (v) { return v !== null && v !== undefined && v !== 0; }).length;
      points += n;
      if (n > 0) drawn++;
    });
    return { series: drawn, points: points };
  }
  function mount(id, option, data) {
    var marker = count(data);
    var chart = echarts.init(document.getElementById(id), null, { renderer: "canvas" });
    if (marker.points === 0)
      option = { title: { text: "无数据 No data", left: "center", top: "middle", textStyle: { color: "#999" } } };
    chart.on("finished", function () { charts[id] = marker; });
    chart.setOption(Object.assign({}, base, option));
    window.addEventListener("resize", function () { chart.resize(); });
  }
  var legend = { type: "scroll", bottom: 0 };
  var grid = { left: 48, right: 48, top: 24, bottom: 64, containLabel: true };
  var wrap = { interval: 0, width: 110, overflow: "break" };

  mount("volume", {
    legend: legend, grid: grid,
    xAxis: { type: "category", data: d.volume.weeks, name: "周一 Week of", nameLocation: "middle", nameGap: 28 },
    yAxis: { type: "value", name: "件 cases", minInterval: 1 },
    series: d.volume.series.map(function (s) {
      return { name: s.name, type: "bar", stack: "volume", data: s.data, emphasis: { focus: "series" } };
    })
  }, d.volume.series.map(function (s) { return s.data; }));

  mount("sla", {
    legend: legend, grid: grid,
    xAxis: { type: "category", data: d.sla.clocks, axisLabel: wrap },
    yAxis: { type: "value", name: "按时率 %", min: 0, max: 100 },
    series: d.sla.series.map(function (s) {
      return { name: s.name, type: "bar", data: s.data, label: { show: true, position: "top", formatter: "{c}%" } };
    })
  }, d.sla.series.map(function (s) { return s.data; }));

  mount("pareto", {
    legend: legend, grid: grid,
    xAxis: { type: "category", data: d.pareto.categories, axisLabel: { interval: 0, rotate: 30 } },
    yAxis: [
      { type: "value", name: "件 cases", minInterval: 1 },
      { type: "value", name: "累计 %", min: 0, max: 100 }
    ],
    series: [
      { name: "件数 Count", type: "bar", data: d.pareto.counts },
      { name: "累计占比 Cumulative %", type: "line", yAxisIndex: 1, data: d.pareto.cumulative, label: { show: true, formatter: "{c}%" } }
    ]
  }, [d.pareto.counts, d.pareto.cumulative]);

  mount("matrix", {
    tooltip: {
      formatter: function (p) {
        var names = d.matrix.categories[p.dataIndex] || [];
        return d.matrix.frequencies[p.value[1]] + " × " + d.matrix.urgencies[p.value[0]] + ": " + p.value[2] +
          (names.length ? "<br>" + names.join("<br>") : "");
      }
    },
    grid: { left: 48, right: 24, top: 24, bottom: 72, containLabel: true },
    xAxis: { type: "category", data: d.matrix.urgencies, splitArea: { show: true }, axisLabel: wrap },
    yAxis: { type: "category", data: d.matrix.frequencies, splitArea: { show: true } },
    visualMap: {
      min: 0, max: Math.max.apply(null, d.matrix.cells.map(function (c) { return c[2]; }).concat([1])),
      calculable: true, orient: "horizontal", left: "center", bottom: 0,
      inRange: { color: ["#f3f7ff", "#6a9cf7", "#d9363e"] }
    },
    series: [{ name: "件数 Complaints", type: "heatmap", data: d.matrix.cells, label: { show: true } }]
  }, [d.matrix.cells.map(function (c) { return c[2]; })]);

  mount("satisfaction", {
    legend: legend, grid: grid,
    xAxis: { type: "category", data: d.satisfaction.labels },
    yAxis: [
      { type: "value", name: "均分 score", min: 60, max: 90, interval: 10 },
      { type: "value", name: "回访 revisits", minInterval: 1 }
    ],
    series: [
      { name: "平均满意度 Average", type: "line", connectNulls: true, data: d.satisfaction.average, label: { show: true } },
      { name: "回访件数 Revisits", type: "bar", yAxisIndex: 1, data: d.satisfaction.revisited, barMaxWidth: 24, itemStyle: { opacity: 0.35 } }
    ]
  }, [d.satisfaction.average, d.satisfaction.revisited]);
})();
`;
