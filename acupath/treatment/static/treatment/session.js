// The session page's needles form: add points by code (Enter or the button) or from the body
// chart (knowledge/_body_chart.html announces "acupoint:pick"), and tell the chart which points
// are chosen. The rows themselves come from the server (with today's safety verdict).
(function () {
  "use strict";
  var form = document.getElementById("needles-form");
  if (!form) return;
  var code = document.getElementById("add-code");
  var side = document.getElementById("add-side");
  var button = document.getElementById("add-point");
  var rows = document.getElementById("point-rows");
  var error = document.getElementById("add-error");

  function chosen() {
    var codes = [];
    rows.querySelectorAll("tr.point-row").forEach(function (row) {
      var use = row.querySelector("input[type=checkbox][name$='_use']");
      if (use && use.checked) codes.push(row.dataset.code);
    });
    document.dispatchEvent(new CustomEvent("acupoint:chosen", { detail: { codes: codes } }));
  }

  code.addEventListener("keydown", function (event) {
    if (event.key === "Enter") {
      event.preventDefault();
      button.click();
    }
  });

  document.addEventListener("acupoint:pick", function (event) {
    var detail = event.detail || {};
    if (!detail.code) return;
    code.value = detail.code;
    if (detail.side) side.value = detail.side;
    button.click();
  });

  document.body.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target !== rows) return;
    var added = rows.lastElementChild;
    if (added) {
      added.classList.add("just-added");
      added.scrollIntoView({ block: "nearest" });
    }
    code.value = "";
    error.textContent = "";
    chosen();
  });

  rows.addEventListener("change", chosen);
  chosen();
})();
