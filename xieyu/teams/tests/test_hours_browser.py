"""In a real browser at 360 px: 曾德福 checks in at 城厢小学's 家风家训 lecture and checks out after it, 刘芳 signs his
hours off, and they appear on his 我的服务时长 page, whose certificate link downloads a PDF."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.utils import timezone

from xieyu.core.tests.a11y import fits_phone
from xieyu.teams.models import ServiceRecord

from .hours_fixtures import service

pytestmark = pytest.mark.browser

M = datetime.timedelta(minutes=1)


def test_he_checks_in_and_out_liu_signs_off_and_his_certificate_downloads(
    cast, browser, live_server, phone_page, browser_login
):
    start = timezone.now().replace(second=0, microsecond=0) + 45 * M
    s = service(cast, starts_at=start, minutes=90)
    zeng = phone_page

    with time_machine.travel(start - 10 * M):  # at the school gate, ten minutes early
        browser_login(zeng, "volunteer_zeng")
        zeng.goto(f"/teams/hours/assignments/{s.assignment.pk}/")
        fits_phone(zeng)
        zeng.click("main #checkin")
        zeng.wait_for_selector("main [data-state='open']")
        assert "签到成功" in zeng.inner_text("body")

    with time_machine.travel(start + 100 * M):  # he stayed ten minutes after the lecture
        zeng.reload()
        zeng.click("main #checkout")
        zeng.wait_for_selector("main [data-state='pending']")
        assert "已记录1.5小时" in zeng.inner_text("body")
        fits_phone(zeng)  # the dispute form is on the page now

        context = browser.new_context(viewport={"width": 360, "height": 740}, locale="zh-CN",
                                      base_url=live_server.url)  # fmt: skip
        liu = context.new_page()
        liu.set_default_timeout(15000)
        try:
            browser_login(liu, "school_admin_liu")
            liu.goto("/teams/hours/sign/")
            record = ServiceRecord.objects.get()
            assert "曾德福" in liu.inner_text(f"main #to-sign [data-record='{record.pk}']")
            fits_phone(liu)
            liu.click(f"main [data-sign='{record.pk}']")
            liu.wait_for_selector("main #to-sign [data-empty]")
            assert "已确认1条记录" in liu.inner_text("body")
        finally:
            context.close()

        zeng.goto("/teams/hours/mine/")
        assert zeng.inner_text("main [data-figure='this-year']") == "1.5"
        assert "已确认" in zeng.inner_text(f"main [data-record='{record.pk}']")
        fits_phone(zeng)
        with zeng.expect_download() as download:
            zeng.click(f"main [data-certificate='{timezone.localdate().year}']")
        with open(download.value.path(), "rb") as pdf:
            assert pdf.read(4) == b"%PDF"
    record.refresh_from_db()
    assert (record.status, record.signed_by, record.minutes) == ("signed", cast.school_admin_liu, 90)
