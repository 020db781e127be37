// The chart page in pick mode (?pick=1) plays the host: it keeps a list of what was picked and
// tells the chart which points are chosen, exactly as a plan or session page would.
(function () {
  "use strict";
  var chosen = [];
  document.addEventListener("acupoint:pick", function (event) {
    var d = event.detail;
    var entry = d.code + " " + d.pinyin + " (" + d.side + ")";
    var list = document.querySelector("#picked-points .bc-demo-list");
    var li = document.createElement("li");
    li.textContent = entry;
    li.dataset.code = d.code;
    li.dataset.side = d.side;
    list.appendChild(li);
    if (chosen.indexOf(d.code) === -1) chosen.push(d.code);
    document.dispatchEvent(new CustomEvent("acupoint:chosen", { detail: { codes: chosen.slice() } }));
  });
})();
