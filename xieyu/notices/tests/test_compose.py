"""The compose page at 360 px: the title and the content come first, then the audience, with the sender's own
class ticked already."""

import re


def _checked_classes(html: str) -> set[str]:
    return {
        m.group(1)
        for tag in re.findall(r"<input[^>]*name=\"classes\"[^>]*>", html)
        if " checked" in tag and (m := re.search(r'value="(\d+)"', tag))
    }


def test_the_message_comes_before_the_audience(cast, client_for):
    html = client_for("head_teacher_li").get("/notices/new/").content.decode()
    main = html[html.index("<main") :]
    title, body = main.index('name="title"'), main.index('name="body"')
    audience = main.index('name="classes"')
    assert title < body < audience
    assert main.index('id="message"') < main.index('id="audience"')


def test_the_head_teachers_own_class_is_ticked(cast, client_for):
    """李娜 is head teacher of 城厢小学 三年级1班 (and a mother in 全南二中: never her child's class)."""
    html = client_for("head_teacher_li").get("/notices/new/").content.decode()
    assert _checked_classes(html) == {str(cast.class_a1.pk)}


def test_a_school_admin_has_nothing_ticked(cast, client_for):
    html = client_for("school_admin_liu").get("/notices/new/").content.decode()
    assert 'name="classes"' in html and _checked_classes(html) == set()


def test_a_refused_form_keeps_what_the_sender_unticked(cast, client_for):
    html = client_for("head_teacher_li").post("/notices/new/", {"title": "", "body": "内容"}).content.decode()
    assert _checked_classes(html) == set()
