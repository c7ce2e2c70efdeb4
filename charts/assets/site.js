/* Groene Draad pages: draw every chart of the page with Vega-Embed, as SVG.
 *
 * Each chart is a <div class="chart" data-spec="ID"> with its Vega-Lite spec in
 * <script type="application/json" id="ID"> (data included: pages make no requests,
 * so they work from a file share). Numbers and months follow the page's language.
 * When every chart is drawn, <html> gets data-charts="done" (or "error").
 */
(function () {
  "use strict";

  var NL_NUMBERS = {decimal: ",", thousands: ".", grouping: [3], currency: ["€\u00a0", ""]};
  var NL_TIME = {
    dateTime: "%a %e %B %Y %X", date: "%d-%m-%Y", time: "%H:%M:%S", periods: ["", ""],
    days: ["zondag", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag"],
    shortDays: ["zo", "ma", "di", "wo", "do", "vr", "za"],
    months: ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
      "september", "oktober", "november", "december"],
    shortMonths: ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]
  };

  function options() {
    var dutch = (document.documentElement.lang || "nl").slice(0, 2) === "nl";
    // warnings (e.g. an empty layer) stay out of the console; errors are reported
    // warnings (an empty layer, say) stay out of the console; errors are reported
    var opts = {renderer: "svg", actions: false, tooltip: {theme: "light"}, logLevel: vega.Error};
    if (dutch) {
      opts.formatLocale = NL_NUMBERS;
      opts.timeFormatLocale = NL_TIME;
    }
    return opts;
  }

  function legendColumns(width) {
    return width < 420 ? 1 : width < 720 ? 2 : 4;
  }

  function draw(container, opts) {
    var source = document.getElementById(container.getAttribute("data-spec"));
    var spec = JSON.parse(source.textContent);
    var legend = Object.assign({}, (spec.config || {}).legend,
      {columns: legendColumns(container.clientWidth || 600)});
    spec.config = Object.assign({}, spec.config, {legend: legend});
    return vegaEmbed(container, spec, opts).then(function (result) {
      var svg = container.querySelector("svg");
      if (svg && !svg.getAttribute("viewBox")) {
        // lets the drawing shrink with the page (print, narrow screens)
        svg.setAttribute("viewBox", "0 0 " + svg.getAttribute("width") + " " + svg.getAttribute("height"));
      }
      container.setAttribute("data-rendered", "true");
      return result.view;
    }).catch(function (error) {
      container.setAttribute("data-rendered", "error");
      container.textContent = container.getAttribute("data-fallback") || "";
      console.error("chart " + container.getAttribute("data-spec") + ": " + error);
    });
  }

  function drawAll() {
    var opts = options();
    var charts = Array.prototype.slice.call(document.querySelectorAll(".chart[data-spec]"));
    Promise.all(charts.map(function (c) { return draw(c, opts); })).then(function () {
      var failed = document.querySelector('.chart[data-rendered="error"]');
      document.documentElement.setAttribute("data-charts", failed ? "error" : "done");
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
}());
