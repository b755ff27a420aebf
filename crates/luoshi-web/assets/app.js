// luoshi: draw the charts described by data-spark / data-chart attributes (no inline scripts).
(function () {
  "use strict";
  var charts = [];
  function drawAll(root) {
    if (!window.echarts) { return; }
    root.querySelectorAll("[data-spark]").forEach(function (el) {
      if (el.getAttribute("data-drawn")) { return; }
      el.setAttribute("data-drawn", "1");
      var d = JSON.parse(el.getAttribute("data-spark"));
      if (!d.data || d.data.length === 0) { return; }
      var c = window.echarts.init(el);
      c.setOption({
        animation: false,
        grid: { left: 2, right: 2, top: 4, bottom: 4 },
        xAxis: { type: "category", show: false, data: d.data.map(function (_, i) { return i + 1; }) },
        yAxis: { type: "value", show: false, scale: true },
        series: [{ type: "line", data: d.data, symbol: "none", lineStyle: { width: 2, color: "#8f1d21" } }]
      });
      charts.push(c);
    });
    root.querySelectorAll("[data-chart]").forEach(function (el) {
      if (el.getAttribute("data-drawn")) { return; }
      el.setAttribute("data-drawn", "1");
      var d = JSON.parse(el.getAttribute("data-chart"));
      var c = window.echarts.init(el);
      c.setOption({
        animation: false,
        tooltip: { trigger: "axis" },
        legend: { top: 0, textStyle: { fontSize: 11 } },
        grid: { left: 40, right: 8, top: 28, bottom: 20 },
        xAxis: { type: "category", data: d.labels },
        yAxis: { type: "value", name: d.unit, nameTextStyle: { fontSize: 10 } },
        series: d.series.map(function (s) {
          return { name: s.name, type: "line", data: s.data, connectNulls: true, symbolSize: 4,
                   lineStyle: { type: s.dashed ? "dashed" : "solid" } };
        })
      });
      charts.push(c);
    });
  }
  document.addEventListener("DOMContentLoaded", function () { drawAll(document); });
  document.addEventListener("htmx:afterSettle", function () { drawAll(document); });
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
// Print buttons (no inline scripts): any element with data-print opens the print dialog.
document.addEventListener("click", function (e) {
  var t = e.target;
  if (t && t.closest && t.closest("[data-print]")) { window.print(); }
});
