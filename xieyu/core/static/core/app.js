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
})();
