"""Views and the API read protected records only through access.py (DESIGN.md convention 2).

Every views.py, *_views.py, joining.py, forms.py and api.py module under xieyu/ is parsed; a direct
`<Model>.objects.get/filter/all/exclude(...)` or `get_object_or_404(<Model>...)` on a protected model (every model of
the project but the reference tables named below) fails the test,
naming the file and line. Reads belong in the domain's access.py, which answers 404 alike for missing and forbidden.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Models that hold no child's, family's or person's data: reference tables, configuration and search statistics.
# Every other model of the project is protected, so a new domain's models are protected from their first line.
UNPROTECTED = {
    "core.SchedulerLease",
    "directory.Region",
    "directory.Community",
    "directory.Town",
    "teams.Skill",
    "directory.PartnerAgency",
    "deadlines.CountyCalendar",
    "deadlines.CalendarDay",
    "deadlines.ScheduleYear",
    "deadlines.DeadlinePolicy",
    "notices.NoticePolicy",
    "questions.UrgentTerm",
    "questions.TermStat",
    "questions.IndexStat",
}


def protected_models() -> set[str]:
    from django.apps import apps

    return {
        model.__name__
        for config in apps.get_app_configs()
        if config.name.startswith("xieyu.")
        for model in config.get_models()
        if model._meta.label not in UNPROTECTED
    }


PROTECTED = protected_models()
READS = {"get", "filter", "all", "exclude"}
SHORTCUTS = {"get_object_or_404", "get_list_or_404"}


def checked_modules(root: Path = ROOT / "xieyu") -> list[Path]:
    found = set()
    for pattern in ("views.py", "*_views.py", "joining.py", "api.py", "forms.py"):
        found.update(p for p in root.rglob(pattern) if "migrations" not in p.parts and "tests" not in p.parts)
    return sorted(found)


def _aliases(tree: ast.AST) -> dict[str, str]:
    """Local names bound to protected models (`from ..models import Student as S` → {"S": "Student"})."""
    names = {name: name for name in PROTECTED}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            for alias in node.names:
                if alias.name in PROTECTED:
                    names[alias.asname or alias.name] = alias.name
    return names


def _model_name(node: ast.AST, aliases: dict[str, str]) -> str | None:
    """The protected model an expression names: `Student`, `models.Student`, an alias; else None."""
    if isinstance(node, ast.Name):
        return aliases.get(node.id)
    if isinstance(node, ast.Attribute) and node.attr in PROTECTED:
        return node.attr
    return None


def _manager_owner(node: ast.AST, aliases: dict[str, str]) -> str | None:
    """For `<Model>.objects` or `<Model>._default_manager`, the protected model; else None."""
    if isinstance(node, ast.Attribute) and node.attr in {"objects", "_default_manager"}:
        return _model_name(node.value, aliases)
    return None


def _root_model(node: ast.AST, aliases: dict[str, str]) -> str | None:
    """The protected model at the root of a chain such as `Student.objects.select_related(...)` or `Student`."""
    while True:
        owner = _manager_owner(node, aliases) or _model_name(node, aliases)
        if owner:
            return owner
        if isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Attribute):
            node = node.value
        else:
            return None


def find_protected_reads(source: str, filename: str = "<string>") -> list[str]:
    """Every direct read of a protected model in the source, as "file:line: what"."""
    tree = ast.parse(source, filename=filename)
    aliases = _aliases(tree)
    problems = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in READS:
            model = _manager_owner(func.value, aliases)
            if model:
                what = f"{model}.{func.value.attr}.{func.attr}()"
                problems.append((node.lineno, node.col_offset, f"{filename}:{node.lineno}: {what} — use access.py"))
        shortcut = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
        if shortcut in SHORTCUTS and node.args:
            model = _root_model(node.args[0], aliases)
            if model:
                what = f"{shortcut}({model}, ...)"
                problems.append((node.lineno, node.col_offset, f"{filename}:{node.lineno}: {what} — use access.py"))
    return [message for *_, message in sorted(problems)]


def test_every_model_holding_a_familys_data_is_protected():
    for name in ("Question", "Message", "Alert", "TopicRequest", "TopicVote", "ClinicBooking", "Notice", "Delivery",
                 "Registration", "Attendance", "Feedback", "FollowUp", "Answer", "Deadline", "Escalation",
                 "RosterImport", "User", "ApiToken"):  # fmt: skip
        assert name in PROTECTED, name


def test_views_and_api_read_protected_records_only_through_access_helpers():
    modules = checked_modules()
    assert any(p.name == "views.py" for p in modules) and any(p.name == "api.py" for p in modules)
    problems = []
    for path in modules:
        problems += find_protected_reads(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))
    assert not problems, "Protected records read outside access.py:\n" + "\n".join(problems)


PLANTED = """
from django.shortcuts import get_object_or_404
from xieyu.directory import models
from xieyu.directory.models import Student, SchoolClass as Klass
from xieyu.audit.models import AccessEvent
from xieyu.directory.access import get_student_for


def leaky(request, pk):
    a = Student.objects.get(pk=pk)
    b = Klass.objects.filter(pk=pk)
    c = models.Guardian.objects.all()
    d = get_object_or_404(Student, pk=pk)
    e = get_object_or_404(models.School.objects.select_related("county"), pk=pk)
    f = AccessEvent.objects.exclude(actor=None)
    g = Student._default_manager.get(pk=pk)
    return a, b, c, d, e, f, g


def fine(request, pk):
    student = get_student_for(request.user, pk)
    notes = Note.objects.filter(student=student)
    items = request.GET.get("items")
    return student, notes, items, {}.get("x")
"""


def test_the_checker_catches_a_planted_example():
    problems = find_protected_reads(PLANTED, "xieyu/planted/views.py")
    assert problems == [
        "xieyu/planted/views.py:10: Student.objects.get() — use access.py",
        "xieyu/planted/views.py:11: SchoolClass.objects.filter() — use access.py",
        "xieyu/planted/views.py:12: Guardian.objects.all() — use access.py",
        "xieyu/planted/views.py:13: get_object_or_404(Student, ...) — use access.py",
        "xieyu/planted/views.py:14: get_object_or_404(School, ...) — use access.py",
        "xieyu/planted/views.py:15: AccessEvent.objects.exclude() — use access.py",
        "xieyu/planted/views.py:16: Student._default_manager.get() — use access.py",
    ]


def test_the_checker_finds_every_kind_of_module(tmp_path):
    for name in ("views.py", "roster_views.py", "joining.py", "api.py", "forms.py", "services.py", "access.py"):
        (tmp_path / "app" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "app" / name).write_text("")
    (tmp_path / "app" / "tests").mkdir()
    (tmp_path / "app" / "tests" / "views.py").write_text("")
    assert [p.name for p in checked_modules(tmp_path)] == ["api.py", "forms.py", "joining.py", "roster_views.py", "views.py"]
