"""Every write of the family-education evaluation.

- `evaluation_install`: the standard instrument 家庭教育评价 for one county (a published version 1), and the county's
  evaluation pointing at it. `evaluation_instrument_set`: the county replaces it by another published questionnaire.
- `evaluation_response_checked`: after a family's answer is submitted (the engine's `response_submit`), compares it
  with the family's previous wave and, on a sharp fall, suggests a talk to the head teacher of the class.
- `suggestion_resolve`: that head teacher marks the suggestion talked or dismissed, with a note.
- `candidate_consent_set`: a guardian agrees (or no longer agrees) that the school may put the family forward for
  the model-family campaign.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xieyu.accounts.models import Membership, Role
from xieyu.audit.services import audit_record
from xieyu.directory.models import Region, Student
from xieyu.notices.messages import message_send

from ..models import Question, Questionnaire, Response, Section, Version
from . import instrument as std
from .models import CandidateConsent, FallSuggestion, Instrument

TOTAL_FALL = 15.0  # points of the total (0–100) since the family's previous wave
DIMENSION_FALL = 25.0  # points of any one dimension
CANDIDATE_TOTAL = 85.0
NOTE_CHARS = 300


def _county_admin(actor, county: Region) -> None:
    if actor is None:
        return  # the demo and data migrations
    if not Membership.objects.filter(user=actor, role=Role.COUNTY_ADMIN, county=county, is_active=True).exists():
        raise PermissionDenied(_("Only the county's admins may choose its family-education evaluation."))


@transaction.atomic
def evaluation_install(*, actor, county: Region) -> Instrument:
    """The standard instrument for the county, once: a second call answers the county's evaluation as it is."""
    _county_admin(actor, county)
    existing = Instrument.objects.filter(county=county).select_related("questionnaire").first()
    if existing is not None:
        return existing
    now = timezone.now()
    q = Questionnaire.objects.create(
        title=std.TITLE, description=std.DESCRIPTION, key=std.KEY, county=county, created_by=actor, created_at=now
    )
    version = Version.objects.create(
        questionnaire=q, number=1, status=Version.Status.PUBLISHED, published_at=now, note=std.TITLE
    )
    position = 0
    questions: list[Question] = []
    for n, dim in enumerate(std.DIMENSIONS, start=1):
        section = Section.objects.create(version=version, position=n, title=dim.label, description=dim.description)
        for i, (text, is_reverse) in enumerate(dim.items, start=1):
            position += 1
            questions.append(Question(
                version=version, section=section, position=position, code=std.item_code(dim.code, i),
                kind=Question.Kind.SCALE, text=text, options=std.SCALE, scale_min=1, scale_max=5,
                dimension=dim.code, reverse=is_reverse,
            ))  # fmt: skip
    context = Section.objects.create(version=version, position=len(std.DIMENSIONS) + 1, title="家庭基本情况")
    for ctx in std.CONTEXT_QUESTIONS:
        position += 1
        questions.append(Question(version=version, section=context, position=position, code=ctx["code"],
                                  kind=Question.Kind.SINGLE, text=ctx["text"], options=ctx["options"]))  # fmt: skip
    Question.objects.bulk_create(questions)
    chosen = Instrument.objects.create(county=county, questionnaire=q, chosen_by=actor, chosen_at=now)
    audit_record(actor=actor, action="evaluation.install", target=q, changes={"county": [None, county.pk]})
    return chosen


def dimension_codes(version: Version) -> list[str]:
    codes: list[str] = []
    for code in version.questions.exclude(dimension="").order_by("position").values_list("dimension", flat=True):
        if code not in codes:
            codes.append(code)
    return codes


@transaction.atomic
def evaluation_instrument_set(*, actor, county: Region, questionnaire: Questionnaire) -> Instrument:
    """The county's evaluation becomes this questionnaire: one of the county's own (not a school's), not archived,
    with a published version whose questions are scored into at least two dimensions."""
    _county_admin(actor, county)
    if questionnaire.county_id != county.pk or questionnaire.school_id is not None:
        raise ValidationError(_("Choose a questionnaire of the county itself, not of a school or another county."))
    if questionnaire.is_archived:
        raise ValidationError(_("This questionnaire is archived: choose one in use."))
    version = questionnaire.versions.filter(status=Version.Status.PUBLISHED).order_by("-number").first()
    if version is None:
        raise ValidationError(_("This questionnaire has no published version yet: publish it first."))
    if questionnaire.respondent_kind != Questionnaire.RespondentKind.FAMILY:
        raise ValidationError(_("The evaluation needs one answer per family: this questionnaire asks each guardian."))
    if len(dimension_codes(version)) < 2:
        raise ValidationError(_("The questionnaire's questions must be scored into at least two dimensions."))
    chosen, _created = Instrument.objects.select_for_update().get_or_create(
        county=county, defaults={"questionnaire": questionnaire, "chosen_by": actor}
    )
    before = chosen.questionnaire_id
    chosen.questionnaire = questionnaire
    chosen.chosen_by = actor
    chosen.chosen_at = timezone.now()
    chosen.save()
    audit_record(actor=actor, action="evaluation.instrument_set", target=questionnaire,
                 changes={"county": [county.pk, county.pk], "questionnaire": [before, questionnaire.pk]})  # fmt: skip
    return chosen


def falls(previous: Response, current: Response) -> tuple[float, dict[str, float]]:
    """How far the total fell, and the dimensions that fell by at least DIMENSION_FALL (points each)."""
    total_drop = round((previous.total or 0) - (current.total or 0), 1)
    drops = {}
    for code, before in (previous.scores or {}).items():
        after = (current.scores or {}).get(code)
        if isinstance(before, int | float) and isinstance(after, int | float) and before - after >= DIMENSION_FALL:
            drops[code] = round(before - after, 1)
    return total_drop, drops


def previous_response(response: Response) -> Response | None:
    return (
        Response.objects.filter(
            respondent=response.respondent_id,
            status=Response.Status.SUBMITTED,
            wave__number__lt=response.wave.number,
            total__isnull=False,
        )
        .select_related("wave")
        .order_by("-wave__number")
        .first()
    )


def head_teachers_of(class_id: int):
    return [
        m.user
        for m in Membership.objects.filter(
            role=Role.HEAD_TEACHER, school_class=class_id, is_active=True, user__is_active=True
        ).select_related("user").order_by("pk")
    ]  # fmt: skip


@transaction.atomic
def evaluation_response_checked(*, response: Response) -> FallSuggestion | None:
    """A submitted answer of the county's evaluation: a sharp fall since the family's previous wave (total ≥ 15
    points, or a dimension ≥ 25) becomes a private suggestion to the head teacher of the class it answered in,
    with a message to them. Once per answer; a family without a class or a previous wave is not compared."""
    if response.status != Response.Status.SUBMITTED or response.total is None or not response.school_class_id:
        return None
    if not Instrument.objects.filter(questionnaire__waves=response.wave_id).exists():
        return None  # not a county's evaluation: one query, whatever else the engine is asked
    respondent = response.respondent
    if respondent.student_id is None:
        return None
    if FallSuggestion.objects.filter(response=response).exists():
        return None
    previous = previous_response(response)
    if previous is None:
        return None
    total_drop, drops = falls(previous, response)
    if total_drop < TOTAL_FALL and not drops:
        return None
    suggestion = FallSuggestion.objects.create(
        response=response, previous=previous, student_id=respondent.student_id,
        school_class_id=response.school_class_id, total_drop=max(total_drop, 0), drops=drops,
    )  # fmt: skip
    student = Student.objects.select_related("school").get(pk=respondent.student_id)
    link = reverse("evaluation:suggestion", args=[suggestion.pk])
    for teacher in head_teachers_of(response.school_class_id):
        message_send(
            actor=teacher, county_id=student.school.county_id, to_user=teacher, topic="evaluation.fall", link=link,
            sender_unit=student.school.name,
            title=_("A family may need a talk: %(name)s") % {"name": student.name},
            body=_("In the family-education evaluation, the family of %(name)s scored clearly lower than in its "
                   "previous wave. Only you see this suggestion: consider a friendly talk or a home visit.")
            % {"name": student.name},
        )  # fmt: skip
    audit_record(actor=None, action="evaluation.fall_suggested", target=student,
                 changes={"total_drop": [None, suggestion.total_drop], "drops": [None, drops]})  # fmt: skip
    return suggestion


@transaction.atomic
def suggestion_resolve(*, actor, suggestion: FallSuggestion, outcome: str, note: str = "") -> FallSuggestion:
    """The head teacher of the class marks the suggestion talked or dismissed (a note may say how it went)."""
    if outcome not in (FallSuggestion.Status.TALKED, FallSuggestion.Status.DISMISSED):
        raise ValidationError(_("Choose whether you talked with the family or dismiss the suggestion."))
    note = (note or "").strip()
    if len(note) > NOTE_CHARS:
        raise ValidationError(_("The note is too long: at most 300 characters."))
    if "\x00" in note:
        raise ValidationError(_("The note contains characters that cannot be saved."))
    is_head = Membership.objects.filter(
        user=actor, role=Role.HEAD_TEACHER, school_class=suggestion.school_class_id, is_active=True
    ).exists()
    if not is_head:
        raise PermissionDenied(_("Only the head teacher of the class may close this suggestion."))
    before = suggestion.status
    suggestion.status = outcome
    suggestion.note = note
    suggestion.resolved_by = actor
    suggestion.resolved_at = timezone.now()
    suggestion.save(update_fields=["status", "note", "resolved_by", "resolved_at"])
    audit_record(actor=actor, action="evaluation.suggestion_resolve", target=suggestion,
                 changes={"status": [before, outcome]})  # fmt: skip
    return suggestion


@transaction.atomic
def candidate_consent_set(*, actor, student: Student, agreed: bool) -> CandidateConsent:
    """A guardian of the child agrees, or no longer agrees, to be suggested as a model-family candidate."""
    consent, _created = CandidateConsent.objects.select_for_update().get_or_create(student=student)
    before = consent.agreed
    consent.agreed = bool(agreed)
    consent.changed_by = actor
    consent.changed_at = timezone.now()
    consent.save()
    audit_record(actor=actor, action="evaluation.candidate_consent", target=student,
                 changes={"agreed": [before, consent.agreed]})  # fmt: skip
    return consent
