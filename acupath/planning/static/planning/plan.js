// The plan editor: remove rows, add points by code or from the body chart, keep the chart's
// highlights in step with the plan. The server renders every row and decides what is safe.
(function () {
  "use strict";
  const form = document.getElementById("plan-form");
  if (!form) return;
  const rows = document.getElementById("plan-rows");
  const code = document.getElementById("add-code");
  const side = document.getElementById("add-side");
  const addButton = document.getElementById("add-button");
  const addError = document.getElementById("add-error");

  function chosenCodes() {
    return Array.from(rows.querySelectorAll("tr.plan-row")).map((tr) => tr.dataset.code);
  }

  function changed() {
    const codes = chosenCodes();
    document.getElementById("point-count").textContent = codes.length;
    document.getElementById("plan-none").hidden = codes.length > 0;
    document.dispatchEvent(new CustomEvent("acupoint:chosen", { detail: { codes: codes } }));
  }

  function rowFor(pointCode) {
    return rows.querySelector(`tr.plan-row[data-code="${CSS.escape(pointCode)}"]`);
  }

  function flash(tr) {
    tr.classList.remove("is-new");
    void tr.offsetWidth; // restart the highlight animation
    tr.classList.add("is-new");
    tr.scrollIntoView({ block: "nearest", behavior: "smooth" });
  }

  // A point picked again on the other side becomes "both"; the same side just shows the row.
  function mergeSide(tr, newSide) {
    const select = tr.querySelector("select[name=point_side]");
    const old = select.value;
    if (old !== newSide && old !== "both" && old !== "midline" && ["left", "right"].includes(newSide)) {
      select.value = "both";
    }
    flash(tr);
  }

  function add(pointCode, pointSide) {
    addError.textContent = "";
    const existing = pointCode && pointCode.toUpperCase() !== "ASHI" ? rowFor(pointCode.toUpperCase()) : null;
    if (existing) {
      mergeSide(existing, pointSide || side.value);
      code.value = "";
      return;
    }
    if (pointCode) code.value = pointCode;
    if (pointSide) side.value = pointSide;
    addButton.click();
  }

  rows.addEventListener("click", (event) => {
    const button = event.target.closest(".plan-remove");
    if (!button) return;
    button.closest("tr").remove();
    changed();
  });

  form.addEventListener("click", (event) => {
    const button = event.target.closest(".plan-readd");
    if (!button) return;
    add(button.dataset.code, "both");
    code.focus();
  });

  // Enter in the code box adds the point; it must never approve the plan by accident.
  code.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      event.preventDefault();
      add(code.value.trim(), null);
    }
  });

  document.body.addEventListener("htmx:beforeRequest", (event) => {
    if (event.detail.elt !== addButton) return;
    const typed = code.value.trim();
    // A code already in the plan (as typed in WHO form) is merged, not added twice.
    const existing = typed && typed.toUpperCase() !== "ASHI" ? rowFor(typed.toUpperCase()) : null;
    if (existing) {
      event.preventDefault();
      mergeSide(existing, side.value);
      code.value = "";
    }
  });

  document.body.addEventListener("htmx:afterSwap", (event) => {
    if (event.detail.target === rows) {
      const added = rows.lastElementChild;
      const twin = added ? chosenCodes().filter((c) => c === added.dataset.code).length > 1 : false;
      if (twin && added.dataset.code !== "ASHI") {
        // Typed in another spelling (UB40 for BL40): keep the row already there.
        added.remove();
        mergeSide(rowFor(added.dataset.code), side.value);
      } else if (added) {
        flash(added);
      }
      code.value = "";
      side.value = "both";
      addError.textContent = "";
      changed();
    }
  });

  // The body chart (knowledge/_body_chart.html) announces a picked point and side.
  document.addEventListener("acupoint:pick", (event) => {
    const detail = event.detail || {};
    if (detail.code) add(String(detail.code), detail.side || "both");
  });

  changed();
})();
