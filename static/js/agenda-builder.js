// The agenda builder's drag and drop: drag a session onto an empty slot to move it there.
// It posts the same move form as the "Move" link (day, start, room) with the CSRF header, so
// everything it does can also be done without JavaScript, by keyboard, through that form.
// With htmx loaded (the organiser pages) the answer is the new board, swapped in place; a move
// the agenda refuses comes back as the board with the move form and the error at its field.
// Listeners sit on the document, so they keep working on every board htmx swaps in.
(function () {
  "use strict";
  if (!document.querySelector("[data-agenda-grid]") ||
      !("draggable" in document.createElement("span")) || !window.fetch) {
    return;
  }
  var tokenMeta = document.querySelector('meta[name="csrf-token"]');
  var token = tokenMeta ? tokenMeta.getAttribute("content") : "";
  var dragged = null;

  function say(text) {
    var status = document.getElementById("agenda-status");
    if (!status) { return; }
    status.textContent = "";
    var p = document.createElement("p");
    p.className = "error-message";
    p.textContent = text;
    status.appendChild(p);
  }

  function fallbackText(session) {
    var grid = session.closest("[data-agenda-grid]");
    return grid ? grid.getAttribute("data-move-error") || "" : "";
  }

  function move(session, cell) {
    var values = {
      day: cell.getAttribute("data-drop-day"),
      start: cell.getAttribute("data-drop-start"),
      room: cell.getAttribute("data-drop-room") || ""
    };
    var url = session.getAttribute("data-move-url");
    var fallback = fallbackText(session);
    if (window.htmx) {
      window.htmx.ajax("POST", url, {
        source: session,
        target: "#agenda-board",
        swap: "outerHTML",
        values: values,
        headers: {"X-CSRF-Token": token}
      });
      return;
    }
    var body = new URLSearchParams();
    Object.keys(values).forEach(function (name) { body.set(name, values[name]); });
    fetch(url, {
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

  function dropCell(event) {
    var cell = event.target.closest && event.target.closest("[data-drop-day]");
    return cell && cell.closest("[data-agenda-grid]") ? cell : null;
  }

  document.addEventListener("dragstart", function (event) {
    var session = event.target.closest && event.target.closest("[data-agenda-grid] [data-move-url]");
    if (!session) { return; }
    dragged = session;
    session.classList.add("dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", session.getAttribute("data-session-id"));
  });
  document.addEventListener("dragend", function () {
    if (dragged) { dragged.classList.remove("dragging"); }
    dragged = null;
    Array.prototype.forEach.call(document.querySelectorAll(".drop-over"), function (cell) {
      cell.classList.remove("drop-over");
    });
  });
  document.addEventListener("dragover", function (event) {
    var cell = dropCell(event);
    if (!cell || !dragged) { return; }
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    cell.classList.add("drop-over");
  });
  document.addEventListener("dragleave", function (event) {
    var cell = dropCell(event);
    if (cell) { cell.classList.remove("drop-over"); }
  });
  document.addEventListener("drop", function (event) {
    var cell = dropCell(event);
    if (!cell || !dragged) { return; }
    event.preventDefault();
    cell.classList.remove("drop-over");
    var session = dragged;
    dragged = null;
    move(session, cell);
  });
}());
