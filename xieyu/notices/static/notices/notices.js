// Notices: the print button of the print sheet. Every page works without this file. (Reading a notice aloud is
// core/readaloud.js.)
(function () {
  "use strict";
  document.addEventListener("click", function (e) {
    if (e.target.closest("[data-print]")) { e.preventDefault(); window.print(); }
  });
})();
