"""The evaluation tests' helpers: the county's instrument, three waves (two closed, one open), and answers written
as the engine stores them (scores per dimension and their mean), which fire the same check as a real submit."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from xieyu.surveys.evaluation import instrument as std
from xieyu.surveys.evaluation.services import evaluation_install
from xieyu.surveys.models import Respondent, Response, Wave

CODES = [d.code for d in std.DIMENSIONS]


def flat(value: float, **overrides: float) -> dict[str, float]:
    return {code: float(overrides.get(code, value)) for code in CODES}


class Evaluation:
    def __init__(self, cast):
        self.cast = cast
        self.chosen = evaluation_install(actor=None, county=cast.county)
        self.questionnaire = self.chosen.questionnaire
        self.version = self.questionnaire.versions.get()
        now = timezone.now()
        day = datetime.timedelta(days=1)
        self.waves = [
            Wave.objects.create(
                questionnaire=self.questionnaire,
                version=self.version,
                number=n,
                title=title,
                opens_at=opens,
                closes_at=opens + 20 * day,
                audience=Wave.Audience.COUNTY,
                county=cast.county,
            )  # fmt: skip
            for n, (title, opens) in enumerate(
                [("2025年秋季", now - 400 * day), ("2026年春季", now - 200 * day), ("2026年秋季", now - 5 * day)],
                start=1,
            )
        ]

    def answer(self, student, wave_number: int, scores: dict[str, float], *, school_class=None) -> Response:
        respondent, _created = Respondent.objects.get_or_create(questionnaire=self.questionnaire, student=student)
        return Response.objects.create(
            wave=self.waves[wave_number - 1], respondent=respondent, status=Response.Status.SUBMITTED,
            school=student.school, school_class=school_class or student.school_class, consent=True,
            scores=scores, total=round(sum(scores.values()) / len(scores), 1),
        )  # fmt: skip


@pytest.fixture
def evaluation(cast) -> Evaluation:
    return Evaluation(cast)
