"""Helpers for the referrals tests: 刘小宇's case (owned by 周敏, supervised by 钟慧) with three sections, a consent
given by 赵秀英, the code in the latest text to a number."""

from __future__ import annotations

import datetime
import re

from django.utils import timezone

from xieyu.accounts import sms
from xieyu.care.cases.models import Case, CaseSection, Section
from xieyu.care.referrals.models import Consent
from xieyu.directory.models import Guardian, PartnerAgency

FAMILY_TEXT = "奶奶年迈,需要亲情沟通与家庭支持。"
ASSESSMENT_TEXT = "评估:孩子情绪低落,学习动力不足。"
ABUSE_TEXT = "疑似遭受邻居打骂(敏感)。"


def make_case(cast, student="liu_xiaoyu", owner="counsellor_zhou", supervisor="supervisor_zhong") -> Case:
    child = cast.students[student]
    case = Case.objects.create(
        student=child, county=cast.county, school=child.school, title="留守儿童关爱", origin=Case.Origin.HOME_VISIT,
        owner=getattr(cast, owner), supervisor=getattr(cast, supervisor), state=Case.State.SERVICES,
    )  # fmt: skip
    CaseSection.objects.create(case=case, section=Section.FAMILY_SUPPORT, body=FAMILY_TEXT)
    CaseSection.objects.create(case=case, section=Section.ASSESSMENT, body=ASSESSMENT_TEXT)
    CaseSection.objects.create(case=case, section=Section.ABUSE, body=ABUSE_TEXT)
    return case


def zhao(cast) -> Guardian:
    return Guardian.objects.get(user=cast.grandma_zhao)


def civil_affairs(cast) -> PartnerAgency:
    return PartnerAgency.objects.get(county=cast.county, kind=PartnerAgency.Kind.CIVIL_AFFAIRS)


def consent(cast, case, *, agency=None, agency_kind="", sections=(Section.FAMILY_SUPPORT,), given=True, days=30,
            **extra) -> Consent:  # fmt: skip
    now = timezone.now()
    return Consent.objects.create(
        student=case.student, guardian=zhao(cast), case=case, purpose="家庭支持", sections=list(sections),
        agency=agency if agency is not None or agency_kind else cast.women_federation, agency_kind=agency_kind,
        method=Consent.Method.APP_SMS, requested_by=case.owner, given_at=now if given else None,
        expires_at=now + datetime.timedelta(days=days), **extra,
    )  # fmt: skip


def last_code(phone: str) -> str:
    for to, text in reversed(sms.outbox):
        if to == phone:
            found = re.search(r"\b(\d{6})\b", text)
            if found:
                return found.group(1)
    raise AssertionError(f"no code texted to {phone}")


def last_link(phone: str) -> str:
    for to, text in reversed(sms.outbox):
        if to == phone:
            found = re.search(r"/care/referrals/link/([A-Za-z0-9_-]+)/", text)
            if found:
                return found.group(1)
    raise AssertionError(f"no link texted to {phone}")
