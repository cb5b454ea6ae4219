"""The 新高考 guidance (public: no login needed) and the county admin's majors table: who may see and change it,
editing one row, importing the county's Excel file (one bad row imports no row) and exporting it."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from xieyu.publicity.gaokao.models import MajorRequirement

from .gaokao_cases_fixtures import far_admin, far_county, majors, upload, xlsx  # noqa: F401

GUIDE = reverse("publicity:gaokao_guide")
TABLE = reverse("publicity:gaokao_table")


def _messages(response) -> str:
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


@pytest.mark.parametrize("persona", [None, "parent_zhang", "parent_sun", "school_admin_wang", "county_admin_chen"])
def test_the_guide_and_helper_are_open_to_everyone_without_login(cast, majors, client_for, persona):  # noqa: F811
    client = client_for(persona)
    page = client.get(GUIDE)
    assert page.status_code == 200
    text = page.content.decode()
    assert "3+1+2" in text and "12" in text
    response = client.get(GUIDE, {"first": "physics", "subjects": ["chemistry", "biology"]})
    text = response.content.decode()
    assert response.status_code == 200
    assert 'data-major="临床医学"' in text and "✔ 临床医学" in text
    assert "✘ 历史学" in text
    opened = response.context["result"].open_count
    assert f'data-open="{opened}"' in text and f'data-total="{len(majors)}"' in text


def test_the_helper_links_to_careers_articles_and_the_question_page(cast, majors, client_for):  # noqa: F811
    text = client_for("parent_zhang").get(GUIDE).content.decode()
    assert reverse("questions:ask") in text
    anonymous = client_for(None).get(GUIDE).content.decode()
    assert reverse("accounts:login") in anonymous


@pytest.mark.parametrize("query, message", [
    ({"first": "physics", "subjects": ["chemistry"]}, "请选择两门再选科目"),
    ({"first": "physics", "subjects": ["chemistry", "biology", "geography"]}, "请选择两门再选科目"),
    ({"first": "either", "subjects": ["chemistry", "biology"]}, "首选科目"),
    ({"first": "physics", "subjects": ["chemistry", "music"]}, "再选科目"),
    ({"subjects": ["chemistry", "biology"]}, "首选科目"),
])  # fmt: skip
def test_a_wrong_choice_is_named_and_lists_nothing(cast, majors, client_for, query, message):  # noqa: F811
    response = client_for(None).get(GUIDE, query)
    assert response.status_code == 200
    assert response.context["result"] is None
    assert message in response.context["error"]


def test_with_htmx_only_the_result_is_sent(cast, majors, client_for):  # noqa: F811
    response = client_for(None).get(GUIDE, {"first": "history", "subjects": ["politics", "geography"]},
                                    headers={"HX-Request": "true", "HX-Target": "helper-result"})  # fmt: skip
    text = response.content.decode()
    assert text.lstrip().startswith('<div id="helper-result"')
    assert "✔ 历史学" in text and "<html" not in text


def test_the_helper_runs_a_fixed_number_of_queries(cast, majors, client_for, django_assert_max_num_queries):  # noqa: F811
    client = client_for("parent_zhang")
    query = {"first": "physics", "subjects": ["chemistry", "biology"]}
    client.get(GUIDE, query)
    with CaptureQueriesContext(connection) as small:
        client.get(GUIDE, query)
    MajorRequirement.objects.bulk_create([
        MajorRequirement(county=cast.county, discipline="工学", major=f"新专业{i}", first="physics") for i in range(40)
    ])  # fmt: skip
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(GUIDE, query).status_code == 200


@pytest.mark.parametrize("persona, status", [
    ("county_admin_chen", 200), ("far_admin", 200), ("school_admin_liu", 404), ("head_teacher_li", 404),
    ("parent_zhang", 404), ("expert_huang", 404), (None, 302),
])  # fmt: skip
def test_only_a_county_admin_maintains_a_table_and_only_her_own(cast, majors, client_for, far_admin, persona, status):  # noqa: F811
    if persona == "far_admin":
        from django.test import Client

        client = Client()
        client.force_login(far_admin, backend="django.contrib.auth.backends.ModelBackend")
    else:
        client = client_for(persona)
    row = MajorRequirement.objects.get(county=cast.county, major="临床医学")
    response = client.get(TABLE)
    assert response.status_code == status
    if persona == "far_admin":
        assert "临床医学" not in response.content.decode()  # her own, empty table
        for url in (reverse("publicity:gaokao_row_edit", args=[row.pk]),):
            assert client.get(url).status_code == 404
        assert client.post(reverse("publicity:gaokao_row_delete", args=[row.pk])).status_code == 404
        assert client.post(reverse("publicity:gaokao_row_edit", args=[row.pk]),
                           {"discipline": "医学", "major": "临床医学", "first": "history", "mode": "none"}
                           ).status_code == 404  # fmt: skip
        row.refresh_from_db()
        assert row.first == "physics"
    if status == 404:
        assert client.get(reverse("publicity:gaokao_row_edit", args=[row.pk])).status_code == 404
        assert client.get(reverse("publicity:gaokao_export")).status_code == 404
        assert client.post(reverse("publicity:gaokao_import"), {"file": upload(xlsx([]))}).status_code == 404
    assert MajorRequirement.objects.filter(county=cast.county).count() == len(majors)


def test_the_county_admin_edits_a_row_and_a_wrong_row_changes_nothing(cast, majors, client_for):  # noqa: F811
    chen = client_for("county_admin_chen")
    row = MajorRequirement.objects.get(county=cast.county, major="护理学")
    url = reverse("publicity:gaokao_row_edit", args=[row.pk])
    bad = chen.post(url, {"discipline": "医学", "major": "护理学", "first": "physics", "subjects": ["chemistry"],
                          "mode": "none"})  # fmt: skip
    assert bad.status_code == 200 and "勾选了再选科目" in _messages(bad)
    duplicate = chen.post(url, {"discipline": "医学", "major": "临床医学", "first": "physics", "mode": "none"})
    assert "已有专业“临床医学”" in _messages(duplicate)
    row.refresh_from_db()
    assert (row.first, row.subjects, row.mode) == ("either", ["chemistry", "biology"], "any")
    ok = chen.post(url, {"discipline": "医学", "major": "护理学", "first": "physics", "subjects": ["chemistry"],
                         "mode": "all", "note": "2025年起"})  # fmt: skip
    assert ok.status_code == 302
    row.refresh_from_db()
    assert (row.first, row.subjects, row.mode, row.note) == ("physics", ["chemistry"], "all", "2025年起")
    created = chen.post(reverse("publicity:gaokao_row_create"), {"discipline": "工学", "major": "智能建造",
                                                                   "first": "physics", "subjects": ["chemistry"],
                                                                   "mode": "all"})  # fmt: skip
    assert created.status_code == 302
    assert MajorRequirement.objects.filter(county=cast.county, major="智能建造").exists()
    chen.post(reverse("publicity:gaokao_row_delete", args=[row.pk]))
    assert not MajorRequirement.objects.filter(pk=row.pk).exists()


def test_an_import_adds_and_updates_majors(cast, majors, client_for):  # noqa: F811
    chen = client_for("county_admin_chen")
    data = xlsx([
        ["工学", "智能建造", "物理", "化学", "均须选考", ""],
        ["医学", "护理学", "物理", "化学、生物", "均须选考", "新规"],
        ["文学", "汉语国际教育", "物理或历史", "", "不提要求", ""],
        ["农学", "茶学", "物理", "化学/生物", "任选其一", ""],
    ])  # fmt: skip
    response = chen.post(reverse("publicity:gaokao_import"), {"file": upload(data)})
    assert response.status_code == 302
    assert MajorRequirement.objects.filter(county=cast.county).count() == len(majors) + 3
    nursing = MajorRequirement.objects.get(county=cast.county, major="护理学")
    assert (nursing.first, nursing.subjects, nursing.mode, nursing.note) == (
        "physics", ["chemistry", "biology"], "all", "新规")
    tea = MajorRequirement.objects.get(county=cast.county, major="茶学")
    assert (tea.subjects, tea.mode) == (["chemistry", "biology"], "any")


@pytest.mark.parametrize("bad_row, row_text, column", [
    (["", "智能建造", "物理", "化学", "均须选考", ""], "3", "学科门类"),
    (["工学", "", "物理", "化学", "均须选考", ""], "3", "专业"),
    (["工学", "智能建造", "化学", "化学", "均须选考", ""], "3", "首选科目"),
    (["工学", "智能建造", "物理", "音乐", "均须选考", ""], "3", "再选科目"),
    (["工学", "智能建造", "物理", "化学、化学", "均须选考", ""], "3", "再选科目"),
    (["工学", "智能建造", "物理", "化学", "看情况", ""], "3", "再选要求"),
    (["工学", "智能建造", "物理", "化学", "不提要求", ""], "3", "再选要求"),
    (["工学", "智能建造", "物理", "", "均须选考", ""], "3", "再选科目"),
    (["工学", "智能建造", "=A2", "化学", "均须选考", ""], "3", "首选科目"),
    (["工学", "软件工程", "物理", "化学", "均须选考", ""], "3", "专业"),  # named twice in the file
    (["工学", "智能建造" * 11, "物理", "化学", "均须选考", ""], "3", "专业"),
])  # fmt: skip
def test_one_bad_row_imports_no_row_and_is_named_by_row_and_column(cast, majors, client_for, bad_row, row_text,  # noqa: F811
                                                                    column):  # fmt: skip
    chen = client_for("county_admin_chen")
    before = list(MajorRequirement.objects.filter(county=cast.county).values_list("major", "first", "subjects"))
    good = ["工学", "软件工程", "历史", "", "不提要求", ""]
    response = chen.post(reverse("publicity:gaokao_import"), {"file": upload(xlsx([good, bad_row]))})
    assert response.status_code == 400
    text = _messages(response)
    assert "未导入任何一行" in text and f"第{row_text}行" in text and f"“{column}”" in text
    assert {"row": int(row_text), "column": column} == {k: response.context["problems"][0][k] for k in ("row", "column")}
    after = list(MajorRequirement.objects.filter(county=cast.county).values_list("major", "first", "subjects"))
    assert after == before


@pytest.mark.parametrize("data, message", [
    (b"major,first\n", "不是 Excel"),
    (b"", "文件"),
    (b"PK\x03\x04broken", "损坏"),
])  # fmt: skip
def test_a_file_that_is_no_workbook_is_refused(cast, majors, client_for, data, message):  # noqa: F811
    response = client_for("county_admin_chen").post(reverse("publicity:gaokao_import"), {"file": upload(data)})
    assert response.status_code == 400 and message in _messages(response)
    assert MajorRequirement.objects.filter(county=cast.county).count() == len(majors)


def test_a_sheet_without_the_header_row_is_refused(cast, majors, client_for):  # noqa: F811
    data = xlsx([["工学", "智能建造"]], headers=["门类", "名称"])
    response = client_for("county_admin_chen").post(reverse("publicity:gaokao_import"), {"file": upload(data)})
    assert response.status_code == 400 and "表头" in _messages(response)


def test_the_export_imports_back_unchanged(cast, majors, client_for):  # noqa: F811
    chen = client_for("county_admin_chen")
    response = chen.get(reverse("publicity:gaokao_export"))
    assert response.status_code == 200
    data = response.content
    sheet = load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("学科门类", "专业", "首选科目") and len(rows) == len(majors) + 1
    before = sorted(MajorRequirement.objects.filter(county=cast.county).values_list("major", "first", "subjects", "mode",
                                                                                     "note"))  # fmt: skip
    again = chen.post(reverse("publicity:gaokao_import"), {"file": upload(data)})
    assert again.status_code == 302
    assert "新增0个专业,更新0个" in " ".join(str(m) for m in again.wsgi_request._messages)
    after = sorted(MajorRequirement.objects.filter(county=cast.county).values_list("major", "first", "subjects", "mode",
                                                                                    "note"))  # fmt: skip
    assert after == before


API = "/api/v1/column/gaokao/open"


@pytest.mark.parametrize("persona", [None, "parent_sun"])
def test_the_api_answers_the_helper_without_login(cast, majors, client_for, persona):  # noqa: F811
    body = client_for(persona).get(API, {"first": "physics", "subjects": ["chemistry", "biology"]}).json()
    assert body["total"] == len(majors) and body["county_id"] == cast.county.pk
    opened = {m["major"] for d in body["disciplines"] for m in d["open"]}
    assert "临床医学" in opened and "历史学" not in opened and body["open_count"] == len(opened)


@pytest.mark.parametrize("query, message", [
    ({"first": "either", "subjects": ["chemistry", "biology"]}, "首选科目"),
    ({"first": "physics", "subjects": ["chemistry"]}, "两门不同的再选科目"),
    ({"first": "physics", "subjects": ["chemistry", "chemistry"]}, "两门不同的再选科目"),
    ({"first": "physics", "subjects": ["chemistry", "biology", "politics"]}, "两门不同的再选科目"),
    ({"first": "physics", "subjects": ["chemistry", "music"]}, "两门不同的再选科目"),
])  # fmt: skip
def test_the_api_names_a_wrong_choice(cast, majors, client_for, query, message):  # noqa: F811
    response = client_for(None).get(API, query)
    assert response.status_code == 400 and message in response.content.decode()
