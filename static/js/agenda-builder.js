// The agenda builder's drag and drop: drag a session onto an empty slot to move it there.
// It posts the same move form as the "Move" link (day, start, room) with the CSRF header, so
// everything it does can also be done without JavaScript, by keyboard, through that form.
(function () {
  "use strict";
  var grids = document.querySelectorAll("[data-agenda-grid]");
  if (!grids.length || !("draggable" in document.createElement("span")) || !window.fetch) {
    return;
  }
  var tokenMeta = document.querySelector('meta[name="csrf-token"]');
  var token = tokenMeta ? tokenMeta.getAttribute("content") : "";
  var status = document.getElementById("agenda-status");
  var dragged = null;

  function say(text) {
    if (!status) { return; }
    status.textContent = "";
    var p = document.createElement("p");
    p.className = "error-message";
    p.textContent = text;
    status.appendChild(p);
  }

  function move(session, cell, fallback) {
    var body = new URLSearchParams();
    body.set("day", cell.getAttribute("data-drop-day"));
    body.set("start", cell.getAttribute("data-drop-start"));
    body.set("room", cell.getAttribute("data-drop-room") || "");
    fetch(session.getAttribute("data-move-url"), {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-CSRF-Token": token
      },
      body: body.toString()
    }).then(function (response) {
      if (response.ok) {
        window.location.assign(response.url);
        return null;
      }
      return response.text().then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var problem = doc.querySelector(".field-error, .error-message");
        say(problem ? problem.textContent.trim() : fallback);
      });
    }).catch(function () { say(fallback); });
  }

  Array.prototype.forEach.call(grids, function (grid) {
    var fallback = grid.getAttribute("data-move-error") || "";
    grid.addEventListener("dragstart", function (event) {
      var session = event.target.closest && event.target.closest("[data-move-url]");
      if (!session) { return; }
      dragged = session;
      session.classList.add("dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", session.getAttribute("data-session-id"));
    });
    grid.addEventListener("dragend", function () {
      if (dragged) { dragged.classList.remove("dragging"); }
      dragged = null;
      Array.prototype.forEach.call(grid.querySelectorAll(".drop-over"), function (cell) {
        cell.classList.remove("drop-over");
      });
    });
    grid.addEventListener("dragover", function (event) {
      var cell = event.target.closest && event.target.closest("[data-drop-day]");
      if (!cell || !dragged) { return; }
      event.preventDefault();
      event.dataTransfer.dropEffect = "move";
      cell.classList.add("drop-over");
    });
    grid.addEventListener("dragleave", function (event) {
      var cell = event.target.closest && event.target.closest("[data-drop-day]");
      if (cell) { cell.classList.remove("drop-over"); }
    });
    grid.addEventListener("drop", function (event) {
      var cell = event.target.closest && event.target.closest("[data-drop-day]");
      if (!cell || !dragged) { return; }
      event.preventDefault();
      cell.classList.remove("drop-over");
      move(dragged, cell, fallback);
    });
  });
}());
