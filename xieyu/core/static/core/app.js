// Small progressive enhancements; every page works without this file.
(function () {
  "use strict";
  function openMenus() { return document.querySelectorAll(".mainnav details[open]"); }
  document.addEventListener("click", function (e) {
    var btn = e.target.closest("[data-confirm]");
    if (btn && !window.confirm(btn.getAttribute("data-confirm"))) { e.preventDefault(); }
    // The "更多" menu closes when one taps anywhere else.
    var menus = openMenus();
    for (var i = 0; i < menus.length; i++) {
      if (!menus[i].contains(e.target)) { menus[i].open = false; }
    }
  });
  // … and on Escape, giving the focus back to its button.
  document.addEventListener("keydown", function (e) {
    if (e.key !== "Escape") { return; }
    var menus = openMenus();
    for (var i = 0; i < menus.length; i++) {
      menus[i].open = false;
      menus[i].querySelector("summary").focus();
    }
  });
  // A wide table scrolls sideways in its frame: keyboard users reach it too, and hear what it is.
  function frameTables() {
    var frames = document.querySelectorAll(".table-wrap:not([tabindex])");
    for (var j = 0; j < frames.length; j++) {
      var frame = frames[j];
      if (frame.scrollWidth <= frame.clientWidth) { continue; }
      frame.setAttribute("tabindex", "0");
      var heading = frame.previousElementSibling;
      while (heading && !/^H[1-6]$/.test(heading.tagName)) { heading = heading.previousElementSibling; }
      if (heading) { frame.setAttribute("role", "region"); frame.setAttribute("aria-label", heading.textContent.trim()); }
    }
  }
  frameTables();
  document.addEventListener("htmx:afterSettle", frameTables);
})();
