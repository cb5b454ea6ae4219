"""The pages the benchmarks measure: each one is the home page of a persona's daily work."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Page:
    name: str
    persona: str  # a key of xieyu.demo.personas.PEOPLE
    url_name: str
    cast_attr: str | None = None  # the cast object whose primary key the URL takes
    pk_of: Callable[[Any], int] | None = None  # or: the primary key the URL takes, found from the cast (in Django)


def liu_xiaoyu_case(cast) -> int:
    """The demo's open case of 刘小宇 (城厢小学), owned by 周敏 (xieyu/demo/care_cases.py)."""
    from xieyu.care.models import Case

    return (
        Case.objects.filter(student__name="刘小宇", school=cast.school_a, owner=cast.users["counsellor_zhou"])
        .exclude(state=Case.State.CLOSED)
        .values_list("pk", flat=True)
        .get()
    )


def chengxiang_committee(cast) -> int:
    """城厢小学's school committee, chaired by 张伟 (xieyu/demo/committees_bodies.py)."""
    from xieyu.committees.models import Committee

    return Committee.objects.filter(school=cast.school_a, level="school").values_list("pk", flat=True).get()


def zhang_notice(cast) -> int:
    """The newest notice or message delivered to 张伟 (the demo's broadcasts reach him once the worker fans them out)."""
    from xieyu.notices.models import Delivery

    return (
        Delivery.objects.filter(guardian__user=cast.users["parent_zhang"])
        .order_by("-notice__created_at")
        .values_list("notice_id", flat=True)
        .first()
    )


PAGES = [
    Page("guardian_home", "parent_zhang", "home"),
    Page("guardian_inbox", "parent_zhang", "notices:inbox"),
    Page("guardian_notice", "parent_zhang", "notices:detail", pk_of=zhang_notice),
    Page("head_teacher_roster", "head_teacher_li", "directory:class_roster", "class_a1"),
    Page("school_overview", "school_admin_liu", "directory:school_overview", "school_a"),
    Page("care_counsellor_home", "counsellor_zhou", "home"),
    Page("care_case", "counsellor_zhou", "care:case_detail", pk_of=liu_xiaoyu_case),
    Page("committee_home", "parent_zhang", "committees:detail", pk_of=chengxiang_committee),
    Page("burden_class", "head_teacher_li", "burden:class", "class_a1"),
    Page("member_home", "volunteer_zeng", "home"),
    Page("partner_home", "partner_wu", "home"),
    Page("county_home", "county_admin_chen", "home"),
]
GUARDIAN_PAGES = {"guardian_home", "guardian_inbox", "guardian_notice"}
BASELINE_PATH = "/ping"
