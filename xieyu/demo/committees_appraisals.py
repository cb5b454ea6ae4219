"""Demo data: last term's appraisal, closed, at 城厢小学 and 全南二中 with results (most classes answered well, 三年级2班
only three families, so it shows suppressed), a few comments waiting for the county's moderation and one approved;
and this term's appraisal open at 城厢小学, so its families (赵秀英 among them) find it on their home page.

Made-up answers of made-up families, bulk-inserted without audit rows like the rest of the generated county."""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from xieyu.committees.appraisals.masking import mask, school_names
from xieyu.committees.appraisals.models import (
    SECTIONS,
    Appraisal,
    AppraisalAnswered,
    AppraisalComment,
    AppraisalResponse,
)
from xieyu.committees.appraisals.rollups import rollup_refresh
from xieyu.directory.models import Student

from .personas import Cast

LAST_TERM = "2024—2025学年第二学期"
THIS_TERM = "2025—2026学年第一学期"
COMMENTS = [
    ("homework", "周末作业有点多，孩子经常写到很晚，有事可以打我电话13812345678。"),
    ("afterschool", "课后服务的托管很好，希望增加体育活动。"),
    ("communication", "班级群里通知太多，希望集中发布。"),
    ("ethics", "王老师很负责，孩子很喜欢上她的课。"),
]


def seed_appraisals(cast: Cast) -> None:
    if Appraisal.objects.filter(school=cast.school_a, term=LAST_TERM).exists():
        return
    rng = random.Random(11)
    now = timezone.now()
    keep_free = {cast.students[k].pk for k in ("zhang_xiaoming", "liu_xiaoyu", "sun_hao", "li_guoguo")}
    for school in (cast.school_a, cast.school_b):
        appraisal = Appraisal.objects.create(
            county=cast.county, school=school, term=LAST_TERM, status=Appraisal.Status.CLOSED,
            opened_by=cast.users["county_admin_chen"], opened_at=now - datetime.timedelta(days=150),
            closed_by=cast.users["county_admin_chen"], closed_at=now - datetime.timedelta(days=120),
        )  # fmt: skip
        students = list(
            Student.objects.filter(school=school, school_class__isnull=False, status=Student.Status.ENROLLED)
            .exclude(pk__in=keep_free)
            .order_by("school_class_id", "pk")
            .values_list("pk", "school_class_id")
        )
        by_class: dict[int, list[int]] = {}
        for pk, class_id in students:
            by_class.setdefault(class_id, []).append(pk)
        markers, answers = [], []
        for class_id, pks in by_class.items():
            share = max(5, int(len(pks) * rng.uniform(0.45, 0.7)))
            if class_id == cast.class_a2.pk:
                share = 3  # too few to show: suppressed
            elif class_id in (cast.class_a1.pk, cast.class_b1.pk):
                share = len(pks)  # the cast's classes answered in full: the largest, shown beside the hidden one
            for pk in pks[:share]:
                markers.append(AppraisalAnswered(appraisal=appraisal, student_id=pk))
                base = rng.choice([3, 4, 4, 5, 5])
                answers.append(AppraisalResponse(appraisal=appraisal, school_class_id=class_id, **{
                    s: min(5, max(1, base + rng.choice([-1, 0, 0, 1]))) for s in SECTIONS}))  # fmt: skip
        rng.shuffle(answers)  # the order of the answers says nothing of the markers' order
        AppraisalAnswered.objects.bulk_create(markers, batch_size=1000)
        AppraisalResponse.objects.bulk_create(answers, batch_size=1000)
        appraisal.responses = len(answers)
        appraisal.save(update_fields=["responses"])
        names = school_names(school.pk)
        class_id = cast.class_a1.pk if school == cast.school_a else cast.class_b1.pk
        comments = []
        for i, (section, text) in enumerate(COMMENTS):
            masked, n = mask(text, names)
            approved = i == 1
            comments.append(AppraisalComment(
                appraisal=appraisal, school_class_id=class_id, section=section, text=masked, masked=n,
                state=AppraisalComment.State.APPROVED if approved else AppraisalComment.State.PENDING,
                moderated_by=cast.users["county_admin_chen"] if approved else None,
                moderated_at=now if approved else None,
            ))  # fmt: skip
        AppraisalComment.objects.bulk_create(comments)
        rollup_refresh(appraisal)
    current = Appraisal.objects.create(
        county=cast.county, school=cast.school_a, term=THIS_TERM, opened_by=cast.users["school_admin_liu"]
    )
    rollup_refresh(current)
