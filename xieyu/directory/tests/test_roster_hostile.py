"""Roster files that would do harm if read naively, and the school's own export, read as a school admin's story.

A mistyped mobile number must not bind another family's guardian to a child; a student number is a national one
or nothing; a zip that unpacks to hundreds of megabytes, a formula, a help sheet moved first are each named
for what they are. A file with one bad row imports no row, and the school's own export imports back unchanged.
"""

from __future__ import annotations

import io
import zipfile

import pytest
from django.urls import reverse
from django.utils.html import escape
from openpyxl import Workbook, load_workbook

from xieyu.audit.models import AuditEvent
from xieyu.demo.county import seed_bulk
from xieyu.directory import roster
from xieyu.directory.access import children_of
from xieyu.directory.models import ClassHistory, Guardian, Guardianship, RosterImport, Student
from xieyu.directory.roster.format import student_number_problem
from xieyu.directory.services import guardianship_request, student_transfer

from .roster_files import Formula, excel_like_xlsx, number, row, xlsx
from .test_roster import (
    G1_PHONE,
    commit,
    detail,
    family,
    problems_on_page,
    shows_row,
    upload,
    upload_and_check,
)

S = RosterImport.Status
NEW_PUPIL = number("20170821", 301)


def directory_state() -> dict[str, list]:
    """Everything a roster import may write, as it stands."""
    return {
        "students": list(
            Student.objects.order_by("pk").values_list(
                "pk", "name", "gender", "birth_date", "student_number", "school_id", "school_class_id", "status"
            )
        ),
        "guardians": list(Guardian.objects.order_by("pk").values_list("pk", "name", "phone", "user_id")),
        "guardianships": list(
            Guardianship.objects.order_by("pk").values_list(
                "pk", "student_id", "guardian_id", "relationship", "is_primary_carer", "lives_with_child", "status"
            )
        ),
        "class_history": list(ClassHistory.objects.order_by("pk").values_list("pk", flat=True)),
        "audit": list(
            AuditEvent.objects.filter(action__regex=r"^(student|guardian|guardianship)\.")
            .order_by("pk")
            .values_list("pk", flat=True)
        ),
    }


def refused(client, school, data: bytes, run_tasks) -> tuple[RosterImport, list[tuple[str, str, str]]]:
    """Upload and check a file that must be refused; asking to import it anyway changes nothing."""
    before = directory_state()
    imp = upload_and_check(client, school, data, run_tasks)
    assert imp.status == S.INVALID, imp.errors or imp.message
    page = detail(client, imp)
    client.post(reverse("directory:import_commit", args=[imp.pk]))
    run_tasks()
    imp.refresh_from_db()
    assert imp.status == S.INVALID
    assert directory_state() == before
    return imp, problems_on_page(page)


def only_problem(problems, row_number: int, column: str) -> str:
    assert len(problems) == 1, problems
    where, shown_column, message = problems[0]
    assert shows_row(where, row_number) and shown_column == column, problems[0]
    return message


@pytest.fixture
def admin(client_for):
    return client_for("school_admin_liu")


# --- a mobile number is a person ---------------------------------------------------------------------------


def test_a_mistyped_mobile_of_another_familys_guardian_is_named_and_binds_no_one(cast, admin, run_tasks):
    """Row 3 meant 13800000014 and typed 孙丽's number (孙浩's mother at 全南二中)."""
    rows = [
        row(number("20170821", 302), "周小雨", guardians=[family("周建", "13911117001")]),
        row(NEW_PUPIL, "周小云", guardians=[family("周建", "13911117001"), family("孙莉", "13800000041", "母亲")]),
    ]
    imp, problems = refused(admin, cast.school_a, xlsx(rows), run_tasks)
    message = only_problem(problems, 3, "监护人2手机")
    assert "手机号 138****0041 已是另一家庭监护人 孙* 的号码" in message
    assert "班级邀请码" in message  # what to do instead
    assert "13800000041" not in message and "孙丽" not in message  # masked: she is not this school's to show
    assert imp.error_count == 1
    assert not children_of(cast.parent_sun).filter(name="周小云").exists()


def test_another_familys_guardian_is_refused_even_under_the_right_name(cast, admin, run_tasks):
    """The school cannot bind 张伟 to a new pupil it says is 张小明's sister: he asks for her himself."""
    sister = row(NEW_PUPIL, "张小红", gender="女", guardians=[family("张伟", "13800000031")])
    _imp, problems = refused(admin, cast.school_a, xlsx([sister]), run_tasks)
    assert "已是另一家庭监护人 张* 的号码" in only_problem(problems, 2, G1_PHONE)

    # Without him the row imports; he then asks to join for her, and the head teacher decides.
    without = row(NEW_PUPIL, "张小红", gender="女", guardians=[])
    imp = commit(admin, upload_and_check(admin, cast.school_a, xlsx([without]), run_tasks), run_tasks)
    assert imp.status == S.DONE and imp.summary["guardianships_new"] == 0
    xiaohong = Student.objects.get(school=cast.school_a, student_number=NEW_PUPIL)
    assert not xiaohong.guardianships.exists()
    zhang_wei = Guardian.objects.get(phone="13800000031")
    request, _created = guardianship_request(
        actor=cast.parent_zhang, student=xiaohong, guardian=zhang_wei, relationship="father"
    )
    assert request.status == Guardianship.Status.PENDING
    assert xiaohong not in children_of(cast.parent_zhang)  # until the head teacher confirms


@pytest.mark.parametrize(
    "guardian, masked",
    [
        (family("张三", "13800000031"), "张*"),  # 张小明's own father is 张伟 on record
        (family("王芳", "13800000013"), "何*"),  # the number of 何静's account (a teacher, no guardian record)
    ],
    ids=["own guardian under another name", "an account under another name"],
)
def test_a_mobile_on_record_under_another_name_is_named(cast, admin, run_tasks, guardian, masked):
    xiaoming = cast.students["zhang_xiaoming"]
    again = row(xiaoming.student_number, "张小明", born=xiaoming.birth_date, guardians=[guardian])
    _imp, problems = refused(admin, cast.school_a, xlsx([again]), run_tasks)
    message = only_problem(problems, 2, G1_PHONE)
    assert f"已是 {masked} 的号码" in message and guardian[1] not in message


def test_one_refused_guardian_keeps_every_row_of_the_file_out(cast, admin, run_tasks):
    rows = [row(number("20170901", 100 + i), f"林小{i}", guardians=[family(f"林{i}", f"1391111{8000 + i}")]) for i in range(5)]  # fmt: skip
    rows[3] = row(number("20170901", 103), "林小3", guardians=[family("林三", "13800000032")])  # 赵秀英's number
    _imp, problems = refused(admin, cast.school_a, xlsx(rows), run_tasks)
    assert "另一家庭监护人 赵* " in only_problem(problems, 5, G1_PHONE)
    assert not Student.objects.filter(name__startswith="林小").exists()


def test_a_pupil_moving_on_keeps_the_guardians_bound_to_them_at_the_last_school(cast, client_for, run_tasks):
    """孙浩 leaves 全南二中; 城厢小学 enrols him under the same 学籍号, with his mother 孙丽: the same child."""
    sun_hao = cast.students["sun_hao"]
    student_transfer(actor=cast.school_admin_wang, student=sun_hao, to_class=None, note="transferred out")
    client = client_for("school_admin_liu")
    moved = row(
        sun_hao.student_number, "孙浩", born=sun_hao.birth_date, guardians=[family("孙丽", "13800000041", "母亲")]
    )
    imp = commit(client, upload_and_check(client, cast.school_a, xlsx([moved]), run_tasks), run_tasks)
    assert imp.status == S.DONE, imp.errors
    here = Student.objects.get(school=cast.school_a, student_number=sun_hao.student_number)
    assert here.guardianships.get().guardian.phone == "13800000041"
    assert here in children_of(cast.parent_sun)


def test_an_account_holder_of_the_same_name_is_bound_as_before(cast, admin, run_tasks):
    """何静 (a teacher, no guardian record yet) is named with her own number: she is this pupil's mother."""
    pupil = row(NEW_PUPIL, "何小溪", gender="女", guardians=[family("何静", "13800000013", "母亲")])
    imp = commit(admin, upload_and_check(admin, cast.school_a, xlsx([pupil]), run_tasks), run_tasks)
    assert imp.status == S.DONE, imp.errors
    assert Guardian.objects.get(phone="13800000013").guardianships.get().student.name == "何小溪"


# --- the 学籍号 -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, says",
    [
        ("待补", "“待补”不是全国学籍号"),
        ("G3607292017082130", "不是全国学籍号"),  # too short
        ("360729201708213015", "不是全国学籍号"),  # the identity number without its G
        ("G360729201713213010", "不是全国学籍号"),  # month 13
        (NEW_PUPIL[:-1] + ("1" if NEW_PUPIL[-1] != "1" else "2"), "校验位不符"),  # one character changed
    ],
    ids=["placeholder", "too short", "no G", "no such date", "check character"],
)
def test_a_student_number_is_national_or_empty(cast, admin, run_tasks, value, says):
    _imp, problems = refused(admin, cast.school_a, xlsx([row(value, "吴小北")]), run_tasks)
    assert says in only_problem(problems, 2, "学籍号")


def test_a_student_number_is_read_as_typed_in_any_case_and_width(cast):
    """Full-width digits, a small g and x, a space: the same number."""
    first17 = next(f"36072920170821{k:03d}" for k in range(1000) if number("20170821", k).endswith("X"))
    plain = f"G{first17}X"
    assert student_number_problem(plain) is None
    typed = "g" + "".join(chr(ord(c) + 0xFEE0) for c in first17[:6]) + " " + first17[6:] + "x"
    parsed = roster.read_roster(xlsx([row(typed, "吴小西")]), cast.school_a)
    assert [r.student_number for r in parsed.rows] == [plain], parsed.problems.items


def test_students_without_a_number_yet_import_and_are_found_again_by_name_and_birth_date(cast, admin, run_tasks):
    september = [
        row("", "新生甲", born="2019-03-01", guardians=[]),
        row("", "新生乙", born="2019-04-02", guardians=[family("乙妈妈", "13911119002", "母亲")]),
    ]
    imp = commit(admin, upload_and_check(admin, cast.school_a, xlsx(september), run_tasks), run_tasks)
    assert imp.status == S.DONE, imp.errors
    assert Student.objects.filter(school=cast.school_a, student_number="").count() == 2

    again = upload_and_check(admin, cast.school_a, xlsx(september), run_tasks)
    assert again.status == S.VALID and again.summary["students_new"] == 0
    assert again.summary["students_unchanged"] == 2 and again.summary["guardianships_new"] == 0

    # The numbers come in October: the same two students take them.
    october = [row(number("20190301", 2), "新生甲", born="2019-03-01", guardians=[]), september[1]]
    done = commit(admin, upload_and_check(admin, cast.school_a, xlsx(october), run_tasks), run_tasks)
    assert done.summary["students_new"] == 0 and done.summary["students_updated"] == 1
    jia = Student.objects.get(school=cast.school_a, name="新生甲")
    assert jia.student_number == number("20190301", 2)
    assert AuditEvent.objects.filter(
        action="student.update", target_id=str(jia.pk), changes__student_number=["", jia.student_number]
    ).exists()


def test_two_students_without_a_number_and_with_one_name_and_birth_date_are_named(cast, admin, run_tasks):
    twins = [row("", "新生丙", born="2019-05-05"), row("", "新生丙", born="2019-05-05")]
    _imp, problems = refused(admin, cast.school_a, xlsx(twins), run_tasks)
    assert "第 2 行" in only_problem(problems, 3, "学籍号")


def test_the_demo_generates_only_national_student_numbers(cast):
    seed_bulk(cast, schools=1, students=60)
    numbers = list(Student.objects.values_list("student_number", flat=True))
    assert len(numbers) == 7 + 60
    assert [n for n in numbers if student_number_problem(n) is not None] == []


# --- the file as a whole -----------------------------------------------------------------------------------


def _zip_bomb(unpacked_mb: int) -> bytes:
    """A real roster plus one entry of zeros: about a thousandth of its unpacked size, made in a moment."""
    buffer = io.BytesIO(xlsx([row(NEW_PUPIL, "吴小南")]))
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        with archive.open("xl/media/image1.bin", "w", force_zip64=True) as entry:
            megabyte = bytes(1 << 20)
            for _ in range(unpacked_mb):
                entry.write(megabyte)
    return buffer.getvalue()


def test_a_small_file_that_unpacks_to_hundreds_of_megabytes_is_refused_for_that(cast, admin, settings):
    data = _zip_bomb(300)
    assert len(data) < 2 * 1024 * 1024 < settings.ROSTER_MAX_BYTES  # small enough to upload
    response = upload(admin, cast.school_a, data)
    page = response.content.decode()
    assert response.status_code == 200
    assert escape("文件解压后超过 150 MB,可能不是正常的花名册") in page
    assert "文件超过 20 MB" not in page
    assert RosterImport.objects.count() == 0


def test_the_unpacked_limit_is_a_setting(cast, settings):
    settings.ROSTER_MAX_UNPACKED_BYTES = 4 * 1024 * 1024
    with pytest.raises(roster.RosterFileError) as refused_file:
        roster.check_roster_file(_zip_bomb(5))
    assert "文件解压后超过 4 MB" in refused_file.value.message
    assert roster.check_roster_file(_zip_bomb(3)) >= 0  # under the limit it is read as usual


def test_a_formula_is_named_as_a_formula_and_neither_its_value_nor_its_text_is_read(cast, admin, run_tasks):
    """Excel saved each formula with the value it showed: a birth date and a name computed from other cells."""
    rows = [
        row(number("20170821", 303), "吴小东", born=Formula("DATE(2017,8,21)", 42968)),
        row(number("20170821", 305), Formula('CONCATENATE("吴","小中")', "吴小中"), guardians=[family("吴中", None)]),
        row(number("20170821", 307), "吴小西"),
    ]
    _imp, problems = refused(admin, cast.school_a, excel_like_xlsx(rows), run_tasks)
    assert len(problems) == 2
    (where, column, message), (where_2, column_2, message_2) = problems
    assert shows_row(where, 2) and column == "出生日期"
    assert "“出生日期”是公式,请复制该列后“选择性粘贴为数值”" in message
    assert "DATE" not in message and "2017-08-21" not in message
    assert shows_row(where_2, 3) and column_2 == "学生姓名" and "“学生姓名”是公式" in message_2
    assert not Student.objects.filter(name__startswith="吴小").exists()


def test_the_help_sheet_may_come_first(cast, admin, run_tasks):
    template = admin.get(reverse("directory:roster_template", args=[cast.school_a.pk])).content
    workbook = load_workbook(io.BytesIO(template))
    roster_sheet, help_sheet = workbook.worksheets
    workbook.move_sheet(help_sheet, offset=-1)
    assert workbook.worksheets[0].title == "填写说明"
    roster_sheet.append(row(NEW_PUPIL, "吴小天", guardians=[family("吴刚", "13911110009")]))
    buffer = io.BytesIO()
    workbook.save(buffer)
    imp = commit(admin, upload_and_check(admin, cast.school_a, buffer.getvalue(), run_tasks), run_tasks)
    assert imp.status == S.DONE, imp.errors or imp.message
    assert Student.objects.get(school=cast.school_a, student_number=NEW_PUPIL).name == "吴小天"


def test_a_file_whose_sheets_all_lack_the_header_says_which_columns_are_missing(cast):
    workbook = Workbook()
    workbook.active.append(["说明", "请按模板填写"])
    data_sheet = workbook.create_sheet("名单")
    data_sheet.append(["年级", "班级", "学生姓名", "性别", "出生日期"])
    data_sheet.append(["三年级", "1班", "吴小天", "男", "2017-05-12"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(roster.RosterFileError) as refused_file:
        roster.check_roster_file(buffer.getvalue())
    assert "缺少列:学籍号" in refused_file.value.message


# --- the school's own export ---------------------------------------------------------------------------------


@pytest.mark.parametrize("bulk", [0, 200], ids=["the cast", "the cast and generated families"])
def test_the_schools_own_export_imports_back_with_no_problem_and_no_change(cast, admin, run_tasks, bulk):
    """陈雨 has no guardian yet, 钱多多's grandmother no phone; generated households share parents between
    siblings, some in the other school, and some grandparents have no phone either."""
    if bulk:
        seed_bulk(cast, schools=1, students=bulk)
    school = cast.school_a
    chen_yu = cast.students["chen_yu"]
    assert not chen_yu.guardianships.filter(status=Guardianship.Status.CONFIRMED).exists()
    export = admin.get(reverse("directory:roster_export", args=[school.pk])).content
    sheet = load_workbook(io.BytesIO(export)).worksheets[0]
    exported = {r[5].value: r for r in sheet.iter_rows(min_row=2)}
    assert all(c.value in (None, "") for c in exported[chen_yu.student_number][6:])  # empty guardian columns
    before = directory_state()

    imp = upload_and_check(admin, school, export, run_tasks)
    assert imp.status == S.VALID and imp.errors == [], imp.errors[:5]
    enrolled = Student.objects.filter(school=school, status=Student.Status.ENROLLED).count()
    assert enrolled == len(exported) >= (60 if bulk else 5)
    assert imp.summary == {
        "students_new": 0, "students_updated": 0, "students_transferred": 0, "students_unchanged": enrolled,
        "guardians_new": 0, "guardianships_new": 0, "guardianships_updated": 0,
    }  # fmt: skip
    assert commit(admin, imp, run_tasks).status == S.DONE
    assert directory_state() == before
