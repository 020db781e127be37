// The consent signing pad: the vendored signature_pad draws; the PNG goes into the hidden field
// when a stroke ends, so a form re-shown after an error keeps the signature already drawn.
(function () {
  "use strict";
  var canvas = document.getElementById("signature-pad");
  var input = document.getElementById("id_signature");
  if (!canvas || !input || !window.SignaturePad) return;
  var pad = new window.SignaturePad(canvas, { penColor: "#1d2a2e", minWidth: 1, maxWidth: 3 });

  function restore(dataUrl) {
    if (dataUrl) pad.fromDataURL(dataUrl, { width: canvas.offsetWidth, height: canvas.offsetHeight });
  }
  function fit() {
    // Match the canvas to its box at the screen's pixel density (capped, to bound the PNG size).
    var ratio = Math.min(Math.max(window.devicePixelRatio || 1, 1), 2);
    var kept = pad.isEmpty() ? input.value : pad.toDataURL("image/png");
    canvas.width = canvas.offsetWidth * ratio;
    canvas.height = canvas.offsetHeight * ratio;
    canvas.getContext("2d").scale(ratio, ratio);
    pad.clear();
    restore(kept);
  }
  pad.addEventListener("endStroke", function () { input.value = pad.toDataURL("image/png"); });
  document.getElementById("signature-clear").addEventListener("click", function () {
    pad.clear();
    input.value = "";
  });
  window.addEventListener("resize", fit);
  fit();
})();
