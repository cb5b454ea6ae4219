"""Message and notice text: escaped, in paragraphs, with web addresses and site paths as real links."""

from xieyu.core.templatetags.texts import paragraphs


def test_paths_and_addresses_become_links_and_the_rest_is_escaped():
    html = paragraphs("请在活动页报名:/events/6/。\n详情 https://example.cn/a?b=1。\n\n<script>alert(1)</script>")
    assert '<a href="/events/6/">/events/6/</a>。' in html
    assert '<a href="https://example.cn/a?b=1">https://example.cn/a?b=1</a>。' in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert html.count("<p>") == 2 and "<br>" in html


def test_no_link_inside_words_or_fractions_and_no_javascript():
    html = paragraphs("每天 1/2 小时,作业/练习不超过 60 分钟 javascript:alert(1)")
    assert "<a" not in html
