"""The demo's family-education evaluation: three waves across the county, 张伟 still to answer the third."""

from io import StringIO

import pytest
from django.core.management import call_command

from xieyu.demo.personas import COUNTY_CODE
from xieyu.directory.models import Region, Student
from xieyu.surveys.evaluation.models import CandidateConsent, FallSuggestion, Instrument
from xieyu.surveys.models import Response, Wave

pytestmark = pytest.mark.once


@pytest.fixture
def seeded(db):
    call_command("seed_demo", stdout=StringIO(), schools=4, students=400)
    return Region.objects.get(code=COUNTY_CODE)


def test_three_waves_with_realistic_change_and_zhang_still_to_answer(seeded):
    chosen = Instrument.objects.get(county=seeded)
    waves = list(Wave.objects.filter(questionnaire=chosen.questionnaire).order_by("number"))
    assert [w.is_open() for w in waves] == [False, False, True]
    totals = [list(Response.objects.filter(wave=w).values_list("total", flat=True)) for w in waves]
    assert len(totals[0]) > 250 and len(totals[2]) > 100
    means = [sum(t) / len(t) for t in totals]
    assert 58 <= means[0] <= 75 and means[0] < means[1] < means[2]
    zhang = Student.objects.get(name="张小明")
    answered = set(Response.objects.filter(respondent__student=zhang).values_list("wave__number", flat=True))
    assert answered == {1, 2}
    assert FallSuggestion.objects.filter(student__name="钱多多", status="open").exists()
    assert FallSuggestion.objects.exclude(student__name="钱多多").exists()
    assert CandidateConsent.objects.filter(student__name="刘小宇", agreed=True).exists()
    call_command("seed_demo", stdout=StringIO(), schools=4, students=400)
    assert Wave.objects.filter(questionnaire=chosen.questionnaire).count() == 3
