"""Reading a school's file: opening the workbook safely, finding the header row, reading and checking each row.

Nothing here touches the database except the school's grades and classes (to name a row's class). The rows
that pass are StudentRows; every problem is named by row and column in Problems.
"""

from __future__ import annotations

import datetime
import io
import json
import logging
import re
import unicodedata
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.datetime import from_excel
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

from ..models import Grade, School, SchoolClass
from ..services import GRADE_NAMES
from .format import (
    BOOLEANS,
    CN_NUMBERS,
    COL_BIRTH,
    COL_CLASS,
    COL_GENDER,
    COL_GRADE,
    COL_NAME,
    COL_NUMBER,
    COMPACT_DATE_RE,
    DATE_RE,
    EARLIEST_BIRTH,
    ERRORS_KEPT,
    EXAMPLE_STUDENT_NUMBER,
    FORMULA_STARTS,
    GENDERS,
    GUARDIAN_PARTS,
    GUARDIAN_SLOTS,
    HEADER_SCAN_ROWS,
    HEADERS,
    KNOWN_HEADERS,
    MAX_LENGTHS,
    MAX_ROWS,
    PART_LIVES,
    PART_NAME,
    PART_PHONE,
    PART_PRIMARY,
    PART_RELATIONSHIP,
    PHONE_RE,
    PROGRESS_EVERY,
    RELATIONSHIP_LABELS,
    RELATIONSHIPS,
    STUDENT_COLUMNS,
    cn_number,
    guardian_column,
    student_number_problem,
)

log = logging.getLogger(__name__)


class RosterFileError(Exception):
    """The file as a whole cannot be read: wrong type, damaged, empty, too large or not our template."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


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
        aliases |= {f"{level}年级", f"{cn_number(level)}年级"}
    if 7 <= level <= 9:
        aliases.add(f"初{cn_number(level - 6)}")
    if 10 <= level <= 12:
        aliases |= {f"高{cn_number(level - 9)}", f"高中{cn_number(level - 9)}年级"}
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
            self.numerals[grade.pk] = cn_number(grade.level) if grade.level >= 1 else ""
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
    """The workbook in read-only mode, or a clear RosterFileError.

    Checked before openpyxl sees it: the size, the kind of file, and the size it would unpack to (an .xlsx is a
    zip: a small file may unpack to hundreds of megabytes, settings.ROSTER_MAX_UNPACKED_BYTES).
    """
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
            # The sizes the zip declares for its entries: zipfile never returns more than an entry declares (it
            # stops there, and a mismatch fails its CRC check), so this bounds what openpyxl will unpack.
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise RosterFileError(_damaged()) from exc
    if "xl/workbook.xml" not in names:
        raise RosterFileError(
            _(
                "This is not an Excel .xlsx file (perhaps a .csv, .xls or other file renamed). Open it in Excel "
                "or WPS, save it as “Excel workbook (*.xlsx)” and upload that file."
            )
        )
    if unpacked > settings.ROSTER_MAX_UNPACKED_BYTES:
        raise RosterFileError(
            _(
                "Unpacked, the file would be larger than %(max)s MB: it may not be a normal roster. Open it in Excel "
                "or WPS, save it again as “Excel workbook (*.xlsx)”, or split it into several files."
            )
            % {"max": max(1, settings.ROSTER_MAX_UNPACKED_BYTES // (1024 * 1024))}
        )
    try:
        # Not data_only: a formula cell must be seen as a formula (never its cached value) to be named as one.
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
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


def _header_candidates(sheet) -> tuple[int | None, dict[str, int], int, int | None]:
    """The header row of one sheet: (row, names, known headers in it, the sheet's declared last row).

    The row is the first of the top rows naming both 学生姓名 and 学籍号; without one it is None and the names are
    those of the top row naming the most of the template's headers (to say which are missing).
    """
    estimated_max_row = sheet.max_row
    sheet.reset_dimensions()  # some programs write a wrong size; never trust it for reading
    best: tuple[dict[str, int], int] = ({}, -1)
    for index, values in enumerate(sheet.iter_rows(min_row=1, max_row=HEADER_SCAN_ROWS, values_only=True), start=1):
        names: dict[str, int] = {}
        for position, value in enumerate(values):
            name = _header_name(value)
            if name:
                names.setdefault(name, position)
        if COL_NAME in names and COL_NUMBER in names:
            return index, names, len(KNOWN_HEADERS & names.keys()), estimated_max_row
        score = len(KNOWN_HEADERS & names.keys())
        if names and score > best[1]:
            best = (names, score)
    return None, best[0], best[1], estimated_max_row


def _roster_sheet(workbook) -> tuple[Any, _Layout]:
    """The sheet holding the roster, found by its header row rather than its place, and its layout.

    A school may have moved the help sheet (填写说明) first, or added sheets of its own. Without any sheet whose
    header names 学生姓名 and 学籍号, the sheet that comes closest says which columns are missing.
    """
    closest: tuple[dict[str, int], int, int | None] | None = None
    for sheet in workbook.worksheets:
        header_row, names, score, estimated_max_row = _header_candidates(sheet)
        if header_row is not None:
            return sheet, _check_layout(header_row, names, estimated_max_row)
        if names and (closest is None or score > closest[1]):
            closest = (names, score, estimated_max_row)
    if closest is None:
        raise RosterFileError(_("The file is empty: no worksheet has a header row or students."))
    raise _header_mismatch(_required_columns(closest[0])[0])


def _required_columns(names: dict[str, int]) -> tuple[list[str], list[int]]:
    """The columns missing from a header, and the guardian slots it has (slot 1 always; 2–4 when named)."""
    required = list(STUDENT_COLUMNS) + [guardian_column(1, part) for part in GUARDIAN_PARTS]
    slots = [1]
    for k in range(2, GUARDIAN_SLOTS + 1):
        group = [guardian_column(k, part) for part in GUARDIAN_PARTS]
        if any(column in names for column in group):
            required += group
            slots.append(k)
    return [column for column in required if column not in names], slots


def _header_mismatch(missing: list[str]) -> RosterFileError:
    return RosterFileError(
        _(
            "The header row does not match the template. Missing column(s): %(columns)s. Download the "
            "template, copy your data into it and upload it again."
        )
        % {"columns": "、".join(missing)}
    )


def _check_layout(header_row: int, names: dict[str, int], estimated_max_row: int | None) -> _Layout:
    missing, slots = _required_columns(names)
    if missing:
        raise _header_mismatch(missing)
    columns = [guardian_column(k, part) for k in slots for part in GUARDIAN_PARTS]
    width = max(names[column] for column in [*STUDENT_COLUMNS, *columns]) + 1
    estimate = estimated_max_row - header_row if estimated_max_row and estimated_max_row > header_row else None
    return _Layout(header_row, names, slots, width, estimate)


def _is_formula(value: Any) -> bool:
    """A formula cell as openpyxl reads it without data_only: "=…", or an array or data-table formula.

    (Text that Excel keeps with a leading "=" reads the same; no roster value begins with one, so it is named as a
    formula too. Reading each cell's type instead would make reading a large file half as slow again.)
    """
    return (isinstance(value, str) and value[:1] == "=") or isinstance(value, ArrayFormula | DataTableFormula)


def _data_rows(sheet, layout: _Layout) -> Iterator[tuple[int, tuple, tuple[int, ...]]]:
    """(Excel row number, values, positions of formula cells) for every row under the header with anything in it."""
    start = layout.header_row + 1
    for number, values in enumerate(
        sheet.iter_rows(min_row=start, max_col=layout.width, values_only=True), start=start
    ):
        if any(v is not None and (not isinstance(v, str) or v.strip()) for v in values):
            yield number, values, tuple(i for i, v in enumerate(values) if _is_formula(v))


def check_roster_file(data: bytes) -> int:
    """The cheap checks at upload (type, damage, header, at least one student row); the rows' estimated count.

    Raises RosterFileError with a clear message for the user.
    """
    workbook = _open_workbook(data)
    try:
        try:
            sheet, layout = _roster_sheet(workbook)
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
    """Turns the rows of one sheet into StudentRows, naming every problem by row and column (one per cell)."""

    def __init__(self, school: School, layout: _Layout):
        self.layout = layout
        self.classes = _ClassFinder(school)
        self.problems = Problems()
        self.numbers: dict[str, int] = {}  # 学籍号 → first row
        self.numberless: dict[tuple[str, datetime.date], int] = {}  # (name, birth date) without 学籍号 → first row
        self.phones: dict[str, tuple[str, int]] = {}  # mobile → (guardian name, first row)
        self.headers = {position: header for header, position in layout.columns.items() if header in KNOWN_HEADERS}
        self.today = timezone.localdate()
        self.named: set[str] = set()  # the columns of the current row that have a problem already

    def add(self, row: int, column: str, message: str) -> None:
        """A problem in one cell; a cell already named in this row (a formula, say) is not named again."""
        if column not in self.named:
            self.named.add(column)
            self.problems.add(row, column, message)

    def cell(self, values: tuple, column: str) -> Any:
        position = self.layout.columns.get(column)
        return values[position] if position is not None and position < len(values) else None

    def required_text(self, row: int, values: tuple, column: str) -> str:
        text = _text(self.cell(values, column))
        if not text:
            self.add(row, column, _("Missing: this column must be filled in."))
            return ""
        limit = MAX_LENGTHS.get(column)
        if limit and len(text) > limit:
            self.add(row, column, _("Too long: at most %(max)s characters.") % {"max": limit})
            return ""
        return text

    def read(self, row: int, values: tuple, formulas: Iterable[int] = ()) -> StudentRow | None:
        before = self.problems.count
        self.named = set()
        values = self.without_formulas(row, values, formulas)
        class_id = self.read_class(row, values)
        name = self.required_text(row, values, COL_NAME)
        gender = self.read_gender(row, values)
        birth_date = self.read_birth_date(row, values)
        number = self.read_number(row, values)
        if not number and name and birth_date:
            self.check_numberless(row, name, birth_date)
        guardians = self.read_guardians(row, values)
        if self.problems.count > before:
            return None
        return StudentRow(row, class_id, name, gender, birth_date, number, guardians)  # type: ignore[arg-type]

    def without_formulas(self, row: int, values: tuple, formulas: Iterable[int]) -> tuple:
        """The row's values with its formula cells named as problems and emptied: a formula's cached value may be
        stale and its text is not data, so neither is read."""
        positions = {p for p in formulas if p in self.headers}
        for position in sorted(positions):
            column = self.headers[position]
            self.add(
                row,
                column,
                _("“%(column)s” is a formula. Copy the column and paste it back as values only, then upload again.")
                % {"column": column},
            )
        if not positions:
            return values
        return tuple(None if i in positions else v for i, v in enumerate(values))

    def read_class(self, row: int, values: tuple) -> int | None:
        grade_text = self.required_text(row, values, COL_GRADE)
        class_text = self.required_text(row, values, COL_CLASS)
        if not grade_text:
            return None
        grade_id = self.classes.grade(grade_text)
        if grade_id is None:
            self.add(row, COL_GRADE, _("This school has no grade “%(value)s”.") % {"value": grade_text})
            return None
        if not class_text:
            return None
        class_id = self.classes.school_class(grade_id, class_text)
        if class_id is None:
            self.add(
                row, COL_CLASS, _("This school has no class “%(value)s”.") % {"value": f"{grade_text}{class_text}"}
            )
        return class_id

    def read_gender(self, row: int, values: tuple) -> str:
        text = self.required_text(row, values, COL_GENDER)
        if not text:
            return ""
        gender = GENDERS.get(text.upper() if text.isascii() else text)
        if gender is None:
            self.add(row, COL_GENDER, _("Write 男 or 女, not “%(value)s”.") % {"value": text})
            return ""
        return gender

    def read_birth_date(self, row: int, values: tuple) -> datetime.date | None:
        value = self.cell(values, COL_BIRTH)
        if not _text(value):
            self.add(row, COL_BIRTH, _("Missing: this column must be filled in."))
            return None
        born = _date(value)
        if born is None:
            self.add(
                row, COL_BIRTH, _("“%(value)s” is not a date. Write it like 2017-05-12.") % {"value": _text(value)}
            )
            return None
        if not EARLIEST_BIRTH <= born <= self.today:
            self.add(row, COL_BIRTH, _("The birth date %(value)s cannot be right.") % {"value": born.isoformat()})
            return None
        return born

    def read_number(self, row: int, values: tuple) -> str:
        """The national 学籍号 (format.student_number_problem), or "" for a student without one yet."""
        text = _text(self.cell(values, COL_NUMBER))
        number = "".join(unicodedata.normalize("NFKC", text).split()).upper()
        if not number:
            return ""
        why = student_number_problem(number)
        if why == "check":
            self.add(
                row,
                COL_NUMBER,
                _(
                    "The student number %(value)s fails its check character: a digit is mistyped. Copy it again "
                    "from the student registry."
                )
                % {"value": number},
            )
            return ""
        if why is not None:
            self.add(
                row,
                COL_NUMBER,
                _(
                    "“%(value)s” is not a national student number: G and the 18-character identity number (the "
                    "last may be X), like %(example)s. Leave it empty for a student who has none yet."
                )
                % {"value": _shown(text), "example": EXAMPLE_STUDENT_NUMBER},
            )
            return ""
        first = self.numbers.setdefault(number, row)
        if first != row:
            self.add(
                row,
                COL_NUMBER,
                _("The student number %(value)s is already in row %(other)s of this file.")
                % {"value": number, "other": first},
            )
            return ""
        return number

    def check_numberless(self, row: int, name: str, birth_date: datetime.date) -> None:
        """Two students without a 学籍号 and with one name and birth date could not be told apart on re-import."""
        first = self.numberless.setdefault((name, birth_date), row)
        if first != row:
            self.add(
                row,
                COL_NUMBER,
                _(
                    "Row %(other)s has a student of the same name and birth date, and neither has a student "
                    "number: fill in their student numbers to tell them apart."
                )
                % {"other": first},
            )

    def read_guardians(self, row: int, values: tuple) -> list[GuardianRow]:
        """The row's guardians; a slot left wholly empty is no guardian (a student may have none yet: the export
        leaves a student without a confirmed guardian so, and guardians can join the class themselves)."""
        guardians: list[GuardianRow] = []
        phones_here: set[str] = set()
        for slot in self.layout.slots:
            cells = {part: self.cell(values, guardian_column(slot, part)) for part in GUARDIAN_PARTS}
            if not any(_text(v) for v in cells.values()):
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
            self.add(row, name_column, _("Missing: this column must be filled in."))
        elif len(name) > MAX_LENGTHS[PART_NAME]:
            self.add(row, name_column, _("Too long: at most %(max)s characters.") % {"max": 50})
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
            self.add(
                row,
                column,
                _("“%(value)s” is not a valid mobile number (11 digits starting with 1).") % {"value": _text(value)},
            )
            return None
        if phone in phones_here:
            self.add(row, column, _("The mobile number %(value)s is given twice for this student.") % {"value": phone})
            return None
        phones_here.add(phone)
        owner = self.phones.setdefault(phone, (name, row))
        if name and owner[0] != name:
            self.add(
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
            self.add(row, column, _("Missing: this column must be filled in."))
            return ""
        relationship = RELATIONSHIPS.get(text)
        if relationship is None:
            self.add(
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
            self.add(row, column, _("Write 是 or 否, not “%(value)s”.") % {"value": text})
        return answer


def _shown(text: str, limit: int = 40) -> str:
    """A cell's text as quoted in a problem: long text cut short."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def read_roster(data: bytes, school: School, *, progress: Callable[[int, int | None], None] | None = None) -> Parsed:
    """Every row of the file, checked on its own and against the other rows (not yet against the database).

    Raises RosterFileError when the file as a whole cannot be read.
    """
    workbook = _open_workbook(data)
    try:
        sheet, layout = _roster_sheet(workbook)
        reader = _RowReader(school, layout)
        parsed = Parsed(problems=reader.problems)
        try:
            for number, values, formulas in _data_rows(sheet, layout):
                parsed.total += 1
                if parsed.total > MAX_ROWS:
                    raise RosterFileError(
                        _("The file has more than %(max)s students. Split it into several files.") % {"max": MAX_ROWS}
                    )
                student = reader.read(number, values, formulas)
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
