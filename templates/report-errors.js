{{! Runs first: collects every error and warning (the libraries' and the browser's) into the page, where a reader and the tests can see them. }}(function () {
  "use strict";
  var problems = [];
  function show() {
    var box = document.getElementById("report-errors");
    if (!box || !document.body) return false;
    var list = box.querySelector("ul");
    while (problems.length) {
      var item = document.createElement("li");
      item.textContent = problems.shift();
      list.appendChild(item);
    }
    box.hidden = list.children.length === 0;
    document.body.dataset.chartErrors = String(list.children.length);
    return true;
  }
  function report(kind, message) {
    problems.push(kind + ": " + message);
    if (!show()) document.addEventListener("DOMContentLoaded", show);
  }
  window.geosimReport = report;
  window.addEventListener("error", function (e) {
    report("error", (e.message || String(e)) + (e.filename ? " (" + e.lineno + ":" + e.colno + ")" : ""));
  });
  window.addEventListener("unhandledrejection", function (e) {
    report("error", String(e.reason && e.reason.message ? e.reason.message : e.reason));
  });
  document.addEventListener("securitypolicyviolation", function (e) {
    report("blocked", e.violatedDirective + " " + (e.blockedURI || ""));
  });
  ["error", "warn"].forEach(function (level) {
    var original = console[level];
    console[level] = function () {
      report(level === "warn" ? "warning" : "error", Array.prototype.map.call(arguments, String).join(" "));
      return original.apply(console, arguments);
    };
  });
})();
