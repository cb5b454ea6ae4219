"""曾德福 downloads his certificate (a PDF with his signed hours, the units that signed them and a verification code);
anyone holding the paper opens the verification page and sees 曾*福, the year and the total; a forged code is not
recognised; the county exports the year's signed records for the national volunteer system."""

from __future__ import annotations

import base64
import io
import re
import zlib

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from xieyu.teams.hours import services
from xieyu.teams.hours.certificate import masked_name, verification_code, verify
from xieyu.teams.models import Team

from .hours_fixtures import member, past_records


def pdf_text(data: bytes) -> str:
    """The PDF's page text as far as a test needs it: every content stream decoded (ASCII85, then Flate)."""
    chunks = []
    for raw in re.findall(rb"stream\r?\n(.*?)endstream", data, re.S):
        try:
            chunks.append(zlib.decompress(base64.a85decode(raw.strip(), adobe=raw.strip().endswith(b"~>"))))
        except (ValueError, zlib.error):
            chunks.append(raw)
    return b"\n".join(chunks).decode("latin-1")


def test_his_certificate_opens_and_carries_his_total(cast, client_for):
    zeng = member(cast, cast.volunteer_zeng)
    past_records(cast, zeng, 3, minutes=90)  # 4.5 hours, 城厢小学
    past_records(cast, zeng, 1, minutes=60, school=cast.school_b, first_day=5)  # 1 hour, 全南二中
    year = timezone.localdate().year
    response = client_for("volunteer_zeng").get(reverse("teams:hours_certificate", args=[year]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    data = response.content
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    assert "(5.5)" in text  # the total, in the Latin font
    code = verification_code(cast.volunteer_zeng.pk, year, 330)
    assert f"({code})" in text
    assert b"STSong-Light" in data  # the Chinese text is set in the built-in CID font


def test_no_signed_hours_no_certificate(cast, client_for):
    zeng = member(cast, cast.volunteer_zeng)
    past_records(cast, zeng, 1, signed=False)
    year = timezone.localdate().year
    response = client_for("volunteer_zeng").get(reverse("teams:hours_certificate", args=[year]), follow=True)
    assert "还没有已确认的服务时长" in response.content.decode()
    assert response.redirect_chain[-1][0].endswith(f"?year={year}")


@pytest.mark.parametrize("year", ["99999", "1999", "0"])
def test_a_certificate_of_a_year_outside_the_calendar_is_404(cast, client_for, year):
    assert client_for("volunteer_zeng").get(f"/teams/hours/certificate/{year}/").status_code == 404


def test_the_certificate_is_for_a_logged_in_member_only(cast, client_for):
    year = timezone.localdate().year
    response = client_for(None).get(reverse("teams:hours_certificate", args=[year]))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_anyone_confirms_a_certificate_by_its_code(cast, client_for):
    zeng = member(cast, cast.volunteer_zeng)
    records = past_records(cast, zeng, 2, minutes=60)
    year = timezone.localdate().year
    code = verification_code(cast.volunteer_zeng.pk, year, 120)
    page = client_for(None).get(reverse("teams:hours_verify", args=[code]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "data-name>曾*福<" in text and f"data-year>{year}<" in text and "data-hours>2.0<" in text
    assert "曾德福" not in text and "data-changed" not in text
    # a later correction: the paper still verifies, and the page says the records changed since
    services.record_enter(actor=cast.school_admin_liu, assignment=records[0].assignment, started_at=records[0].started_at,
                          ended_at=records[0].started_at + (records[0].ended_at - records[0].started_at) / 2,
                          source_note="更正")  # fmt: skip
    services.records_sign(actor=cast.school_admin_liu, records=[records[0]])
    text = client_for(None).get(reverse("teams:hours_verify", args=[code])).content.decode()
    assert "data-changed" in text and "1.5小时" in text


@pytest.mark.parametrize("forge", ["total", "person", "mac", "garbage"])
def test_a_forged_code_is_not_recognised(cast, client_for, forge):
    member(cast, cast.volunteer_zeng)
    year = timezone.localdate().year
    code = verification_code(cast.volunteer_zeng.pk, year, 120)
    user_id, y, minutes, mac = code.split("-")
    forged = {
        "total": f"{user_id}-{y}-9000-{mac}",
        "person": f"{cast.expert_huang.pk}-{y}-{minutes}-{mac}",
        "mac": f"{user_id}-{y}-{minutes}-{'0' * 16}",
        "garbage": "ABCDEFGH",
    }[forge]
    page = client_for(None).get(reverse("teams:hours_verify", args=[forged]))
    assert page.status_code == 404 and "无法识别" in page.content.decode()
    assert verify(forged) is None and verify(code) is not None


@pytest.mark.parametrize("name, masked", [("曾德福", "曾*福"), ("黄华", "黄*"), ("欧阳春梅", "欧**梅"), ("李", "李")])
def test_a_name_is_masked_to_match_a_paper_not_to_find_a_person(name, masked):
    assert masked_name(name) == masked


def test_the_county_exports_one_row_per_signed_record_for_the_national_system(cast, client_for):
    zeng = member(cast, cast.volunteer_zeng)
    huang = member(cast, cast.expert_huang, Team.Kind.EXPERT)
    past_records(cast, zeng, 2, minutes=90)
    past_records(cast, zeng, 1, signed=False, first_day=4)  # pending: not exported
    past_records(cast, huang, 1, minutes=45, school=cast.school_b)
    year = timezone.localdate().year
    response = client_for("county_admin_chen").get(reverse("teams:hours_county_export"), {"year": year})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(io.BytesIO(response.content), read_only=True).active.iter_rows(values_only=True))
    assert rows[0] == ("姓名", "手机号", "所属团队", "服务项目", "服务日期", "开始时间", "结束时间", "服务时长(小时)",
                       "记录单位", "确认人")  # fmt: skip
    body = rows[1:]
    assert len(body) == 3
    zeng_rows = [r for r in body if r[0] == "曾德福"]
    assert len(zeng_rows) == 2
    assert {r[1] for r in zeng_rows} == {"13800000053"} and {r[2] for r in zeng_rows} == {"全南县“五老”关爱团"}
    assert {(r[5], r[6], r[7], r[8], r[9]) for r in zeng_rows} == {("10:00", "11:30", 1.5, "全南县城厢小学", "刘芳")}
    huang_row = next(r for r in body if r[0] == "黄志华")
    assert (huang_row[7], huang_row[8], huang_row[9]) == (0.75, "全南县第二中学", "王强")
    only_experts = client_for("county_admin_chen").get(reverse("teams:hours_county_export"),
                                                       {"year": year, "team": huang.team_id})  # fmt: skip
    rows = list(load_workbook(io.BytesIO(only_experts.content), read_only=True).active.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == ["黄志华"]


def test_a_formula_in_a_name_is_exported_as_text(cast, client_for):
    from xieyu.accounts.services import user_create

    user = user_create(actor=None, phone="13900009999", name="=HYPERLINK(1)", password="x")
    past_records(cast, member(cast, user, Team.Kind.PARENT), 1)
    response = client_for("county_admin_chen").get(reverse("teams:hours_county_export"))
    rows = list(load_workbook(io.BytesIO(response.content), read_only=True).active.iter_rows(values_only=True))
    assert rows[1][0] == "'=HYPERLINK(1)"
