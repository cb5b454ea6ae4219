"""Roster import and export, read as a school admin's story: template, upload, problems, commit, export."""

from __future__ import annotations

import datetime
import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext
from openpyxl import Workbook, load_workbook

from xieyu.audit.models import AccessEvent, AuditEvent
from xieyu.directory import roster
from xieyu.directory.models import ClassHistory, Guardian, Guardianship, RosterImport, Student
from xieyu.directory.roster import HEADERS, RosterFileError, guardian_column
from xieyu.directory.services import guardian_for_phone, guardianship_add, student_create

from .roster_files import number, row, set_cell, xlsx

G1_NAME, G1_PHONE, G1_RELATIONSHIP = (guardian_column(1, p) for p in ("姓名", "手机", "关系"))


# --- helpers -----------------------------------------------------------------------------------------------


def upload(client, school, data: bytes, name: str = "三年级花名册.xlsx"):
    return client.post(reverse("directory:roster_upload", args=[school.pk]), {"file": SimpleUploadedFile(name, data)})


def upload_and_check(client, school, data: bytes, run_tasks) -> RosterImport:
    """Upload as the user would, let the worker check it, return the import."""
    response = upload(client, school, data)
    assert response.status_code == 302, response.content.decode()[-2000:]
    pk = int(re.search(r"/roster/imports/(\d+)/", response["Location"])[1])
    run_tasks()
    return RosterImport.objects.get(pk=pk)


def commit(client, roster_import, run_tasks) -> RosterImport:
    response = client.post(reverse("directory:import_commit", args=[roster_import.pk]))
    assert response.status_code == 302
    run_tasks()
    roster_import.refresh_from_db()
    return roster_import


def detail(client, roster_import, page: int | None = None) -> str:
    url = reverse("directory:import_detail", args=[roster_import.pk])
    response = client.get(url + (f"?page={page}" if page else ""))
    assert response.status_code == 200
    return response.content.decode()


def problems_on_page(html: str) -> list[tuple[str, str, str]]:
    """(row, column, problem) as the problems table shows them."""
    table = re.search(r'<table class="problems">(.*?)</table>', html, re.S)
    if not table:
        return []
    return re.findall(r"<tr><td[^>]*>(.*?)</td><td>(.*?)</td><td>(.*?)</td></tr>", table[1], re.S)


def shows_row(cell: str, number: int) -> bool:
    return re.search(rf"(?<!\d){number}(?!\d)", cell) is not None


def students_of(school) -> int:
    return Student.objects.filter(school=school).count()


def family(name: str, phone: str | None, relationship: str = "父亲", primary: str = "是", lives: str = "是"):
    return (name, phone, relationship, primary, lives)


THREE_NUMBERS = [number("20180101", 101), number("20180101", 102), number("20180309", 104)]
SUN_HAO = number("20131108", 2)  # 孙浩 at 全南二中 (personas.py)
THREE_CHILDREN = [
    row(THREE_NUMBERS[0], "王小一", guardians=[family("王建", "13911110001"), family("林芳", "13911110002", "母亲", "否")]),
    row(THREE_NUMBERS[1], "王小二", school_class="2班", gender="女",
        guardians=[family("王建", "13911110001"), family("王奶奶", None, "祖母", "否", "是")]),
    row(THREE_NUMBERS[2], "孙小美", gender="女", born=datetime.datetime(2018, 3, 9),
        guardians=[family("孙立新", "13911110003", "父亲")]),
]  # fmt: skip


# --- the template --------------------------------------------------------------------------------------------


def test_the_template_downloads_with_chinese_headers_and_instructions(cast, client_for):
    response = client_for("school_admin_liu").get(reverse("directory:roster_template", args=[cast.school_a.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    assert "attachment" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    first, help_sheet = workbook.worksheets
    assert [c.value for c in first[1]] == HEADERS
    assert HEADERS[:6] == ["年级", "班级", "学生姓名", "性别", "出生日期", "学籍号"]
    assert HEADERS[6:11] == ["监护人1姓名", "监护人1手机", "监护人1关系", "监护人1主要照料人", "监护人1同住"]
    assert HEADERS[-1] == "监护人4同住"
    assert first.max_row == 1  # no sample row that could be imported by mistake
    help_text = "\n".join(str(c.value) for r in help_sheet.iter_rows() for c in r if c.value)
    assert "三年级 1班" in help_text and "三年级 2班" in help_text  # the school's own classes
    assert "七年级" not in help_text  # not the other school's


def test_the_template_imports_cleanly_once_filled_in(cast, client_for, run_tasks):
    client = client_for("school_admin_liu")
    template = client.get(reverse("directory:roster_template", args=[cast.school_a.pk])).content
    workbook = load_workbook(io.BytesIO(template))
    workbook.worksheets[0].append(row(number("20180101", 109), "吴小天", guardians=[family("吴刚", "13911110009")]))
    buffer = io.BytesIO()
    workbook.save(buffer)
    imp = upload_and_check(client, cast.school_a, buffer.getvalue(), run_tasks)
    assert imp.status == RosterImport.Status.VALID, imp.errors or imp.message


# --- a valid file, and the same file again -----------------------------------------------------------------


def test_a_valid_file_imports_and_importing_it_again_creates_nothing_new(cast, client_for, run_tasks):
    client = client_for("school_admin_liu")
    school = cast.school_a
    before_students, before_guardians = students_of(school), Guardian.objects.count()
    data = xlsx(THREE_CHILDREN)

    imp = upload_and_check(client, school, data, run_tasks)
    assert imp.status == RosterImport.Status.VALID
    page = detail(client, imp)
    assert gettext("Import now") in page
    assert imp.summary["students_new"] == 3 and imp.summary["guardians_new"] == 4  # 王建, 林芳, 王奶奶, 孙立新
    assert students_of(school) == before_students  # a preview changes nothing

    imp = commit(client, imp, run_tasks)
    assert imp.status == RosterImport.Status.DONE
    assert gettext("Import now") not in detail(client, imp)
    assert students_of(school) == before_students + 3
    assert Guardian.objects.count() == before_guardians + 4
    wang_jian = Guardian.objects.get(phone="13911110001")
    assert set(wang_jian.guardianships.values_list("student__name", flat=True)) == {"王小一", "王小二"}
    xiaomei = Student.objects.get(school=school, student_number=THREE_NUMBERS[2])
    assert xiaomei.birth_date == datetime.date(2018, 3, 9) and xiaomei.school_class == cast.class_a1
    assert ClassHistory.objects.filter(student=xiaomei, from_class=None, to_class=cast.class_a1).count() == 1
    assert AuditEvent.objects.filter(action="student.create", target_id=str(xiaomei.pk)).count() == 1

    # The same file again: nothing new.
    again = upload_and_check(client, school, data, run_tasks)
    assert again.summary["students_new"] == 0 and again.summary["students_unchanged"] == 3
    assert again.summary["guardians_new"] == 0 and again.summary["guardianships_new"] == 0
    again = commit(client, again, run_tasks)
    assert again.status == RosterImport.Status.DONE
    assert students_of(school) == before_students + 3
    assert Guardian.objects.count() == before_guardians + 4
    assert Guardianship.objects.filter(student__school=school, student__name__startswith="王小").count() == 4

    # A corrected name and a changed relationship update in place.
    changed = [set_cell(THREE_CHILDREN[0], "学生姓名", "王晓一")] + THREE_CHILDREN[1:]
    changed[1] = set_cell(changed[1], guardian_column(2, "关系"), "外祖母")
    third = commit(client, upload_and_check(client, school, xlsx(changed), run_tasks), run_tasks)
    assert third.summary["students_updated"] == 1 and third.summary["guardianships_updated"] == 1
    assert third.summary["students_new"] == 0 and third.summary["guardians_new"] == 0
    assert students_of(school) == before_students + 3
    assert Student.objects.get(student_number=THREE_NUMBERS[0]).name == "王晓一"
    grandma = Guardianship.objects.get(student__student_number=THREE_NUMBERS[1], guardian__name="王奶奶")
    assert grandma.relationship == "maternal_grandmother"
    assert AuditEvent.objects.filter(action="student.update", changes__name=["王小一", "王晓一"]).exists()


def test_input_is_read_forgivingly(cast, client_for, run_tasks):
    """Class as 1班, 1, (1)班, 三(1)班 or 一班; dates as Excel dates or text; mobiles with spaces or +86."""
    spellings = ["1班", "1", "(1)班", "(1)班", "三(1)班", "一班", "三年级1班"]
    dates = [datetime.date(2017, 5, 12), "2017/5/12", "2017年5月12日", "2017-05-12", "20170512", "2017.5.12", 42867]
    rows = [
        row(number("20170512", 500 + i), f"学生{i}", school_class=spelling, born=born, gender="女" if i % 2 else "男",
            guardians=[family(f"家长{i}", f"139 1111 {2000 + i:04d}" if i % 2 else f"+86139111{2000 + i:05d}")])
        for i, (spelling, born) in enumerate(zip(spellings, dates, strict=True))
    ]  # fmt: skip
    rows.append(
        row(number("20170613", 99), "学生末", grade="3年级", school_class="2", guardians=[family("末家长", None)])
    )
    imp = commit(client_for("school_admin_liu"), upload_and_check(
        client_for("school_admin_liu"), cast.school_a, xlsx(rows, title="全南县城厢小学 三年级 学生花名册"), run_tasks
    ), run_tasks)  # fmt: skip
    assert imp.status == RosterImport.Status.DONE, imp.errors
    imported = Student.objects.filter(student_number__in=[number("20170512", 500 + i) for i in range(len(dates))])
    assert imported.count() == len(dates)
    assert {s.school_class_id for s in imported} == {cast.class_a1.pk}
    assert {s.birth_date for s in imported} == {datetime.date(2017, 5, 12)}
    assert Student.objects.get(student_number=number("20170613", 99)).school_class == cast.class_a2


# --- problems by row and column ----------------------------------------------------------------------------


def test_one_bad_mobile_on_row_5_makes_the_file_invalid_and_nothing_is_imported(cast, client_for, run_tasks):
    client = client_for("school_admin_liu")
    rows = [
        row(number("20180202", 100 + i), f"陈小{i}", guardians=[family(f"陈{i}", f"1391111{3000 + i}")])
        for i in range(6)
    ]
    rows[3] = set_cell(rows[3], G1_PHONE, "1391111300")  # row 5 in Excel: the header is row 1
    before = students_of(cast.school_a)

    imp = upload_and_check(client, cast.school_a, xlsx(rows), run_tasks)
    assert imp.status == RosterImport.Status.INVALID
    page = detail(client, imp)
    problems = problems_on_page(page)
    assert len(problems) == 1
    where, column, message = problems[0]
    assert shows_row(where, 5) and column == G1_PHONE and "1391111300" in message
    assert gettext("Import now") not in page

    response = client.post(reverse("directory:import_commit", args=[imp.pk]), follow=True)
    assert escape(gettext("This file cannot be imported: it has problems or is already being imported. Nothing was changed.")) in response.content.decode()  # fmt: skip
    run_tasks()
    imp.refresh_from_db()
    assert imp.status == RosterImport.Status.INVALID
    assert students_of(cast.school_a) == before


N1, N2 = number("20180303", 1), number("20180303", 2)
PROBLEM_CASES = {
    "missing name": ([set_cell(row(N1), "学生姓名", None)], 2, "学生姓名", ""),
    "bad mobile": ([row(N1, guardians=[family("赵一", "2391111000")])], 2, G1_PHONE, "2391111000"),
    "bad date": ([row(N1, born="2017-13-45")], 2, "出生日期", "2017-13-45"),
    "future date": ([row(N1, born="2099-01-01")], 2, "出生日期", "2099-01-01"),
    "bad gender": ([row(N1, gender="未知")], 2, "性别", "未知"),
    "duplicate in the file": (
        [row(N1, "甲"), row(N1, "乙")],
        3,
        "学籍号",
        N1,
    ),
    "enrolled in another school": ([row(SUN_HAO, "孙浩")], 2, "学籍号", SUN_HAO),
    "unknown class": ([row(N1, school_class="9班")], 2, "班级", "三年级9班"),
    "unknown grade": ([row(N1, grade="十年级")], 2, "年级", "十年级"),
    "one mobile, two names": (
        [
            row(N1, guardians=[family("周一", "13911114000")]),
            row(N2, guardians=[family("周二", "13911114000")]),
        ],
        3,
        G1_PHONE,
        "周一",
    ),
    "bad relationship": (
        [row(N1, guardians=[family("钱一", None, "叔叔")])],
        2,
        G1_RELATIONSHIP,
        "叔叔",
    ),
    "a guardian without a name": ([row(N1, guardians=[family(None, "13911114001")])], 2, G1_NAME, ""),
}


@pytest.mark.parametrize("case", PROBLEM_CASES)
def test_each_kind_of_problem_is_named_by_row_and_column(case, cast, client_for, run_tasks):
    rows, expected_row, expected_column, expected_text = PROBLEM_CASES[case]
    client = client_for("school_admin_liu")
    imp = upload_and_check(client, cast.school_a, xlsx(rows), run_tasks)
    assert imp.status == RosterImport.Status.INVALID
    problems = problems_on_page(detail(client, imp))
    assert any(
        shows_row(where, expected_row) and column == expected_column and escape(expected_text) in message
        for where, column, message in problems
    ), problems
    assert imp.error_count == len(imp.errors) >= 1


def test_a_student_of_another_school_is_refused_without_naming_that_school(cast, client_for, run_tasks):
    client = client_for("school_admin_liu")
    imp = upload_and_check(client, cast.school_a, xlsx([row(SUN_HAO, "孙浩")]), run_tasks)
    page = detail(client, imp)
    assert imp.status == RosterImport.Status.INVALID
    assert cast.school_b.name not in page and "第二中学" not in page


def test_a_file_with_a_thousand_problems_lists_them_by_page_with_the_total(cast, client_for, run_tasks):
    rows = [row(number(f"2018{4 + i // 900:02d}04", i % 900), born="not a date") for i in range(1200)]
    client = client_for("school_admin_liu")
    imp = upload_and_check(client, cast.school_a, xlsx(rows), run_tasks)
    assert imp.error_count == 1200 and len(imp.errors) == roster.ERRORS_KEPT
    first_page, page_two = detail(client, imp), detail(client, imp, page=2)
    assert len(problems_on_page(first_page)) == 50
    assert shows_row(problems_on_page(first_page)[0][0], 2)
    assert shows_row(problems_on_page(page_two)[0][0], 52)
    assert "1200" in first_page


# --- a moved class is a transfer ---------------------------------------------------------------------------


def test_a_student_in_another_class_is_transferred_with_history(cast, client_for, run_tasks):
    client = client_for("school_admin_liu")
    xiaoming = cast.students["zhang_xiaoming"]
    moved = row(
        xiaoming.student_number, "张小明", school_class="2班", born=xiaoming.birth_date,
        guardians=[family("张伟", "13800000031"), family("黄丽", "13800001031", "母亲", "否")],
    )  # fmt: skip
    imp = commit(client, upload_and_check(client, cast.school_a, xlsx([moved]), run_tasks), run_tasks)
    assert imp.status == RosterImport.Status.DONE
    assert imp.summary["students_transferred"] == 1
    assert imp.summary["students_new"] == 0 and imp.summary["guardians_new"] == 0
    xiaoming.refresh_from_db()
    assert xiaoming.school_class == cast.class_a2
    history = ClassHistory.objects.filter(student=xiaoming).order_by("pk").last()
    assert (history.from_class, history.to_class, history.actor) == (
        cast.class_a1,
        cast.class_a2,
        cast.school_admin_liu,
    )
    event = AuditEvent.objects.get(action="student.transfer", target_id=str(xiaoming.pk))
    assert event.changes == {"school_class": [cast.class_a1.pk, cast.class_a2.pk]}
    assert event.actor == cast.school_admin_liu
    assert xiaoming.guardianships.count() == 2


# --- files that are not a roster ---------------------------------------------------------------------------


def _damaged_inside() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook><sheets><sheet name='x' ")
    return buffer.getvalue()


def _only_a_docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def _empty_workbook() -> bytes:
    buffer = io.BytesIO()
    Workbook().save(buffer)
    return buffer.getvalue()


BAD_FILES = {
    "damaged zip": lambda: b"PK\x03\x04" + b"\x00garbage" * 50,
    "cut-off download": lambda: xlsx([row(number("20180505", 1))])[:1500],
    "damaged inside": _damaged_inside,
    "a .docx renamed": _only_a_docx,
    "a .csv renamed": lambda: "年级,班级,学生姓名\n三年级,1班,王小二\n".encode(),
    "an old .xls": lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2000,
    "an empty sheet": _empty_workbook,
    "a header without students": lambda: xlsx([]),
    "a header without 学籍号": lambda: xlsx([row("G1")[:5]], headers=[h for h in HEADERS if h != "学籍号"]),
}


@pytest.mark.parametrize("case", BAD_FILES)
def test_a_file_that_is_not_a_roster_gets_a_clear_message_and_changes_nothing(case, cast, client_for):
    data = BAD_FILES[case]()
    with pytest.raises(RosterFileError) as expected:
        roster.check_roster_file(data)
    before = students_of(cast.school_a)
    response = upload(client_for("school_admin_liu"), cast.school_a, data, name="花名册.xlsx")
    assert response.status_code == 200
    assert escape(expected.value.message) in response.content.decode()
    assert RosterImport.objects.count() == 0
    assert students_of(cast.school_a) == before
    if case == "a header without 学籍号":
        assert "学籍号" in expected.value.message


def test_an_empty_file_gets_a_clear_message(cast, client_for):
    response = upload(client_for("school_admin_liu"), cast.school_a, b"")
    assert escape(gettext("The file is empty.")) in response.content.decode()
    assert RosterImport.objects.count() == 0


def test_an_oversized_file_is_refused_before_it_is_read(cast, client_for, settings):
    settings.ROSTER_MAX_BYTES = 4096
    data = xlsx([row(number("20180606", i), f"学生{i}") for i in range(80)])
    assert len(data) > 4096
    response = upload(client_for("school_admin_liu"), cast.school_a, data)
    with pytest.raises(RosterFileError) as expected:
        roster.check_upload_size(len(data))
    assert escape(expected.value.message) in response.content.decode()
    assert RosterImport.objects.count() == 0


# --- export ------------------------------------------------------------------------------------------------


def test_the_export_neutralises_formulas_and_imports_back_unchanged(cast, client_for, run_tasks):
    school = cast.school_a
    attacker = student_create(
        actor=None, school_class=cast.class_a2, name="=cmd|' /C calc'!A0", gender="M",
        birth_date=datetime.date(2017, 1, 2), student_number=number("20170102", 101),
    )  # fmt: skip
    guardianship_add(
        actor=None, student=attacker, guardian=guardian_for_phone(name="@SUM(1+1)", phone="13911115000"),
        relationship="father", is_primary_carer=True,
    )  # fmt: skip
    # A name that a spreadsheet would run as a formula, for 陈雨 (who had no guardian yet).
    guardianship_add(
        actor=None, student=cast.students["chen_yu"], guardian=guardian_for_phone(name="-陈父", phone="13911115001"),
        relationship="father", is_primary_carer=True,
    )  # fmt: skip
    client = client_for("school_admin_liu")
    response = client.get(reverse("directory:roster_export", args=[school.pk]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert [c.value for c in sheet[1]] == HEADERS
    cells = [c for r in sheet.iter_rows(min_row=2) for c in r]
    assert all(c.data_type != "f" for c in cells)  # no formula anywhere
    values = {c.value for c in cells}
    assert "'=cmd|' /C calc'!A0" in values and "'@SUM(1+1)" in values and "'-陈父" in values
    by_number = {r[5].value: r for r in sheet.iter_rows(min_row=2)}
    assert set(by_number) == set(Student.objects.filter(school=school).values_list("student_number", flat=True))
    xiaoyu = by_number[cast.students["liu_xiaoyu"].student_number]
    assert [c.value for c in xiaoyu[:4]] == ["三年级", "1班", "刘小宇", "男"]
    assert xiaoyu[4].value.date() == datetime.date(2017, 9, 3)
    assert [c.value for c in xiaoyu[6:11]] == ["赵秀英", "13800000032", "祖母", "是", "是"]
    assert AccessEvent.objects.filter(purpose="roster_export", target_id=str(school.pk)).count() == 1

    enrolled = Student.objects.filter(school=school, status="enrolled").count()
    imp = upload_and_check(client, school, response.content, run_tasks)
    assert imp.status == RosterImport.Status.VALID, imp.errors
    assert imp.summary == {
        "students_new": 0, "students_updated": 0, "students_transferred": 0, "students_unchanged": enrolled,
        "guardians_new": 0, "guardianships_new": 0, "guardianships_updated": 0,
    }  # fmt: skip
    assert commit(client, imp, run_tasks).status == RosterImport.Status.DONE
    attacker.refresh_from_db()
    assert attacker.name == "=cmd|' /C calc'!A0"
    assert Guardian.objects.filter(name="@SUM(1+1)").count() == 1


# --- who may --------------------------------------------------------------------------------------------------

ALLOWED = {"school_admin_liu", "county_admin_chen"}
PERSONAS = ["school_admin_liu", "county_admin_chen", "school_admin_wang", "head_teacher_li", "teacher_he",
            "parent_zhang", "grandma_zhao", "expert_huang", None]  # fmt: skip


@pytest.fixture
def school_a_import(cast):
    return roster.roster_import_create(
        actor=cast.school_admin_liu, school=cast.school_a, file_name="a.xlsx", data=xlsx(THREE_CHILDREN)
    )


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(
    "view", ["roster_upload", "roster_template", "roster_export", "import_detail", "import_commit"]
)
def test_only_the_schools_admins_and_the_county_reach_its_roster(view, persona, cast, client_for, school_a_import):
    pk = school_a_import.pk if view.startswith("import_") else cast.school_a.pk
    url = reverse(f"directory:{view}", args=[pk])
    client = client_for(persona)
    response = client.post(url) if view == "import_commit" else client.get(url)
    if persona is None:
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    elif persona in ALLOWED:
        expected = 302 if view == "import_commit" else 200
        assert response.status_code == expected
        if view == "import_commit":
            assert response["Location"] == reverse("directory:import_detail", args=[pk])
    else:
        assert response.status_code == 404


@pytest.mark.parametrize(
    "persona, expected",
    [("school_admin_liu", "school_a"), ("school_admin_wang", "school_b"), ("county_admin_chen", "list"),
     ("head_teacher_li", 404), ("parent_zhang", 404), ("teacher_he", 404), (None, "login")],
)  # fmt: skip
def test_the_roster_start_page_leads_each_admin_to_their_school(persona, expected, cast, client_for):
    response = client_for(persona).get(reverse("directory:roster_import"))
    if expected == "list":
        assert response.status_code == 200
        page = response.content.decode()
        assert cast.school_a.name in page and cast.school_b.name in page
    elif expected == "login":
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    elif expected == 404:
        assert response.status_code == 404
    else:
        school = getattr(cast, expected)
        assert response.status_code == 302
        assert response["Location"] == reverse("directory:roster_upload", args=[school.pk])


def test_the_upload_page_lists_only_this_schools_imports(cast, client_for, school_a_import):
    roster.roster_import_create(
        actor=cast.school_admin_wang, school=cast.school_b, file_name="二中名单.xlsx",
        data=xlsx([row(number("20130101", 1), grade="七年级")]),
    )  # fmt: skip
    page = client_for("county_admin_chen").get(reverse("directory:roster_upload", args=[cast.school_a.pk]))
    html = page.content.decode()
    assert "a.xlsx" in html and "二中名单.xlsx" not in html


# --- the import page stays cheap ---------------------------------------------------------------------------


def _invalid_import(cast, problems: int) -> RosterImport:
    errors = [{"row": i + 2, "column": "学籍号", "message": f"问题 {i}"} for i in range(problems)]
    return RosterImport.objects.create(
        school=cast.school_a, uploaded_by=cast.school_admin_liu, file_name=f"{problems}.xlsx", file_data=b"x",
        status=RosterImport.Status.INVALID, total_rows=problems, processed_rows=problems,
        error_count=problems, errors=errors,
    )  # fmt: skip


def test_the_import_page_makes_the_same_queries_whatever_the_number_of_problems(
    cast, client_for, django_assert_max_num_queries
):
    client = client_for("school_admin_liu")
    few, many = _invalid_import(cast, 3), _invalid_import(cast, 1000)
    counts = []
    for imp, page in ((few, None), (many, None), (many, 20)):
        with CaptureQueriesContext(connection) as queries, django_assert_max_num_queries(8):
            assert len(problems_on_page(detail(client, imp, page))) in (3, 50)
        counts.append(len(queries))
    assert len(set(counts)) == 1, counts


def test_the_import_page_polls_while_checking_and_stops_when_done(cast, client_for, run_tasks, school_a_import):
    client = client_for("school_admin_liu")
    url = reverse("directory:import_detail", args=[school_a_import.pk])
    page = client.get(url).content.decode()
    assert 'hx-trigger="every 1s"' in page
    partial = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert partial.lstrip().startswith('<div id="import-panel"') and "<html" not in partial
    run_tasks()
    partial = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in partial and gettext("Import now") in partial


# --- all or nothing, once ----------------------------------------------------------------------------------


def test_a_commit_that_breaks_halfway_leaves_nothing_behind(cast, client_for, run_tasks, monkeypatch):
    client = client_for("school_admin_liu")
    imp = upload_and_check(client, cast.school_a, xlsx(THREE_CHILDREN), run_tasks)
    students, guardians = students_of(cast.school_a), Guardian.objects.count()
    events = AuditEvent.objects.filter(action__in=["student.create", "guardianship.create"]).count()
    real_audit_bulk = roster.apply.audit_bulk

    def audit_bulk_that_breaks(*, action, **kwargs):
        if action == "guardianship.create":  # after the students and guardians were written
            raise RuntimeError("disk full")
        real_audit_bulk(action=action, **kwargs)

    monkeypatch.setattr(roster.apply, "audit_bulk", audit_bulk_that_breaks)
    imp = commit(client, imp, run_tasks)
    assert imp.status == RosterImport.Status.FAILED
    assert escape(imp.message) in detail(client, imp)
    assert students_of(cast.school_a) == students
    assert Guardian.objects.count() == guardians
    assert not ClassHistory.objects.filter(student__student_number__in=THREE_NUMBERS).exists()
    assert AuditEvent.objects.filter(action__in=["student.create", "guardianship.create"]).count() == events


def test_a_commit_job_that_runs_twice_imports_once(cast, client_for, run_tasks):
    from xieyu.directory.tasks import commit_roster_import

    client = client_for("school_admin_liu")
    imp = upload_and_check(client, cast.school_a, xlsx(THREE_CHILDREN), run_tasks)
    before = students_of(cast.school_a)
    client.post(reverse("directory:import_commit", args=[imp.pk]))
    client.post(reverse("directory:import_commit", args=[imp.pk]))  # a double click queues nothing more
    commit_roster_import.enqueue(imp.pk)  # a job run again after a restart
    run_tasks()
    imp.refresh_from_db()
    assert imp.status == RosterImport.Status.DONE
    assert students_of(cast.school_a) == before + 3
    assert AuditEvent.objects.filter(action="roster_import.commit").count() == 1


def test_the_commit_checks_the_database_again(cast, client_for, run_tasks):
    """Between the check and the commit, 全南二中 enrolled a child with one of the file's student numbers."""
    client = client_for("school_admin_liu")
    imp = upload_and_check(client, cast.school_a, xlsx(THREE_CHILDREN), run_tasks)
    assert imp.status == RosterImport.Status.VALID
    student_create(
        actor=None, school_class=cast.class_b1, name="王小一", gender="M", birth_date=datetime.date(2013, 1, 1),
        student_number=THREE_NUMBERS[0],
    )  # fmt: skip
    before = students_of(cast.school_a)
    imp = commit(client, imp, run_tasks)
    assert imp.status == RosterImport.Status.INVALID
    assert [(p["row"], p["column"]) for p in imp.errors] == [(2, "学籍号")]
    assert students_of(cast.school_a) == before
