"""Demo data: the family-education evaluation installed for 全南县 and three county-wide waves (2025 autumn and 2026
spring closed, 2026 autumn, opened through the engine and open now), answered by most families of every school, bulk-inserted.

Scores are realistic rather than random: each family has a level of its own (around 60–75) and its own strong and
weak dimensions (reading together and screen rules are the weakest on average, the family climate the strongest),
improving a little from wave to wave; a few families fall sharply in a wave (their head teachers get a suggestion,
李娜 too: 钱多多's family in her class fell in the spring), and a few score high, improve and consented to be
suggested for the model-family selection (刘小宇's family among them). 张伟 answered the first two waves, weak in
parent–child communication and homework support, and not yet the third: in the browser he answers it and sees his
profile change and the lessons that fit.
"""

from __future__ import annotations

import datetime
import random

from django.urls import reverse
from django.utils import timezone

from xieyu.accounts.models import Membership, Role
from xieyu.directory.models import Student
from xieyu.notices.messages import message_send
from xieyu.surveys.evaluation.models import CandidateConsent, FallSuggestion, Instrument
from xieyu.surveys.evaluation.services import DIMENSION_FALL, TOTAL_FALL, evaluation_install
from xieyu.surveys.models import Respondent, Response, Version, Wave
from xieyu.surveys.services import wave_open

from .personas import Cast

SEED = 1403
TAKING_PART = 0.85  # families that answer the evaluation at all
ANSWER_CLOSED = 0.9  # of those, who answered a closed wave
ANSWER_OPEN = 0.45  # of those, who already answered the open one
FALL_RATE = 0.03
HIGH_RATE = 0.02
DIMENSION_MEAN = {"climate": 72, "communication": 68, "homework": 66, "screen": 61, "reading": 59, "emotion": 70}
ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"

# The cast's families, by student key: [wave 1, wave 2, wave 3] dimension scores (None: not answered).
ZHANG: list[dict[str, float] | None] = [
    {"climate": 70, "communication": 45, "homework": 50, "screen": 60, "reading": 65, "emotion": 60},
    {"climate": 75, "communication": 50, "homework": 45, "screen": 65, "reading": 70, "emotion": 65},
    None,
]
LIU_HIGH: list[dict[str, float] | None] = [
    {"climate": 85, "communication": 80, "homework": 75, "screen": 75, "reading": 80, "emotion": 85},
    {"climate": 90, "communication": 85, "homework": 80, "screen": 80, "reading": 85, "emotion": 85},
    {"climate": 90, "communication": 90, "homework": 85, "screen": 85, "reading": 90, "emotion": 95},
]
QIAN_FALL: list[dict[str, float] | None] = [
    {"climate": 75, "communication": 70, "homework": 70, "screen": 65, "reading": 65, "emotion": 75},
    {"climate": 55, "communication": 45, "homework": 55, "screen": 40, "reading": 50, "emotion": 45},
    None,
]


def _clip(x: float) -> float:
    return float(max(0, min(100, 5 * round(x / 5))))  # Likert means land on steps of about 5 points


def _total(scores: dict[str, float]) -> float:
    return round(sum(scores.values()) / len(scores), 1)


def _family_waves(rng: random.Random) -> list[dict[str, float] | None]:
    level = rng.gauss(0, 8)
    own = {code: rng.gauss(0, 7) for code in DIMENSION_MEAN}
    high = rng.random() < HIGH_RATE
    fall_at = rng.choice([1, 2]) if rng.random() < FALL_RATE * 2 else None
    out: list[dict[str, float] | None] = []
    for w in range(3):
        answered = rng.random() < (ANSWER_OPEN if w == 2 else ANSWER_CLOSED) or (w and (high or fall_at == w))
        if not answered:
            out.append(None)
            continue
        trend = 2.5 * w + (6 * w if high else 0) + (16 if high else 0)
        scores = {code: _clip(mean + level + own[code] + trend + rng.gauss(0, 5)) for code, mean in
                  DIMENSION_MEAN.items()}  # fmt: skip
        if fall_at == w:
            scores = {code: _clip(v - rng.uniform(15, 30)) for code, v in scores.items()}
        out.append(scores)
    return out


def _pseudonyms(rng: random.Random, n: int) -> list[str]:
    taken = set(Respondent.objects.values_list("pseudonym", flat=True))
    out: list[str] = []
    while len(out) < n:
        p = "F" + "".join(rng.choice(ALPHABET) for _ in range(7))
        if p not in taken:
            taken.add(p)
            out.append(p)
    return out


def _waves(cast: Cast, questionnaire, version, now: datetime.datetime) -> list[Wave]:
    """The two closed waves as they were (written directly: the engine opens waves from now on), then the open one
    through the engine, with its deadline and its notice to the county's families."""
    tz = timezone.get_current_timezone()

    def at(y: int, m: int, d: int) -> datetime.datetime:
        return datetime.datetime(y, m, d, 8, tzinfo=tz)

    closed = [
        ("2025年秋季家庭教育评价", at(2025, 10, 13), at(2025, 11, 14)),
        ("2026年春季家庭教育评价", at(2026, 4, 13), at(2026, 5, 15)),
    ]
    waves = [
        Wave.objects.create(
            questionnaire=questionnaire,
            version=version,
            number=n,
            title=title,
            opens_at=opens,
            closes_at=closes,
            audience=Wave.Audience.COUNTY,
            county=cast.county,
            created_by=cast.county_admin_chen,
            created_at=opens,
        )  # fmt: skip
        for n, (title, opens, closes) in enumerate(closed, start=1)
    ]
    waves.append(wave_open(actor=cast.county_admin_chen, questionnaire=questionnaire, title="2026年秋季家庭教育评价",
                           audience=Wave.Audience.COUNTY, opens_at=now - datetime.timedelta(hours=20),
                           closes_at=now + datetime.timedelta(days=21)))  # fmt: skip
    return waves


def seed_evaluation(cast: Cast, rng: random.Random | None = None, now: datetime.datetime | None = None) -> bool:
    """Once per database: a second run finds the county's evaluation and changes nothing."""
    if Instrument.objects.filter(county=cast.county).exists():
        return False
    rng = rng or random.Random(SEED)
    now = now or timezone.now()
    chosen = evaluation_install(actor=None, county=cast.county)
    questionnaire = chosen.questionnaire
    version = Version.objects.get(questionnaire=questionnaire, status=Version.Status.PUBLISHED)
    waves = _waves(cast, questionnaire, version, now)

    fixed: dict[int, list[dict[str, float] | None]] = {cast.students["zhang_xiaoming"].pk: ZHANG, cast.students["liu_xiaoyu"].pk: LIU_HIGH,
             cast.students["qian_duoduo"].pk: QIAN_FALL}  # fmt: skip
    students = list(
        Student.objects.filter(school__county=cast.county, status=Student.Status.ENROLLED, school_class__isnull=False)
        .order_by("pk")
        .values_list("pk", "school_id", "school_class_id")
    )
    plans: list[tuple[int, int, int, list[dict[str, float] | None]]] = []
    for pk, school_id, class_id in students:
        if pk in fixed:
            plans.append((pk, school_id, class_id, fixed[pk]))
        elif rng.random() < TAKING_PART:
            plan = _family_waves(rng)
            if any(plan):
                plans.append((pk, school_id, class_id, plan))
    names = _pseudonyms(rng, len(plans))
    respondents = Respondent.objects.bulk_create(
        [Respondent(questionnaire=questionnaire, student_id=pk, pseudonym=p) for (pk, *_r), p in zip(plans, names,
                                                                                                       strict=True)],
        batch_size=2000,
    )  # fmt: skip
    responses: list[Response] = []
    for respondent, (_pk, school_id, class_id, plan) in zip(respondents, plans, strict=True):
        for wave, scores in zip(waves, plan, strict=True):
            if scores is None:
                continue
            when = min(now, wave.opens_at + datetime.timedelta(days=rng.randint(0, 20), hours=rng.randint(1, 12)))
            responses.append(Response(wave=wave, respondent=respondent, status=Response.Status.SUBMITTED,
                                      school_id=school_id, school_class_id=class_id, consent=True,
                                      scores=scores, total=_total(scores), submitted_at=when))  # fmt: skip
    Response.objects.bulk_create(responses, batch_size=2000)

    # Sharp falls: a suggestion per fall, for the head teacher of the class; the spring's mostly talked already.
    last: dict[int, Response] = {}
    suggestions: list[FallSuggestion] = []
    for r in responses:  # in wave order per respondent
        before = last.get(r.respondent_id)
        last[r.respondent_id] = r
        if before is None:
            continue
        drop = (before.total or 0) - (r.total or 0)
        drops = {c: before.scores[c] - v for c, v in r.scores.items() if before.scores[c] - v >= DIMENSION_FALL}
        if drop >= TOTAL_FALL or drops:
            spring = r.wave_id == waves[1].pk and r.respondent.student_id != cast.students["qian_duoduo"].pk
            status = rng.choice([FallSuggestion.Status.TALKED, FallSuggestion.Status.DISMISSED]) if spring else \
                FallSuggestion.Status.OPEN  # fmt: skip
            suggestions.append(FallSuggestion(
                response=r, previous=before, student_id=r.respondent.student_id or 0, school_class_id=r.school_class_id or 0,
                total_drop=round(max(drop, 0), 1), drops=drops, status=status, created_at=r.submitted_at,
                note="已电话沟通,家里最近有变故,约了家访。" if status == FallSuggestion.Status.TALKED else "",
                resolved_at=r.submitted_at + datetime.timedelta(days=5) if spring else None,
            ))  # fmt: skip
    FallSuggestion.objects.bulk_create(suggestions, batch_size=2000)
    heads: dict[int, list] = {}
    classes = {s.school_class_id for s in suggestions if s.status == FallSuggestion.Status.OPEN}
    for m in Membership.objects.filter(role=Role.HEAD_TEACHER, school_class__in=classes, is_active=True).select_related(
        "user"
    ):
        heads.setdefault(m.school_class_id or 0, []).append(m.user)
    names_of = dict(Student.objects.filter(pk__in=[s.student_id for s in suggestions]).values_list("pk", "name"))
    for s in suggestions:
        if s.status != FallSuggestion.Status.OPEN:
            continue
        for teacher in heads.get(s.school_class_id, []):
            message_send(actor=teacher, county_id=cast.county.pk, to_user=teacher, topic="evaluation.fall",
                         link=reverse("evaluation:suggestion", args=[s.pk]), sender_unit="家庭教育评价",
                         title=f"可能需要谈一谈的家庭:{names_of[s.student_id]}",
                         body=f"家庭教育评价中,{names_of[s.student_id]}家庭的得分比上一次明显下降。这条提示只有您能看到,"
                              "可以找时间和家长友好地聊一聊或家访。")  # fmt: skip

    # Consent: most high, improving families agreed to be suggested (and 刘小宇's grandmother).
    consenting = [cast.students["liu_xiaoyu"].pk]
    for pk, _s, _c, plan in plans:
        answered = [p for p in plan if p]
        if len(answered) >= 2 and _total(answered[-1]) >= 85 and rng.random() < 0.4 and pk not in fixed:
            consenting.append(pk)
    CandidateConsent.objects.bulk_create(
        [CandidateConsent(student_id=pk, agreed=True, changed_at=now) for pk in consenting], batch_size=2000
    )
    return True
