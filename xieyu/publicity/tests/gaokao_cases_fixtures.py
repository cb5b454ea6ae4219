"""Fixtures of the 新高考 and typical case tests: the demo county's majors table, a neighbouring county with its own
admin (龙南市, 邝海), a case written by 刘芳 for 城厢小学, and helpers to build an Excel file and a picture."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from xieyu.accounts.models import Role
from xieyu.accounts.services import membership_grant, user_create
from xieyu.demo.gaokao_cases import MAJORS
from xieyu.directory.models import Region
from xieyu.publicity.cases.services import CaseFields, case_create
from xieyu.publicity.gaokao.models import MajorRequirement
from xieyu.publicity.gaokao.sheet import HEADERS


@pytest.fixture
def majors(cast):
    return MajorRequirement.objects.bulk_create([
        MajorRequirement(county=cast.county, discipline=d, major=m, first=f, subjects=s, mode=mode, note=note)
        for d, m, f, s, mode, note in MAJORS
    ])  # fmt: skip


@pytest.fixture
def far_county(cast):
    return Region.objects.create(name="龙南市", level=Region.Level.COUNTY, code="360727", parent=cast.county.parent)


@pytest.fixture
def far_admin(far_county):
    user = user_create(actor=None, phone="13800000091", name="邝海")
    membership_grant(actor=None, user=user, role=Role.COUNTY_ADMIN, unit=far_county)
    return user


def fields(**over) -> CaseFields:
    base = {
        "title": "家长学校进社区", "theme": "parent_school", "background": "家长多在县城务工。",
        "actions": "把家长学校搬到社区,周六上午开课。", "results": "到课家长增加到90多人。",
        "replicable": "课程时间跟着家长走。",
    }  # fmt: skip
    base.update(over)
    return CaseFields(**base)


@pytest.fixture
def draft(cast):
    return case_create(actor=cast.school_admin_liu, school=cast.school_a, fields=fields())


def xlsx(rows, headers=HEADERS) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def upload(data: bytes, name: str = "majors.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def picture(width=2400, height=1800, fmt="PNG", name="photo.png") -> SimpleUploadedFile:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 120, 40)).save(out, format=fmt)
    return SimpleUploadedFile(name, out.getvalue())
