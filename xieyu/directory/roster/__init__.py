"""Roster import and export: the .xlsx template, reading and checking a school's file, committing it.

A school's roster lives in Excel. One row is one student with up to four guardians. The modules, in the order
a file goes through them:

- ``format`` — the columns, headers and words of the file, and its limits;
- ``reader`` — opening the workbook safely, finding the header row, reading and checking each row;
- ``plan`` — checking the rows against the database, and the plan of what a commit creates and updates;
- ``apply`` — writing a plan, and the import's lifecycle (create, validate, commit, recover; views in
  roster_views.py, jobs in tasks.py);
- ``workbook`` — the template and the export.

A file is imported whole or not at all. Besides its cells' plain mistakes, each named by row and column, it is
refused for what would do harm if read naively: a zip that unpacks far beyond any roster, a formula (never its
cached value), a 学籍号 that is not the national one, and a mobile number that would bind someone else to a
child (plan.py says why a school cannot bind another family's guardian, even on purpose). The roster sheet is
found by its header row, so the help sheet may come first; the school's own export imports back unchanged.

Who may see an import is decided in access.py (``imports_visible_to``, ``get_import_for``).
"""

from ..access import get_import_for, imports_visible_to
from .apply import (
    NotCommittable,
    interrupted_note,
    roster_import_commit,
    roster_import_commit_request,
    roster_import_create,
    roster_import_recover,
    roster_import_validate,
    roster_imports_recover_stale,
)
from .format import ERRORS_KEPT, HEADERS, guardian_column
from .reader import RosterFileError, check_roster_file, check_upload_size, read_roster
from .workbook import roster_export_workbook, roster_template_workbook

__all__ = [
    "ERRORS_KEPT",
    "HEADERS",
    "NotCommittable",
    "RosterFileError",
    "check_roster_file",
    "check_upload_size",
    "get_import_for",
    "guardian_column",
    "imports_visible_to",
    "interrupted_note",
    "read_roster",
    "roster_export_workbook",
    "roster_import_commit",
    "roster_import_commit_request",
    "roster_import_create",
    "roster_import_recover",
    "roster_import_validate",
    "roster_imports_recover_stale",
    "roster_template_workbook",
]
