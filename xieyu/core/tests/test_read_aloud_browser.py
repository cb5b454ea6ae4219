"""读给我听 in care mode on a 360 px phone: the pages a family reads offer it; it reads the page's main content with
the phone's own zh-CN voice and sends nothing to the server; on a phone with no usable voice it never stays pressed
but says so. The phone's speech engine is replaced by a stand-in whose voices and behaviour each test chooses."""

import json

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BUTTON = "main [data-read-aloud]"
STATUS = "main #read-aloud-status"
NO_VOICE = "这部手机没有可用的朗读语音。"

# mode: "none" (no speech API at all), "silent" (no voices, ever), "english" (an English voice only),
# "chinese" (a zh-CN voice that speaks), "broken" (a zh-CN voice whose every utterance fails).
FAKE_SPEECH = """
(() => {
  const mode = %s;
  if (mode === "none") {
    Object.defineProperty(window, "speechSynthesis", {value: undefined, configurable: true});
    Object.defineProperty(window, "SpeechSynthesisUtterance", {value: undefined, configurable: true});
    return;
  }
  const voices = {silent: [], english: [{lang: "en-US", name: "Samantha"}]}[mode] || [{lang: "zh-CN", name: "婷婷"}];
  const fake = {
    spoken: [], pending: [], speaking: false, cancelled: 0,
    getVoices() { return voices; },
    addEventListener() {}, removeEventListener() {},
    speak(u) {
      this.spoken.push({text: u.text, lang: u.lang, voice: u.voice && u.voice.name});
      this.pending.push(u);
      if (mode === "broken") { setTimeout(() => u.onerror && u.onerror({error: "synthesis-failed"}), 20); return; }
      this.speaking = true;
      setTimeout(() => u.onstart && u.onstart({}), 20);
    },
    cancel() {
      this.cancelled += 1;
      const stopped = this.pending; this.pending = []; this.speaking = false;
      stopped.forEach(u => u.onerror && u.onerror({error: "interrupted"}));
    },
    finish() {  // the voice reaches the end of the text
      const done = this.pending; this.pending = []; this.speaking = false;
      done.forEach(u => u.onend && u.onend({}));
    },
  };
  Object.defineProperty(window, "speechSynthesis", {value: fake, configurable: true});
  window.SpeechSynthesisUtterance = function (text) { this.text = text; };
})();
"""


def grandma_on(phone, url, mode, *, context=None):
    """赵秀英's phone in care mode, its speech engine replaced by the stand-in in the given mode, at url."""
    page = context.new_page() if context else phone("grandma_zhao", care=True)
    page.add_init_script(script=FAKE_SPEECH % json.dumps(mode))
    page.goto(url)
    return page


def pressed(page) -> str:
    return page.get_attribute(BUTTON, "aria-pressed")


def test_every_page_a_family_reads_offers_read_aloud_in_care_mode_only(phone, scene):
    page = phone("grandma_zhao", care=True)
    for url in (f"/notices/{scene.notice.pk}/", f"/events/{scene.event.pk}/", f"/questions/{scene.question.pk}/",
                f"/questions/kb/{scene.article.pk}/", "/questions/clinics/"):  # fmt: skip
        page.goto(url)
        button = page.locator(BUTTON)
        assert button.is_visible(), url
        assert button.inner_text().strip() == "读给我听" and pressed(page) == "false"
        assert button.bounding_box()["height"] >= 60
        assert page.locator("script[src*='core/readaloud']").count() == 1
    page.goto("/questions/ask/")
    assert page.locator("script[src*='core/readaloud']").count() == 0  # scripts only where they are used
    standard = phone("grandma_zhao", care=False)
    standard.goto(f"/notices/{scene.notice.pk}/")
    assert standard.locator(BUTTON).count() == 0
    no_script = phone("grandma_zhao", care=True, javascript=False)
    no_script.goto(f"/notices/{scene.notice.pk}/")
    assert not no_script.locator(BUTTON).is_visible()  # without the script it would do nothing: not shown


def test_it_reads_the_notice_with_a_chinese_voice_and_stops_on_a_second_tap(phone, scene):
    page = grandma_on(phone, f"/notices/{scene.notice.pk}/", "chinese")
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.click(BUTTON)
    page.wait_for_function("window.speechSynthesis.spoken.length > 0")
    assert pressed(page) == "true"
    assert "正在朗读" in page.inner_text(STATUS)
    spoken = page.evaluate("window.speechSynthesis.spoken")
    text = "".join(s["text"] for s in spoken)
    assert "周五家长会" in text and "请带上孩子的作业本" in text
    assert "读给我听" not in text and "一键确认" not in text  # the content, not the buttons
    assert {(s["lang"], s["voice"]) for s in spoken} == {("zh-CN", "婷婷")}
    page.click(BUTTON)  # a second tap stops
    assert pressed(page) == "false" and page.evaluate("window.speechSynthesis.cancelled") >= 1
    assert page.inner_text(STATUS) == ""
    page.click(BUTTON)  # … and reading to the end un-presses it too
    page.wait_for_function("window.speechSynthesis.speaking")
    page.evaluate("window.speechSynthesis.finish()")
    assert pressed(page) == "false"
    assert requests == []  # nothing goes to the server


def test_a_phone_without_a_usable_voice_says_so_and_never_stays_pressed(phone, scene):
    context = None
    for mode in ("none", "silent", "english", "broken"):
        page = grandma_on(phone, f"/questions/{scene.question.pk}/", mode, context=context)
        context = page.context
        page.click(BUTTON)
        page.wait_for_function(
            "document.querySelector('[data-read-aloud]').getAttribute('aria-pressed') === 'false'", timeout=5000
        )
        status = page.locator(STATUS)
        assert status.is_visible() and status.inner_text() == NO_VOICE, mode
        assert page.get_attribute(STATUS, "role") == "status"  # announced by screen readers
        page.close()
