// Dashboard: trend charts (Chart.js, vendored) and sortable tables. No inline code (CSP).
(function () {
  "use strict";
  var lang = document.documentElement.lang || "vi";
  var numberFormat = new Intl.NumberFormat(lang === "en" ? "en-US" : "vi-VN", { maximumFractionDigits: 1 });

  // Diagonal stripes: the fill under a year whose reports are not all in.
  function hatchPattern(color) {
    var tile = document.createElement("canvas");
    tile.width = 8; tile.height = 8;
    var g = tile.getContext("2d");
    g.strokeStyle = color; g.lineWidth = 2;
    g.beginPath(); g.moveTo(0, 8); g.lineTo(8, 0); g.moveTo(-2, 2); g.lineTo(2, -2);
    g.moveTo(6, 10); g.lineTo(10, 6); g.stroke();
    return g.createPattern(tile, "repeat");
  }

  // Scripts of sections below the fold (Chart.js, Leaflet) load only when the section comes
  // near the screen: a phone on a slow connection gets the figures first.
  function loadScripts(urls, done) {
    if (!urls.length) { done(); return; }
    var script = document.createElement("script");
    script.src = urls[0];
    script.onload = function () { loadScripts(urls.slice(1), done); };
    document.head.appendChild(script);
  }
  var after = { charts: drawCharts };
  document.querySelectorAll("[data-lazy-scripts]").forEach(function (section) {
    var start = function () {
      var urls = section.getAttribute("data-lazy-scripts").split(" ").filter(Boolean);
      loadScripts(urls, after[section.getAttribute("data-lazy-then")] || function () {});
    };
    if (!("IntersectionObserver" in window)) { start(); return; }
    var observer = new IntersectionObserver(function (entries) {
      if (entries.some(function (e) { return e.isIntersecting; })) { observer.disconnect(); start(); }
    }, { rootMargin: "300px 0px" });
    observer.observe(section);
  });

  function drawCharts() {
  var dataNode = document.getElementById("chart-data");
  if (dataNode && window.Chart) {
    var charts = JSON.parse(dataNode.textContent);
    var hatch = hatchPattern("rgba(179,92,0,.55)");
    charts.forEach(function (chart) {
      var canvas = document.querySelector('canvas[data-chart="' + chart.code + '"]');
      if (!canvas) { return; }
      var partial = chart.partial || [];
      var notes = chart.notes || [];
      // A segment ending in an incomplete year is dashed and its area hatched; its point hollow.
      var isPartial = function (ctx) { return partial[ctx.p1DataIndex]; };
      new window.Chart(canvas, {
        type: "line",
        data: {
          labels: chart.labels,
          datasets: [{ label: chart.title, data: chart.values, borderColor: "#8b1a1a",
                       backgroundColor: "rgba(139,26,26,.15)", fill: true, tension: 0.2, spanGaps: false,
                       segment: {
                         borderDash: function (ctx) { return isPartial(ctx) ? [6, 4] : undefined; },
                         borderColor: function (ctx) { return isPartial(ctx) ? "#b35c00" : undefined; },
                         backgroundColor: function (ctx) { return isPartial(ctx) ? hatch : undefined; }
                       },
                       pointStyle: partial.map(function (p) { return p ? "rectRot" : "circle"; }),
                       pointRadius: partial.map(function (p) { return p ? 6 : 3; }),
                       pointBackgroundColor: partial.map(function (p) { return p ? hatch : "#8b1a1a"; }),
                       pointBorderColor: partial.map(function (p) { return p ? "#b35c00" : "#8b1a1a"; }) }]
        },
        options: {
          responsive: true, maintainAspectRatio: false, animation: false,
          plugins: { legend: { display: false },
                     tooltip: { callbacks: { label: function (ctx) {
                       var text = numberFormat.format(ctx.parsed.y);
                       return notes[ctx.dataIndex] ? text + " (" + notes[ctx.dataIndex] + ")" : text;
                     } } } },
          scales: { y: { beginAtZero: true, ticks: { callback: function (v) { return numberFormat.format(v); } } } }
        }
      });
    });
  }
  }

  // <table data-sortable>: click a <th data-sort="number|text"> to sort by that column.
  document.querySelectorAll("table[data-sortable]").forEach(function (table) {
    var headers = table.querySelectorAll("thead th");
    headers.forEach(function (th, index) {
      if (!th.hasAttribute("data-sort")) { return; }
      th.tabIndex = 0;
      var sort = function () {
        var numeric = th.getAttribute("data-sort") === "number";
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        headers.forEach(function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = a.cells[index], y = b.cells[index];
          var vx = x.hasAttribute("data-value") ? x.getAttribute("data-value") : x.textContent.trim();
          var vy = y.hasAttribute("data-value") ? y.getAttribute("data-value") : y.textContent.trim();
          var result;
          if (numeric) {
            var nx = vx === "" ? Infinity : parseFloat(vx), ny = vy === "" ? Infinity : parseFloat(vy);
            result = nx === ny ? 0 : (nx < ny ? -1 : 1);
          } else {
            result = vx.localeCompare(vy, lang, { numeric: true });
          }
          return ascending ? result : -result;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      };
      th.addEventListener("click", sort);
      th.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") { event.preventDefault(); sort(); }
      });
    });
  });
})();
