"""The surveys API, mounted at /api/v1/surveys, with the same rules as the pages.

Families: the open waves asking them (one row per child asked), a wave's questions, POST answers, POST skip.
Staff: a wave's results within their part of it (suppressed counts). A wave the caller is not asked by (or may not
see) answers 404; a refusal by the rules 400 with the Chinese message and, for answers, the problems by question.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from ninja import Router, Schema, Status

from xieyu.core.api.errors import also_answers, error_response

from . import access, results, services
from .models import Question

router = Router()

ANSWER_ERRORS = also_answers(400, 404)


class InvitationOut(Schema):
    wave_id: int
    title: str
    questionnaire: str
    student_id: int | None
    student: str | None
    closes_at: str
    state: str  # "open" | "submitted" | "skipped"


class OptionOut(Schema):
    value: str
    label: str


class QuestionOut(Schema):
    code: str
    number: int
    section: str | None
    kind: str
    text: str
    help_text: str
    required: bool
    options: list[OptionOut]
    scale_min: int | None
    scale_max: int | None
    number_min: float | None
    number_max: float | None
    max_choices: int | None
    show_if: dict | None


class WaveQuestionsOut(Schema):
    wave_id: int
    title: str
    questionnaire: str
    closes_at: str
    is_open: bool
    questions: list[QuestionOut]


class AnswersIn(Schema):
    student_id: int | None = None
    consent: bool = False
    answers: dict[str, str | int | float | list[str]]


class SkipIn(Schema):
    student_id: int | None = None


class ResponseOut(Schema):
    status: str
    message: str


class CellOut(Schema):
    label: str
    display: str
    value: int | None


class QuestionResultOut(Schema):
    code: str
    text: str
    answered: str
    mean: float | None
    distribution: list[CellOut]


class ResultsOut(Schema):
    wave_id: int
    title: str
    answered: CellOut
    skipped: CellOut
    dimensions: dict[str, float | None]
    questions: list[QuestionResultOut]


@router.get("/mine", response=list[InvitationOut], summary="The open waves asking me (one row per child asked)")
def mine(request):
    return [
        {
            "wave_id": i.wave.pk,
            "title": i.wave.title,
            "questionnaire": i.wave.questionnaire.title,
            "student_id": i.student.pk if i.student else None,
            "student": i.student.name if i.student else None,
            "closes_at": i.wave.closes_at.isoformat(),
            "state": i.state,
        }
        for i in access.invitations_for(request.auth)
    ]


@router.get("/waves/{int:wave_id}/questions", response=WaveQuestionsOut, summary="A wave's questions, in order",
            openapi_extra=also_answers(404))  # fmt: skip
def questions(request, wave_id: int, student_id: int | None = None):
    wave = access.get_invitation_for(request.auth, wave_id, student_id).wave
    sections = dict(wave.version.sections.values_list("pk", "title"))
    out = []
    for n, q in enumerate(services.ordered(wave.version), start=1):
        options = (
            [{"value": v, "label": v} for v in services.option_values(q)]
            if q.kind == Question.Kind.SCALE and not q.options
            else [{"value": str(o.get("value")), "label": str(o.get("label"))} for o in q.options or []]
        )
        out.append({
            "code": q.code, "number": n, "section": sections.get(q.section_id or 0), "kind": q.kind, "text": q.text,
            "help_text": q.help_text, "required": q.required, "options": options, "scale_min": q.scale_min,
            "scale_max": q.scale_max, "number_min": float(q.number_min) if q.number_min is not None else None,
            "number_max": float(q.number_max) if q.number_max is not None else None, "max_choices": q.max_choices,
            "show_if": q.show_if,
        })  # fmt: skip
    return {"wave_id": wave.pk, "title": wave.title, "questionnaire": wave.questionnaire.title,
            "closes_at": wave.closes_at.isoformat(), "is_open": wave.is_open(), "questions": out}  # fmt: skip


def _refusal(exc: ValidationError):
    if hasattr(exc, "error_dict"):
        details = [{"question": code, "messages": msgs} for code, msgs in exc.message_dict.items()]
        return error_response(400, " ".join(exc.messages), details)
    return error_response(400, " ".join(exc.messages))


@router.post("/waves/{int:wave_id}/answers", response={201: ResponseOut}, summary="Answer a wave (replaces earlier "
             "answers in the same wave)", openapi_extra=ANSWER_ERRORS)  # fmt: skip
def answer(request, wave_id: int, payload: AnswersIn):
    invitation = access.get_invitation_for(request.auth, wave_id, payload.student_id)
    try:
        r = services.response_submit(actor=request.auth, wave=invitation.wave, student=invitation.student,
                                     answers=dict(payload.answers), consent=payload.consent)  # fmt: skip
    except ValidationError as exc:
        return _refusal(exc)
    from django.utils.translation import gettext as _

    return Status(201, {"status": r.status, "message": _("Thank you: your answers are saved.")})


@router.post("/waves/{int:wave_id}/skip", response={201: ResponseOut}, summary="Skip this wave",
             openapi_extra=ANSWER_ERRORS)  # fmt: skip
def skip(request, wave_id: int, payload: SkipIn):
    invitation = access.get_invitation_for(request.auth, wave_id, payload.student_id)
    try:
        r = services.response_skip(actor=request.auth, wave=invitation.wave, student=invitation.student)
    except (ValidationError, PermissionDenied) as exc:
        return _refusal(exc) if isinstance(exc, ValidationError) else error_response(403, str(exc))
    from django.utils.translation import gettext as _

    return Status(
        201, {"status": r.status, "message": _("Noted: you skip this wave. You may still answer while it is open.")}
    )


def _cell(label: str, cell) -> dict:
    return {"label": label, "display": cell.display, "value": cell.value}


@router.get("/waves/{int:wave_id}/results", response=ResultsOut, summary="A wave's results within my part of it",
            openapi_extra=also_answers(404))  # fmt: skip
def wave_results(request, wave_id: int):
    wave = access.get_wave_for(request.auth, wave_id)
    f = results.wave_figures(request.auth, wave)
    cols = f.status.cols
    return {
        "wave_id": wave.pk,
        "title": wave.title,
        "answered": _cell(cols[0], f.status.cells[0][0]),
        "skipped": _cell(cols[1], f.status.cells[0][1]),
        "dimensions": {d: mean for d, _t, mean in f.dimensions},
        "questions": [
            {
                "code": x.question.code,
                "text": x.question.text,
                "answered": x.answered.grand_total.display,
                "mean": x.mean,
                "distribution": [_cell(c, cell) for c, cell in zip(x.table.cols, x.table.cells[0], strict=True)]
                if x.table
                else [],
            }
            for x in f.questions
        ],
    }
