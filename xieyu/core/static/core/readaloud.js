// 读给我听: reads the page's main content aloud with the browser's own speech synthesis (zh-CN, a little slower
// for elderly listeners); nothing is sent to the server. Included by core/_read_aloud.html on the pages a family
// reads. The button reads every [data-read] region in page order (or <main> when a page marks none).
//
// Many phones (WeChat's in-app browser among them) have the API but no Chinese voice, or fail on speaking: then the
// button never stays pressed. It un-presses and says so in its status line, which screen readers announce.
(function () {
  "use strict";
  var VOICES_WAIT_MS = 1500;  // voices load late on some phones: wait for voiceschanged, or this long
  var START_WAIT_MS = 3000;   // speak() that never starts is a phone without a working voice
  var synth = window.speechSynthesis;
  var current = null;         // {btn, id} while reading

  function status(btn, key) {
    var box = document.getElementById(btn.getAttribute("aria-describedby"));
    if (!box) { return; }
    box.textContent = key ? btn.getAttribute("data-msg-" + key) || "" : "";
    box.classList.toggle("problem", key === "no-voice");
  }

  function release(btn, key) {
    if (current && current.btn === btn) { current = null; }
    btn.setAttribute("aria-pressed", "false");
    status(btn, key);
  }

  function textToRead() {
    var regions = document.querySelectorAll("[data-read]");
    if (!regions.length) { regions = document.querySelectorAll("main"); }
    var parts = [];
    for (var i = 0; i < regions.length; i++) {
      var text = (regions[i].innerText || "").replace(/[ \t]+/g, " ").replace(/\s*\n\s*/g, "\n").trim();
      if (text) { parts.push(text); }
    }
    return parts.join("\n");
  }

  // Short pieces, one sentence or line each: some engines stop a long utterance after about 15 seconds.
  function pieces(text) {
    var found = text.match(/[^。!?!?;;\n]+[。!?!?;;\n]*/g) || [];
    var out = [], piece = "";
    for (var i = 0; i < found.length; i++) {
      if (piece && piece.length + found[i].length > 120) { out.push(piece); piece = ""; }
      piece += found[i];
    }
    if (piece.trim()) { out.push(piece); }
    return out;
  }

  function chineseVoice(voices) {
    var best = null;
    for (var i = 0; i < voices.length; i++) {
      var lang = (voices[i].lang || "").replace("_", "-").toLowerCase();
      if (lang === "zh-cn" || lang === "cmn-hans-cn") { return voices[i]; }
      if (!best && (lang.indexOf("zh") === 0 || lang.indexOf("cmn") === 0)) { best = voices[i]; }
    }
    return best;
  }

  function withVoices(then) {
    var voices = synth.getVoices ? synth.getVoices() : [];
    if (voices.length) { then(voices); return; }
    var done = false;
    function finish() {
      if (done) { return; }
      done = true;
      if (synth.removeEventListener) { synth.removeEventListener("voiceschanged", finish); }
      then(synth.getVoices ? synth.getVoices() : []);
    }
    if (synth.addEventListener) { synth.addEventListener("voiceschanged", finish); }
    window.setTimeout(finish, VOICES_WAIT_MS);
  }

  function start(btn) {
    if (!synth || typeof window.SpeechSynthesisUtterance !== "function") { release(btn, "no-voice"); return; }
    var id = {};
    current = {btn: btn, id: id};
    btn.setAttribute("aria-pressed", "true");
    status(btn, "preparing");
    var mine = function () { return current && current.id === id; };
    withVoices(function (voices) {
      if (!mine()) { return; }
      var voice = chineseVoice(voices);
      var list = pieces(textToRead());
      if (!voice) { release(btn, "no-voice"); return; }
      if (!list.length) { release(btn, ""); return; }
      var started = false;
      synth.cancel();
      for (var i = 0; i < list.length; i++) {
        var u = new window.SpeechSynthesisUtterance(list[i]);
        u.lang = "zh-CN";
        u.voice = voice;
        u.rate = 0.85;
        u.onstart = function () { started = true; };
        u.onerror = function (e) {
          if (!mine() || e.error === "interrupted" || e.error === "canceled") { return; }
          synth.cancel();
          release(btn, "no-voice");
        };
        if (i === list.length - 1) { u.onend = function () { if (mine()) { release(btn, ""); } }; }
        synth.speak(u);
      }
      status(btn, "reading");
      window.setTimeout(function () {
        if (mine() && !started && !synth.speaking) { synth.cancel(); release(btn, "no-voice"); }
      }, START_WAIT_MS);
    });
  }

  function stop(btn) {
    current = null;
    if (synth) { synth.cancel(); }
    release(btn, "");
  }

  document.addEventListener("click", function (e) {
    var btn = e.target.closest && e.target.closest("[data-read-aloud]");
    if (!btn) { return; }
    e.preventDefault();
    if (btn.getAttribute("aria-pressed") === "true") { stop(btn); } else { start(btn); }
  });
  window.addEventListener("pagehide", function () { if (synth && current) { synth.cancel(); } });

  // The button does nothing without this script, so it is hidden until the script runs.
  var buttons = document.querySelectorAll("[data-read-aloud]");
  for (var i = 0; i < buttons.length; i++) { buttons[i].hidden = false; }
})();
