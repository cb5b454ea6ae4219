// Skip logic on the answer page, as a progressive enhancement: a question with data-show-code is shown only while
// the earlier question it names has one of the data-show-in answers. The server checks the same rule on submit and
// drops answers to hidden questions, so a page without this script still works (every question shown).
(function () {
  "use strict";
  function chosen(form, code) {
    var out = [];
    form.querySelectorAll('[name="q_' + code + '"]').forEach(function (el) {
      if ((el.type === "radio" || el.type === "checkbox") ? el.checked : el.value) out.push(el.value);
    });
    return out;
  }
  function update(form) {
    var visible = {};
    form.querySelectorAll("fieldset.question").forEach(function (fs) {
      var code = fs.dataset.code, src = fs.dataset.showCode, show = true;
      if (src) {
        var wanted = (fs.dataset.showIn || "").split(",");
        show = visible[src] === true && chosen(form, src).some(function (v) { return wanted.indexOf(v) >= 0; });
      }
      visible[code] = show;
      fs.hidden = !show;
      fs.querySelectorAll("input, textarea, select").forEach(function (el) { el.disabled = !show; });
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("answer-form");
    if (!form) return;
    form.addEventListener("change", function () { update(form); });
    update(form);
  });
})();
