"""Every write of the appraisals subdomain: open, answer (one response per family, anonymous), close, refresh the
results, moderate a comment."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from xieyu.audit.services import audit_record
from xieyu.directory.models import School, Student

from . import masking
from .models import SECTIONS, Appraisal, AppraisalAnswered, AppraisalComment, AppraisalResponse, Section
from .rollups import rollup_refresh

TERM_CHARS = 40
COMMENT_CHARS = 500


@transaction.atomic
def appraisal_open(*, actor, school: School, term: str) -> Appraisal:
    """Open the term's appraisal of a school (one open at a time, one per term)."""
    term = (term or "").strip()
    if not term:
        raise ValidationError(_("Term: say which term the appraisal is for."))
    if len(term) > TERM_CHARS:
        raise ValidationError(_("Term: at most %(n)s characters.") % {"n": TERM_CHARS})
    if Appraisal.objects.filter(school=school, status=Appraisal.Status.OPEN).exists():
        raise ValidationError(_("School: this school already has an open appraisal; close it first."))
    if Appraisal.objects.filter(school=school, term=term).exists():
        raise ValidationError(_("Term: this school already has an appraisal for this term."))
    appraisal = Appraisal.objects.create(county_id=school.county_id, school=school, term=term, opened_by=actor)
    rollup_refresh(appraisal)
    audit_record(actor=actor, action="appraisal.open", target=appraisal, changes={"term": [None, term]})
    return appraisal


@transaction.atomic
def appraisal_answer(
    *, actor, appraisal: Appraisal, student: Student, ratings: dict[str, int], comments: dict[str, str]
) -> None:
    """One family's answer for one child. Nothing returned and nothing recorded links the answer to the family: the
    marker says only that this child's family has answered."""
    if not appraisal.is_open:
        raise ValidationError(_("This appraisal is closed; answers are no longer taken."))
    if student.school_id != appraisal.school_id or student.school_class_id is None:
        raise ValidationError(_("Child: this child is not in a class of the school being appraised."))
    for s in SECTIONS:
        value = ratings.get(s)
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 5:
            raise ValidationError(_("%(section)s: choose a rating from 1 to 5.") % {"section": Section(s).label})
    texts = {}
    for s, text in (comments or {}).items():
        if s not in SECTIONS:
            raise ValidationError(_("Comment: there is no such section."))
        text = (text or "").strip()
        if "\x00" in text:
            raise ValidationError(_("%(section)s: the comment holds a character that is not allowed.") % {
                "section": Section(s).label})  # fmt: skip
        if len(text) > COMMENT_CHARS:
            raise ValidationError(_("%(section)s: a comment has at most %(n)s characters.") % {
                "section": Section(s).label, "n": COMMENT_CHARS})  # fmt: skip
        if text:
            texts[s] = text
    try:
        with transaction.atomic():
            AppraisalAnswered.objects.create(appraisal=appraisal, student=student)
    except IntegrityError:
        raise ValidationError(_("Your family has already answered this appraisal for this child.")) from None
    AppraisalResponse.objects.create(
        appraisal=appraisal, school_class_id=student.school_class_id, **{s: ratings[s] for s in SECTIONS}
    )
    if texts:
        names = masking.school_names(appraisal.school_id)
        for s, text in texts.items():
            masked, n = masking.mask(text, names)
            AppraisalComment.objects.create(
                appraisal=appraisal, school_class_id=student.school_class_id, section=s, text=masked, masked=n
            )
    Appraisal.objects.filter(pk=appraisal.pk).update(responses=F("responses") + 1)


@transaction.atomic
def appraisal_close(*, actor, appraisal: Appraisal) -> Appraisal:
    if not appraisal.is_open:
        raise ValidationError(_("This appraisal is already closed."))
    appraisal.status = Appraisal.Status.CLOSED
    appraisal.closed_by, appraisal.closed_at = actor, timezone.now()
    appraisal.save(update_fields=["status", "closed_by", "closed_at"])
    rollup_refresh(appraisal)
    audit_record(actor=actor, action="appraisal.close", target=appraisal, changes={"status": ["open", "closed"]})
    return appraisal


@transaction.atomic
def appraisal_results_refresh(*, actor, appraisal: Appraisal) -> Appraisal:
    rollup_refresh(appraisal)
    return appraisal


def appraisal_results_refresh_open(*, actor) -> int:
    """The scheduler's job: the results of every open appraisal (one at a time, each in its own transaction)."""
    done = 0
    for appraisal in Appraisal.objects.filter(status=Appraisal.Status.OPEN).iterator():
        appraisal_results_refresh(actor=actor, appraisal=appraisal)
        done += 1
    return done


@transaction.atomic
def comment_moderate(*, actor, comment: AppraisalComment, approve: bool) -> AppraisalComment:
    """A county moderator's decision: approved comments are shown to the school, rejected ones never."""
    if comment.state != AppraisalComment.State.PENDING:
        raise ValidationError(_("This comment has already been moderated."))
    old = comment.state
    comment.state = AppraisalComment.State.APPROVED if approve else AppraisalComment.State.REJECTED
    comment.moderated_by, comment.moderated_at = actor, timezone.now()
    comment.save(update_fields=["state", "moderated_by", "moderated_at"])
    audit_record(actor=actor, action="appraisal.comment.moderate", target=comment,
                 changes={"state": [old, comment.state]})  # fmt: skip
    return comment
