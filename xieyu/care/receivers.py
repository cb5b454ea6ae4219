"""A child who moves to another school takes their care records along: the registry entry, the cases, requests for
a case and the guardian's open rights requests keep the child's school (and county) so that scopes can filter by it
without a join; they follow the child to the new school, and its staff see them at their level, the old school's
staff no longer. Connected in apps.py; runs inside the transfer's transaction."""

from __future__ import annotations

from django.dispatch import receiver

from xieyu.directory.dispatch import student_moved_school
from xieyu.directory.models import School

from .models import Case, CaseRequest, RegistryEntry, RightsRequest


@receiver(student_moved_school, dispatch_uid="xieyu.care.follow_the_child")
def follow_the_child(sender, student, from_school_id, to_school_id, **kwargs) -> None:
    county_id = School.objects.filter(pk=to_school_id).values_list("county_id", flat=True).first()
    if county_id is None:
        return
    RegistryEntry.objects.filter(student=student).update(school_id=to_school_id, county_id=county_id)
    Case.objects.filter(student=student).update(school_id=to_school_id, county_id=county_id)
    CaseRequest.objects.filter(student=student, claimed_at__isnull=True).update(
        school_id=to_school_id, county_id=county_id
    )
    RightsRequest.objects.filter(student=student, state=RightsRequest.State.OPEN).update(school_id=to_school_id)
