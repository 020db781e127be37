/* The desk's calendar: EventCalendar (vendored, MIT) draws; the server decides.
   Events come from the feed; a drag is sent to the move endpoint and kept only if the server
   agrees (otherwise it snaps back with the server's reason); a click on an empty time opens the
   booking form in a dialog. Times are the clinic's wall-clock times, as the feed gives them. */
(function () {
  "use strict";
  var el = document.getElementById("desk-calendar");
  if (!el || !window.EventCalendar) { return; }
  var options = JSON.parse(document.getElementById("calendar-options").textContent);
  var statusBox = document.getElementById("calendar-status");
  var mayBook = el.dataset.mayBook === "1";
  var csrf = (JSON.parse(document.body.getAttribute("hx-headers") || "{}"))["X-CSRFToken"] || "";

  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function wall(date) {  // a calendar Date as the clinic wall-clock string the server reads
    return date.getFullYear() + "-" + pad(date.getMonth() + 1) + "-" + pad(date.getDate()) +
      "T" + pad(date.getHours()) + ":" + pad(date.getMinutes()) + ":00";
  }
  function day(date) { return wall(date).slice(0, 10); }
  function say(text, kind) {
    statusBox.textContent = text;
    statusBox.className = "calendar-status alert " + (kind || "success");
    statusBox.hidden = false;
  }
  function escape(text) {
    var span = document.createElement("span");
    span.textContent = text == null ? "" : String(text);
    return span.innerHTML;
  }

  function load(info, success, failure) {
    var url = el.dataset.feed + "&start=" + day(info.start) + "&end=" + day(info.end);
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error("feed " + r.status); } return r.json(); })
      .then(function (data) { success(data.events); })
      .catch(function (err) { say("The calendar could not be loaded; check the connection and reload.", "urgent"); failure(err); });
  }

  function move(info, reason) {
    var resource = info.newResource ? info.newResource.id : (info.event.resourceIds || [])[0];
    var body = { start: wall(info.event.start), resource: resource, view: options.view, override_reason: reason || "" };
    return fetch(el.dataset.move.replace("00000000-0000-0000-0000-000000000000", info.event.id), {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf, Accept: "application/json" },
      body: JSON.stringify(body)
    }).then(function (r) { return r.json().then(function (data) { return { status: r.status, data: data }; }); });
  }

  function askReason(why) {
    var dialog = document.getElementById("move-dialog");
    var input = document.getElementById("move-reason");
    document.getElementById("move-dialog-why").textContent = why;
    input.value = "";
    return new Promise(function (resolve) {
      dialog.addEventListener("close", function once() {
        dialog.removeEventListener("close", once);
        resolve(dialog.returnValue === "move" && input.value.trim() ? input.value.trim() : null);
      });
      dialog.showModal();
      input.focus();
    });
  }

  function dropped(info) {
    move(info, "").then(function (answer) {
      if (answer.status === 409 && answer.data.override) {
        return askReason(answer.data.detail).then(function (reason) {
          if (!reason) { info.revert(); say("Not moved: " + answer.data.detail, "urgent"); return null; }
          return move(info, reason);
        });
      }
      return answer;
    }).then(function (answer) {
      if (!answer) { return; }
      if (answer.status === 200) { say(answer.data.detail, "success"); }
      else { info.revert(); say("Not moved: " + (answer.data.detail || "the server refused."), "urgent"); }
      calendar.refetchEvents();
    }).catch(function () {
      info.revert();
      say("Not moved: the server could not be reached. Nothing changed.", "urgent");
    });
  }

  function openBooking(info) {
    if (!mayBook || info.allDay) { return; }
    var params = new URLSearchParams({ start: wall(info.date) });
    if (info.resource) { params.set(options.view === "rooms" ? "room" : "practitioner", info.resource.id); }
    var dialog = document.getElementById("calendar-dialog");
    htmx.ajax("GET", el.dataset.book + "?" + params.toString(), { target: "#calendar-dialog-body", swap: "innerHTML" })
      .then(function () { dialog.showModal(); var q = document.getElementById("id_patient_q"); if (q) { q.focus(); } });
  }

  function showEvent(info) {
    var p = info.event.extendedProps;
    if (!p || !p.chart) { return; }
    document.getElementById("event-dialog-title").textContent = info.event.title;
    var facts = [["When", wall(info.event.start).slice(11, 16) + "–" + wall(info.event.end).slice(11, 16)],
      ["Type", p.type], ["Status", p.status_label], ["Practitioner", p.practitioner], ["Room", p.room || "—"]];
    if (p.override_reason) { facts.push(["Outside the rules because", p.override_reason]); }
    document.getElementById("event-dialog-facts").innerHTML = facts.map(function (f) {
      return "<dt>" + escape(f[0]) + "</dt><dd>" + escape(f[1]) + "</dd>";
    }).join("");
    document.getElementById("event-dialog-chart").href = p.chart;
    document.getElementById("event-dialog").showModal();
  }

  function content(info) {
    var p = info.event.extendedProps || {};
    if (info.event.display === "background") {
      return { html: info.event.title ? "<span class=\"shade-label\">" + escape(info.event.title) + "</span>" : "" };
    }
    // Time and name on the first line, so a half-hour booking still shows whose it is.
    return { html: "<div class=\"ev-time\">" + escape(wall(info.event.start).slice(11, 16)) + " " + escape(info.event.title) +
      (p.override_reason ? " <b title=\"Booked outside the clinic's rules\">!</b>" : "") +
      "</div><div class=\"ev-meta\">" + escape(p.type) +
      (p.status && p.status !== "booked" ? " · " + escape(p.status_label) : "") + "</div>" };
  }

  var calendar = EventCalendar.create(el, {
    view: "resourceTimeGridDay",
    date: options.date,
    firstDay: 1,
    resources: options.resources,
    eventSources: [{ events: load }],
    headerToolbar: { start: "prev,next today", center: "title", end: "resourceTimeGridDay,resourceTimeGridWeek" },
    buttonText: { today: "Today", resourceTimeGridDay: "Day", resourceTimeGridWeek: "Week" },
    allDaySlot: false,
    slotDuration: "00:15",
    slotLabelInterval: "01:00",
    slotMinTime: options.slotMinTime,
    slotMaxTime: options.slotMaxTime,
    flexibleSlotTimeLimits: true,
    scrollTime: options.slotMinTime,
    slotHeight: 24,
    height: "auto",
    locale: "en-GB",
    views: { resourceTimeGridDay: { titleFormat: { weekday: "long", day: "numeric", month: "long", year: "numeric" } } },
    nowIndicator: true,
    editable: mayBook,
    eventStartEditable: mayBook,
    eventDurationEditable: false,
    longPressDelay: 400,
    eventLongPressDelay: 400,
    pointer: mayBook,
    dayHeaderFormat: { weekday: "short", day: "numeric", month: "short" },
    slotLabelFormat: { hour: "2-digit", minute: "2-digit", hour12: false },
    eventTimeFormat: { hour: "2-digit", minute: "2-digit", hour12: false },
    eventContent: content,
    eventDrop: dropped,
    dateClick: openBooking,
    eventClick: showEvent
  });
  window.deskCalendar = calendar;

  document.body.addEventListener("calendar-booked", function (e) {
    document.getElementById("calendar-dialog").close();
    say(e.detail.message, "success");
    calendar.refetchEvents();
  });
  document.getElementById("calendar-dialog").addEventListener("click", function (e) {
    if (e.target.matches("[data-close-dialog]")) { document.getElementById("calendar-dialog").close(); }
  });
}());
