"""Roster files made in the tests: an .xlsx like the one a school fills in, written with openpyxl."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook

from xieyu.directory.roster import HEADERS, guardian_column
from xieyu.directory.roster.format import national_student_number


def xlsx(rows: list[list[Any]], *, headers: list[str] | None = HEADERS, title: str | None = None) -> bytes:
    """A workbook whose first sheet has an optional title row, the header row, then the rows."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("学生名单")
    if title:
        sheet.append([title])
    if headers is not None:
        sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def number(born: str, seq: int, *, region: str = "360729") -> str:
    """A valid national 学籍号 (G, the identity number, its check character): number("20180101", 101)."""
    return national_student_number(f"{region}{born}{seq:03d}")


def row(
    number: str,
    name: str = "王小二",
    *,
    grade: str = "三年级",
    school_class: str = "1班",
    gender: str = "男",
    born: Any = "2017-05-12",
    guardians: list[tuple] | None = None,
) -> list[Any]:
    """One student row; guardians as (name, mobile, relationship, primary carer, lives with the child)."""
    if guardians is None:
        guardians = [(f"{name[0]}爸爸", None, "父亲", "是", "是")]
    cells: list[Any] = [grade, school_class, name, gender, born, number]
    for guardian in guardians:
        cells += list(guardian)
    return cells


def column_of(header: str) -> int:
    return HEADERS.index(header)


def set_cell(cells: list[Any], header: str, value: Any) -> list[Any]:
    cells = list(cells) + [None] * max(0, len(HEADERS) - len(cells))
    cells[column_of(header)] = value
    return cells


G1_PHONE = guardian_column(1, "手机")
G1_NAME = guardian_column(1, "姓名")


@dataclass(frozen=True)
class Formula:
    """A formula cell as Excel saves it: the formula and the value it showed when last calculated."""

    formula: str
    cached: Any


def excel_like_xlsx(rows: list[list[Any]], *, headers: list[str] = HEADERS) -> bytes:
    """A large workbook written the way Excel and WPS write one (shared strings, a dimension), quickly.

    openpyxl's own writer needs several seconds for 30,000 rows; this needs about one. A Formula value is written
    with its cached value, as Excel writes it.
    """
    from xml.sax.saxutils import escape

    from openpyxl.utils import get_column_letter

    strings: dict[str, int] = {}
    letters = [get_column_letter(i) for i in range(1, len(headers) + 1)]
    lines = []
    for number, values in enumerate([headers, *rows], start=1):
        cells = []
        for letter, value in zip(letters, values, strict=False):
            if value is None or value == "":
                continue
            if isinstance(value, Formula):
                kind = "" if isinstance(value.cached, int | float) else ' t="str"'
                cells.append(
                    f'<c r="{letter}{number}"{kind}><f>{escape(value.formula)}</f><v>{escape(str(value.cached))}</v></c>'
                )
            elif isinstance(value, int | float):
                cells.append(f'<c r="{letter}{number}"><v>{value}</v></c>')
            else:
                index = strings.setdefault(str(value), len(strings))
                cells.append(f'<c r="{letter}{number}" t="s"><v>{index}</v></c>')
        lines.append(f'<row r="{number}">{"".join(cells)}</row>')
    main = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    sheet = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet {main}>'
        f'<dimension ref="A1:{letters[-1]}{len(rows) + 1}"/><sheetData>{"".join(lines)}</sheetData></worksheet>'
    )
    shared = "".join(f"<si><t>{escape(s)}</t></si>" for s in strings)
    files = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook {main} xmlns:r="{rel}">'
            '<sheets><sheet name="学生名单" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
        ),
        "xl/sharedStrings.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><sst {main} count="{len(strings)}" uniqueCount="{len(strings)}">'
            f"{shared}</sst>"
        ),
        "xl/worksheets/sheet1.xml": sheet,
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text.encode("utf-8"))
    return buffer.getvalue()
