"""Every write to questions, articles, topic requests and alerts.

A question runs on the deadline engine from the moment it is asked: policy "question.<category>" when the county
has made one (admin → deadline policies), else "question.default"; "question.urgent" when the text matches the
urgent lexicon. Answering records the first response and pauses the clock while the parent reads; a follow-up
resumes it; the parent's rating (or a handler's close) resolves it. Overdue questions escalate through the engine's
sweep; the escalated people get an in-app alert (receivers.py).
"""

from __future__ import annotations

import re
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from xieyu.accounts.models import Membership, Role
from xieyu.audit.services import audit_record
from xieyu.core.uploads import PHOTOS, check_upload, type_for_content_type
from xieyu.deadlines.models import DeadlinePolicy
from xieyu.deadlines.services import (
    deadline_for,
    deadline_pause,
    deadline_reassign,
    deadline_resolve,
    deadline_respond,
    deadline_resume,
    deadline_start,
)
from xieyu.directory.models import Guardianship, School, Student

from . import access, search
from .models import (
    Alert,
    Article,
    Category,
    ClinicBooking,
    ClinicSlot,
    Level,
    Message,
    Question,
    QuestionTerm,
    TopicRequest,
    TopicVote,
    UrgentTerm,
)

PHONE_RE = re.compile(r"(?<!\d)(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})(?!\d)")
ID_RE = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
DEFAULT_POLICY = "question.default"
URGENT_POLICY = "question.urgent"
HOTLINE = "12355"


# --- checks -------------------------------------------------------------------------------------------------------


def urgent_terms_in(text: str) -> list[str]:
    """The lexicon terms the text contains (spaces ignored): the built-in terms (migration 0002, so a lost table
    never silences the check) plus the county's additions, less the terms the county switched off."""
    from .migrations_data import URGENT_TERMS

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


def _clean_text(value: str, *, field: str, low: int, high: int) -> str:
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


def _alert(user_ids, question: Question, kind: str) -> None:
    Alert.objects.bulk_create(
        [Alert(user_id=uid, question=question, kind=kind) for uid in set(user_ids)], ignore_conflicts=True
    )


def _event(question: Question, actor, text: str) -> Message:
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
    """A guardian asks about one of their children; routed by level; the deadline starts; urgent text alerts the
    county's counsellors and the school's admins at once."""
    if not access.children_for_asking(actor).filter(pk=student.pk).exists():
        raise PermissionDenied(_("You can only ask about your own children."))
    if level not in Level.values:
        raise ValidationError(_("Choose who the question is for."), code="level")
    if category not in Category.values:
        raise ValidationError(_("Choose a category for the question."), code="category")
    if level == Level.CLASS and student.school_class_id is None:
        raise ValidationError(_("Your child has no class yet: address the school instead."), code="level")
    title = _clean_text(title, field="title", low=4, high=60)
    body = _clean_text(body, field="body", low=10, high=2000)
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
        created_at=now,
    )
    if photo:
        question.photo.save(f"{secrets.token_hex(16)}{type_for_content_type(photo_type).extension}", photo, save=False)
    question.save()

    owner_ids: list[int] = []
    if level == Level.CLASS:
        owner_ids = _users_with(Role.HEAD_TEACHER, school_class=question.school_class_id)
        place = {"school_class": question.school_class}
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
        _alert(_users_with(Role.COUNSELLOR, county=school.county_id), question, Alert.Kind.URGENT)
        _alert(_users_with(Role.SCHOOL_ADMIN, school=school.pk), question, Alert.Kind.URGENT)
        _event(question, None, _("Flagged as urgent (%(terms)s).") % {"terms": "、".join(found)})
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
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(pk=pk)


def _lock(question: Question) -> Question:
    return Question.objects.select_for_update().get(pk=question.pk)


@transaction.atomic
def question_claim(*, actor, question: Question) -> Question:
    """An expert takes an unclaimed guidance-center question (the first of two at once wins)."""
    if not access.may_claim(actor, question):
        raise PermissionDenied(_("Only an expert of the county can claim an unclaimed question."))
    taken = Question.objects.filter(pk=question.pk, assignee__isnull=True).update(assignee=actor)
    if not taken:
        raise ValidationError(_("Another expert has already claimed this question."), code="claimed")
    question.assignee = actor
    d = deadline_for(question)
    if d:
        deadline_reassign(actor=actor, deadline=d, owner=actor)
    _event(question, actor, _("Claimed by %(name)s.") % {"name": actor.name})
    audit_record(actor=actor, action="question.claim", target=question)
    return question


@transaction.atomic
def question_assign(*, actor, question: Question, expert=None) -> Question:
    """Assign a guidance-center question to an expert, or (no expert given) to the least loaded expert with the
    question's category among their skills."""
    if not access.may_assign(actor, question):
        raise PermissionDenied(_("Only county admins and counsellors assign questions to experts."))
    experts = access.experts_of_county(question.county_id, question.category)
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
    _event(question, actor, _("Assigned to %(name)s.") % {"name": expert.name})
    audit_record(actor=actor, action="question.assign", target=question, changes={"assignee": [before, expert.pk]})
    return question


@transaction.atomic
def question_note(*, actor, question: Question, body: str) -> Message:
    """An internal note: seen by those who handle the question, never by the parent."""
    if not access.is_handler(actor, question):
        raise PermissionDenied(_("You do not handle this question."))
    body = _clean_text(body, field="text", low=2, high=2000)
    return Message.objects.create(question=question, author=actor, kind=Message.Kind.NOTE, body=body)


@transaction.atomic
def question_answer(*, actor, question: Question, body: str) -> Message:
    if not access.is_handler(actor, question):
        raise PermissionDenied(_("You do not handle this question."))
    body = _clean_text(body, field="answer", low=5, high=4000)
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
    d = deadline_for(question)
    if d:
        if first:
            deadline_respond(actor=actor, deadline=d)
        deadline_pause(actor=actor, deadline=d, reason="answered; waiting for the parent")
    if first:
        search.index_document(search.KIND_QUESTION, question.pk, f"{question.title} {question.body}")
    audit_record(actor=actor, action="question.answer", target=question)
    return message


@transaction.atomic
def question_follow_up(*, actor, question: Question, body: str) -> Message:
    """The parent asks more after an answer: the question is open again and the clock runs."""
    if question.asker_id != actor.pk:
        raise PermissionDenied(_("Only the person who asked can follow up."))
    body = _clean_text(body, field="text", low=2, high=2000)
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
    Question.objects.filter(pk=question.pk).update(flagged_at=now, flag_terms=found, flag_cleared_at=None)
    question.flagged_at, question.flag_terms, question.flag_cleared_at = now, found, None
    _alert(_users_with(Role.COUNSELLOR, county=question.county_id), question, Alert.Kind.URGENT)
    _alert(_users_with(Role.SCHOOL_ADMIN, school=question.school_id), question, Alert.Kind.URGENT)
    _event(question, None, _("Flagged as urgent (%(terms)s).") % {"terms": "、".join(found)})


@transaction.atomic
def question_rate(*, actor, question: Question, rating: int, comment: str = "") -> Question:
    """The parent rates the answer (1–5); the question closes and its clock is resolved."""
    if question.asker_id != actor.pk:
        raise PermissionDenied(_("Only the person who asked can rate the answer."))
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
    """A handler closes an answered question (e.g. the parent has not come back)."""
    if not access.is_handler(actor, question):
        raise PermissionDenied(_("You do not handle this question."))
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
    """A false alarm: the flag is cleared with a reason and stays on record (nothing flagged is dropped)."""
    if not access.may_clear_flag(actor, question):
        raise PermissionDenied(_("Only counsellors, school admins and county admins can clear an urgent flag."))
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
    _event(question, actor, _("Urgent flag cleared by %(name)s: %(reason)s") % {"name": actor.name, "reason": reason})
    audit_record(actor=actor, action="question.flag_clear", target=question, changes={"reason": [None, reason]})
    return question


@transaction.atomic
def alert_read(*, actor, alert: Alert) -> Alert:
    if alert.user_id != actor.pk:
        raise PermissionDenied
    if alert.read_at is None:
        alert.read_at = timezone.now()
        alert.save(update_fields=["read_at"])
    return alert


def alerts_for_escalation(*, question_id: int, user_ids: list[int]) -> None:
    """Called when the deadline engine escalates an overdue question (receivers.py)."""
    question = Question.objects.filter(pk=question_id).first()
    if question is not None:
        _alert(user_ids, question, Alert.Kind.ESCALATED)


# --- the knowledge base ---------------------------------------------------------------------------------------


def _short_school_name(name: str) -> list[str]:
    names = [name]
    for prefix in ("全南县", "县"):
        if name.startswith(prefix) and len(name) - len(prefix) >= 3:
            names.append(name[len(prefix) :])
    return names


def anonymity_problems(text: str, question: Question | None) -> list[str]:
    """What in the text could identify the family: the child's and guardians' names, school and class names,
    phone and ID numbers. Empty when the text is safe to publish."""
    found: list[str] = []
    if question is not None:
        student = question.student
        names = {student.name}
        if len(student.name) >= 3:
            names.add(student.name[1:])  # the given name: 张小明 → 小明
        guardians = Guardianship.objects.filter(student=student).values_list("guardian__name", flat=True)
        names.update(guardians)
        names.add(question.asker.name)
        for n in sorted(n for n in names if n and len(n) >= 2):
            if n in text:
                found.append(_("the name “%(name)s”") % {"name": n})
        schools = School.objects.filter(county=question.county_id).values_list("name", flat=True)
        for s in schools:
            for variant in _short_school_name(s):
                if variant in text:
                    found.append(_("the school “%(name)s”") % {"name": variant})
                    break
        if question.student.school_class_id:
            cls = question.student.school_class
            label = f"{cls.grade.name}{cls.name}"
            if label in text:
                found.append(_("the class “%(name)s”") % {"name": label})
    for m in PHONE_RE.findall(text):
        found.append(_("the phone number %(number)s") % {"number": m})
    for m in ID_RE.findall(text):
        found.append(_("the ID number %(number)s") % {"number": m})
    return list(dict.fromkeys(found))


@transaction.atomic
def article_publish(
    *,
    actor,
    question: Question,
    title: str,
    question_text: str,
    answer_text: str,
    category: str,
    is_public: bool = True,
) -> Article:
    """Turn an answered, publishable question into a knowledge-base article, after the anonymity check."""
    if not access.may_publish(actor, question):
        raise PermissionDenied(
            _("Only an expert can publish an answered question whose parent allowed anonymous publishing.")
        )
    if hasattr(question, "article") and Article.objects.filter(source_question=question).exists():
        raise ValidationError(_("This question has already been published."), code="published")
    if category not in Category.values:
        raise ValidationError(_("Choose a category for the question."), code="category")
    title = _clean_text(title, field="title", low=4, high=60)
    question_text = _clean_text(question_text, field="body", low=10, high=2000)
    answer_text = _clean_text(answer_text, field="answer", low=5, high=4000)
    problems = anonymity_problems(f"{title}\n{question_text}\n{answer_text}", question)
    if problems:
        raise ValidationError(
            _("Not published: the text still contains %(what)s. Remove them and try again.")
            % {"what": "、".join(problems)},
            code="identifying",
        )
    article = Article.objects.create(
        category=category,
        title=title,
        question_text=question_text,
        answer_text=answer_text,
        is_public=is_public,
        county_id=question.county_id,
        source_question=question,
        author=actor,
    )
    search.index_document(search.KIND_ARTICLE, article.pk, f"{title} {question_text} {answer_text}")
    audit_record(actor=actor, action="article.publish", target=article, changes={"question": [None, question.pk]})
    return article


# --- topic requests (点单) ----------------------------------------------------------------------------------------


@transaction.atomic
def topic_propose(*, actor, school: School, title: str, description: str = "", category: str = "other") -> TopicRequest:
    """A guardian proposes a guidance topic for their child's school; their family's vote counts at once."""
    children = list(access.children_for_asking(actor).filter(school=school))
    if not children:
        raise PermissionDenied(_("You can only propose topics for your own children's schools."))
    title = (title or "").strip()
    if not 4 <= len(title) <= 40:
        raise ValidationError(_("Write the topic in 4 to 40 characters."), code="title")
    description = (description or "").strip()
    if len(description) > 300:
        raise ValidationError(_("The details are too long: at most 300 characters."), code="description")
    if category not in Category.values:
        raise ValidationError(_("Choose a category for the question."), code="category")
    if TopicRequest.objects.filter(school=school, title=title).exclude(status=TopicRequest.Status.HELD).exists():
        raise ValidationError(_("This topic has already been proposed: vote for it instead."), code="duplicate")
    topic = TopicRequest.objects.create(
        school=school, title=title, description=description, category=category, proposed_by=actor
    )
    TopicVote.objects.create(topic=topic, student=children[0], voter=actor)
    TopicRequest.objects.filter(pk=topic.pk).update(votes_count=F("votes_count") + 1)
    topic.votes_count = 1
    return topic


@transaction.atomic
def topic_vote(*, actor, topic: TopicRequest) -> TopicVote:
    """One vote per family (the guardians of one child) per topic."""
    children = access.voting_children(actor, topic)
    if not children:
        raise PermissionDenied(_("You can only vote on topics of your own children's schools."))
    if topic.status not in (TopicRequest.Status.OPEN, TopicRequest.Status.PLANNED):
        raise ValidationError(_("Voting on this topic has ended."), code="closed")
    voted = set(TopicVote.objects.filter(topic=topic, student__in=children).values_list("student_id", flat=True))
    free = [c for c in children if c.pk not in voted]
    if not free:
        raise ValidationError(_("Your family has already voted for this topic."), code="voted")
    try:
        with transaction.atomic():
            vote = TopicVote.objects.create(topic=topic, student=free[0], voter=actor)
    except IntegrityError:
        raise ValidationError(_("Your family has already voted for this topic."), code="voted") from None
    TopicRequest.objects.filter(pk=topic.pk).update(votes_count=F("votes_count") + 1)
    return vote


@transaction.atomic
def topic_set_status(*, actor, topic: TopicRequest, status: str, scheduled_event_id: int | None = None) -> TopicRequest:
    """The school marks a topic planned, scheduled (optionally with the event's id), held or declined."""
    if not access.may_manage_topics(actor, topic.school_id):
        raise PermissionDenied(_("Only the school's admins can change a topic's status."))
    if status not in TopicRequest.Status.values:
        raise ValidationError(_("Unknown topic status."), code="status")
    before = topic.status
    topic.status = status
    if scheduled_event_id is not None:
        topic.scheduled_event_id = scheduled_event_id
    topic.save(update_fields=["status", "scheduled_event_id"])
    audit_record(actor=actor, action="topic.status", target=topic, changes={"status": [before, status]})
    return topic


# --- closing the loop: a topic becomes a parent-school lecture ----------------------------------------------------


@transaction.atomic
def topic_schedule(
    *,
    actor,
    topic: TopicRequest,
    title: str,
    starts_at,
    ends_at,
    place: str = "",
    online_url: str = "",
    capacity: int = 0,
):
    """A school admin (or a county admin) turns a topic into a lecture of the school's parent school.

    The lecture is a whole-school event: a term-plan session when the school's parent school is established, else a
    plain school event. Every family that asked for the topic (the proposer's and every voter's) gets a notice from
    the school — through the notices module, so grandparents who never open the app are reached by its SMS
    fallback. Returns the event."""
    from xieyu.events import services as event_services
    from xieyu.events.models import Event
    from xieyu.notices.audience import Audience
    from xieyu.notices.services import notice_create
    from xieyu.parentschool import services as ps_services
    from xieyu.parentschool.models import ParentSchool

    if not access.may_manage_topics(actor, topic.school_id):
        raise PermissionDenied(_("Only the school's admins can change a topic's status."))
    topic = TopicRequest.objects.select_for_update().select_related("school").get(pk=topic.pk)
    if topic.status not in (TopicRequest.Status.OPEN, TopicRequest.Status.PLANNED):
        raise ValidationError(_("This topic already has a lecture or was declined."), code="status")
    title = (title or "").strip() or topic.title
    parent_school = ParentSchool.objects.filter(school=topic.school).first()
    common = {
        "actor": actor, "title": title, "starts_at": starts_at, "ends_at": ends_at, "place": place,
        "online_url": online_url, "capacity": capacity,
    }  # fmt: skip
    if parent_school is not None:
        event = ps_services.session_plan(parent_school=parent_school, kind=Event.Kind.LECTURE, **common).event
    else:
        event = event_services.event_create(
            kind=Event.Kind.LECTURE, school=topic.school, audience=Event.Audience.SCHOOL, publish=True, **common
        )
    if topic.description and not event.description:
        Event.objects.filter(pk=event.pk).update(description=topic.description)
    before = topic.status
    topic.status = TopicRequest.Status.SCHEDULED
    topic.scheduled_event_id = event.pk
    topic.save(update_fields=["status", "scheduled_event_id"])
    students = sorted(set(TopicVote.objects.filter(topic=topic).values_list("student_id", flat=True)))
    if students:
        when = timezone.localtime(event.starts_at).strftime("%Y-%m-%d %H:%M")
        notice_create(
            actor=actor,
            title=_("The topic you asked for becomes a lecture")[:60],
            body=_(
                "The topic “%(topic)s” your family asked for will be taught at %(time)s, %(place)s. "
                "Register on the lecture's page: %(path)s"
            )
            % {
                "topic": topic.title,
                "time": when,
                "place": event.place or event.online_url,
                "path": f"/events/{event.pk}/",
            },  # fmt: skip
            audience=Audience(students=students),
        )
    audit_record(
        actor=actor,
        action="topic.schedule",
        target=topic,
        changes={"status": [before, topic.status], "event": [None, event.pk]},
    )
    return event


def topics_mark_held(*, now=None) -> int:
    """Scheduled topics whose lecture has ended, or has checked-in families, are held (a periodic job; idempotent).
    Pages show "held" before this runs (access.topic_status_now, the same rule); the job persists it. A topic whose
    lecture was cancelled goes back to planned, so the school can schedule it again."""
    from xieyu.events.models import Event

    scheduled = TopicRequest.objects.filter(status=TopicRequest.Status.SCHEDULED)
    with transaction.atomic():
        cancelled = Event.objects.filter(status=Event.Status.CANCELLED).values("pk")
        scheduled.filter(scheduled_event_id__in=cancelled).update(
            status=TopicRequest.Status.PLANNED, scheduled_event_id=None
        )
        held = access.lectures_held(now).values("pk")
        return scheduled.filter(scheduled_event_id__in=held).update(status=TopicRequest.Status.HELD)


# --- clinics (教育义诊) -------------------------------------------------------------------------------------------

MAX_CLINIC_SLOTS = 24


@transaction.atomic
def clinic_publish(
    *,
    actor,
    title: str,
    starts_at,
    slot_minutes: int,
    slots: int,
    place: str = "",
    online_url: str = "",
    capacity_per_slot: int = 1,
    description: str = "",
):
    """An expert of the county guidance center publishes a clinic (online or at a place): an event of kind clinic,
    open to any family of the county, with `slots` consecutive appointment slots of `slot_minutes` each."""
    import datetime

    from xieyu.events.models import Event

    counties = access.units_of(actor).expert_counties
    if not counties:
        raise PermissionDenied(_("Only an expert of the county guidance center may publish a clinic."))
    title = (title or "").strip()
    if not 4 <= len(title) <= 80:
        raise ValidationError(_("Give the clinic a title of 4 to 80 characters."), code="title")
    place, online_url = (place or "").strip(), (online_url or "").strip()
    if not place and not online_url:
        raise ValidationError(_("Give the place of the event or its online link."), code="place")
    if online_url and not online_url.startswith(("http://", "https://")):
        raise ValidationError(_("The link must start with http:// or https://."), code="online_url")
    if starts_at is None or timezone.is_naive(starts_at) or starts_at <= timezone.now():
        raise ValidationError(_("The clinic must start in the future."), code="starts_at")
    if not isinstance(slot_minutes, int) or not 10 <= slot_minutes <= 120:
        raise ValidationError(_("A slot lasts 10 to 120 minutes."), code="slot_minutes")
    if not isinstance(slots, int) or not 1 <= slots <= MAX_CLINIC_SLOTS:
        raise ValidationError(_("A clinic has 1 to %(n)d slots.") % {"n": MAX_CLINIC_SLOTS}, code="slots")
    if not isinstance(capacity_per_slot, int) or not 1 <= capacity_per_slot <= 10:
        raise ValidationError(_("A slot takes 1 to 10 families."), code="capacity")
    step = datetime.timedelta(minutes=slot_minutes)
    event = Event.objects.create(
        kind=Event.Kind.CLINIC, title=title, description=(description or "").strip()[:1000],
        organiser=Event.Organiser.COUNTY, county_id=min(counties), audience=Event.Audience.REGISTERED,
        place=place, online_url=online_url, starts_at=starts_at, ends_at=starts_at + step * slots,
        capacity=slots * capacity_per_slot, status=Event.Status.PUBLISHED, created_by=actor,
    )  # fmt: skip
    ClinicSlot.objects.bulk_create(
        [
            ClinicSlot(
                event=event,
                expert=actor,
                starts_at=starts_at + step * i,
                ends_at=starts_at + step * (i + 1),
                capacity=capacity_per_slot,
            )  # fmt: skip
            for i in range(slots)
        ]
    )
    audit_record(actor=actor, action="clinic.publish", target=event, changes={"slots": [None, slots]})
    return event


@transaction.atomic
def clinic_book(*, actor, slot: ClinicSlot, student: Student, topic: str) -> ClinicBooking:
    """A guardian books a slot for one of their children and says what they want to discuss. A family (the guardians
    of one child) holds at most one live slot per clinic; a full slot is refused.

    The clinic's event row is locked first, so two guardians of one family booking two slots of the same clinic at
    once are served one after the other (PostgreSQL row lock; SQLite runs write transactions one at a time), and
    the second sees the first's booking. Cancelling frees the family to book again."""
    from xieyu.events.models import Event

    if not access.children_for_asking(actor).filter(pk=student.pk, school__county=slot.event.county_id).exists():
        raise PermissionDenied(_("You can only book for your own children."))
    topic = (topic or "").strip()
    if not 4 <= len(topic) <= 300:
        raise ValidationError(_("Say in 4 to 300 characters what you want to discuss."), code="topic")
    clinic = Event.objects.select_for_update().get(pk=slot.event_id)
    slot = ClinicSlot.objects.select_for_update().get(pk=slot.pk)
    slot.event = clinic
    if clinic.status != Event.Status.PUBLISHED:
        raise ValidationError(_("This clinic is not open for booking."), code="status")
    if slot.starts_at <= timezone.now():
        raise ValidationError(_("This slot has already begun: choose a later one."), code="past")
    family = ClinicBooking.objects.filter(slot__event=clinic, student=student, status=ClinicBooking.Status.BOOKED)
    held = family.select_related("slot").defer("outcome").first()
    if held is not None and held.slot_id == slot.pk:
        raise ValidationError(_("Your family has already booked this slot."), code="duplicate")
    if held is not None:
        raise ValidationError(
            _(
                "Your family already has a booking at this clinic (%(time)s). A family may book one slot per clinic: "
                "cancel that booking first to choose another time."
            )
            % {"time": timezone.localtime(held.slot.starts_at).strftime("%Y-%m-%d %H:%M")},
            code="clinic_duplicate",
        )
    live = ClinicBooking.objects.filter(slot=slot, status=ClinicBooking.Status.BOOKED)
    if live.count() >= slot.capacity:
        raise ValidationError(_("This slot is already taken: choose another one."), code="full")
    booking = ClinicBooking.objects.create(slot=slot, student=student, booked_by=actor, topic=topic)
    audit_record(actor=actor, action="clinic.book", target=student, changes={"clinic_slot": [None, slot.pk]})
    return booking


@transaction.atomic
def clinic_cancel(*, actor, booking: ClinicBooking) -> ClinicBooking:
    """A guardian of the family cancels; the slot is free again at once."""
    if not access.bookings_of(actor).filter(pk=booking.pk).exists():
        raise PermissionDenied(_("You can only cancel your own family's booking."))
    done = ClinicBooking.objects.filter(pk=booking.pk, status=ClinicBooking.Status.BOOKED).update(
        status=ClinicBooking.Status.CANCELLED, cancelled_at=timezone.now()
    )
    if not done:
        raise ValidationError(_("This booking has already been cancelled."), code="cancelled")
    booking.status = ClinicBooking.Status.CANCELLED
    audit_record(actor=actor, action="clinic.cancel", target=booking.student,
                 changes={"clinic_slot": [booking.slot_id, None]})  # fmt: skip
    return booking


@transaction.atomic
def clinic_record_outcome(*, actor, booking: ClinicBooking, outcome: str) -> ClinicBooking:
    """The expert records what came of the appointment: private to the expert and those above them."""
    if not access.may_write_clinic_outcome(actor, booking):
        raise PermissionDenied(_("Only the expert who held the appointment may record its outcome."))
    outcome = (outcome or "").strip()
    if not 4 <= len(outcome) <= 2000:
        raise ValidationError(_("Write the outcome in 4 to 2000 characters."), code="outcome")
    if booking.status != ClinicBooking.Status.BOOKED:
        raise ValidationError(_("This booking was cancelled."), code="cancelled")
    ClinicBooking.objects.filter(pk=booking.pk).update(outcome=outcome, outcome_at=timezone.now())
    booking.outcome = outcome
    audit_record(actor=actor, action="clinic.outcome", target=booking.student, changes={"booking": [None, booking.pk]})
    return booking


@transaction.atomic
def clinic_follow_up_question(*, actor, booking: ClinicBooking, title: str, body: str) -> Question:
    """After the appointment the expert opens a follow-up question on the guardian's behalf, routed to the county
    guidance center and assigned to the expert, on the deadline engine like any question.

    Referrals to partner agencies (妇联, 民政 …) are not made here: they arrive with the care module (xieyu/care/),
    which keeps the referral, its consent and its follow-through."""
    if not access.may_write_clinic_outcome(actor, booking):
        raise PermissionDenied(_("Only the expert who held the appointment may open a follow-up question."))
    if booking.status != ClinicBooking.Status.BOOKED:
        raise ValidationError(_("This booking was cancelled."), code="cancelled")
    if booking.follow_up_question_id:
        raise ValidationError(_("A follow-up question was already opened for this appointment."), code="duplicate")
    title = _clean_text(title, field="title", low=4, high=60)
    body = _clean_text(body, field="body", low=10, high=2000)
    student = booking.student
    now = timezone.now()
    question = Question.objects.create(
        asker=booking.booked_by, student=student, county_id=booking.slot.event.county_id, school_id=student.school_id,
        level=Level.COUNTY, category=Category.OTHER, title=title, body=body, assignee=actor, created_at=now,
    )  # fmt: skip
    deadline_start(actor=actor, target=question, policy=DEFAULT_POLICY, owner=actor, title=title,
                   county=question.county_id)  # fmt: skip
    _event(question, actor, _("Opened by %(name)s after the clinic appointment.") % {"name": actor.name})
    ClinicBooking.objects.filter(pk=booking.pk).update(follow_up_question=question)
    booking.follow_up_question = question
    audit_record(actor=actor, action="clinic.follow_up", target=question, changes={"booking": [None, booking.pk]})
    return question
