{{! Runs last: draws every chart (the specs are in #geosim-charts), then sets data-charts-ready on <body>. }}(function () {
  "use strict";
  var charts = JSON.parse(document.getElementById("geosim-charts").textContent);
  document.body.dataset.chartsExpected = String(charts.length);
  if (typeof vegaEmbed !== "function") {
    window.geosimReport("error", "vega-embed did not load");
    return;
  }
  Promise.all(charts.map(function (chart) {
    return vegaEmbed("#" + chart.id, chart.spec, { mode: "vega-lite", actions: false, renderer: "svg" });
  })).then(function (results) {
    var drawn = 0;
    charts.forEach(function (chart) {
      var svg = document.querySelector("#" + chart.id + " svg");
      var width = svg ? parseFloat(svg.getAttribute("width")) : 0;
      var height = svg ? parseFloat(svg.getAttribute("height")) : 0;
      if (width > 0 && height > 0 && svg.querySelector(".mark-group")) drawn += 1;
      else window.geosimReport("error", "chart " + chart.id + " came out empty");
    });
    document.body.dataset.chartsReady = String(drawn);
  }, function (error) {
    window.geosimReport("error", String(error && error.message ? error.message : error));
  });
})();
