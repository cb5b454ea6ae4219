"""The registry pages run a fixed number of queries whatever the registry's size."""

from __future__ import annotations

import datetime

import pytest

from xieyu.care.models import RegistryCategory, RegistryEntry
from xieyu.directory.models import Guardianship
from xieyu.directory.services import guardian_for_phone, guardianship_add, student_create

from .registry_helpers import register_liu


def _grow(cast, n: int, start: int) -> None:
    """n more pupils of 李娜's class, each registered with two categories, and as many left-behind suggestions."""
    for i in range(start, start + n):
        s = student_create(actor=None, school_class=cast.class_a1, name=f"学生{i}", gender="M",
                           birth_date=datetime.date(2017, 1, 1), student_number="")  # fmt: skip
        e = RegistryEntry.objects.create(student=s, county=cast.county, school=cast.school_a, state="confirmed",
                                         carer_name="奶奶", carer_phone=f"139{i:08d}",
                                         next_review_on=datetime.date(2020, 1, 31))  # fmt: skip
        RegistryCategory.objects.create(entry=e, category="left_behind_one", source="school_survey")
        RegistryCategory.objects.create(entry=e, category="hardship_economic", source="civil_affairs")
        t = student_create(actor=None, school_class=cast.class_a1, name=f"待建档{i}", gender="F",
                           birth_date=datetime.date(2017, 1, 1), student_number="")  # fmt: skip
        guardianship_add(actor=None, student=t, guardian=guardian_for_phone(name=f"父亲{i}", phone=f"137{i:08d}"),
                         relationship="father", lives_with_child=False, status=Guardianship.Status.CONFIRMED)  # fmt: skip


PAGES = [
    ("head_teacher_li", "/care/registry/"),
    ("school_admin_liu", "/care/registry/?category=left_behind_one&overdue=on"),
    ("county_admin_chen", "/care/registry/?q=学生"),
    ("partner_wu", "/care/registry/"),
    ("head_teacher_li", "/care/registry/{liu}/"),
    ("partner_wu", "/care/registry/{liu}/edit/"),
    ("head_teacher_li", "/care/registry/propose/"),
]


@pytest.mark.parametrize("persona, url", PAGES)
def test_registry_pages_run_a_fixed_number_of_queries(cast, client_for, persona, url, django_assert_max_num_queries):
    entry = register_liu(cast)
    client = client_for(persona)
    url = url.format(liu=entry.pk)
    _grow(cast, 3, 0)
    small = client.get(url)
    assert small.status_code == 200
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(url)
    _grow(cast, 30, 100)  # more rows than a page holds
    with django_assert_max_num_queries(len(few.captured_queries)):
        r = client.get(url)
    assert r.status_code == 200
    if url == "/care/registry/" and persona == "head_teacher_li":
        page = r.content.decode()
        assert page.count("data-entry=") == 20 and "共 34 名儿童" in page
        assert "139****0129" in page and "13900000129" not in page  # masked in lists
