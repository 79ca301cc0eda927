// One tab per event language over the stacked language fieldsets of the event editor.
// Without JavaScript the fieldsets stay stacked and every field still submits.
(function () {
  "use strict";
  var box = document.querySelector("[data-tabs]");
  if (!box) { return; }
  var panels = Array.prototype.slice.call(box.querySelectorAll(".language-panel"));
  var toggles = Array.prototype.slice.call(document.querySelectorAll(".language-toggle"));
  var list = document.createElement("div");
  list.className = "tab-list";
  list.setAttribute("role", "tablist");
  list.setAttribute("aria-labelledby", "texts-heading");
  box.insertBefore(list, panels[0]);
  box.classList.add("enhanced");

  function checked(code) {
    if (!toggles.length) { return true; }
    return toggles.some(function (t) { return t.value === code && t.checked; });
  }

  function hasError(panel) { return panel.querySelector("[aria-invalid='true']") !== null; }

  function select(code, focus) {
    panels.forEach(function (panel) {
      var on = panel.getAttribute("data-lang") === code;
      panel.hidden = !on;
      var tab = document.getElementById("tab-" + panel.getAttribute("data-lang"));
      if (tab) {
        tab.setAttribute("aria-selected", on ? "true" : "false");
        tab.tabIndex = on ? 0 : -1;
        if (on && focus) { tab.focus(); }
      }
    });
  }

  function build() {
    list.textContent = "";
    var visible = panels.filter(function (p) { return checked(p.getAttribute("data-lang")) || hasError(p); });
    visible.forEach(function (panel) {
      var code = panel.getAttribute("data-lang");
      var tab = document.createElement("button");
      tab.type = "button";
      tab.id = "tab-" + code;
      tab.setAttribute("role", "tab");
      tab.setAttribute("aria-controls", panel.id);
      var legend = panel.querySelector("legend span");
      tab.textContent = legend ? legend.textContent : code;
      var missing = panel.querySelector("legend .missing");
      if (missing) {
        var mark = document.createElement("span");
        mark.className = "missing";
        mark.textContent = missing.textContent;
        tab.appendChild(mark);
      }
      panel.setAttribute("role", "tabpanel");
      panel.setAttribute("aria-labelledby", tab.id);
      tab.addEventListener("click", function () { select(code, false); });
      list.appendChild(tab);
    });
    panels.forEach(function (p) { if (visible.indexOf(p) < 0) { p.hidden = true; } });
    var first = visible.filter(hasError)[0] || visible[0];
    if (first) { select(first.getAttribute("data-lang"), false); }
  }

  list.addEventListener("keydown", function (event) {
    var tabs = Array.prototype.slice.call(list.querySelectorAll("[role='tab']"));
    var index = tabs.indexOf(document.activeElement);
    if (index < 0) { return; }
    var next = null;
    if (event.key === "ArrowRight") { next = tabs[(index + 1) % tabs.length]; }
    if (event.key === "ArrowLeft") { next = tabs[(index - 1 + tabs.length) % tabs.length]; }
    if (event.key === "Home") { next = tabs[0]; }
    if (event.key === "End") { next = tabs[tabs.length - 1]; }
    if (next) {
      event.preventDefault();
      select(next.id.replace("tab-", ""), true);
    }
  });
  toggles.forEach(function (t) { t.addEventListener("change", build); });
  build();
}());
