"""The registry's carers as an audience: filled by the care app's hook, for the roles that run the registry."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from xieyu.care.registry.models import RegistryEntry
from xieyu.notices.models import Delivery
from xieyu.surveys import access, services

from .fixtures import GOOD, open_wave

pytestmark = pytest.mark.django_db


def _register(student):
    return RegistryEntry.objects.create(student=student, county=student.school.county, school=student.school,
                                        state=RegistryEntry.State.CONFIRMED)  # fmt: skip


def test_carers_of_the_registry_are_asked(cast, survey):
    _register(cast.students["liu_xiaoyu"])
    hooks = dict(access.carers_targetable(cast.county_admin_chen))
    hook = f"care.registry:county:{cast.county.pk}"
    assert hook in hooks
    wave = open_wave(cast.county_admin_chen, survey, audience="carers", hook=hook)
    assert wave.invited == 1
    assert Delivery.objects.filter(guardian__user=cast.grandma_zhao).exists() or wave.reminder_notice_id
    services.response_submit(actor=cast.grandma_zhao, wave=wave, answers=GOOD, consent=True)
    from django.http import Http404

    with pytest.raises(Http404):  # not a carer of a registered child
        services.response_submit(actor=cast.parent_zhang, wave=wave, answers=GOOD, consent=True)


def test_only_registry_roles_ask_the_carers(cast, survey):
    assert access.carers_targetable(cast.head_teacher_li) == []
    assert [h for h, _l in access.carers_targetable(cast.school_admin_liu)] == [
        f"care.registry:school:{cast.school_a.pk}"
    ]
    with pytest.raises(ValidationError):
        open_wave(cast.school_admin_liu, survey, audience="carers", hook=f"care.registry:county:{cast.county.pk}")
    with pytest.raises(ValidationError):
        open_wave(cast.school_admin_liu, survey, audience="carers", hook=f"care.registry:school:{cast.school_b.pk}")
    assert not survey.waves.exists()
