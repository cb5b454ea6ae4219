"""The guardian's rights API (mounted at /api/v1/care/rights): a child's care record with its access log by role,
a correction or deletion request; the school admin's requests and answer. Same rules as the pages: 404 alike for
missing and forbidden, 422 with the reason for a refused write."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from xieyu.audit.services import access_record
from xieyu.core.api.pagination import PageMeta, paginate
from xieyu.questions.asking.api import refused

from . import access, services
from .export import section_labels, what_was_read

router = Router()
LOG_ROWS = 50


class FactOut(Schema):
    category: str
    label: str
    detail: str
    source: str
    noted_on: datetime.date
    ended_on: datetime.date | None


class ConsentOut(Schema):
    id: int
    purpose: str
    recipient: str
    sections: list[str]
    state: str
    given_at: datetime.datetime | None
    expires_at: datetime.datetime
    revoked_at: datetime.datetime | None


class CaseExistsOut(Schema):
    opened_at: datetime.datetime
    state: str


class ReadOut(Schema):
    at: datetime.datetime
    roles: list[str]
    what: str


class RequestOut(Schema):
    id: int
    student_id: int
    student: str
    kind: str
    detail: str
    state: str
    requested_at: datetime.datetime
    answer: str
    answered_at: datetime.datetime | None


class RecordOut(Schema):
    student_id: int
    student: str
    registered: bool
    registry_state: str
    carer: str
    categories: list[FactOut]
    consents: list[ConsentOut]
    cases: list[CaseExistsOut]
    cases_note: str
    reads: list[ReadOut]
    requests: list[RequestOut]


class RequestIn(Schema):
    kind: str
    detail: str


class AnswerIn(Schema):
    outcome: str  # "done" or "refused"
    answer: str


class RequestPage(PageMeta):
    items: list[RequestOut]


def _request(r) -> dict:
    return {"id": r.pk, "student_id": r.student_id, "student": r.student.name, "kind": r.kind, "detail": r.detail,
            "state": r.state, "requested_at": r.requested_at, "answer": r.answer,
            "answered_at": r.answered_at}  # fmt: skip


@router.get("/children/{int:id}", response=RecordOut, summary="My child's care record and who (by role) read it")
def child_record(request, id: int):
    child = access.get_rights_child_for(request.auth, id)
    record = access.child_record(child)
    log = list(access.access_log_of(record)[:LOG_ROWS])
    access_record(actor=request.auth, target=child, purpose="care.rights.view", request=request)
    e = record.entry
    return {
        "student_id": child.pk,
        "student": child.name,
        "registered": e is not None,
        "registry_state": e.state if e else "",
        "carer": e.carer_name if e else "",
        "categories": [
            {"category": c.category, "label": str(c.get_category_display()), "detail": c.detail,
             "source": str(c.get_source_display()), "noted_on": c.noted_on, "ended_on": c.ended_on}
            for c in record.categories
        ],
        "consents": [
            {"id": c.pk, "purpose": c.purpose, "recipient": c.agency.name if c.agency else c.agency_kind,
             "sections": section_labels(c.sections), "state": access.consent_state(c), "given_at": c.given_at,
             "expires_at": c.expires_at, "revoked_at": c.revoked_at}
            for c in record.consents
        ],
        "cases": [{"opened_at": c["opened_at"], "state": str(c["state_label"])} for c in record.cases],
        "cases_note": _("Case records are kept by the counsellors; to read one, please make a request."),
        "reads": [{"at": ev.at, "roles": access.roles_read_as(ev.actor_roles), "what": what_was_read(ev.target_type)}
                  for ev in log],
        "requests": [_request(r) for r in record.requests],
    }  # fmt: skip


@router.post("/children/{int:id}/requests", response={201: RequestOut}, summary="Ask for a correction or deletion")
def request_create(request, id: int, payload: RequestIn):
    child = access.get_rights_child_for(request.auth, id)
    try:
        r = services.rights_request_create(actor=request.auth, student=child, kind=payload.kind,
                                           detail=payload.detail)  # fmt: skip
    except ValidationError as exc:
        return refused(exc)
    return Status(201, _request(r))


@router.get("/requests", response=RequestPage, summary="Guardians' requests about the children of my schools")
def requests(request, page: int = Query(1, ge=1)):
    items, meta = paginate(access.rights_requests_for(request.auth), page, 20)
    return {**meta, "items": [_request(r) for r in items]}


@router.post("/requests/{int:id}/answer", response=RequestOut, summary="Answer a request (done or refused)")
def request_answer(request, id: int, payload: AnswerIn):
    r = access.get_rights_request_for(request.auth, id)
    if payload.outcome not in ("done", "refused"):
        return refused(ValidationError(_("Choose done or refused.")))
    try:
        r = services.rights_request_answer(actor=request.auth, request=r, done=payload.outcome == "done",
                                           answer=payload.answer)  # fmt: skip
    except ValidationError as exc:
        return refused(exc)
    return _request(r)
