"""The appraisals API for the guardian (mounted at /api/v1/committees/appraisals): the open appraisals of her
children's schools, one line per child, and answering one (anonymously; a second answer for a child is 422)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from xieyu.core.api.errors import error_response

from . import access, services
from .models import SECTIONS

router = Router()


class OpenOut(Schema):
    appraisal_id: int
    school: str
    term: str
    student_id: int
    student_name: str
    answered: bool


class AnswerIn(Schema):
    student_id: int
    management: int
    ethics: int
    homework: int
    afterschool: int
    communication: int
    comments: dict[str, str] = {}


class AnsweredOut(Schema):
    answered: bool


@router.get("/open", response=list[OpenOut], summary="Open appraisals of my children's schools, one line per child")
def open_appraisals(request):
    return [
        {
            "appraisal_id": i.appraisal.pk,
            "school": i.appraisal.school.name,
            "term": i.appraisal.term,
            "student_id": i.student.pk,
            "student_name": i.student.name,
            "answered": i.answered,
        }  # fmt: skip
        for i in access.open_for_guardian(request.auth)
    ]


@router.post("/{int:id}/answer", response={201: AnsweredOut}, summary="Answer an appraisal for one of my children")
def answer(request, id: int, payload: AnswerIn):
    appraisal = access.get_open_appraisal_for_guardian(request.auth, id)
    student = access.children_for_answer(request.auth, appraisal).filter(pk=payload.student_id).first()
    if student is None:
        return error_response(422, _("Child: choose the child you answer for."))
    try:
        services.appraisal_answer(
            actor=request.auth, appraisal=appraisal, student=student,
            ratings={s: getattr(payload, s) for s in SECTIONS}, comments=payload.comments,
        )  # fmt: skip
    except ValidationError as exc:
        return error_response(422, " ".join(exc.messages))
    return Status(201, {"answered": True})
