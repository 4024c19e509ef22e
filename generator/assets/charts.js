// Renders every chart of the page with vega-embed, from the spec embedded in the page.
// Runs on the first load and after each instant navigation of mkdocs-material.
(function () {
  "use strict";

  function options() {
    var opts = { actions: false, renderer: "svg" };
    // The expression interpreter lets charts render under a CSP without 'unsafe-eval'.
    if (window.smrmExpressionInterpreter) {
      opts.ast = true;
      opts.expr = window.smrmExpressionInterpreter;
    }
    return opts;
  }

  // The page writes each dataset column by column ({"month": [...], "value": [...]}), which
  // is smaller than rows that repeat every key; Vega-Lite takes rows.
  function rows(columns) {
    var keys = Object.keys(columns);
    var count = keys.length ? columns[keys[0]].length : 0;
    var out = [];
    for (var i = 0; i < count; i++) {
      var row = {};
      for (var k = 0; k < keys.length; k++) {
        row[keys[k]] = columns[keys[k]][i];
      }
      out.push(row);
    }
    return out;
  }

  function render() {
    var figures = document.querySelectorAll(".smrm-chart");
    var shared = document.querySelector("script.smrm-chart-config");
    var config = shared ? JSON.parse(shared.textContent) : null;
    figures.forEach(function (figure) {
      var holder = figure.querySelector(".smrm-chart__live");
      var source = figure.querySelector("script.smrm-spec");
      if (!holder || !source || holder.getAttribute("data-rendered")) {
        return;
      }
      holder.setAttribute("data-rendered", "pending");
      var spec = JSON.parse(source.textContent);
      Object.keys(spec.datasets || {}).forEach(function (name) {
        spec.datasets[name] = rows(spec.datasets[name]);
      });
      if (config && !spec.config) {
        spec.config = config;
      }
      window.vegaEmbed(holder, spec, options()).then(function () {
        holder.setAttribute("data-rendered", "done");
        figure.classList.add("is-live");
      }).catch(function (error) {
        holder.removeAttribute("data-rendered");
        console.error("chart " + figure.id + ": " + error);
      });
    });
  }

  if (typeof window.document$ !== "undefined") {
    window.document$.subscribe(render);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", render);
  } else {
    render();
  }
})();
