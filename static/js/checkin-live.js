// Live check-in counts on the organiser's check-in page: listens to the event's
// server-sent events and updates the numbers and tables in place. Without JavaScript
// the page shows the counts of when it was loaded.
(function () {
  "use strict";
  var section = document.querySelector("[data-stream]");
  if (!section || !window.EventSource) {
    return;
  }

  function setCount(name, value) {
    var node = section.querySelector('[data-count="' + name + '"]');
    if (node) {
      node.textContent = String(value);
    }
  }

  function updateTable(key, rows) {
    var table = section.querySelector('[data-breakdown="' + key + '"]');
    if (!table) {
      return;
    }
    var body = table.tBodies[0];
    var labels = {};
    Array.prototype.forEach.call(body.querySelectorAll("tr[data-key]"), function (row) {
      labels[row.getAttribute("data-key")] = row.cells[0].textContent;
    });
    var names = Object.keys(rows).sort();
    if (!names.length) {
      return;
    }
    var fresh = document.createDocumentFragment();
    names.forEach(function (name) {
      var row = document.createElement("tr");
      row.setAttribute("data-key", name);
      var head = document.createElement("th");
      head.scope = "row";
      head.textContent = labels[name] || name;
      row.appendChild(head);
      [rows[name].checked_in, rows[name].confirmed].forEach(function (value) {
        var cell = document.createElement("td");
        cell.textContent = String(value);
        row.appendChild(cell);
      });
      fresh.appendChild(row);
    });
    body.replaceChildren(fresh);
  }

  var source = new EventSource(section.getAttribute("data-stream"));
  source.addEventListener("counts", function (event) {
    var counts;
    try {
      counts = JSON.parse(event.data);
    } catch (error) {
      return;
    }
    setCount("checked_in", counts.checked_in);
    setCount("confirmed", counts.confirmed);
    updateTable("by_category", counts.by_category || {});
    updateTable("by_country", counts.by_country || {});
    section.classList.add("is-live");
  });
  source.addEventListener("error", function () {
    section.classList.remove("is-live");
  });
})();
