// The body chart's behaviour (see the contract at the top of knowledge/_body_chart.html).
// Clicking a point fills the panel from the point's data-* attributes; in pick mode the side
// buttons announce "acupoint:pick"; "acupoint:chosen" from the host page marks chosen points.
// Listeners sit on the document, so charts added later (htmx swaps) work without setting up.
(function () {
  "use strict";
  if (window.acupathBodyChart) return; // the partial may be included more than once
  window.acupathBodyChart = { chosen: [] };

  var SIDE_WORDS = { left: "left side", right: "right side", both: "both sides", midline: "midline" };

  function text(root, selector, value) {
    var el = root.querySelector(selector);
    if (el) el.textContent = value || "";
    return el;
  }

  function show(mark) {
    var chart = mark.closest(".bc");
    var point = mark.closest(".bc-point");
    if (!chart || !point) return;
    var d = point.dataset;
    chart.querySelectorAll(".bc-point.is-selected").forEach(function (p) { p.classList.remove("is-selected"); });
    point.classList.add("is-selected");
    chart.dataset.code = d.code;
    chart.dataset.side = mark.dataset.side;

    var panel = chart.querySelector(".bc-panel");
    panel.querySelector(".bc-empty").hidden = true;
    panel.querySelector(".bc-info").hidden = false;
    text(panel, ".bc-code", d.code);
    text(panel, ".bc-pinyin", d.pinyin);
    text(panel, ".bc-chinese", d.chinese);
    text(panel, ".bc-english", d.english);
    var where = d.channel + (mark.dataset.side === "midline" ? " · on the midline" : " · both sides of the body");
    text(panel, ".bc-where", where);
    text(panel, ".bc-location", d.location);
    text(panel, ".bc-depth", d.depth ? "Needling: " + d.depth : "");

    var list = panel.querySelector(".bc-cautions");
    list.replaceChildren();
    JSON.parse(d.cautions || "[]").forEach(function (caution) {
      var li = document.createElement("li");
      li.textContent = caution;
      list.appendChild(li);
    });
    var more = panel.querySelector(".bc-more");
    if (more) more.href = d.href;

    var midline = d.bilateral !== "true";
    panel.querySelectorAll(".bc-side").forEach(function (button) {
      var side = button.dataset.side;
      button.hidden = midline ? side !== "midline" : side === "midline";
      button.classList.toggle("is-clicked-side", side === mark.dataset.side);
    });
    var picked = panel.querySelector(".bc-picked");
    if (picked) picked.hidden = true;
  }

  function pick(button) {
    var chart = button.closest(".bc");
    if (!chart || chart.dataset.pick !== "true" || !chart.dataset.code) return;
    var point = chart.querySelector('.bc-point[data-code="' + chart.dataset.code + '"]');
    var detail = { code: point.dataset.code, side: button.dataset.side, pinyin: point.dataset.pinyin };
    document.dispatchEvent(new CustomEvent("acupoint:pick", { detail: detail }));
    var picked = chart.querySelector(".bc-picked");
    if (picked) {
      picked.textContent = "Added " + detail.code + " " + detail.pinyin + ", " + SIDE_WORDS[detail.side] + ".";
      picked.hidden = false;
    }
  }

  function markChosen(root) {
    var chosen = window.acupathBodyChart.chosen;
    root.querySelectorAll(".bc-point").forEach(function (point) {
      point.classList.toggle("is-chosen", chosen.indexOf(point.dataset.code) !== -1);
    });
  }

  function switchView(tab) {
    var chart = tab.closest(".bc");
    chart.querySelectorAll(".bc-figure").forEach(function (figure) {
      figure.hidden = figure.dataset.view !== tab.dataset.show;
    });
    chart.querySelectorAll(".bc-tab").forEach(function (other) {
      other.setAttribute("aria-pressed", String(other === tab));
    });
  }

  document.addEventListener("click", function (event) {
    var mark = event.target.closest && event.target.closest(".bc-mark");
    if (mark) {
      show(mark);
      return;
    }
    var tab = event.target.closest && event.target.closest(".bc-tab");
    if (tab) {
      switchView(tab);
      return;
    }
    var button = event.target.closest && event.target.closest(".bc-side");
    if (button) pick(button);
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" && event.key !== " ") return;
    var mark = event.target.closest && event.target.closest(".bc-mark");
    if (!mark) return;
    event.preventDefault();
    show(mark);
  });

  document.addEventListener("acupoint:chosen", function (event) {
    var codes = (event.detail && event.detail.codes) || [];
    window.acupathBodyChart.chosen = codes.map(function (code) { return String(code).toUpperCase(); });
    markChosen(document);
  });

  // A chart swapped in later still shows what the host page last said was chosen.
  document.addEventListener("htmx:afterSwap", function (event) { markChosen(event.target); });
})();
