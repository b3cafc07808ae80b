// 数据: draws each panel's chart from the JSON beside it (json_script), with ECharts.
// The table next to the chart is rendered from the same numbers on the server.
(function () {
  "use strict";

  var FAINT = "#c9cdd4";
  var PALETTE = ["#fe2c55", "#2f6bff", "#ff9a2e", "#14c9c9", "#7b61ff", "#86909c", "#f5c518"];

  function yuan(value) {
    return "¥" + Number(value).toLocaleString("zh-CN", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  }

  function lineOption(spec) {
    var hasMoney = spec.series.some(function (s) { return s.money; });
    return {
      color: PALETTE,
      tooltip: { trigger: "axis" },
      legend: { type: "scroll", top: 0 },
      grid: { left: 48, right: hasMoney ? 64 : 16, top: 40, bottom: 28 },
      xAxis: { type: "category", data: spec.labels, boundaryGap: false },
      yAxis: [
        { type: "value", minInterval: 1 },
        { type: "value", show: hasMoney, axisLabel: { formatter: function (v) { return "¥" + v; } } }
      ],
      series: spec.series.map(function (s) {
        return {
          name: s.name,
          type: "line",
          data: s.values,
          yAxisIndex: s.money ? 1 : 0,
          smooth: true,
          symbol: "none",
          z: s.faint ? 1 : 2,
          lineStyle: s.faint ? { color: FAINT, type: "dashed", width: 1 } : { width: 2 },
          itemStyle: s.faint ? { color: FAINT } : undefined,
          tooltip: s.money ? { valueFormatter: yuan } : undefined
        };
      })
    };
  }

  function barOption(spec, horizontal) {
    var marked = spec.marked || [];
    var category = { type: "category", data: spec.labels, inverse: horizontal, axisLabel: { width: 96, overflow: "truncate" } };
    var value = { type: "value", minInterval: 1 };
    return {
      color: PALETTE,
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: spec.series.length > 1 ? { top: 0 } : undefined,
      grid: { left: horizontal ? 112 : 48, right: 16, top: spec.series.length > 1 ? 36 : 16, bottom: 28 },
      xAxis: horizontal ? value : category,
      yAxis: horizontal ? category : value,
      series: spec.series.map(function (s, n) {
        return {
          name: s.name,
          type: "bar",
          data: s.values.map(function (v, i) {
            // Peak hours stand out in the first series.
            return n === 0 && marked.indexOf(i) >= 0 ? { value: v, itemStyle: { color: "#fe2c55" } } : v;
          }),
          itemStyle: n === 0 && marked.length ? { color: "#ffb3c1" } : undefined,
          tooltip: s.money ? { valueFormatter: yuan } : undefined
        };
      })
    };
  }

  function pieOption(spec) {
    var s = spec.series[0];
    return {
      color: PALETTE,
      tooltip: { trigger: "item", valueFormatter: s.money ? yuan : undefined },
      legend: { bottom: 0 },
      series: [{
        name: s.name,
        type: "pie",
        radius: ["40%", "68%"],
        data: spec.labels.map(function (label, i) { return { name: label, value: s.values[i] }; })
      }]
    };
  }

  function option(spec) {
    if (spec.kind === "line") return lineOption(spec);
    if (spec.kind === "pie") return pieOption(spec);
    return barOption(spec, spec.kind === "hbar");
  }

  // Draws the charts under `root` not drawn yet: the page's, then each section that
  // htmx swaps in (htmx:load).
  function draw(root) {
    if (!window.echarts) return;
    var charts = (window.xiaodianCharts = window.xiaodianCharts || {});
    root.querySelectorAll("[data-chart]").forEach(function (el) {
      var key = el.getAttribute("data-chart");
      var source = document.getElementById("chart-" + key);
      if (!source || el.hasAttribute("data-drawn")) return;
      el.setAttribute("data-drawn", "");
      var chart = window.echarts.init(el, null, { renderer: "canvas" });
      chart.setOption(option(JSON.parse(source.textContent)));
      charts[key] = chart;
    });
  }

  window.addEventListener("resize", function () {
    var charts = window.xiaodianCharts || {};
    Object.keys(charts).forEach(function (key) { charts[key].resize(); });
  });
  document.addEventListener("htmx:load", function (event) { draw(event.target); });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { draw(document); });
  } else {
    draw(document);
  }
})();
