/* The dashboard's charts (督查驾驶舱). Reads the figures from the JSON script tag
 * #dashboard-data (Django's json_script) and draws them with the vendored Apache ECharts.
 * Every bar and slice carries the URL of the item list behind it: a click opens that list.
 * No inline script on the page: this file is all the code (Content-Security-Policy friendly). */
(function () {
  "use strict";

  var source = document.getElementById("dashboard-data");
  var data = source ? JSON.parse(source.textContent) : null;
  var FONT = '"PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", sans-serif';
  var COLORS = { total: "#5470c6", done: "#198754", overdue: "#dc3545", assigned: "#5470c6", closed: "#198754",
                 red: "#dc3545", yellow: "#e0a800", green: "#198754" };
  var NAMES = { total: "交办", done: "已办结", overdue: "超期", assigned: "交办", closed: "办结" };
  var charts = [];

  // Plans' progress bars: widths from data attributes (no inline style on the page).
  document.querySelectorAll(".dash-w").forEach(function (el) {
    el.style.width = Math.max(0, Math.min(100, parseFloat(el.getAttribute("data-w")) || 0)) + "%";
  });

  // Choosing a year opens it (the 查看 button stays for browsers without scripts).
  var year = document.getElementById("dash-year");
  if (year && year.form) {
    year.addEventListener("change", function () { year.form.submit(); });
  }

  if (!data || !window.echarts) { return; }

  var narrow = function () { return window.innerWidth < 576; };

  function item(bar, key) {
    return { value: bar.values[key], url: (bar.urls || {})[key] || "" };
  }

  function mount(id, height, option) {
    var el = document.getElementById(id);
    if (!el) { return null; }
    el.style.height = height + "px";
    var chart = echarts.init(el, null, { renderer: "canvas" });
    option.textStyle = { fontFamily: FONT };
    option.animation = false;
    chart.setOption(option);
    chart.on("click", function (p) {
      if (p.data && p.data.url) { window.location.href = p.data.url; }
    });
    el.setAttribute("data-ready", "1");
    charts.push(chart);
    return chart;
  }

  // Open items by light: a ring, one slice per light.
  mount("chart-lights", 240, {
    tooltip: { trigger: "item", formatter: "{b}：{c} 件（{d}%）" },
    legend: { bottom: 0, itemWidth: 12, itemHeight: 12 },
    series: [{
      type: "pie", radius: ["40%", "70%"], center: ["50%", "45%"], avoidLabelOverlap: true,
      label: { formatter: "{c}" }, cursor: "pointer",
      data: data.lights.map(function (b, i) {
        var key = ["red", "yellow", "green"][i];
        return { name: b.label, value: b.values.n, url: b.urls.n, itemStyle: { color: COLORS[key] } };
      })
    }]
  });

  // Overdue by unit: horizontal bars, the worst on top.
  var units = data.overdue_units.slice().reverse();
  mount("chart-units", Math.max(140, units.length * 26 + 40), {
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    grid: { left: 8, right: 36, top: 8, bottom: 8, containLabel: true },
    xAxis: { type: "value", minInterval: 1 },
    yAxis: { type: "category", data: units.map(function (b) { return b.label; }),
             axisLabel: { width: narrow() ? 96 : 180, overflow: "truncate" } },
    series: [{ type: "bar", name: "超期事项", barMaxWidth: 18, itemStyle: { color: COLORS.overdue },
               label: { show: true, position: "right" },
               data: units.map(function (b) { return item(b, "n"); }) }]
  });

  // The year's months: assigned and closed side by side.
  mount("chart-months", narrow() ? 240 : 280, {
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    legend: { top: 0 },
    grid: { left: 8, right: 8, top: 32, bottom: 8, containLabel: true },
    xAxis: { type: "category", data: data.months.map(function (b) { return b.label; }),
             axisLabel: { interval: 0, fontSize: narrow() ? 10 : 12 } },
    yAxis: { type: "value", minInterval: 1 },
    series: ["assigned", "closed"].map(function (key) {
      return { type: "bar", name: NAMES[key], itemStyle: { color: COLORS[key] }, barMaxWidth: 16,
               data: data.months.map(function (b) { return item(b, key); }) };
    })
  });

  // Kinds and leaders: assigned, closed and overdue of the year, per row.
  function triple(id, bars) {
    var rows = bars.slice().reverse();
    return mount(id, Math.max(160, rows.length * 48 + 50), {
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { top: 0 },
      grid: { left: 8, right: 36, top: 28, bottom: 8, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category",
               data: rows.map(function (b) { return b.mine ? b.label + "（本人）" : b.label; }),
               axisLabel: { width: narrow() ? 84 : 140, overflow: "truncate" } },
      series: ["total", "done", "overdue"].map(function (key) {
        return { type: "bar", name: NAMES[key], itemStyle: { color: COLORS[key] }, barMaxWidth: 12,
                 label: { show: !narrow(), position: "right", fontSize: 10 },
                 data: rows.map(function (b) { return item(b, key); }) };
      })
    });
  }
  triple("chart-kinds", data.kinds);
  triple("chart-leaders", data.leaders);

  window.addEventListener("resize", function () {
    charts.forEach(function (c) { c.resize(); });
  });
})();
