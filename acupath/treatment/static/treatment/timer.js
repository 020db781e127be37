// Retention timers on the room board and the session page.
// The server renders every timer from the stored start time; this script only ticks the figures
// between polls, correcting for the tablet's own clock with the server time sent in data-now.
(function () {
  "use strict";
  if (window.acupathTimers) return; // included twice on a page: one ticker is enough
  window.acupathTimers = true;

  function clock(seconds) {
    var s = Math.abs(Math.floor(seconds));
    var h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
    var mm = h ? String(m).padStart(2, "0") : String(m);
    return (h ? h + ":" : "") + mm + ":" + String(r).padStart(2, "0");
  }

  function text(root, selector, value) {
    root.querySelectorAll(selector).forEach(function (el) {
      if (el.textContent !== value) el.textContent = value;
    });
  }

  function prepare(root) {
    (root || document).querySelectorAll("[data-timer]").forEach(function (el) {
      if (el.dataset.offset === undefined) el.dataset.offset = String(Number(el.dataset.now) - Date.now());
    });
  }

  function tick() {
    document.querySelectorAll("[data-timer]").forEach(function (el) {
      if (el.hasAttribute("data-stopped")) return;
      var now = Date.now() + Number(el.dataset.offset || 0);
      var elapsed = Math.max(0, Math.floor((now - Number(el.dataset.start)) / 1000));
      var remaining = Number(el.dataset.planned) - elapsed;
      var card = el.closest("[data-timer-host]") || el;
      text(el, ".t-elapsed", clock(elapsed));
      text(el, ".t-remaining", clock(Math.max(0, remaining)));
      text(el, ".t-over", "+" + clock(Math.max(0, -remaining)));
      card.classList.toggle("is-time-up", remaining <= 0);
      card.classList.toggle("is-ending", remaining > 0 && remaining <= 120);
    });
  }

  prepare(document);
  tick();
  setInterval(tick, 1000);
  document.body.addEventListener("htmx:afterSwap", function (event) {
    prepare(document);
    tick();
  });
})();
