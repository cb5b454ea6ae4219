"""The majors table as an Excel sheet: reading the county's file (every row checked, each problem named by row and
column; one bad row and nothing is imported) and writing the table out in the same columns, so an export imports
back unchanged.

Columns: 学科门类, 专业, 首选科目 (物理 / 历史 / 物理或历史), 再选科目 (e.g. 化学、生物; empty for none), 再选要求
(均须选考 / 任选其一 / 不提要求), 备注. Formulas are refused (never their cached value), like the roster's.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from .models import FirstChoice, MajorRequirement, Subject

MAX_BYTES = 5 * 1024 * 1024
MAX_UNPACKED = 50 * 1024 * 1024
MAX_ROWS = 2000
ERRORS_KEPT = 50

COL_DISCIPLINE, COL_MAJOR, COL_FIRST, COL_SUBJECTS, COL_MODE, COL_NOTE = "学科门类", "专业", "首选科目", "再选科目", "再选要求", "备注"
HEADERS = [COL_DISCIPLINE, COL_MAJOR, COL_FIRST, COL_SUBJECTS, COL_MODE, COL_NOTE]
REQUIRED = [COL_DISCIPLINE, COL_MAJOR, COL_FIRST]

FIRST_WORDS = {
    "物理": FirstChoice.PHYSICS, "历史": FirstChoice.HISTORY, "物理或历史": FirstChoice.EITHER,
    "不限": FirstChoice.EITHER, "物理/历史": FirstChoice.EITHER,
}  # fmt: skip
FIRST_OUT = {FirstChoice.PHYSICS: "物理", FirstChoice.HISTORY: "历史", FirstChoice.EITHER: "物理或历史"}
SUBJECT_WORDS = {
    "化学": Subject.CHEMISTRY, "生物": Subject.BIOLOGY, "生物学": Subject.BIOLOGY,
    "思想政治": Subject.POLITICS, "政治": Subject.POLITICS, "地理": Subject.GEOGRAPHY,
}  # fmt: skip
SUBJECT_OUT = {Subject.CHEMISTRY: "化学", Subject.BIOLOGY: "生物", Subject.POLITICS: "思想政治", Subject.GEOGRAPHY: "地理"}
MODE_WORDS = {
    "均须选考": MajorRequirement.Mode.ALL, "均需选考": MajorRequirement.Mode.ALL, "须选考": MajorRequirement.Mode.ALL,
    "任选其一": MajorRequirement.Mode.ANY, "选考其中一门即可": MajorRequirement.Mode.ANY,
    "不提要求": MajorRequirement.Mode.NONE, "不限": MajorRequirement.Mode.NONE, "": MajorRequirement.Mode.NONE,
}  # fmt: skip
MODE_OUT = {MajorRequirement.Mode.ALL: "均须选考", MajorRequirement.Mode.ANY: "任选其一", MajorRequirement.Mode.NONE: "不提要求"}
SPLIT = re.compile(r"[、,，/／+＋和及\s]+")
FORMULA_STARTS = ("=", "+", "-", "@")


class SheetError(Exception):
    """The file as a whole cannot be read."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Row:
    row: int
    discipline: str
    major: str
    first: str
    subjects: list[str]
    mode: str
    note: str


@dataclass
class Parsed:
    rows: list[Row] = field(default_factory=list)
    problems: list[dict[str, Any]] = field(default_factory=list)
    count: int = 0

    def add(self, row: int, column: str, message: str) -> None:
        self.count += 1
        if len(self.problems) < ERRORS_KEPT:
            self.problems.append({"row": row, "column": column, "message": message})


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = " ".join(unicodedata.normalize("NFKC", str(value)).replace("\u3000", " ").split())
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_STARTS:
        text = text[1:]  # an export's neutralising apostrophe
    return text


def _open(data: bytes):
    if not data:
        raise SheetError(_("The file is empty."))
    if len(data) > MAX_BYTES:
        raise SheetError(_("The file is larger than %(max)s MB.") % {"max": MAX_BYTES // (1024 * 1024)})
    not_xlsx = _(
        "This is not an Excel .xlsx file (perhaps a .csv, .xls or other file renamed). Open it in Excel "
        "or WPS, save it as “Excel workbook (*.xlsx)” and upload that file."
    )
    if not data.startswith(b"PK"):
        raise SheetError(not_xlsx)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise SheetError(_damaged()) from exc
    if "xl/workbook.xml" not in names:
        raise SheetError(not_xlsx)
    if unpacked > MAX_UNPACKED:
        raise SheetError(_damaged())
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise SheetError(_damaged()) from exc


def _damaged() -> str:
    return _(
        "The file is damaged and cannot be opened. Open it in Excel or WPS, save it again as “Excel workbook "
        "(*.xlsx)” and upload it once more."
    )


def _header(values) -> dict[str, int]:
    names = {}
    for i, v in enumerate(values):
        text = _text(v).replace("*", "").replace("(必填)", "").replace("(选填)", "")
        if text in HEADERS and text not in names:
            names[text] = i
    return names


def read_sheet(data: bytes) -> Parsed:
    """Every row of the file's majors sheet, checked; the header row is found in the first ten rows."""
    workbook = _open(data)
    try:
        for sheet in workbook.worksheets:
            rows = sheet.iter_rows(values_only=True)
            for number, values in enumerate(rows, start=1):
                if number > 10:
                    break
                names = _header(values or ())
                if all(c in names for c in REQUIRED):
                    return _read_rows(rows, number, names)
        raise SheetError(
            _("No header row found: the sheet needs the columns %(columns)s. Download the table to see the layout.")
            % {"columns": "、".join(HEADERS)}
        )
    finally:
        workbook.close()


def _read_rows(rows, header_row: int, names: dict[str, int]) -> Parsed:
    parsed = Parsed()
    seen: dict[str, int] = {}
    for number, values in enumerate(rows, start=header_row + 1):
        values = tuple(values or ())
        cells = {c: (values[i] if i < len(values) else None) for c, i in names.items()}
        if all(_text(v) == "" for v in cells.values()):
            continue
        if len(parsed.rows) + parsed.count >= MAX_ROWS:
            raise SheetError(_("The file has more than %(max)s majors.") % {"max": MAX_ROWS})
        bad = False
        for column, value in cells.items():
            if isinstance(value, str) and value.startswith("=") or type(value).__name__ in ("ArrayFormula",):
                parsed.add(number, column, _("a formula is not allowed: type the value itself"))
                bad = True
        if bad:
            continue
        row = _read_row(parsed, number, {c: _text(v) for c, v in cells.items()}, seen)
        if row is not None:
            parsed.rows.append(row)
    if not parsed.rows and not parsed.count:
        raise SheetError(_("The sheet has no major below its header row."))
    return parsed


def _read_row(parsed: Parsed, number: int, cells: dict[str, str], seen: dict[str, int]) -> Row | None:
    before = parsed.count
    discipline, major = cells.get(COL_DISCIPLINE, ""), cells.get(COL_MAJOR, "")
    if not discipline:
        parsed.add(number, COL_DISCIPLINE, _("the discipline is missing"))
    elif len(discipline) > 20:
        parsed.add(number, COL_DISCIPLINE, _("at most %(n)s characters") % {"n": 20})
    if not major:
        parsed.add(number, COL_MAJOR, _("the major is missing"))
    elif len(major) > 40:
        parsed.add(number, COL_MAJOR, _("at most %(n)s characters") % {"n": 40})
    elif major in seen:
        parsed.add(number, COL_MAJOR, _("“%(major)s” is already on row %(row)s") % {"major": major, "row": seen[major]})
    else:
        seen[major] = number
    first = FIRST_WORDS.get(cells.get(COL_FIRST, "").replace(" ", ""))
    if first is None:
        parsed.add(number, COL_FIRST, _("write 物理, 历史 or 物理或历史"))
    subjects: list[str] = []
    raw = cells.get(COL_SUBJECTS, "")
    for word in (w for w in SPLIT.split(raw) if w):
        subject = SUBJECT_WORDS.get(word)
        if subject is None:
            parsed.add(number, COL_SUBJECTS, _("“%(word)s” is not one of 化学, 生物, 思想政治, 地理") % {"word": word})
        elif subject.value in subjects:
            parsed.add(number, COL_SUBJECTS, _("“%(word)s” is named twice") % {"word": word})
        else:
            subjects.append(subject.value)
    mode_text = cells.get(COL_MODE, "").replace(" ", "")
    mode = MODE_WORDS.get(mode_text)
    if mode is None:
        parsed.add(number, COL_MODE, _("write 均须选考, 任选其一 or 不提要求"))
    elif subjects and mode == MajorRequirement.Mode.NONE and mode_text:
        parsed.add(number, COL_MODE, _("re-chosen subjects are named: write 均须选考 or 任选其一"))
    elif not subjects and mode != MajorRequirement.Mode.NONE and not raw:
        parsed.add(number, COL_SUBJECTS, _("name the re-chosen subjects the requirement asks for"))
    elif subjects and not mode_text:
        mode = MajorRequirement.Mode.ALL  # 再选科目 given without a word: all of them, as the guidance lists them
    note = cells.get(COL_NOTE, "")
    if len(note) > 200:
        parsed.add(number, COL_NOTE, _("at most %(n)s characters") % {"n": 200})
    if parsed.count > before or first is None or mode is None:
        return None
    return Row(number, discipline, major, first.value, subjects, mode.value, note)


def _neutralise(value: str) -> str:
    return "'" + value if value and value[0] in FORMULA_STARTS else value


def table_workbook(requirements) -> bytes:
    """The table in the import's columns (write-only mode)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("专业选科要求")
    sheet.append(HEADERS)
    for r in requirements:
        sheet.append([
            _neutralise(r.discipline), _neutralise(r.major), FIRST_OUT[FirstChoice(r.first)],
            "、".join(SUBJECT_OUT[Subject(s)] for s in r.subjects or ()),
            MODE_OUT[MajorRequirement.Mode(r.mode)] if r.subjects else MODE_OUT[MajorRequirement.Mode.NONE],
            _neutralise(r.note),
        ])  # fmt: skip
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
