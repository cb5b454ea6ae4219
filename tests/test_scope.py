"""One scope: nothing but accounts/scope.py reads a user's memberships (each access.py builds on scope_of)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from xieyu.accounts.models import Role
from xieyu.accounts.scope import scope_of

ROOT = Path(__file__).resolve().parent.parent
SCOPE_MODULE = ROOT / "xieyu/accounts/scope.py"
# Reading memberships: the old per-request list or the reverse manager.
READING = re.compile(r"\.memberships\b|\bmembership_set\b")


def readers_of_memberships(root: Path = ROOT / "xieyu") -> list[str]:
    found = []
    for path in sorted(root.rglob("*.py")):
        if path == SCOPE_MODULE or "tests" in path.parts or "migrations" in path.parts:
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if READING.search(line):
                found.append(f"{path.relative_to(root.parent)}:{n}: {line.strip()}")
    return found


def test_only_the_scope_module_reads_memberships():
    found = readers_of_memberships()
    assert not found, "Memberships read outside accounts/scope.py (use scope_of(user)):\n" + "\n".join(found)


def test_the_check_catches_a_planted_reader(tmp_path):
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "views.py").write_text("for m in request.user.memberships:\n    pass\nx = user.membership_set\n")
    (tmp_path / "app" / "tests").mkdir()
    (tmp_path / "app" / "tests" / "test_x.py").write_text("user.memberships\n")
    assert len(readers_of_memberships(tmp_path)) == 2


@pytest.mark.django_db
def test_the_scope_is_loaded_once_per_request_user(cast, django_assert_num_queries):
    li = type(cast.head_teacher_li).objects.get(pk=cast.head_teacher_li.pk)
    with django_assert_num_queries(1):
        first = scope_of(li)
        again = scope_of(li)
    assert first is again
    assert first.classes(Role.HEAD_TEACHER) == {cast.class_a1.pk}
    assert first.schools(Role.HEAD_TEACHER) == {cast.class_a1.school_id}
    assert first.whole_schools(Role.HEAD_TEACHER) == set()


@pytest.mark.django_db
def test_each_role_reaches_its_own_units(cast):
    county, school = cast.county_admin_chen, cast.school_admin_liu
    assert scope_of(county).counties(Role.COUNTY_ADMIN) == {cast.county.pk}
    assert scope_of(county).schools(Role.SCHOOL_ADMIN) == set()
    assert scope_of(school).whole_schools(Role.SCHOOL_ADMIN) == {cast.school_a.pk}
    assert scope_of(school).counties(Role.COUNTY_ADMIN) == set()
    assert scope_of(school).reach_counties(Role.SCHOOL_ADMIN) == {cast.county.pk}
    assert not scope_of(cast.parent_zhang).is_staff and scope_of(cast.parent_zhang).is_guardian
    assert scope_of(None).grants == () and not scope_of(None).is_guardian
