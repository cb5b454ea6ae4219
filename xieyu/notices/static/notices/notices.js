// Notices: "read it to me" in care mode (the browser's own speech synthesis, zh-CN; nothing is sent to the
// server) and the print button of the print sheet. Every page works without this file.
(function () {
  "use strict";
  function speak(btn) {
    var synth = window.speechSynthesis;
    if (!synth || typeof window.SpeechSynthesisUtterance !== "function") {
      btn.disabled = true;
      var note = document.getElementById(btn.getAttribute("aria-describedby"));
      if (note) { note.hidden = false; }
      return;
    }
    if (synth.speaking) {
      synth.cancel();
      btn.setAttribute("aria-pressed", "false");
      return;
    }
    var source = document.getElementById(btn.getAttribute("data-speak-from"));
    var text = source ? source.innerText : "";
    var utterance = new window.SpeechSynthesisUtterance(text);
    utterance.lang = "zh-CN";
    utterance.rate = 0.85;  // a little slower for elderly listeners
    var voices = synth.getVoices ? synth.getVoices() : [];
    for (var i = 0; i < voices.length; i++) {
      if (/^zh(-|_)CN/i.test(voices[i].lang)) { utterance.voice = voices[i]; break; }
    }
    utterance.onend = function () { btn.setAttribute("aria-pressed", "false"); };
    btn.setAttribute("aria-pressed", "true");
    synth.speak(utterance);
  }
  document.addEventListener("click", function (e) {
    var btn = e.target.closest("[data-speak-from]");
    if (btn) { e.preventDefault(); speak(btn); return; }
    if (e.target.closest("[data-print]")) { e.preventDefault(); window.print(); }
  });
})();
