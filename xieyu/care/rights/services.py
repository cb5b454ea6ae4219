"""Every write of the guardian's rights: a correction or deletion request, and the school admin's answer.

A request goes to the admins of the child's school (one message each, through the one message path) on the deadline
engine (policy care.rights: answered within 10 working days, then the county); the answer, done or refused, always
with a reason, resolves the deadline and tells the guardian.
"""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xieyu.accounts.models import Role, User
from xieyu.accounts.scope import holders
from xieyu.audit.services import audit_record
from xieyu.deadlines.services import UnknownPolicy, deadline_for, deadline_resolve, deadline_start
from xieyu.directory.models import Student
from xieyu.notices.messages import message_send

from .models import RightsRequest

logger = logging.getLogger("xieyu.care.rights")
DETAIL_CHARS = 2000
ANSWER_CHARS = 2000


def _school_admins(school_id: int) -> list[User]:
    return list(holders(Role.SCHOOL_ADMIN, school_id=school_id))


@transaction.atomic
def rights_request_create(*, actor, student: Student, kind: str, detail: str) -> RightsRequest:
    """A guardian asks for a correction or a deletion of what the platform holds about their child."""
    if kind not in RightsRequest.Kind.values:
        raise ValidationError(_("Choose whether you ask for a correction or a deletion."))
    detail = (detail or "").strip()
    if not detail:
        raise ValidationError(_("Say what should be corrected or deleted."))
    if len(detail) > DETAIL_CHARS:
        raise ValidationError(_("Please keep the request under %(n)s characters.") % {"n": DETAIL_CHARS})
    if RightsRequest.objects.filter(student=student, kind=kind, state=RightsRequest.State.OPEN).exists():
        raise ValidationError(
            _("A request of this kind for this child is still awaiting an answer; add to it when it is answered.")
        )
    request = RightsRequest.objects.create(
        student=student, school_id=student.school_id, requested_by=actor, kind=kind, detail=detail
    )
    audit_record(actor=actor, action="care.rights.request", target=request, changes={"kind": [None, kind]})
    kind_label = request.get_kind_display()
    try:
        deadline_start(actor=actor, target=request, policy="care.rights", school=student.school,
                       school_class=student.school_class, title=f"{kind_label} · {student.name}")  # fmt: skip
    except UnknownPolicy:  # never lose the guardian's request over a missing policy row: the admins are told below
        logger.error("no active care.rights policy: rights request %s has no deadline", request.pk)
    link = reverse("care:rights_request_answer", args=[request.pk])
    for admin in _school_admins(student.school_id):
        message_send(
            actor=actor, county_id=student.school.county_id, to_user=admin,
            title=_("A guardian asks for a %(kind)s of a child's record") % {"kind": kind_label},
            body=_("A guardian of %(child)s asks for a %(kind)s of what the platform holds about the child. Please "
                   "answer within 10 working days, with a reason.") % {"child": student.name, "kind": kind_label},
            link=link, topic="care.rights", sender_unit=_("Care"),
        )  # fmt: skip
    return request


@transaction.atomic
def rights_request_answer(*, actor, request: RightsRequest, done: bool, answer: str) -> RightsRequest:
    """The school admin answers: done (the record was corrected or deleted) or refused; a reason either way."""
    locked = RightsRequest.objects.select_for_update().select_related("student", "school").get(pk=request.pk)
    if locked.state != RightsRequest.State.OPEN:
        raise ValidationError(_("This request has been answered already."))
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError(_("Give the reason for your answer: the guardian reads it."))
    if len(answer) > ANSWER_CHARS:
        raise ValidationError(_("Please keep the answer under %(n)s characters.") % {"n": ANSWER_CHARS})
    before = locked.state
    locked.state = RightsRequest.State.DONE if done else RightsRequest.State.REFUSED
    locked.answer = answer
    locked.answered_by = actor
    locked.answered_at = timezone.now()
    locked.save(update_fields=["state", "answer", "answered_by", "answered_at"])
    audit_record(actor=actor, action="care.rights.answer", target=locked, changes={"state": [before, locked.state]})
    deadline = deadline_for(locked)
    if deadline is not None:
        deadline_resolve(actor=actor, deadline=deadline)
    message_send(
        actor=actor, county_id=locked.school.county_id, to_user=locked.requested_by,
        title=_("Your request about %(child)s's record is answered") % {"child": locked.student.name},
        body=_("%(state)s: %(answer)s") % {"state": locked.get_state_display(), "answer": answer},
        link=reverse("care:rights_child", args=[locked.student_id]), topic="care.rights",
        sender_unit=locked.school.name,
    )  # fmt: skip
    request.state, request.answer = locked.state, locked.answer
    request.answered_by, request.answered_at = locked.answered_by, locked.answered_at
    return locked
