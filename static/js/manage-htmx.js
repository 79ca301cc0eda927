// The organiser pages' htmx glue: when a partial update fails outright (the network, a 403 after
// the session ended, a server error), say so in a live region instead of failing silently. Answers
// a form can fix (422) are swapped in by htmx itself, with the error at its field.
(function () {
  "use strict";
  if (!window.htmx) { return; }
  function say() {
    var region = document.getElementById("htmx-status");
    if (!region) {
      region = document.createElement("div");
      region.id = "htmx-status";
      region.className = "htmx-status";
      region.setAttribute("role", "alert");
      var main = document.getElementById("main") || document.body;
      main.insertBefore(region, main.firstChild);
    }
    region.textContent = "";
    var p = document.createElement("p");
    p.className = "error-message";
    p.textContent = document.body.getAttribute("data-htmx-error") || "";
    region.appendChild(p);
  }
  document.body.addEventListener("htmx:responseError", say);
  document.body.addEventListener("htmx:sendError", say);
  document.body.addEventListener("htmx:beforeRequest", function () {
    var region = document.getElementById("htmx-status");
    if (region) { region.textContent = ""; }
  });
}());
