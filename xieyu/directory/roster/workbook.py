"""The workbooks the school downloads: the empty template (with its help sheet) and the export of its roster.

Both have the roster sheet first, in the format the import reads, so an export imports back unchanged.
"""

from __future__ import annotations

import io
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from xieyu.audit.services import access_record

from ..models import Guardianship, School, Student
from .format import (
    COL_BIRTH,
    COL_CLASS,
    COL_GENDER,
    COL_GRADE,
    COL_NAME,
    COL_NUMBER,
    EXAMPLE_STUDENT_NUMBER,
    FORMULA_STARTS,
    GENDER_LABELS,
    GUARDIAN_SLOTS,
    HEADERS,
    MAX_ROWS,
    NO,
    PART_LIVES,
    PART_PHONE,
    PART_PRIMARY,
    PART_RELATIONSHIP,
    RELATIONSHIP_LABELS,
    SHEET_HELP,
    SHEET_ROSTER,
    STUDENT_COLUMNS,
    YES,
    guardian_column,
)


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
    required = set(STUDENT_COLUMNS) - {COL_NUMBER}  # a new pupil may have no 学籍号 yet, nor a known guardian
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
        _(
            "Highlighted columns must be filled in. Leave the guardian columns empty for a student whose guardians "
            "are not known yet: guardians can also join the class themselves with its join code."
        ),
        _("%(grade)s and %(class)s must be a grade and a class of this school, for example 三年级 and 1班.")
        % {"grade": COL_GRADE, "class": COL_CLASS},
        _("%(gender)s: 男 or 女. %(birth)s: a date such as 2017-05-12, 2017/5/12 or 2017年5月12日.")
        % {"gender": COL_GENDER, "birth": COL_BIRTH},
        _(
            "%(number)s: the national student number, G and the 18-character identity number, for example "
            "%(example)s; leave it empty for a student who has none yet. Importing the same student number again "
            "updates the student; a changed class is recorded as a class transfer."
        )
        % {"number": COL_NUMBER, "example": EXAMPLE_STUDENT_NUMBER},
        _(
            "Guardian mobile: 11 digits. One mobile number is one guardian, who may care for several children. "
            "Leave it empty for a guardian without a phone."
        ),
        _(
            "A mobile number already registered to someone else (another name, or a guardian in another family) "
            "is refused: that guardian joins the child themselves with the class join code."
        ),
        _("Relationship: one of %(choices)s.") % {"choices": "、".join(RELATIONSHIP_LABELS.values())},
        _("Primary carer and lives with the child: 是 or 否 (empty means 否 and 是)."),
        _("Type or paste values, not formulas: a cell holding a formula is refused."),
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
    guardians: dict[int, list[tuple[Any, ...]]] = {}
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
        guardians.setdefault(student_id, []).append(tuple(values))
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
        row: list[Any] = [
            grade or "",
            class_name or "",
            name,
            GENDER_LABELS.get(Student.Gender(gender), "") if gender else "",
            born,
            number,
        ]
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
