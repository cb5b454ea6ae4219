"""Every write to questions and their alerts.

A question runs on the deadline engine from the moment it is asked: policy "question.<category>" when the county
has made one (admin → deadline policies), else "question.default"; "question.urgent" when the text matches the
urgent lexicon. Answering records the first response and pauses the clock while the parent reads; a follow-up
resumes it; the parent's rating (or a handler's close) resolves it. Overdue questions escalate through the engine's
sweep; the escalated people get an in-app alert (receivers.py).

Who may act is settled at the edge (access.py); these functions enforce the rules of a question's life (its state,
the lengths of its texts, one claim, one rating) and trust the objects they are given.
"""

from __future__ import annotations

import logging
import re
import secrets
from typing import Any, TypedDict

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xieyu.accounts.models import Membership, Role
from xieyu.audit.services import audit_record
from xieyu.core.uploads import PHOTOS, check_upload, type_for_content_type
from xieyu.deadlines.models import DeadlinePolicy
from xieyu.deadlines.services import (
    UnknownPolicy,
    deadline_for,
    deadline_pause,
    deadline_reassign,
    deadline_resolve,
    deadline_respond,
    deadline_resume,
    deadline_start,
)
from xieyu.directory.models import School, SchoolClass, Student
from xieyu.notices.messages import message_send
from xieyu.questions.knowledge import search
from xieyu.questions.migrations_data import URGENT_TERMS

from .models import Alert, Category, ExpertSkill, Level, Message, Question, QuestionTerm, UrgentTerm

DEFAULT_POLICY = "question.default"
URGENT_POLICY = "question.urgent"
HOTLINE = "12355"
ALERT_POLICY = "alert.urgent"
ALERT_TARGET = "questions.alert"
logger = logging.getLogger("xieyu.questions")


# --- checks -------------------------------------------------------------------------------------------------------


def urgent_terms_in(text: str) -> list[str]:
    """The lexicon terms the text contains (spaces ignored): the built-in terms (migration 0002, so a lost table
    never silences the check) plus the county's additions, less the terms the county switched off."""
    plain = re.sub(r"\s+", "", text or "")
    rows = dict(UrgentTerm.objects.values_list("term", "is_active"))
    lexicon = [t for t in dict.fromkeys([*URGENT_TERMS, *rows]) if rows.get(t, True)]
    return [t for t in lexicon if t and t in plain]


def check_photo(upload):
    """A JPG, PNG or WEBP photo of at most 5 MB, its type read from its content (core.uploads); returns the type."""
    try:
        return check_upload(upload, PHOTOS).content_type
    except ValidationError as exc:
        raise ValidationError(exc.messages[0], code=f"photo_{exc.code}") from None


def clean_text(value: str, *, field: str, low: int, high: int) -> str:
    """The text stripped, refused when shorter than `low` or longer than `high` (also for articles and clinics)."""
    value = (value or "").strip()
    labels = {"title": _("title"), "body": _("question"), "answer": _("answer"), "text": _("message text")}
    if len(value) < low:
        raise ValidationError(
            _("The %(field)s is too short: write at least %(n)d characters.") % {"field": labels[field], "n": low},
            code=field,
        )
    if len(value) > high:
        raise ValidationError(
            _("The %(field)s is too long: at most %(n)d characters.") % {"field": labels[field], "n": high},
            code=field,
        )
    return value


class _DeadlinePlace(TypedDict, total=False):
    """Where a question's deadline sits, as `deadline_start` takes it: the narrowest unit (it fills in the rest)."""

    county: int
    school: School
    school_class: SchoolClass | None


def _policy_name(category: str, urgent: bool) -> str:
    if urgent:
        return URGENT_POLICY
    own = f"question.{category}"
    return own if DeadlinePolicy.objects.filter(name=own, is_active=True).exists() else DEFAULT_POLICY


def _users_with(role: Role, **unit) -> list[int]:
    return list(
        Membership.objects.filter(role=role, is_active=True, user__is_active=True, **unit)
        .values_list("user_id", flat=True)
        .distinct()
    )


def _alert(user_ids, question: Question, kind: str, round: int = 0) -> None:
    Alert.objects.bulk_create(
        [Alert(user_id=uid, question=question, kind=kind, round=round) for uid in set(user_ids)],
        ignore_conflicts=True,
    )


def _new_alerts(user_ids, question: Question, kind: str, round: int = 0) -> list[Alert]:
    """Write the alerts the users do not have yet (one per user, question, kind and round); return those written."""
    wanted = set(user_ids)
    mine = Alert.objects.filter(question=question, kind=kind, round=round)
    had = set(mine.filter(user__in=wanted).values_list("user_id", flat=True))
    new = wanted - had
    if not new:
        return []
    _alert(new, question, kind, round)
    return list(mine.filter(user__in=new).select_related("user"))


def _urgent_alerts(question: Question, user_ids) -> None:
    """An urgent question reaches each counsellor and school admin three ways at once: an alert on their home, an
    SMS now (the one message path), and a 1-working-hour clock on the alert that escalates it when nobody opens it."""
    link = reverse("questions:detail", args=[question.pk])
    for alert in _new_alerts(user_ids, question, Alert.Kind.URGENT, question.flag_count):
        try:
            deadline_start(
                actor=None,
                target=alert,
                policy=ALERT_POLICY,
                school=question.school,
                school_class=question.school_class,
                owner=alert.user,
                title=question.title,
            )
        except UnknownPolicy:  # never lose the question or the alert over a missing policy row
            logger.error("no active %s policy: alert %s has no escalation clock", ALERT_POLICY, alert.pk)
        _text_urgent(question, alert.user, link)


def _text_urgent(question: Question, user, link: str) -> None:
    message_send(
        actor=question.asker,
        county_id=question.county_id,
        to_user=user,
        title=_("Urgent question from a family"),
        body=_(
            "A parent's question at %(school)s may concern a child's safety. Please open it and contact the family "
            "today."
        )
        % {"school": question.school.name},
        link=link,
        topic="question.urgent",
        sender_unit=_("Parents' questions"),
        sms_now=True,
    )


def thread_event(question: Question, actor, text: str) -> Message:
    """A line in the question's thread saying what happened (flagged, claimed, assigned …)."""
    return Message.objects.create(
        question=question, author=actor if getattr(actor, "pk", None) else None, kind=Message.Kind.EVENT, body=text
    )


# --- asking and handling ----------------------------------------------------------------------------------------


@transaction.atomic
def question_ask(
    *,
    actor,
    student: Student,
    level: str,
    category: str,
    title: str,
    body: str,
    publishable: bool = False,
    photo=None,
) -> Question:
    """A guardian asks about one of their children (the edge took it from access.children_for_asking); routed by
    level; the deadline starts; urgent text alerts the county's counsellors and the school's admins at once."""
    if level not in Level.values:
        raise ValidationError(_("Choose who the question is for."), code="level")
    if category not in Category.values:
        raise ValidationError(_("Choose a category for the question."), code="category")
    if level == Level.CLASS and student.school_class_id is None:
        raise ValidationError(_("Your child has no class yet: address the school instead."), code="level")
    title = clean_text(title, field="title", low=4, high=60)
    body = clean_text(body, field="body", low=10, high=2000)
    photo_type = check_photo(photo) if photo else ""
    found = urgent_terms_in(f"{title}\n{body}")
    now = timezone.now()
    school = student.school
    question = Question(
        asker=actor,
        student=student,
        county_id=school.county_id,
        school=school,
        school_class=student.school_class if level == Level.CLASS else None,
        level=level,
        category=category,
        title=title,
        body=body,
        visibility=Question.Visibility.PUBLISHABLE if publishable else Question.Visibility.PRIVATE,
        photo_type=photo_type,
        flagged_at=now if found else None,
        flag_terms=found,
        flag_count=1 if found else 0,
        created_at=now,
    )
    if photo:
        kind = type_for_content_type(photo_type)  # check_photo gave one of the photo types
        question.photo.save(f"{secrets.token_hex(16)}{kind.extension if kind else ''}", photo, save=False)
    question.save()

    owner_ids: list[int] = []
    if level == Level.CLASS:
        owner_ids = _users_with(Role.HEAD_TEACHER, school_class=question.school_class_id)
        place: _DeadlinePlace = {"school_class": question.school_class}
    elif level == Level.SCHOOL:
        owner_ids = _users_with(Role.SCHOOL_ADMIN, school=school.pk)
        place = {"school": school}
    else:
        place = {"county": school.county_id}
    deadline_start(
        actor=actor,
        target=question,
        policy=_policy_name(category, bool(found)),
        owner=_user(owner_ids[0]) if level == Level.CLASS and owner_ids else None,
        title=title,
        **place,
    )
    if found:
        _urgent_alerts(
            question,
            _users_with(Role.COUNSELLOR, county=school.county_id) + _users_with(Role.SCHOOL_ADMIN, school=school.pk),
        )
        thread_event(question, None, _("Flagged as urgent (%(terms)s).") % {"terms": "、".join(found)})
    if owner_ids:
        _alert(owner_ids, question, Alert.Kind.NEW)
    QuestionTerm.objects.bulk_create(
        [
            QuestionTerm(question=question, term=t, county_id=question.county_id, school=school, created_at=now)
            for t in search.hot_terms(f"{title} {body}")
        ]
    )
    audit_record(
        actor=actor,
        action="question.ask",
        target=question,
        changes={"level": [None, level], "category": [None, category], "flagged": [None, bool(found)]},
    )
    return question


def _user(pk: int):
    return get_user_model().objects.get(pk=pk)


def _lock(question: Question) -> Question:
    return Question.objects.select_for_update().get(pk=question.pk)


def experts_of_county(county_id: int, category: str | None = None) -> list[Any]:
    """The county's experts as users, each with `open_load` (open questions assigned) and `skilled` (has the
    category among their skills); least loaded skilled first. Two queries."""
    ids = Membership.objects.filter(role=Role.EXPERT, county_id=county_id, is_active=True).values("user")
    experts: list[Any] = list(  # users with `open_load` annotated and `skilled` set below
        get_user_model()
        .objects.filter(pk__in=ids, is_active=True)
        .annotate(
            open_load=Count("questions_assigned", filter=Q(questions_assigned__status__in=[Question.Status.OPEN]))
        )
        .order_by("pk")
    )
    skilled = set()
    if category:
        skilled = set(
            ExpertSkill.objects.filter(user__in=[e.pk for e in experts], category=category).values_list(
                "user_id", flat=True
            )
        )
    for e in experts:
        e.skilled = e.pk in skilled
    experts.sort(key=lambda e: (not e.skilled, e.open_load, e.pk))
    return experts


@transaction.atomic
def question_claim(*, actor, question: Question) -> Question:
    """An expert of the county (access.check_may_claim) takes an open, unclaimed guidance-center question (the first
    of two at once wins)."""
    if question.level != Level.COUNTY or question.status != Question.Status.OPEN:
        raise ValidationError(_("Only an open question to the guidance center can be claimed."), code="state")
    taken = Question.objects.filter(pk=question.pk, assignee__isnull=True).update(assignee=actor)
    if not taken:
        raise ValidationError(_("Another expert has already claimed this question."), code="claimed")
    question.assignee = actor
    d = deadline_for(question)
    if d:
        deadline_reassign(actor=actor, deadline=d, owner=actor)
    thread_event(question, actor, _("Claimed by %(name)s.") % {"name": actor.name})
    audit_record(actor=actor, action="question.claim", target=question)
    return question


@transaction.atomic
def question_assign(*, actor, question: Question, expert=None) -> Question:
    """A county admin or counsellor (access.check_may_assign) assigns a guidance-center question to an expert, or (no
    expert given) to the least loaded expert with the question's category among their skills."""
    if question.level != Level.COUNTY:
        raise ValidationError(_("Only questions to the guidance center are assigned to experts."), code="level")
    experts = experts_of_county(question.county_id, question.category)
    if expert is None:
        if not experts:
            raise ValidationError(_("The county has no experts yet."), code="no_expert")
        expert = experts[0]
    elif expert.pk not in {e.pk for e in experts}:
        raise ValidationError(_("That person is not an expert of this county."), code="expert")
    question = _lock(question)
    before = question.assignee_id
    question.assignee = expert
    question.save(update_fields=["assignee"])
    d = deadline_for(question)
    if d:
        deadline_reassign(actor=actor, deadline=d, owner=expert)
    _alert([expert.pk], question, Alert.Kind.ASSIGNED)
    thread_event(question, actor, _("Assigned to %(name)s.") % {"name": expert.name})
    audit_record(actor=actor, action="question.assign", target=question, changes={"assignee": [before, expert.pk]})
    return question


@transaction.atomic
def question_note(*, actor, question: Question, body: str) -> Message:
    """An internal note by a handler (access.check_handles): seen by those who handle the question, never by the
    parent."""
    body = clean_text(body, field="text", low=2, high=2000)
    return Message.objects.create(question=question, author=actor, kind=Message.Kind.NOTE, body=body)


@transaction.atomic
def question_answer(*, actor, question: Question, body: str) -> Message:
    """A handler (access.check_handles) answers; the first answer stops the first-response clock, and the clock pauses
    while the parent reads."""
    body = clean_text(body, field="answer", low=5, high=4000)
    question = _lock(question)
    if question.status == Question.Status.CLOSED:
        raise ValidationError(_("This question is closed."), code="closed")
    now = timezone.now()
    fields = ["status", "answered_at"]
    if question.level == Level.COUNTY and question.assignee_id is None:
        question.assignee = actor
        fields.append("assignee")
    first = question.first_response_at is None
    if first:
        question.first_response_at = now
        fields.append("first_response_at")
    question.status = Question.Status.ANSWERED
    question.answered_at = now
    question.save(update_fields=fields)
    message = Message.objects.create(question=question, author=actor, kind=Message.Kind.ANSWER, body=body)
    _tell_the_asker(actor, question, body)
    d = deadline_for(question)
    if d:
        if first:
            deadline_respond(actor=actor, deadline=d)
        deadline_pause(actor=actor, deadline=d, reason="answered; waiting for the parent")
    if first:
        search.index_document(search.KIND_QUESTION, question.pk, f"{question.title} {question.body}")
    audit_record(actor=actor, action="question.answer", target=question)
    return message


def _tell_the_asker(actor, question: Question, answer: str) -> None:
    """The answer reaches the parent like a notice: in the inbox, and by SMS when unread after the county's delay."""
    message_send(
        actor=actor,
        county_id=question.county_id,
        to_user=question.asker,
        title=_("Your question has an answer: %(title)s") % {"title": question.title},
        body=answer,
        link=reverse("questions:detail", args=[question.pk]),
        topic="question.answer",
        sender_unit=_("Parents' questions"),
    )


@transaction.atomic
def question_follow_up(*, actor, question: Question, body: str) -> Message:
    """The parent (the edge fetched their own question) asks more after an answer: the question is open again and
    the clock runs."""
    body = clean_text(body, field="text", low=2, high=2000)
    question = _lock(question)
    if question.status == Question.Status.CLOSED:
        raise ValidationError(_("This question is closed: please ask a new question."), code="closed")
    if question.status != Question.Status.ANSWERED:
        raise ValidationError(_("Please wait for the answer before following up."), code="open")
    question.status = Question.Status.OPEN
    question.save(update_fields=["status"])
    message = Message.objects.create(question=question, author=actor, kind=Message.Kind.FOLLOW_UP, body=body)
    d = deadline_for(question)
    if d:
        deadline_resume(actor=actor, deadline=d)
    found = urgent_terms_in(body)
    if found and not question.is_urgent:
        _flag(question, found)
    return message


def _flag(question: Question, found: list[str]) -> None:
    now = timezone.now()
    Question.objects.filter(pk=question.pk).update(
        flagged_at=now, flag_terms=found, flag_cleared_at=None, flag_count=F("flag_count") + 1
    )
    question.flagged_at, question.flag_terms, question.flag_cleared_at = now, found, None
    question.flag_count += 1  # each flagging alerts everyone anew (Alert.round)
    _urgent_alerts(
        question,
        _users_with(Role.COUNSELLOR, county=question.county_id)
        + _users_with(Role.SCHOOL_ADMIN, school=question.school_id),
    )
    thread_event(question, None, _("Flagged as urgent (%(terms)s).") % {"terms": "、".join(found)})


@transaction.atomic
def question_rate(*, actor, question: Question, rating: int, comment: str = "") -> Question:
    """The parent (the edge fetched their own question) rates the answer (1–5); the question closes and its clock is
    resolved."""
    try:
        rating = int(rating)
    except (TypeError, ValueError):
        rating = 0
    if not 1 <= rating <= 5:
        raise ValidationError(_("Choose from 1 to 5 stars."), code="rating")
    comment = (comment or "").strip()
    if len(comment) > 200:
        raise ValidationError(_("The comment is too long: at most 200 characters."), code="comment")
    question = _lock(question)
    if question.answered_at is None:
        raise ValidationError(_("There is no answer to rate yet."), code="open")
    if question.rating is not None:
        raise ValidationError(_("You have already rated this answer."), code="rated")
    question.rating, question.rating_comment = rating, comment
    question.status = Question.Status.CLOSED
    question.closed_at = question.closed_at or timezone.now()
    question.save(update_fields=["rating", "rating_comment", "status", "closed_at"])
    d = deadline_for(question)
    if d:
        deadline_resolve(actor=actor, deadline=d)
    audit_record(actor=actor, action="question.rate", target=question, changes={"rating": [None, rating]})
    return question


@transaction.atomic
def question_close(*, actor, question: Question) -> Question:
    """A handler (access.check_handles) closes an answered question (e.g. the parent has not come back)."""
    question = _lock(question)
    if question.answered_at is None:
        raise ValidationError(_("Answer the question before closing it."), code="open")
    if question.status == Question.Status.CLOSED:
        return question
    question.status = Question.Status.CLOSED
    question.closed_at = timezone.now()
    question.save(update_fields=["status", "closed_at"])
    d = deadline_for(question)
    if d:
        deadline_resolve(actor=actor, deadline=d)
    audit_record(actor=actor, action="question.close", target=question)
    return question


@transaction.atomic
def question_clear_flag(*, actor, question: Question, reason: str) -> Question:
    """A false alarm, cleared by a counsellor or an admin (access.check_may_clear_flag) with a reason: the flag stays on
    record (nothing flagged is dropped)."""
    if not question.is_urgent:
        raise ValidationError(_("This question has no urgent flag to clear."), code="flag")
    reason = (reason or "").strip()
    if len(reason) < 4:
        raise ValidationError(_("Give the reason this is a false alarm (at least 4 characters)."), code="reason")
    if len(reason) > 200:
        raise ValidationError(_("The reason is too long: at most 200 characters."), code="reason")
    question = _lock(question)
    question.flag_cleared_at = timezone.now()
    question.flag_cleared_by = actor
    question.flag_clear_reason = reason
    question.save(update_fields=["flag_cleared_at", "flag_cleared_by", "flag_clear_reason"])
    thread_event(
        question, actor, _("Urgent flag cleared by %(name)s: %(reason)s") % {"name": actor.name, "reason": reason}
    )
    audit_record(actor=actor, action="question.flag_clear", target=question, changes={"reason": [None, reason]})
    return question


@transaction.atomic
def alert_read(*, actor, alert: Alert) -> Alert:
    """The alert's owner (access.get_alert_for) opens it: an urgent alert's clock stops (it was seen in time, or
    late, which the engine records)."""
    if alert.read_at is None:
        alert.read_at = timezone.now()
        alert.save(update_fields=["read_at"])
    if alert.kind == Alert.Kind.URGENT:
        d = deadline_for(alert)
        if d is not None and d.is_open:
            deadline_respond(actor=actor, deadline=d)
            deadline_resolve(actor=actor, deadline=d)  # opening is all the alert asks; the question keeps its own
    return alert


@transaction.atomic
def alerts_read_for_question(*, actor, question: Question) -> int:
    """The user opened the question page: their unread alerts about it are read (each as `alert_read`)."""
    alerts = list(Alert.objects.filter(user=actor, question=question, read_at__isnull=True))
    for alert in alerts:
        alert_read(actor=actor, alert=alert)
    return len(alerts)


def alerts_for_escalation(*, question_id: int, user_ids: list[int]) -> None:
    """Called when the deadline engine escalates an overdue question (receivers.py)."""
    question = Question.objects.filter(pk=question_id).first()
    if question is not None:
        _alert(user_ids, question, Alert.Kind.ESCALATED)


@transaction.atomic
def alerts_for_unopened(*, alert_id: int, user_ids: list[int]) -> None:
    """An urgent alert was not opened in time (receivers.py): the next people up are alerted and texted at once
    (each once per question)."""
    alert = Alert.objects.filter(pk=alert_id).select_related("question__school", "question__asker").first()
    if alert is None:
        return
    question = alert.question
    link = reverse("questions:detail", args=[question.pk])
    for new in _new_alerts(user_ids, question, Alert.Kind.ESCALATED):
        _text_urgent(question, new.user, link)
