/* Draw each dashboard chart from the table beside it: the table is what a screen reader reads (and what shows
   without script); the chart's canvas is aria-hidden. Rows are <th> label + <td data-v="number">. */
(function () {
  "use strict";
  function draw(figure) {
    if (!window.echarts) { return; }
    var box = figure.querySelector(".dash-canvas");
    var rows = figure.querySelectorAll("tbody tr");
    var labels = [], values = [];
    rows.forEach(function (tr) {
      var th = tr.querySelector("th"), td = tr.querySelector("td[data-v]");
      if (!th || !td) { return; }
      labels.push(th.textContent.trim());
      values.push(td.dataset.v === "" ? null : Number(td.dataset.v));
    });
    if (!box || labels.length === 0) { return; }
    var bar = figure.dataset.chart === "bar";
    box.style.height = bar ? Math.max(160, 36 * labels.length) + "px" : "180px";
    var chart = window.echarts.init(box, null, { renderer: "svg" });
    var category = { type: "category", data: labels, axisLabel: { width: 120, overflow: "truncate" } };
    chart.setOption({
      animation: false,
      grid: { left: bar ? 130 : 40, right: 16, top: 12, bottom: 28 },
      xAxis: bar ? { type: "value" } : category,
      yAxis: bar ? Object.assign({ inverse: true }, category) : { type: "value" },
      series: [{ type: bar ? "bar" : "line", data: values, connectNulls: false, label: { show: bar, position: "right" } }]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  function init() { document.querySelectorAll("figure.dash-chart").forEach(draw); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
