"""One story on a 360 px phone: 李娜 sends a notice that asks for confirmation to 三年级1班; 赵秀英, in care
mode, finds it in her inbox, has it read aloud and confirms with one tap; 李娜 watches the confirmed count rise
and prints the sheet for 钱桂花, the grandmother without a phone."""

import pytest
from django.utils.translation import gettext as _

from xieyu.notices.models import Notice

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_confirm_notice_from_sending_to_the_print_sheet(
    phone_page, browser, live_server, browser_login, cast, run_tasks
):
    teacher = phone_page
    browser_login(teacher, "head_teacher_li")

    # 李娜 writes the notice.
    teacher.goto("/notices/new/")
    main = teacher.locator("main")
    main.locator("input[name=title]").fill("周五家长会")
    main.locator("textarea[name=body]").fill("本周五下午三点在三年级1班教室召开家长会,请准时参加。")
    main.locator("input[name=receipt_mode][value=confirm]").check()
    main.locator(f"input[name=classes][value='{cast.class_a1.pk}']").check()
    assert teacher.evaluate("document.documentElement.scrollWidth") <= 360
    main.locator("button[type=submit]").last.click()
    teacher.wait_for_url("**/receipts/")
    notice = Notice.objects.get()
    run_tasks()  # the worker fans it out: one delivery per guardian
    teacher.reload()
    assert teacher.locator("[data-figure=families]").inner_text() == "4"  # counted by family, not by guardian
    assert teacher.locator("[data-figure=confirmed]").inner_text() == "0"
    assert teacher.locator("[data-figure=unreached]").inner_text() == "1"  # 钱多多's grandmother: no phone

    # 赵秀英, on her own phone, turns on care mode and sees the notice at the top of her inbox.
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="zh-CN", base_url=live_server.url)
    try:
        grandma = context.new_page()
        grandma.set_default_timeout(15000)
        browser_login(grandma, "grandma_zhao")
        grandma.click("header.topbar .care-toggle button")
        grandma.wait_for_selector("body.care")
        grandma.goto("/notices/")
        assert grandma.locator("nav.mainnav [data-unread]").inner_text() == "1"
        first = grandma.locator("#inbox li").first
        assert "周五家长会" in first.inner_text()
        first.locator("a").click()
        grandma.wait_for_url(f"**/notices/{notice.pk}/")

        # "读给我听": the browser's own speech synthesis, no call to the server.
        speak = grandma.locator("main [data-read-aloud]")
        assert speak.bounding_box()["height"] >= 48
        requests = []
        grandma.on("request", lambda r: requests.append(r.url))
        speak.click()
        grandma.wait_for_timeout(300)
        assert requests == []

        # One tap confirms, in place (htmx), with touch targets fit for care mode.
        confirm = grandma.locator("main #respond button[type=submit]")
        assert confirm.bounding_box()["height"] >= 48
        confirm.click()
        grandma.wait_for_selector("main #respond [data-answer]")
        assert grandma.evaluate("document.documentElement.scrollWidth") <= 360
    finally:
        context.close()

    # 李娜's figures update by themselves (htmx polling).
    teacher.wait_for_function("document.querySelector('[data-figure=confirmed]').innerText === '1'", timeout=15000)
    assert teacher.locator("[data-figure=unread]").inner_text() == "2"  # 张小明's and 周杰's families

    # She opens her class and prints the sheet for the family without a phone.
    teacher.locator(f"main a[href='/notices/{notice.pk}/classes/{cast.class_a1.pk}/']").click()
    teacher.wait_for_url(f"**/classes/{cast.class_a1.pk}/")
    assert teacher.locator("#families li.unreached").first.get_attribute("data-student") == "钱多多"
    teacher.locator(f"main a[href='/notices/{notice.pk}/classes/{cast.class_a1.pk}/print/']").click()
    teacher.wait_for_url("**/print/")
    slips = teacher.locator("main section.slip")
    assert slips.count() == 1
    assert "钱桂花" in slips.first.inner_text() and "钱多多" in slips.first.inner_text()
    assert "本周五下午三点" in slips.first.inner_text()
    assert teacher.locator("main [data-print]").inner_text() == _("Print")
    teacher.emulate_media(media="print")
    assert not teacher.locator("header.topbar").is_visible()
    assert not teacher.locator("main [data-print]").is_visible()
    assert slips.first.is_visible()
