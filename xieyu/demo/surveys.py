"""The demo county's questionnaires:

- 全南县家庭教育状况调查 (the county's, one answer per family): two sections, every question type, skip logic (陪读时长
  only after 是), dimensions 陪伴 and 学习 with a reverse-scored item.
- 第1轮 (county-wide, closed six weeks ago): some hundreds of families answered, 刘小宇's grandmother 赵秀英 among them.
- 第2轮 (城厢小学, open for two more weeks, a notice sent): many of the same families answered again (paired by
  pseudonym, scores a little higher), so the wave page shows the change; 张伟 has not answered yet, so "我的问卷"
  asks him.

Families' answers are bulk inserts (respondents, responses with their scores, answers), the rest through the services.
"""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from xieyu.directory.models import Guardianship, Student
from xieyu.surveys import services
from xieyu.surveys.models import Answer, Question, Respondent, Response, Wave

from .personas import Cast

TITLE = "全南县家庭教育状况调查"


def _build(cast: Cast):
    chen = cast.county_admin_chen
    q = services.questionnaire_create(
        actor=chen, title=TITLE, county_id=cast.county.pk,
        description="了解全县家庭陪伴与学习支持情况,用于改进家长学校课程。答卷不记名,分析只用编号。",
    )  # fmt: skip
    draft = q.versions.get()
    s1 = services.section_add(actor=chen, version=draft, title="亲子陪伴")
    s2 = services.section_add(actor=chen, version=draft, title="学习支持")
    add = services.question_add
    add(actor=chen, version=draft, section=s1, code="reads", kind=Question.Kind.SINGLE, text="您每天陪孩子阅读吗?",
        options=["是=100", "否=0"], dimension="company")  # fmt: skip
    add(actor=chen, version=draft, section=s1, code="minutes", kind=Question.Kind.NUMBER, text="每天大约陪读多少分钟?",
        number_min=0, number_max=300, show_if={"code": "reads", "in": ["1"]})  # fmt: skip
    add(actor=chen, version=draft, section=s1, code="talk", kind=Question.Kind.SCALE, text="您会和孩子聊学校里的事",
        scale_min=1, scale_max=5, options=["1 从不", "3 有时", "5 经常"], dimension="company")  # fmt: skip
    add(actor=chen, version=draft, section=s2, code="scold", kind=Question.Kind.SCALE, text="作业出错时,您会责骂孩子",
        scale_min=1, scale_max=5, options=["1 从不", "5 经常"], dimension="study", reverse=True)  # fmt: skip
    add(actor=chen, version=draft, section=s2, code="plan", kind=Question.Kind.SCALE,
        text="孩子有固定的作业和作息时间", scale_min=1, scale_max=5, dimension="study")  # fmt: skip
    add(actor=chen, version=draft, section=s2, code="help", kind=Question.Kind.MULTIPLE,
        text="您希望学校提供哪些帮助?(最多选两项)", options=["家庭教育讲座", "家访", "心理咨询", "课后服务"],
        max_choices=2, required=False)  # fmt: skip
    add(actor=chen, version=draft, section=s2, code="note", kind=Question.Kind.TEXT, text="其他建议", required=False)
    services.version_publish(actor=chen, version=draft)
    return q


def _families(cast: Cast, rng: random.Random, school=None, limit: int = 400) -> list[Student]:
    qs = Student.objects.filter(
        status=Student.Status.ENROLLED,
        guardianships__status=Guardianship.Status.CONFIRMED,
        school__county=cast.county,
    )
    if school is not None:
        qs = qs.filter(school=school)
    ids = sorted(set(qs.values_list("pk", flat=True)))
    chosen = set(rng.sample(ids, min(limit, len(ids))))
    zhang = cast.students["zhang_xiaoming"].pk
    chosen.discard(zhang)  # 张伟 is still asked in the open wave
    return list(Student.objects.filter(pk__in=chosen).select_related("school_class"))


def _answers(rng: random.Random, lift: int) -> dict:
    reads = "1" if rng.random() < 0.55 + lift * 0.1 else "2"
    out: dict[str, str | list[str]] = {
        "reads": reads,
        "talk": str(min(5, rng.randint(1, 5) + lift)),
        "scold": str(max(1, rng.randint(1, 5) - lift)),
        "plan": str(min(5, rng.randint(2, 5) + lift)),
    }
    if reads == "1":
        out["minutes"] = str(rng.choice([15, 20, 30, 30, 45, 60]))
    if rng.random() < 0.5:
        out["help"] = sorted(rng.sample(["1", "2", "3", "4"], rng.randint(1, 2)))
    return out


def _bulk_answer(wave: Wave, families: list[Student], rng: random.Random, lift: int, answered_at) -> int:
    questions = services.ordered(wave.version)
    by_code = {q.code: q for q in questions}
    existing = dict(
        Respondent.objects.filter(questionnaire=wave.questionnaire_id, student__in=families).values_list(
            "student_id", "pk"
        )
    )
    new = [Respondent(questionnaire_id=wave.questionnaire_id, student=s) for s in families if s.pk not in existing]
    Respondent.objects.bulk_create(new, batch_size=500)
    existing = dict(
        Respondent.objects.filter(questionnaire=wave.questionnaire_id, student__in=families).values_list(
            "student_id", "pk"
        )
    )
    responses, cleaned_all = [], []
    for s in families:
        cleaned = services.clean_answers(questions, _answers(rng, lift))
        scores, total = services.score_answers(questions, cleaned)
        responses.append(Response(wave=wave, respondent_id=existing[s.pk], status=Response.Status.SUBMITTED,
                                  school_id=s.school_id, school_class_id=s.school_class_id, consent=True,
                                  scores=scores, total=total, submitted_at=answered_at))  # fmt: skip
        cleaned_all.append(cleaned)
    Response.objects.bulk_create(responses, batch_size=500)
    answers = [
        Answer(response=r, question=by_code[code], **fields)
        for r, cleaned in zip(responses, cleaned_all, strict=True)
        for code, fields in cleaned.items()
    ]
    Answer.objects.bulk_create(answers, batch_size=1000)
    return len(responses)


@transaction.atomic
def seed_surveys(cast: Cast, rng: random.Random | None = None) -> None:
    rng = rng or random.Random(14)  # noqa: S311 — demo data, not secrets
    q = _build(cast)
    now = timezone.now()
    first = services.wave_open(actor=cast.county_admin_chen, questionnaire=q, title="第1轮(学期初)",
                               audience=Wave.Audience.COUNTY, closes_at=now + datetime.timedelta(days=7),
                               notify=False)  # fmt: skip
    families = _families(cast, rng, school=cast.school_a, limit=150) + _families(cast, rng, limit=300)
    families.append(cast.students["liu_xiaoyu"])
    families = list({s.pk: s for s in families}.values())
    _bulk_answer(first, families, rng, lift=0, answered_at=now - datetime.timedelta(days=50))
    Wave.objects.filter(pk=first.pk).update(
        opens_at=now - datetime.timedelta(days=56), closes_at=now - datetime.timedelta(days=42)
    )
    services.waves_close_due(now=now)
    second = services.wave_open(actor=cast.school_admin_liu, questionnaire=q, title="第2轮(学期中)",
                                audience=Wave.Audience.SCHOOL, school=cast.school_a,
                                closes_at=now + datetime.timedelta(days=14))  # fmt: skip
    again = [s for s in families if s.school_id == cast.school_a.pk and rng.random() < 0.7]
    _bulk_answer(second, again, rng, lift=1, answered_at=now - datetime.timedelta(days=1))
