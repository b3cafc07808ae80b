// 佣金收入: the daily chart of estimated and settled income (data from json_script).
(function () {
  "use strict";

  function draw() {
    var holder = document.getElementById("income-chart");
    var source = document.getElementById("income-chart-data");
    if (!holder || !source || !window.echarts) {
      return;
    }
    var data = JSON.parse(source.textContent);
    var chart = window.echarts.init(holder);
    chart.setOption({
      tooltip: { trigger: "axis" },
      legend: { top: 0, data: [data.labels.estimated, data.labels.settled] },
      grid: { left: 48, right: 16, top: 48, bottom: 32 },
      xAxis: { type: "category", data: data.days },
      yAxis: { type: "value", name: "¥" },
      series: [
        { name: data.labels.estimated, type: "bar", data: data.estimated, itemStyle: { color: "#f0a040" } },
        { name: data.labels.settled, type: "line", data: data.settled, itemStyle: { color: "#2a7de1" } }
      ]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
