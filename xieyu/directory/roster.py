"""Roster import and export: the .xlsx template, reading and checking a school's file, committing it.

A school's roster lives in Excel. One row is one student with up to four guardians; the column headers are
Chinese by design (they are the data format, like the file itself), so they are constants here, not msgids.

The flow (views in roster_views.py, jobs in tasks.py):

1. ``roster_import_create`` — the upload: cheap checks of the file (size, real .xlsx, header row, not empty);
   a bad file gets a clear message and nothing is stored. A good one becomes a ``RosterImport`` row and a
   validation job, in one transaction.
2. ``roster_import_validate`` (worker) — reads every row, names every problem by row and column, checks the
   file against the database (a 学籍号 enrolled in another school) and counts what a commit would change.
3. ``roster_import_commit_request`` — a school admin asks to import a valid file: the row is claimed with a
   conditional update (valid → committing) and a commit job is queued, so a double click queues nothing.
4. ``roster_import_commit`` (worker) — re-reads the file, re-checks it against the database, and writes all of
   it in ONE transaction with bulk operations (students, class history, guardians, guardianships, audit rows).
   Any problem rolls everything back. Re-importing the same file updates and never duplicates: students match
   by (school, 学籍号), guardians by mobile number, guardians without a phone by name within the student.
5. ``roster_import_recover`` (a scheduler job every five minutes, and the commit button) — a worker that dies
   mid-check or mid-commit leaves its claim behind (``claimed_at``, renewed by a check's progress). Once older
   than ``settings.ROSTER_STALE_SECONDS`` (15 minutes), a check is queued again and a commit, whose transaction
   rolled back, goes back to valid with a note, to be committed again. Conditional updates: never twice.
"""

from __future__ import annotations

import datetime
import io
import json
import logging
import re
import time
import unicodedata
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel
from openpyxl.worksheet.datavalidation import DataValidation

from xieyu.audit.services import access_record, audit_bulk, audit_record, diff

from .access import schools_managed_by
from .models import (
    ClassHistory,
    Grade,
    Guardian,
    Guardianship,
    Relationship,
    RosterImport,
    School,
    SchoolClass,
    Student,
)
from .services import GRADE_NAMES, GUARDIANSHIP_FIELDS, STUDENT_FIELDS

log = logging.getLogger(__name__)

# --- the file format ---------------------------------------------------------------------------------------

COL_GRADE = "年级"
COL_CLASS = "班级"
COL_NAME = "学生姓名"
COL_GENDER = "性别"
COL_BIRTH = "出生日期"
COL_NUMBER = "学籍号"
STUDENT_COLUMNS = (COL_GRADE, COL_CLASS, COL_NAME, COL_GENDER, COL_BIRTH, COL_NUMBER)

GUARDIAN_SLOTS = 4
PART_NAME, PART_PHONE, PART_RELATIONSHIP, PART_PRIMARY, PART_LIVES = "姓名", "手机", "关系", "主要照料人", "同住"
GUARDIAN_PARTS = (PART_NAME, PART_PHONE, PART_RELATIONSHIP, PART_PRIMARY, PART_LIVES)


def guardian_column(slot: int, part: str) -> str:
    """监护人1姓名, 监护人1手机 … 监护人4同住."""
    return f"监护人{slot}{part}"


HEADERS = [
    *STUDENT_COLUMNS,
    *(guardian_column(k, part) for k in range(1, GUARDIAN_SLOTS + 1) for part in GUARDIAN_PARTS),
]
SHEET_ROSTER = "学生名单"
SHEET_HELP = "填写说明"

GENDER_LABELS = {Student.Gender.MALE: "男", Student.Gender.FEMALE: "女"}
GENDERS = {"男": "M", "女": "F", "男生": "M", "女生": "F", "M": "M", "F": "F"}
RELATIONSHIP_LABELS = {
    Relationship.FATHER: "父亲",
    Relationship.MOTHER: "母亲",
    Relationship.GRANDFATHER: "祖父",
    Relationship.GRANDMOTHER: "祖母",
    Relationship.MATERNAL_GRANDFATHER: "外祖父",
    Relationship.MATERNAL_GRANDMOTHER: "外祖母",
    Relationship.OTHER: "其他监护人",
}
RELATIONSHIPS = {label: value.value for value, label in RELATIONSHIP_LABELS.items()} | {
    "爸爸": "father", "妈妈": "mother", "爷爷": "grandfather", "奶奶": "grandmother",
    "外公": "maternal_grandfather", "姥爷": "maternal_grandfather",
    "外婆": "maternal_grandmother", "姥姥": "maternal_grandmother", "其他": "other",
}  # fmt: skip
YES, NO = "是", "否"
BOOLEANS = {"是": True, "否": False, "Y": True, "N": False, "YES": True, "NO": False, "TRUE": True, "FALSE": False}
BOOLEANS |= {"√": True, "×": False}

PHONE_RE = re.compile(r"^1[3-9]\d{9}$")
DATE_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")
COMPACT_DATE_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
EARLIEST_BIRTH = datetime.date(1990, 1, 1)
MAX_LENGTHS = {COL_NAME: 50, COL_NUMBER: 30, PART_NAME: 50}

# Spreadsheet programs run a cell that begins with one of these as a formula (CSV/formula injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

MAX_ROWS = 50_000  # a whole county has about 30,000 students
MAX_UNZIPPED_BYTES = 250 * 1024 * 1024  # guards against zip bombs (Excel compresses about tenfold)
HEADER_SCAN_ROWS = 10  # the header may sit under a title row or two
ERRORS_KEPT = 1000  # problems stored per import; the total is counted
PROGRESS_EVERY = 1000  # rows between progress writes
LOOKUP_CHUNK = 900  # ids per IN (…) query; SQLite allows 999 parameters by default

CN_DIGITS = "一二三四五六七八九"


def _cn_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 21 → 二十一 (up to 99)."""
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else CN_DIGITS[tens - 1] + "十")
    return head + (CN_DIGITS[ones - 1] if ones else "")


CN_NUMBERS = {_cn_number(n): n for n in range(1, 100)}


class RosterFileError(Exception):
    """The file as a whole cannot be read: wrong type, damaged, empty, too large or not our template."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class NotCommittable(Exception):
    """Only a valid import can be committed."""


# --- reading cells -----------------------------------------------------------------------------------------


def _text(value: Any) -> str:
    """A cell as trimmed text; integral numbers without ".0"; an export's neutralising apostrophe removed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        value = value.date() if value.time() == datetime.time() else value
    text = " ".join(str(value).replace("\u3000", " ").split())
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_STARTS:
        text = text[1:]
    return text


def _header_name(value: Any) -> str:
    text = unicodedata.normalize("NFKC", _text(value))
    for mark in ("(必填)", "(选填)", "*"):
        text = text.replace(mark, "")
    return "".join(text.split())


def _phone(value: Any) -> str:
    text = re.sub(r"[\s\-()]", "", unicodedata.normalize("NFKC", _text(value)))
    if text.startswith("+86"):
        text = text[3:]
    elif len(text) == 13 and text.startswith("86"):
        text = text[2:]
    return text


def _date(value: Any) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if float(value).is_integer() and 19000101 <= value <= 21001231:
            value = str(int(value))
        elif 1 <= value < 80000:  # an Excel serial day number in a cell without a date format
            try:
                return from_excel(value).date()
            except (ValueError, OverflowError):
                return None
    text = unicodedata.normalize("NFKC", _text(value))
    match = DATE_RE.match(text) or COMPACT_DATE_RE.match(text)
    if not match:
        return None
    try:
        return datetime.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def _grade_aliases(level: int, name: str) -> set[str]:
    """三年级 is also 3年级; 七年级 is also 初一 and 7年级; 高一 is also 10年级."""
    aliases = {name, GRADE_NAMES.get(level, name)}
    if level >= 1:
        aliases |= {f"{level}年级", f"{_cn_number(level)}年级"}
    if 7 <= level <= 9:
        aliases.add(f"初{_cn_number(level - 6)}")
    if 10 <= level <= 12:
        aliases |= {f"高{_cn_number(level - 9)}", f"高中{_cn_number(level - 9)}年级"}
    return {"".join(unicodedata.normalize("NFKC", a).split()) for a in aliases}


def _class_key(text: str, grade_prefixes: Iterable[str] = (), numeral: str = "") -> str:
    """1班, 1, (1)班, (1)班, 一班, 01班, 三年级1班 and 三(1)班 (in 三年级) all give "1"; 三班 gives "3"."""
    key = "".join(unicodedata.normalize("NFKC", text).split())
    for prefix in sorted(grade_prefixes, key=len, reverse=True):
        if prefix and key.startswith(prefix) and len(key) > len(prefix):
            key = key[len(prefix) :]
            break
    if numeral and key.startswith(numeral) and len(key) > len(numeral) and key[len(numeral)] in "([【0123456789":
        key = key[len(numeral) :]
    key = key.translate(str.maketrans("", "", "()[]【】{}"))
    if key.endswith("班"):
        key = key[:-1]
    if key in CN_NUMBERS:
        key = str(CN_NUMBERS[key])
    if key.isdigit():
        key = str(int(key))
    return key


# --- the parsed rows ---------------------------------------------------------------------------------------


@dataclass(slots=True)
class GuardianRow:
    slot: int
    name: str
    phone: str | None
    relationship: str
    is_primary_carer: bool
    lives_with_child: bool


@dataclass(slots=True)
class StudentRow:
    row: int  # the row number the user sees in Excel
    class_id: int
    name: str
    gender: str
    birth_date: datetime.date
    student_number: str
    guardians: list[GuardianRow]


class Problems:
    """Problems by row and column; the first ERRORS_KEPT are kept, all are counted."""

    def __init__(self) -> None:
        self.items: list[dict[str, Any]] = []
        self.count = 0

    def add(self, row: int | None, column: str, message: str) -> None:
        self.count += 1
        if len(self.items) < ERRORS_KEPT:
            self.items.append({"row": row, "column": column, "message": str(message)})

    def __bool__(self) -> bool:
        return self.count > 0

    def sorted(self) -> list[dict[str, Any]]:
        return sorted(
            self.items, key=lambda p: (p["row"] or 0, HEADERS.index(p["column"]) if p["column"] in HEADERS else 99)
        )


@dataclass
class Parsed:
    rows: list[StudentRow] = field(default_factory=list)
    problems: Problems = field(default_factory=Problems)
    total: int = 0


class _ClassFinder:
    """The school's grades and classes, matched forgivingly by grade name and class name."""

    def __init__(self, school: School):
        self.grades: dict[str, int] = {}
        self.prefixes: dict[int, set[str]] = {}
        self.numerals: dict[int, str] = {}
        for grade in Grade.objects.filter(school=school):
            aliases = _grade_aliases(grade.level, grade.name)
            self.prefixes[grade.pk] = aliases
            self.numerals[grade.pk] = _cn_number(grade.level) if grade.level >= 1 else ""
            for alias in aliases:
                self.grades.setdefault(alias, grade.pk)
        self.exact: dict[tuple[int, str], int] = {}
        self.loose: dict[tuple[int, str], int] = {}
        for pk, grade_id, name in SchoolClass.objects.filter(school=school).values_list("pk", "grade_id", "name"):
            self.exact[(grade_id, "".join(unicodedata.normalize("NFKC", name).split()))] = pk
            self.loose.setdefault((grade_id, self.key(grade_id, name)), pk)

    def grade(self, text: str) -> int | None:
        return self.grades.get("".join(unicodedata.normalize("NFKC", text).split()))

    def school_class(self, grade_id: int, text: str) -> int | None:
        exact = self.exact.get((grade_id, "".join(unicodedata.normalize("NFKC", text).split())))
        if exact is not None:
            return exact
        return self.loose.get((grade_id, self.key(grade_id, text)))

    def key(self, grade_id: int, text: str) -> str:
        return _class_key(text, self.prefixes.get(grade_id, ()), self.numerals.get(grade_id, ""))


# --- opening a file ----------------------------------------------------------------------------------------


def _max_megabytes() -> int:
    return max(1, settings.ROSTER_MAX_BYTES // (1024 * 1024))


def check_upload_size(size: int) -> None:
    if size > settings.ROSTER_MAX_BYTES:
        raise RosterFileError(
            _("The file is larger than %(max)s MB. Split the roster into several files and upload them one by one.")
            % {"max": _max_megabytes()}
        )
    if size == 0:
        raise RosterFileError(_("The file is empty."))


def _open_workbook(data: bytes):
    """The workbook in read-only mode, or a clear RosterFileError."""
    check_upload_size(len(data))
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise RosterFileError(
            _(
                "This is an old Excel 97-2003 (.xls) file. Open it in Excel or WPS, save it as "
                "“Excel workbook (*.xlsx)” and upload that file."
            )
        )
    if not data.startswith(b"PK"):
        raise RosterFileError(
            _(
                "This is not an Excel .xlsx file (perhaps a .csv, .xls or other file renamed). Open it in Excel "
                "or WPS, save it as “Excel workbook (*.xlsx)” and upload that file."
            )
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            unzipped = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise RosterFileError(_damaged()) from exc
    if "xl/workbook.xml" not in names:
        raise RosterFileError(
            _(
                "This is not an Excel .xlsx file (perhaps a .csv, .xls or other file renamed). Open it in Excel "
                "or WPS, save it as “Excel workbook (*.xlsx)” and upload that file."
            )
        )
    if unzipped > MAX_UNZIPPED_BYTES:
        raise RosterFileError(
            _("The file is larger than %(max)s MB. Split the roster into several files and upload them one by one.")
            % {"max": _max_megabytes()}
        )
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds (KeyError, XML errors, ValueError …) on a damaged file
        log.info("roster file cannot be opened: %r", exc)
        raise RosterFileError(_damaged()) from exc
    if not workbook.worksheets:
        workbook.close()
        raise RosterFileError(_("The file has no worksheet."))
    return workbook


def _damaged() -> str:
    return _(
        "The file is damaged and cannot be opened. Open it in Excel or WPS, save it again as “Excel workbook "
        "(*.xlsx)” and upload it once more."
    )


@dataclass
class _Layout:
    header_row: int
    columns: dict[str, int]  # header → 0-based position
    slots: list[int]  # guardian slots present in the file
    width: int
    estimated_rows: int | None


def _layout(sheet) -> _Layout:
    """Find the header row (the first of the top rows naming 学生姓名 and 学籍号) and check its columns."""
    estimated_max_row = sheet.max_row
    sheet.reset_dimensions()  # some programs write a wrong size; never trust it for reading
    first: dict[str, int] | None = None
    for index, values in enumerate(sheet.iter_rows(min_row=1, max_row=HEADER_SCAN_ROWS, values_only=True), start=1):
        names: dict[str, int] = {}
        for position, value in enumerate(values):
            name = _header_name(value)
            if name:
                names.setdefault(name, position)
        if names and first is None:
            first = names
        if COL_NAME in names and COL_NUMBER in names:
            return _check_layout(index, names, estimated_max_row)
    if first is None:
        raise RosterFileError(_("The first worksheet is empty: it has no header row and no students."))
    return _check_layout(None, first, estimated_max_row)


def _check_layout(header_row: int | None, names: dict[str, int], estimated_max_row: int | None) -> _Layout:
    required = list(STUDENT_COLUMNS) + [guardian_column(1, part) for part in GUARDIAN_PARTS]
    slots = [1]
    for k in range(2, GUARDIAN_SLOTS + 1):
        group = [guardian_column(k, part) for part in GUARDIAN_PARTS]
        if any(column in names for column in group):
            required += group
            slots.append(k)
    missing = [column for column in required if column not in names]
    if missing or header_row is None:
        raise RosterFileError(
            _(
                "The header row does not match the template. Missing column(s): %(columns)s. Download the "
                "template, copy your data into it and upload it again."
            )
            % {"columns": "、".join(missing)}
        )
    width = max(names[column] for column in required) + 1
    estimate = estimated_max_row - header_row if estimated_max_row and estimated_max_row > header_row else None
    return _Layout(header_row, names, slots, width, estimate)


def _data_rows(sheet, layout: _Layout) -> Iterator[tuple[int, tuple]]:
    """(Excel row number, values) for every row under the header that has anything in it."""
    start = layout.header_row + 1
    for number, values in enumerate(
        sheet.iter_rows(min_row=start, max_col=layout.width, values_only=True), start=start
    ):
        if any(v is not None and (not isinstance(v, str) or v.strip()) for v in values):
            yield number, values


def check_roster_file(data: bytes) -> int:
    """The cheap checks at upload (type, damage, header, at least one student row); the rows' estimated count.

    Raises RosterFileError with a clear message for the user.
    """
    workbook = _open_workbook(data)
    try:
        sheet = workbook.worksheets[0]
        try:
            layout = _layout(sheet)
            first = next(_data_rows(sheet, layout), None)
        except RosterFileError:
            raise
        except Exception as exc:  # a damaged sheet inside a sound zip
            log.info("roster sheet cannot be read: %r", exc)
            raise RosterFileError(_damaged()) from exc
        if first is None:
            raise RosterFileError(_("The file has a header row but no students under it."))
        return layout.estimated_rows or 0
    finally:
        workbook.close()


# --- reading and checking the rows -------------------------------------------------------------------------


class _RowReader:
    """Turns the rows of one sheet into StudentRows, naming every problem by row and column."""

    def __init__(self, school: School, layout: _Layout):
        self.layout = layout
        self.classes = _ClassFinder(school)
        self.problems = Problems()
        self.numbers: dict[str, int] = {}  # 学籍号 → first row
        self.phones: dict[str, tuple[str, int]] = {}  # mobile → (guardian name, first row)
        self.today = timezone.localdate()

    def cell(self, values: tuple, column: str) -> Any:
        position = self.layout.columns.get(column)
        return values[position] if position is not None and position < len(values) else None

    def required_text(self, row: int, values: tuple, column: str) -> str:
        text = _text(self.cell(values, column))
        if not text:
            self.problems.add(row, column, _("Missing: this column must be filled in."))
            return ""
        limit = MAX_LENGTHS.get(column)
        if limit and len(text) > limit:
            self.problems.add(row, column, _("Too long: at most %(max)s characters.") % {"max": limit})
            return ""
        return text

    def read(self, row: int, values: tuple) -> StudentRow | None:
        before = self.problems.count
        class_id = self.read_class(row, values)
        name = self.required_text(row, values, COL_NAME)
        gender = self.read_gender(row, values)
        birth_date = self.read_birth_date(row, values)
        number = self.read_number(row, values)
        guardians = self.read_guardians(row, values)
        if self.problems.count > before:
            return None
        return StudentRow(row, class_id, name, gender, birth_date, number, guardians)  # type: ignore[arg-type]

    def read_class(self, row: int, values: tuple) -> int | None:
        grade_text = self.required_text(row, values, COL_GRADE)
        class_text = self.required_text(row, values, COL_CLASS)
        if not grade_text:
            return None
        grade_id = self.classes.grade(grade_text)
        if grade_id is None:
            self.problems.add(row, COL_GRADE, _("This school has no grade “%(value)s”.") % {"value": grade_text})
            return None
        if not class_text:
            return None
        class_id = self.classes.school_class(grade_id, class_text)
        if class_id is None:
            self.problems.add(
                row, COL_CLASS, _("This school has no class “%(value)s”.") % {"value": f"{grade_text}{class_text}"}
            )
        return class_id

    def read_gender(self, row: int, values: tuple) -> str:
        text = self.required_text(row, values, COL_GENDER)
        if not text:
            return ""
        gender = GENDERS.get(text.upper() if text.isascii() else text)
        if gender is None:
            self.problems.add(row, COL_GENDER, _("Write 男 or 女, not “%(value)s”.") % {"value": text})
            return ""
        return gender

    def read_birth_date(self, row: int, values: tuple) -> datetime.date | None:
        value = self.cell(values, COL_BIRTH)
        if not _text(value):
            self.problems.add(row, COL_BIRTH, _("Missing: this column must be filled in."))
            return None
        born = _date(value)
        if born is None:
            self.problems.add(
                row, COL_BIRTH, _("“%(value)s” is not a date. Write it like 2017-05-12.") % {"value": _text(value)}
            )
            return None
        if not EARLIEST_BIRTH <= born <= self.today:
            self.problems.add(
                row, COL_BIRTH, _("The birth date %(value)s cannot be right.") % {"value": born.isoformat()}
            )
            return None
        return born

    def read_number(self, row: int, values: tuple) -> str:
        number = self.required_text(row, values, COL_NUMBER).replace(" ", "").upper()
        if not number:
            return ""
        first = self.numbers.setdefault(number, row)
        if first != row:
            self.problems.add(
                row,
                COL_NUMBER,
                _("The student number %(value)s is already in row %(other)s of this file.")
                % {"value": number, "other": first},
            )
            return ""
        return number

    def read_guardians(self, row: int, values: tuple) -> list[GuardianRow]:
        guardians: list[GuardianRow] = []
        phones_here: set[str] = set()
        for slot in self.layout.slots:
            cells = {part: self.cell(values, guardian_column(slot, part)) for part in GUARDIAN_PARTS}
            if slot > 1 and not any(_text(v) for v in cells.values()):
                continue
            guardian = self.read_guardian(row, slot, cells, phones_here)
            if guardian is not None:
                guardians.append(guardian)
        return guardians

    def read_guardian(self, row: int, slot: int, cells: dict[str, Any], phones_here: set[str]) -> GuardianRow | None:
        before = self.problems.count
        name_column = guardian_column(slot, PART_NAME)
        name = _text(cells[PART_NAME])
        if not name:
            self.problems.add(row, name_column, _("Missing: this column must be filled in."))
        elif len(name) > MAX_LENGTHS[PART_NAME]:
            self.problems.add(row, name_column, _("Too long: at most %(max)s characters.") % {"max": 50})
        phone = self.read_phone(row, slot, cells[PART_PHONE], name, phones_here)
        relationship = self.read_relationship(row, slot, cells[PART_RELATIONSHIP])
        primary = self.read_yes_no(row, guardian_column(slot, PART_PRIMARY), cells[PART_PRIMARY], default=False)
        lives = self.read_yes_no(row, guardian_column(slot, PART_LIVES), cells[PART_LIVES], default=True)
        if self.problems.count > before:
            return None
        return GuardianRow(slot, name, phone, relationship, bool(primary), bool(lives))

    def read_phone(self, row: int, slot: int, value: Any, name: str, phones_here: set[str]) -> str | None:
        column = guardian_column(slot, PART_PHONE)
        if not _text(value):
            return None  # a grandparent without a phone is reached by print and by the head teacher's visit
        phone = _phone(value)
        if not PHONE_RE.match(phone):
            self.problems.add(
                row,
                column,
                _("“%(value)s” is not a valid mobile number (11 digits starting with 1).") % {"value": _text(value)},
            )
            return None
        if phone in phones_here:
            self.problems.add(
                row, column, _("The mobile number %(value)s is given twice for this student.") % {"value": phone}
            )
            return None
        phones_here.add(phone)
        owner = self.phones.setdefault(phone, (name, row))
        if name and owner[0] != name:
            self.problems.add(
                row,
                column,
                _(
                    "The mobile number %(value)s belongs to “%(other_name)s” in row %(other)s; one mobile number "
                    "is one guardian."
                )
                % {"value": phone, "other_name": owner[0], "other": owner[1]},
            )
            return None
        return phone

    def read_relationship(self, row: int, slot: int, value: Any) -> str:
        column = guardian_column(slot, PART_RELATIONSHIP)
        text = _text(value)
        if not text:
            self.problems.add(row, column, _("Missing: this column must be filled in."))
            return ""
        relationship = RELATIONSHIPS.get(text)
        if relationship is None:
            self.problems.add(
                row,
                column,
                _("Write one of %(choices)s, not “%(value)s”.")
                % {"choices": "、".join(RELATIONSHIP_LABELS.values()), "value": text},
            )
            return ""
        return relationship

    def read_yes_no(self, row: int, column: str, value: Any, *, default: bool) -> bool | None:
        text = _text(value)
        if not text:
            return default
        answer = BOOLEANS.get(text.upper())
        if answer is None:
            self.problems.add(row, column, _("Write 是 or 否, not “%(value)s”.") % {"value": text})
        return answer


def read_roster(data: bytes, school: School, *, progress: Callable[[int, int | None], None] | None = None) -> Parsed:
    """Every row of the file, checked on its own and against the other rows (not yet against the database).

    Raises RosterFileError when the file as a whole cannot be read.
    """
    workbook = _open_workbook(data)
    try:
        sheet = workbook.worksheets[0]
        layout = _layout(sheet)
        reader = _RowReader(school, layout)
        parsed = Parsed(problems=reader.problems)
        try:
            for number, values in _data_rows(sheet, layout):
                parsed.total += 1
                if parsed.total > MAX_ROWS:
                    raise RosterFileError(
                        _("The file has more than %(max)s students. Split it into several files.") % {"max": MAX_ROWS}
                    )
                student = reader.read(number, values)
                if student is not None:
                    parsed.rows.append(student)
                if progress is not None and parsed.total % PROGRESS_EVERY == 0:
                    progress(parsed.total, layout.estimated_rows)
        except RosterFileError:
            raise
        except Exception as exc:  # a damaged sheet inside a sound zip
            log.info("roster sheet cannot be read: %r", exc)
            raise RosterFileError(_damaged()) from exc
        if parsed.total == 0:
            raise RosterFileError(_("The file has a header row but no students under it."))
        return parsed
    finally:
        workbook.close()


def _chunks(items: list, size: int = LOOKUP_CHUNK) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def encode_rows(rows: list[StudentRow]) -> bytes:
    """The checked rows, compact (zlib-compressed JSON), kept with the import for the commit."""
    plain = [
        [r.row, r.class_id, r.name, r.gender, r.birth_date.isoformat(), r.student_number,
         [[g.slot, g.name, g.phone, g.relationship, g.is_primary_carer, g.lives_with_child] for g in r.guardians]]
        for r in rows
    ]  # fmt: skip
    return zlib.compress(json.dumps(plain, ensure_ascii=False, separators=(",", ":")).encode(), 6)


def decode_rows(data: bytes) -> list[StudentRow]:
    return [
        StudentRow(row, class_id, name, gender, datetime.date.fromisoformat(born), number,
                   [GuardianRow(*g) for g in guardians])
        for row, class_id, name, gender, born, number, guardians in json.loads(zlib.decompress(data))
    ]  # fmt: skip


def check_against_database(school: School, rows: list[StudentRow], problems: Problems) -> None:
    """A 学籍号 enrolled in another school is that school's student (which school is not said: privacy)."""
    numbers = [r.student_number for r in rows]
    elsewhere: set[str] = set()
    for chunk in _chunks(numbers):
        elsewhere.update(
            Student.objects.filter(student_number__in=chunk, status=Student.Status.ENROLLED)
            .exclude(school=school)
            .values_list("student_number", flat=True)
        )
    for r in rows:
        if r.student_number in elsewhere:
            problems.add(
                r.row,
                COL_NUMBER,
                _(
                    "The student number %(value)s is enrolled in another school. The student must be transferred "
                    "out of that school first."
                )
                % {"value": r.student_number},
            )


# --- planning and writing ----------------------------------------------------------------------------------

GUARDIANSHIP_COMPARED = ("relationship", "is_primary_carer", "lives_with_child", "status")


@dataclass
class _Plan:
    """What a commit changes, decided from the rows and the database; counted for the preview."""

    new_students: list[StudentRow] = field(default_factory=list)
    changed_students: list[tuple[StudentRow, int, dict[str, list[Any]]]] = field(default_factory=list)
    transfers: list[tuple[StudentRow, int, int | None]] = field(default_factory=list)
    unchanged_students: int = 0
    student_ids: dict[int, int] = field(default_factory=dict)  # row → existing student pk
    new_guardians: dict[str, tuple[str, str | None]] = field(default_factory=dict)  # key → (name, phone)
    guardian_ids: dict[str, int] = field(default_factory=dict)  # phone → existing guardian pk
    new_links: list[tuple[StudentRow, GuardianRow, int | str]] = field(default_factory=list)
    changed_links: list[tuple[int, GuardianRow, dict[str, list[Any]]]] = field(default_factory=list)

    def summary(self) -> dict[str, int]:
        return {
            "students_new": len(self.new_students),
            "students_updated": len(self.changed_students),
            "students_transferred": len(self.transfers),
            "students_unchanged": self.unchanged_students,
            "guardians_new": len(self.new_guardians),
            "guardianships_new": len(self.new_links),
            "guardianships_updated": len(self.changed_links),
        }


def _plan(school: School, rows: list[StudentRow]) -> _Plan:
    plan = _Plan()
    existing = {
        number: (pk, name, gender, born, class_id, status)
        for pk, number, name, gender, born, class_id, status in Student.objects.filter(school=school).values_list(
            "pk", "student_number", "name", "gender", "birth_date", "school_class_id", "status"
        )
    }
    phones = sorted({g.phone for r in rows for g in r.guardians if g.phone})
    for chunk in _chunks(phones):
        plan.guardian_ids.update(Guardian.objects.filter(phone__in=chunk).values_list("phone", "pk"))
    links: dict[tuple[int, int], tuple] = {}
    phoneless: dict[tuple[int, str], int] = {}
    for pk, student_id, guardian_id, *values, guardian_name, guardian_phone in Guardianship.objects.filter(
        student__school=school
    ).values_list("pk", "student_id", "guardian_id", *GUARDIANSHIP_COMPARED, "guardian__name", "guardian__phone"):
        links[(student_id, guardian_id)] = (pk, *values)
        if not guardian_phone:
            phoneless.setdefault((student_id, guardian_name), guardian_id)

    for r in rows:
        found = existing.get(r.student_number)
        if found is None:
            plan.new_students.append(r)
        else:
            pk, name, gender, born, class_id, status = found
            plan.student_ids[r.row] = pk
            before = {"name": name, "gender": gender, "birth_date": born.isoformat(), "status": status}
            after = {"name": r.name, "gender": r.gender, "birth_date": r.birth_date.isoformat(), "status": "enrolled"}
            changes = diff(before, after)
            if changes:
                plan.changed_students.append((r, pk, changes))
            if class_id != r.class_id:
                plan.transfers.append((r, pk, class_id))
            if not changes and class_id == r.class_id:
                plan.unchanged_students += 1
        student_id = plan.student_ids.get(r.row)
        for g in r.guardians:
            guardian: int | str
            if g.phone:
                guardian = plan.guardian_ids.get(g.phone) or g.phone
                if isinstance(guardian, str):
                    plan.new_guardians.setdefault(guardian, (g.name, g.phone))
            else:
                known = phoneless.get((student_id, g.name)) if student_id else None
                guardian = known or f"row{r.row}:{g.slot}"
                if isinstance(guardian, str):
                    plan.new_guardians[guardian] = (g.name, None)
            link = links.get((student_id, guardian)) if student_id and isinstance(guardian, int) else None
            if link is None:
                plan.new_links.append((r, g, guardian))
                continue
            link_pk, *values = link
            before = dict(zip(GUARDIANSHIP_COMPARED, values, strict=True))
            after = {
                "relationship": g.relationship,
                "is_primary_carer": g.is_primary_carer,
                "lives_with_child": g.lives_with_child,
                "status": Guardianship.Status.CONFIRMED.value,
            }
            changes = diff(before, after)
            if changes:
                plan.changed_links.append((link_pk, g, changes))
    return plan


def _apply(plan: _Plan, *, school: School, actor) -> None:
    """Write the plan with bulk operations (inside the caller's transaction)."""
    now = timezone.now()
    actor_id = getattr(actor, "pk", None)
    batch = 500

    # Students: new ones, changed fields, class moves.
    created = Student.objects.bulk_create(
        [
            Student(
                name=r.name, gender=r.gender, birth_date=r.birth_date, student_number=r.student_number,
                school_id=school.pk, school_class_id=r.class_id, status=Student.Status.ENROLLED,
                created_at=now, updated_at=now,
            )
            for r in plan.new_students
        ],
        batch_size=batch,
    )  # fmt: skip
    student_ids = dict(plan.student_ids)
    for r, student in zip(plan.new_students, created, strict=True):
        student_ids[r.row] = student.pk
    updated: dict[int, Student] = {}
    for r, pk, _changes in plan.changed_students:
        updated[pk] = Student(
            pk=pk, name=r.name, gender=r.gender, birth_date=r.birth_date, student_number=r.student_number,
            school_id=school.pk, school_class_id=r.class_id, status=Student.Status.ENROLLED, updated_at=now,
        )  # fmt: skip
    for r, pk, _from_class in plan.transfers:
        updated.setdefault(
            pk,
            Student(
                pk=pk, name=r.name, gender=r.gender, birth_date=r.birth_date, student_number=r.student_number,
                school_id=school.pk, school_class_id=r.class_id, status=Student.Status.ENROLLED, updated_at=now,
            ),
        )  # fmt: skip
    Student.objects.bulk_update(
        list(updated.values()),
        ["name", "gender", "birth_date", "school_class", "status", "updated_at"],
        batch_size=batch,
    )
    ClassHistory.objects.bulk_create(
        [
            ClassHistory(student_id=s.pk, from_class_id=None, to_class_id=s.school_class_id, moved_at=now,
                         actor_id=actor_id, note="enrol (roster import)")
            for s in created
        ]
        + [
            ClassHistory(student_id=pk, from_class_id=from_class, to_class_id=r.class_id, moved_at=now,
                         actor_id=actor_id, note="roster import")
            for r, pk, from_class in plan.transfers
        ],
        batch_size=batch,
    )  # fmt: skip
    audit_bulk(
        actor=actor,
        action="student.create",
        targets=created,
        changes_for=lambda s: {f: [None, v] for f, v in _student_snapshot(s).items()},
    )
    changes_by_pk = {pk: changes for _r, pk, changes in plan.changed_students}
    audit_bulk(
        actor=actor,
        action="student.update",
        targets=[updated[pk] for pk in changes_by_pk],
        changes_for=lambda s: changes_by_pk[s.pk],
    )
    moves = {pk: (from_class, r.class_id) for r, pk, from_class in plan.transfers}
    audit_bulk(
        actor=actor,
        action="student.transfer",
        targets=[updated[pk] for pk in moves],
        changes_for=lambda s: {"school_class": list(moves[s.pk])},
    )

    # Guardians: one per mobile number (shared by siblings and across schools); phoneless ones per student.
    keys = list(plan.new_guardians)
    new_guardians = Guardian.objects.bulk_create(
        [Guardian(name=name, phone=phone, created_at=now) for name, phone in plan.new_guardians.values()],
        batch_size=batch,
    )
    guardian_ids: dict[str, int] = {key: g.pk for key, g in zip(keys, new_guardians, strict=True)}

    # Guardianships: the school's roster is authoritative, so imported bindings are confirmed.
    links = []
    for r, g, guardian in plan.new_links:
        links.append(
            Guardianship(
                student_id=student_ids[r.row], guardian_id=guardian if isinstance(guardian, int) else guardian_ids[guardian],
                relationship=g.relationship, is_primary_carer=g.is_primary_carer, lives_with_child=g.lives_with_child,
                status=Guardianship.Status.CONFIRMED, created_at=now, decided_by_id=actor_id, decided_at=now,
            )
        )  # fmt: skip
    links = Guardianship.objects.bulk_create(links, batch_size=batch)
    audit_bulk(
        actor=actor,
        action="guardianship.create",
        targets=links,
        changes_for=lambda link: {f: [None, getattr(link, f)] for f in GUARDIANSHIP_FIELDS},
    )
    changed = [
        Guardianship(
            pk=pk, relationship=g.relationship, is_primary_carer=g.is_primary_carer,
            lives_with_child=g.lives_with_child, status=Guardianship.Status.CONFIRMED,
            decided_by_id=actor_id, decided_at=now,
        )
        for pk, g, _changes in plan.changed_links
    ]  # fmt: skip
    Guardianship.objects.bulk_update(
        changed,
        ["relationship", "is_primary_carer", "lives_with_child", "status", "decided_by", "decided_at"],
        batch_size=batch,
    )
    link_changes = {pk: changes for pk, _g, changes in plan.changed_links}
    audit_bulk(
        actor=actor, action="guardianship.update", targets=changed, changes_for=lambda link: link_changes[link.pk]
    )


def _student_snapshot(student: Student) -> dict[str, Any]:
    values = {f: getattr(student, student._meta.get_field(f).attname) for f in STUDENT_FIELDS}
    values["birth_date"] = student.birth_date.isoformat()
    return values


# --- services ----------------------------------------------------------------------------------------------


def imports_visible_to(user) -> QuerySet[RosterImport]:
    """Imports of the schools whose roster the user manages (school admins, county admins)."""
    return RosterImport.objects.filter(school__in=schools_managed_by(user)).defer("file_data", "parsed_rows")


def get_import_for(user, pk) -> RosterImport:
    roster_import = imports_visible_to(user).select_related("school", "uploaded_by").filter(pk=pk).first()
    if roster_import is None:
        raise Http404("import not found")
    return roster_import


def roster_import_create(*, actor, school: School, file_name: str, data: bytes) -> RosterImport:
    """Store an uploaded roster and queue its check. A file that cannot be ours raises RosterFileError, storing
    nothing. The file is looked at before the transaction opens (SQLite: no write lock while reading it); the
    job row then commits in the same transaction as the import it serves."""
    estimate = check_roster_file(data)
    return _roster_import_store(actor=actor, school=school, file_name=file_name, data=data, estimate=estimate)


@transaction.atomic
def _roster_import_store(*, actor, school: School, file_name: str, data: bytes, estimate: int) -> RosterImport:
    from .tasks import validate_roster_import

    roster_import = RosterImport.objects.create(
        school=school,
        uploaded_by=actor if getattr(actor, "pk", None) else None,
        file_name=(file_name or "roster.xlsx")[-200:],
        file_size=len(data),
        file_data=data,
        total_rows=estimate,
    )
    audit_record(actor=actor, action="roster_import.upload", target=roster_import)
    validate_roster_import.enqueue(roster_import.pk)
    return roster_import


def _progress(pk: int, status: str) -> Callable[[int, int | None], None]:
    def report(done: int, estimate: int | None) -> None:
        fields: dict[str, Any] = {"processed_rows": done, "claimed_at": timezone.now()}  # alive: renew the claim
        if estimate:
            fields["total_rows"] = max(estimate, done)
        RosterImport.objects.filter(pk=pk, status=status).update(**fields)

    return report


def _finish(pk: int, from_status: str, **fields) -> int:
    return RosterImport.objects.filter(pk=pk, status=from_status).update(**fields)


def roster_import_validate(*, roster_import_id: int) -> None:
    """Check every row of an uploaded file (worker). Not one transaction: its progress must be seen while it runs.

    Only reads the directory; the import row is claimed (uploaded → validating) so a finished check is not
    re-run. A check cut short by a crash is simply run again.
    """
    S = RosterImport.Status
    claimed = RosterImport.objects.filter(pk=roster_import_id, status__in=[S.UPLOADED, S.VALIDATING]).update(
        status=S.VALIDATING, processed_rows=0, claimed_at=timezone.now()
    )
    if not claimed:
        return
    roster_import = RosterImport.objects.select_related("school").get(pk=roster_import_id)
    started = time.monotonic()
    with override(settings.LANGUAGE_CODE):
        try:
            parsed = read_roster(
                bytes(roster_import.file_data), roster_import.school, progress=_progress(roster_import.pk, S.VALIDATING)
            )
        except RosterFileError as exc:
            _finish(
                roster_import.pk, S.VALIDATING, status=S.FAILED, message=exc.message[:300], validated_at=timezone.now()
            )
            return
        except Exception:
            _finish(roster_import.pk, S.VALIDATING, status=S.FAILED, message=_unexpected(), validated_at=timezone.now())
            raise
        check_against_database(roster_import.school, parsed.rows, parsed.problems)
        summary = {} if parsed.problems else _plan(roster_import.school, parsed.rows).summary()
    _finish(
        roster_import.pk,
        S.VALIDATING,
        status=S.INVALID if parsed.problems else S.VALID,
        parsed_rows=None if parsed.problems else encode_rows(parsed.rows),
        total_rows=parsed.total,
        processed_rows=parsed.total,
        error_count=parsed.problems.count,
        errors=parsed.problems.sorted(),
        summary=summary,
        validated_at=timezone.now(),
        validate_seconds=round(time.monotonic() - started, 2),
    )


def _unexpected() -> str:
    return _("Something went wrong while handling this file; nothing was changed. Please try again later.")


@transaction.atomic
def roster_import_commit_request(*, actor, roster_import: RosterImport) -> RosterImport:
    """Claim a valid import for committing (valid → committing) and queue the commit job.

    Raises NotCommittable unless the import is valid (a second click finds it committing already).
    """
    from .tasks import commit_roster_import

    S = RosterImport.Status
    if roster_import.commit_interrupted:  # its worker died: free it first (the scheduler may not have yet)
        roster_import_recover(roster_import_id=roster_import.pk)
    now = timezone.now()
    claimed = RosterImport.objects.filter(pk=roster_import.pk, status=S.VALID).update(
        status=S.COMMITTING,
        committed_by=actor if getattr(actor, "pk", None) else None,
        commit_started_at=now,
        claimed_at=now,
        processed_rows=0,
        message="",
    )
    if not claimed:
        raise NotCommittable(roster_import.pk)
    commit_roster_import.enqueue(roster_import.pk)
    roster_import.refresh_from_db(
        fields=["status", "committed_by", "commit_started_at", "claimed_at", "processed_rows", "message"]
    )
    return roster_import


class _StillInvalid(Exception):
    def __init__(self, problems: Problems):
        self.problems = problems


def roster_import_commit(*, roster_import_id: int) -> None:
    """Import a claimed, checked file (worker): all of it in one transaction, or nothing.

    It writes the rows kept by the check (what the preview counted), checked again against the database inside
    the transaction. There the import is claimed once more with a conditional update, so a second worker waits
    and then finds it done, and a crash rolls everything back and leaves it to roster_import_recover. The claim
    must still be the one this job read (``claimed_at``): a job that wakes up after its stale claim was freed and
    committed anew does nothing. The acting user is whoever asked for the commit.
    """
    S = RosterImport.Status
    roster_import = (
        RosterImport.objects.select_related("school", "committed_by")
        .filter(pk=roster_import_id, status=S.COMMITTING)
        .first()
    )
    if roster_import is None:
        return
    school, actor = roster_import.school, roster_import.committed_by
    started = time.monotonic()
    with override(settings.LANGUAGE_CODE):
        try:
            rows = decode_rows(bytes(roster_import.parsed_rows or b""))
            with transaction.atomic():
                claimed = RosterImport.objects.filter(
                    pk=roster_import.pk, status=S.COMMITTING, claimed_at=roster_import.claimed_at
                )
                if not claimed.update(status=S.COMMITTING):
                    return  # another worker committed it while this one was starting, or its claim was freed
                problems = Problems()
                _check_classes(school, rows, problems)
                check_against_database(school, rows, problems)
                if problems:
                    raise _StillInvalid(problems)
                plan = _plan(school, rows)
                _apply(plan, school=school, actor=actor)
                summary = plan.summary()
                audit_record(actor=actor, action="roster_import.commit", target=roster_import, changes={
                    key: [None, value] for key, value in summary.items()
                })  # fmt: skip
                _finish(
                    roster_import.pk,
                    S.COMMITTING,
                    status=S.DONE,
                    summary=summary,
                    processed_rows=len(rows),
                    parsed_rows=None,
                    committed_at=timezone.now(),
                    commit_seconds=round(time.monotonic() - started, 2),
                )
        except _StillInvalid as exc:
            _finish(
                roster_import.pk,
                S.COMMITTING,
                status=S.INVALID,
                error_count=exc.problems.count,
                errors=exc.problems.sorted(),
                summary={},
                parsed_rows=None,
            )
        except Exception:
            log.exception("roster import %s failed", roster_import.pk)
            _finish(roster_import.pk, S.COMMITTING, status=S.FAILED, message=_unexpected())
            raise


def interrupted_note() -> str:
    return _("The last import was interrupted and nothing was written. Please import the file again.")


def roster_import_recover(*, roster_import_id: int, now: datetime.datetime | None = None) -> bool:
    """Free a stale claim (its worker died); True if this call freed it.

    A stale check goes back to uploaded with a new check job; a stale commit goes back to valid with a note
    (its transaction rolled back, so nothing was written) and is committed again by the admin. One conditional
    UPDATE decides, so two recoveries at once free it once. On PostgreSQL a commit still running holds the row
    in its transaction: it is skipped rather than waited for, as it may yet finish. (SQLite has no row locks;
    the transaction waits for the writer, then finds the commit done.)
    """
    from .tasks import validate_roster_import

    S = RosterImport.Status
    stale = RosterImport.objects.filter(
        pk=roster_import_id, status__in=[S.VALIDATING, S.COMMITTING], claimed_at__lt=RosterImport.stale_before(now)
    )
    with transaction.atomic():
        found = stale.select_for_update(skip_locked=True).only("pk", "file_name", "status").first()
        if found is None:
            return False
        if found.status == S.VALIDATING:
            to_status = S.UPLOADED
            freed = stale.filter(status=S.VALIDATING).update(status=to_status, processed_rows=0, claimed_at=None)
            if freed:
                validate_roster_import.enqueue(roster_import_id)
        else:
            to_status = S.VALID
            with override(settings.LANGUAGE_CODE):
                note = interrupted_note()
            freed = stale.filter(status=S.COMMITTING).update(
                status=to_status, processed_rows=F("total_rows"), claimed_at=None, message=note[:300]
            )
        if not freed:
            return False
        audit_record(
            actor=None, action="roster_import.recover", target=found, changes={"status": [found.status, to_status]}
        )
    log.warning("roster import %s: stale %s claim freed", roster_import_id, found.status)
    return True


def roster_imports_recover_stale(*, now: datetime.datetime | None = None) -> list[int]:
    """Free every stale claim (the scheduler job); the ids freed."""
    candidates = RosterImport.objects.filter(
        status__in=[RosterImport.Status.VALIDATING, RosterImport.Status.COMMITTING],
        claimed_at__lt=RosterImport.stale_before(now),
    ).values_list("pk", flat=True)
    return [pk for pk in list(candidates) if roster_import_recover(roster_import_id=pk, now=now)]


def _check_classes(school: School, rows: list[StudentRow], problems: Problems) -> None:
    """The classes named at the check still exist in the school (one may have been removed since)."""
    wanted = {r.class_id for r in rows}
    present = set(SchoolClass.objects.filter(school=school, pk__in=wanted).values_list("pk", flat=True))
    for r in rows:
        if r.class_id not in present:
            problems.add(r.row, COL_CLASS, _("This class no longer exists in this school."))


# --- the template and the export ---------------------------------------------------------------------------


def _neutralise(value: Any) -> Any:
    """A text cell that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _roster_sheet(workbook: Workbook, *, dropdown_rows: int = 0, school: School | None = None):
    sheet = workbook.create_sheet(SHEET_ROSTER)
    widths = {COL_NAME: 12, COL_BIRTH: 12, COL_NUMBER: 22}
    for index, header in enumerate(HEADERS, start=1):
        width = widths.get(header) or (13 if header.endswith(PART_PHONE) else 10 if len(header) < 6 else 12)
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "D2"
    if dropdown_rows:
        last = dropdown_rows + 1

        def add_list(choices: list[str], header: str) -> None:
            formula = '"' + ",".join(choices) + '"'
            if len(formula) > 255:  # Excel's limit for a list written in place
                return
            column = get_column_letter(HEADERS.index(header) + 1)
            validation = DataValidation(type="list", formula1=formula, allow_blank=True)
            validation.add(f"{column}2:{column}{last}")
            sheet.data_validations.append(validation)

        add_list(list(GENDER_LABELS.values()), COL_GENDER)
        if school is not None:
            add_list([g.name for g in school.grades.all()], COL_GRADE)
            add_list(sorted({c.name for c in school.classes.all()}), COL_CLASS)
        for k in range(1, GUARDIAN_SLOTS + 1):
            add_list(list(RELATIONSHIP_LABELS.values()), guardian_column(k, PART_RELATIONSHIP))
            add_list([YES, NO], guardian_column(k, PART_PRIMARY))
            add_list([YES, NO], guardian_column(k, PART_LIVES))
    bold = Font(bold=True)
    required_fill = PatternFill("solid", fgColor="FFF2CC")
    required = set(STUDENT_COLUMNS) | {guardian_column(1, p) for p in (PART_NAME, PART_RELATIONSHIP)}
    cells = []
    for header in HEADERS:
        cell = WriteOnlyCell(sheet, value=header)
        cell.font = bold
        if header in required:
            cell.fill = required_fill
        cells.append(cell)
    sheet.append(cells)
    return sheet


def roster_template_workbook(*, school: School) -> bytes:
    """The empty template: the roster sheet with its header row and drop-down lists, and a sheet of help."""
    workbook = Workbook(write_only=True)
    _roster_sheet(workbook, dropdown_rows=MAX_ROWS, school=school)
    help_sheet = workbook.create_sheet(SHEET_HELP)
    help_sheet.column_dimensions["A"].width = 100
    wrap = Alignment(wrap_text=True, vertical="top")

    def line(text: str, *, bold: bool = False) -> None:
        cell = WriteOnlyCell(help_sheet, value=_neutralise(text))
        cell.alignment = wrap
        if bold:
            cell.font = Font(bold=True)
        help_sheet.append([cell])

    line(_("How to fill in the roster of %(school)s") % {"school": school.name}, bold=True)
    for text in (
        _("Fill in the first sheet, one student a row, under the header row. Do not change the header row."),
        _("Highlighted columns must be filled in. Guardian 1 is required; guardians 2 to 4 are optional."),
        _("%(grade)s and %(class)s must be a grade and a class of this school, for example 三年级 and 1班.")
        % {"grade": COL_GRADE, "class": COL_CLASS},
        _("%(gender)s: 男 or 女. %(birth)s: a date such as 2017-05-12, 2017/5/12 or 2017年5月12日.")
        % {"gender": COL_GENDER, "birth": COL_BIRTH},
        _(
            "%(number)s: the national student number. Importing the same student number again updates the "
            "student; a changed class is recorded as a class transfer."
        )
        % {"number": COL_NUMBER},
        _(
            "Guardian mobile: 11 digits. One mobile number is one guardian, who may care for several children. "
            "Leave it empty for a guardian without a phone."
        ),
        _("Relationship: one of %(choices)s.") % {"choices": "、".join(RELATIONSHIP_LABELS.values())},
        _("Primary carer and lives with the child: 是 or 否 (empty means 否 and 是)."),
        _("The whole file is imported or nothing is: fix every problem shown after uploading, then import."),
    ):
        line(text)
    line("")
    line(_("Classes of this school"), bold=True)
    for school_class in school.classes.select_related("grade"):
        help_sheet.append([f"{school_class.grade.name} {school_class.name}"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def roster_export_workbook(*, actor, school: School, request=None) -> bytes:
    """Every enrolled student of the school with up to four confirmed guardians, one row each like the template.

    Text that a spreadsheet would run as a formula is neutralised. The export is logged as an access.
    """
    guardians: dict[int, list[tuple]] = {}
    for student_id, *values in (
        Guardianship.objects.filter(
            student__school=school,
            student__status=Student.Status.ENROLLED,
            status=Guardianship.Status.CONFIRMED,
        )
        .order_by("student_id", "-is_primary_carer", "pk")
        .values_list(
            "student_id", "guardian__name", "guardian__phone", "relationship", "is_primary_carer", "lives_with_child"
        )
    ):
        guardians.setdefault(student_id, []).append(values)
    students = (
        Student.objects.filter(school=school, status=Student.Status.ENROLLED)
        .order_by("school_class__grade__level", "school_class__name", "student_number")
        .values_list(
            "pk", "school_class__grade__name", "school_class__name", "name", "gender", "birth_date", "student_number"
        )
    )
    workbook = Workbook(write_only=True)
    sheet = _roster_sheet(workbook)
    for pk, grade, class_name, name, gender, born, number in students.iterator(chunk_size=2000):
        row: list[Any] = [grade or "", class_name or "", name, GENDER_LABELS.get(gender, ""), born, number]
        for g_name, phone, relationship, primary, lives in guardians.get(pk, [])[:GUARDIAN_SLOTS]:
            row += [
                g_name,
                phone or "",
                RELATIONSHIP_LABELS.get(relationship, ""),
                YES if primary else NO,
                YES if lives else NO,
            ]
        sheet.append([_neutralise(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    access_record(actor=actor, target=school, purpose="roster_export", request=request)
    return buffer.getvalue()
