"""An audience a higher app registers (a parent-school session's guardians, say): asked, answered, refused."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from xieyu.directory.models import Guardian
from xieyu.notices.models import Delivery
from xieyu.surveys import audiences, services
from xieyu.surveys.models import Wave

from .fixtures import GOOD, build_questionnaire, open_wave

pytestmark = pytest.mark.django_db


@pytest.fixture
def session_hook(cast, monkeypatch):
    monkeypatch.setattr(audiences, "HOOKS", dict(audiences.HOOKS))
    zhang = Guardian.objects.get(user=cast.parent_zhang)
    return audiences.register(
        "test.session",
        members=lambda ident: cast.students["zhang_xiaoming"].__class__.objects.filter(
            pk=cast.students["zhang_xiaoming"].pk
        ),
        guardians=lambda ident: Guardian.objects.filter(pk=zhang.pk),
        may_target=lambda user, ident: user == cast.school_admin_liu and ident == "1",
        label=lambda ident: "家长课堂第1讲",
        place=lambda ident: (cast.county.pk, cast.school_a.pk),
    )


def test_a_hook_audience_is_asked_and_answers(cast, session_hook):
    q = build_questionnaire(cast.county_admin_chen, kind="guardian", title="课前问卷")
    wave = open_wave(cast.school_admin_liu, q, audience=Wave.Audience.HOOK, hook="test.session:1")
    assert wave.invited == 1 and wave.school_id == cast.school_a.pk
    assert Delivery.objects.filter(notice__link=f"/surveys/answer/{wave.pk}/", guardian__user=cast.parent_zhang)
    r = services.response_submit(actor=cast.parent_zhang, wave=wave, answers=GOOD, consent=True)
    assert r.respondent.guardian.user == cast.parent_zhang
    with pytest.raises(Http404):  # 赵秀英's grandson is in the class, but she is not in the session
        services.response_submit(actor=cast.grandma_zhao, wave=wave, answers=GOOD, consent=True)


def test_a_hook_audience_is_asked_only_by_those_it_allows(cast, session_hook):
    q = build_questionnaire(cast.county_admin_chen, kind="guardian", title="课前问卷")
    for actor, hook in ((cast.school_admin_wang, "test.session:1"), (cast.school_admin_liu, "test.session:2"),
                        (cast.school_admin_liu, "nobody.registered:1")):  # fmt: skip
        with pytest.raises(ValidationError):
            open_wave(actor, q, audience=Wave.Audience.HOOK, hook=hook)
    with pytest.raises(ValidationError):  # the carers' prefix is not a plain hook audience
        open_wave(cast.county_admin_chen, q, audience=Wave.Audience.HOOK, hook=f"care.registry:county:{cast.county.pk}")
    assert not q.waves.exists()
