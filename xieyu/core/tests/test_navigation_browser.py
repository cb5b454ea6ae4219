"""The navigation on a 360 px phone hides nothing: each role's first entries are in view, whole, and the rest are one
tap away under "更多", in both modes, by touch, by keyboard and without script."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TOP = "nav.mainnav > ul > li > a, nav.mainnav > ul > li > details > summary"
BOXES = """(selector) => [...document.querySelectorAll(selector)].filter(e => e.getClientRects().length).map(e => {
  const r = e.getBoundingClientRect();
  return {text: e.innerText.trim(), top: r.top, left: r.left, right: r.right, width: r.width, height: r.height,
          whole: e.scrollWidth <= e.clientWidth + 1, visible: e.checkVisibility()};
})"""


def expected_labels(cast, persona) -> set[str]:
    from django.utils import translation

    from xieyu.accounts.roles import roles_of
    from xieyu.core.navigation import nav_items

    with translation.override("zh-hans"):
        return {str(label) for label, _url in nav_items(roles_of(getattr(cast, persona))[0])} | {"我的"}


def in_view(boxes, *, tap):
    return [b for b in boxes if not (b["left"] >= 0 and b["right"] <= 360 and b["whole"] and b["height"] >= tap)]


def test_every_entry_of_every_role_is_in_view_or_one_tap_away(phone, cast):
    for persona, care in (("grandma_zhao", True), ("grandma_zhao", False), ("head_teacher_li", True),
                          ("school_admin_liu", False), ("county_admin_chen", True), ("expert_huang", False)):  # fmt: skip
        tap = 48 if care else 40
        page = phone(persona, care=care)
        page.goto("/")
        expected = expected_labels(cast, persona)
        top = page.evaluate(BOXES, TOP)
        assert 2 <= len(top) <= 4, (persona, top)
        assert len({round(b["top"]) for b in top}) == (2 if care else 1)  # one row, or two by two in care mode
        assert not in_view(top, tap=tap), (persona, in_view(top, tap=tap))  # whole, tap-sized, within the phone
        assert page.evaluate(
            "() => { const n = document.querySelector('nav.mainnav'); return n.scrollWidth <= n.clientWidth }"
        )
        shown = {b["text"] for b in top}
        more = page.locator("nav.mainnav details > summary")
        if more.count():
            assert more.inner_text().strip().startswith("更多")
            sheet = page.locator("nav.mainnav .nav-sheet")
            assert not sheet.is_visible()
            more.click()
            assert sheet.is_visible()
            inside = page.evaluate(BOXES, "nav.mainnav .nav-sheet a")
            assert not in_view(inside, tap=tap), (persona, in_view(inside, tap=tap))
            shown |= {b["text"] for b in inside}
            page.locator("main").dispatch_event("click")  # a tap anywhere else closes it
            assert not sheet.is_visible()
        shown = {t.split("\n")[0].split(" ")[0] for t in shown}  # the unread badge follows the label
        assert shown == expected | ({"更多"} if more.count() else set()), persona
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        page.context.close()


def test_the_more_menu_works_by_keyboard_and_without_script(phone, cast):
    page = phone("grandma_zhao", care=True)
    page.goto("/")
    summary = page.locator("nav.mainnav details > summary")
    summary.focus()
    page.keyboard.press("Enter")
    assert page.locator("nav.mainnav .nav-sheet").is_visible()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('.nav-sheet') !== null")
    page.keyboard.press("Escape")
    assert not page.locator("nav.mainnav .nav-sheet").is_visible()
    assert page.evaluate("document.activeElement.tagName") == "SUMMARY"
    page.keyboard.press(" ")
    page.locator("nav.mainnav .nav-sheet a[href='/questions/clinics/']").click()
    page.wait_for_url("**/questions/clinics/")
    # The page is in the menu: the menu says so, and the entry is marked as the current page.
    assert page.locator("nav.mainnav .nav-sheet a[aria-current=page]").get_attribute("href") == "/questions/clinics/"
    weight = page.evaluate("getComputedStyle(document.querySelector('nav.mainnav summary')).fontWeight")
    assert int(weight) >= 700

    bare = phone("head_teacher_li", care=False, javascript=False)
    bare.goto("/")
    bare.locator("nav.mainnav details > summary").click()
    link = bare.locator(f"nav.mainnav .nav-sheet a[href='/parent-school/class/{cast.class_a1.pk}/reach/']")
    assert link.is_visible()
    link.click()
    bare.wait_for_url("**/reach/")
