"""Who may see and handle which question, article and topic. Missing and forbidden both answer 404.

A question is seen by its asker, by the staff it is routed to and those above them, and by its assigned expert:

- addressed to the class: the class's head teacher, the school's admins, the county admins;
- addressed to the school: the school's admins, the county admins;
- addressed to the county guidance center: the county admins, the county's experts while nobody has claimed it,
  then only the expert it is assigned to;
- flagged as urgent (any level): also the county's counsellors and the school's admins.

Staff rights are read from the user's memberships (loaded once per request), never from the question's text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Case, CharField, Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Value, When
from django.http import Http404

from xieyu.accounts.models import Membership, Role
from xieyu.directory.access import children_of, schools_visible_to
from xieyu.directory.models import Student

from .models import Alert, Article, ExpertSkill, Level, Message, Question, TopicRequest, TopicVote


@dataclass
class Units:
    counties: set[int] = field(default_factory=set)  # county admin
    schools: set[int] = field(default_factory=set)  # school admin
    classes: set[int] = field(default_factory=set)  # head teacher
    expert_counties: set[int] = field(default_factory=set)
    counsellor_counties: set[int] = field(default_factory=set)

    @property
    def is_staff(self) -> bool:
        return bool(self.counties or self.schools or self.classes or self.expert_counties or self.counsellor_counties)


def units_of(user) -> Units:
    u = Units()
    if not getattr(user, "is_authenticated", False):
        return u
    for m in user.memberships:
        if m.role == Role.COUNTY_ADMIN and m.county_id:
            u.counties.add(m.county_id)
        elif m.role == Role.SCHOOL_ADMIN and m.school_id:
            u.schools.add(m.school_id)
        elif m.role == Role.HEAD_TEACHER and m.school_class_id:
            u.classes.add(m.school_class_id)
        elif m.role == Role.EXPERT and m.county_id:
            u.expert_counties.add(m.county_id)
        elif m.role == Role.COUNSELLOR and m.county_id:
            u.counsellor_counties.add(m.county_id)
    return u


def _staff_filter(user, u: Units) -> Q:
    q = Q(pk__in=[])
    if u.counties:
        q |= Q(county__in=u.counties)
    if u.schools:
        q |= Q(school__in=u.schools, level__in=[Level.CLASS, Level.SCHOOL])
        q |= Q(school__in=u.schools, flagged_at__isnull=False)
    if u.classes:
        q |= Q(school_class__in=u.classes, level=Level.CLASS)
    if u.expert_counties:
        q |= Q(county__in=u.expert_counties, level=Level.COUNTY, assignee__isnull=True)
    if u.counsellor_counties:
        q |= Q(county__in=u.counsellor_counties, flagged_at__isnull=False)
    if u.is_staff:
        q |= Q(assignee=user)
    return q


def questions_visible_to(user) -> QuerySet[Question]:
    if not getattr(user, "is_authenticated", False):
        return Question.objects.none()
    return Question.objects.filter(Q(asker=user) | _staff_filter(user, units_of(user)))


def questions_handled_by(user) -> QuerySet[Question]:
    """The staff queue: questions routed to the user (not their own as a parent)."""
    u = units_of(user)
    if not u.is_staff:
        return Question.objects.none()
    return Question.objects.filter(_staff_filter(user, u))


def _with_related(qs: QuerySet[Question]) -> QuerySet[Question]:
    return qs.select_related("asker", "student", "school", "school_class", "school_class__grade", "assignee")


def get_question_for(user, pk) -> Question:
    question = _with_related(questions_visible_to(user)).filter(pk=pk).first()
    if question is None:
        raise Http404("question not found")
    return question


def get_own_question(user, pk) -> Question:
    """A question the user asked (follow-up, rating)."""
    if not getattr(user, "is_authenticated", False):
        raise Http404("question not found")
    question = _with_related(Question.objects.filter(asker=user)).filter(pk=pk).first()
    if question is None:
        raise Http404("question not found")
    return question


def get_handled_question(user, pk) -> Question:
    question = _with_related(questions_handled_by(user)).filter(pk=pk).first()
    if question is None:
        raise Http404("question not found")
    return question


def is_handler(user, question: Question) -> bool:
    """May the user answer, note and close this question (no query: memberships only)?"""
    u = units_of(user)
    if question.assignee_id == getattr(user, "pk", None) and u.is_staff:
        return True
    if question.county_id in u.counties:
        return True
    if question.level in (Level.CLASS, Level.SCHOOL) and question.school_id in u.schools:
        return True
    if question.level == Level.CLASS and question.school_class_id in u.classes:
        return True
    if question.level == Level.COUNTY and question.assignee_id is None and question.county_id in u.expert_counties:
        return True
    return question.flagged_at is not None and (
        question.county_id in u.counsellor_counties or question.school_id in u.schools
    )


def may_clear_flag(user, question: Question) -> bool:
    u = units_of(user)
    return question.is_urgent and (
        question.county_id in u.counties
        or question.county_id in u.counsellor_counties
        or question.school_id in u.schools
    )


def may_assign(user, question: Question) -> bool:
    """County admins and counsellors assign guidance-center questions to experts."""
    u = units_of(user)
    return question.level == Level.COUNTY and (
        question.county_id in u.counties or question.county_id in u.counsellor_counties
    )


def may_claim(user, question: Question) -> bool:
    u = units_of(user)
    return (
        question.level == Level.COUNTY
        and question.assignee_id is None
        and question.county_id in u.expert_counties
        and question.status == Question.Status.OPEN
    )


def may_publish(user, question: Question) -> bool:
    """Experts and county admins of the county turn an answered, publishable question into an article."""
    u = units_of(user)
    return (
        question.status != Question.Status.OPEN
        and question.answered_at is not None
        and question.visibility == Question.Visibility.PUBLISHABLE
        and (question.county_id in u.expert_counties or question.county_id in u.counties)
    )


def thread_of(user, question: Question) -> list[Message]:
    """The question's thread as the user may read it: internal notes only for those who handle it."""
    qs = Message.objects.filter(question=question).select_related("author")
    if not is_handler(user, question):
        qs = qs.exclude(kind=Message.Kind.NOTE)
    return list(qs.order_by("created_at", "pk"))


def questions_of(user) -> QuerySet[Question]:
    """The user's own questions, newest first."""
    if not getattr(user, "is_authenticated", False):
        return Question.objects.none()
    return Question.objects.filter(asker=user).select_related("school").order_by("-created_at", "-pk")


def queue_for(user, *, status: str = "open", urgent_only: bool = False) -> QuerySet[Question]:
    """The staff queue: urgent first, then (for an expert) questions in their skills, then the oldest."""
    qs = questions_handled_by(user).select_related("school", "school_class", "school_class__grade", "assignee")
    if status in Question.Status.values:
        qs = qs.filter(status=status)
    if urgent_only:
        qs = qs.filter(flagged_at__isnull=False, flag_cleared_at__isnull=True)
    skilled = Exists(ExpertSkill.objects.filter(user=user, category=OuterRef("category")))
    return qs.annotate(in_skills=skilled).order_by(
        F("flagged_at").desc(nulls_last=True), "-in_skills", "created_at", "pk"
    )


def questions_by_ids(user, ids: list[int]) -> dict[int, Question]:
    """Visible questions among ids (for similar-question lists), one query."""
    return {q.pk: q for q in questions_visible_to(user).filter(pk__in=ids)}


def answered_questions_by_ids(ids: list[int]) -> dict[int, Question]:
    """Answered questions by id, for the benchmark and staff similarity (the caller filters by visibility)."""
    return {q.pk: q for q in Question.objects.filter(pk__in=ids)}


def alerts_for(user, *, unread_only: bool = True) -> QuerySet[Alert]:
    if not getattr(user, "is_authenticated", False):
        return Alert.objects.none()
    qs = Alert.objects.filter(user=user).select_related("question", "question__school")
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at", "-pk")


def get_alert_for(user, pk) -> Alert:
    alert = alerts_for(user, unread_only=False).filter(pk=pk).first()
    if alert is None:
        raise Http404("alert not found")
    return alert


# --- asking ---------------------------------------------------------------------------------------------------


def children_for_asking(user) -> QuerySet[Student]:
    """The user's confirmed children, enrolled in a class, with school and class."""
    return (
        children_of(user)
        .filter(status=Student.Status.ENROLLED)
        .select_related("school", "school_class", "school_class__grade")
        .order_by("birth_date", "pk")
    )


# --- experts --------------------------------------------------------------------------------------------------


def experts_of_county(county_id: int, category: str | None = None) -> list:
    """The county's experts as users, each with `open_load` (open questions assigned) and `skilled` (has the
    category among their skills); least loaded skilled first. Two queries."""
    from django.contrib.auth import get_user_model

    User = get_user_model()
    ids = Membership.objects.filter(role=Role.EXPERT, county_id=county_id, is_active=True).values("user")
    experts = list(
        User.objects.filter(pk__in=ids, is_active=True)
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


# --- knowledge base ---------------------------------------------------------------------------------------------


def articles_visible_to(user) -> QuerySet[Article]:
    """Everyone sees public articles; a logged-in user also sees the members-only ones."""
    qs = Article.objects.all()
    if not getattr(user, "is_authenticated", False):
        qs = qs.filter(is_public=True)
    return qs


def get_article_for(user, pk) -> Article:
    article = articles_visible_to(user).filter(pk=pk).first()
    if article is None:
        raise Http404("article not found")
    return article


def articles_by_ids(user, ids: list[int]) -> list[Article]:
    found = {a.pk: a for a in articles_visible_to(user).filter(pk__in=ids)}
    return [found[i] for i in ids if i in found]


# --- topic requests -------------------------------------------------------------------------------------------


def topic_schools_for(user):
    """Schools whose topics the user may see: their children's schools and the schools they work in."""
    return schools_visible_to(user)


def lectures_held(now=None) -> QuerySet:
    """Lectures that count as held: published, and ended or with a checked-in family. The one rule shared by the
    topics pages (`topic_status_now`, on every load) and the periodic job that persists it (`topics_mark_held`)."""
    from django.utils import timezone

    from xieyu.events.models import Attendance, Event

    now = now or timezone.now()
    checked_in = Exists(Attendance.objects.filter(event=OuterRef("pk")))
    return Event.objects.filter(Q(ends_at__lte=now) | Q(checked_in), status=Event.Status.PUBLISHED)


def topic_status_now(prefix: str = "", now=None) -> Case:
    """A topic's status as of now, in SQL: a scheduled topic whose lecture is held (see lectures_held) reads
    "held" at once, before the periodic job writes it. `prefix` reaches the topic through a relation ("topic__")."""
    held = lectures_held(now).filter(pk=OuterRef(f"{prefix}scheduled_event_id"))
    return Case(
        When(
            Q(**{f"{prefix}status": TopicRequest.Status.SCHEDULED}) & Q(Exists(held)),
            then=Value(TopicRequest.Status.HELD.value),
        ),
        default=F(f"{prefix}status"),
        output_field=CharField(),
    )


def topics_visible_to(user) -> QuerySet[TopicRequest]:
    """Topics of the schools the user may see, each with `status_now` (held as soon as its lecture is) and
    `event_starts_at` (its lecture's start): annotations, so a page of topics stays one query."""
    if not getattr(user, "is_authenticated", False):
        return TopicRequest.objects.none()
    from xieyu.events.models import Event

    lecture = Event.objects.filter(pk=OuterRef("scheduled_event_id"))
    return (
        TopicRequest.objects.filter(school__in=topic_schools_for(user).values("pk"))
        .select_related("school")
        .annotate(event_starts_at=Subquery(lecture.values("starts_at")[:1]), status_now=topic_status_now())
    )


def get_topic_for(user, pk) -> TopicRequest:
    topic = topics_visible_to(user).filter(pk=pk).first()
    if topic is None:
        raise Http404("topic not found")
    return topic


def voting_children(user, topic: TopicRequest) -> list[Student]:
    """The user's children in the topic's school: each child's family may vote once."""
    return list(children_of(user).filter(school=topic.school_id, status=Student.Status.ENROLLED).order_by("pk"))


def voted_topic_ids(user, school_ids) -> set[int]:
    """Topics the user's families have voted for (one query)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(
        TopicVote.objects.filter(student__in=children_of(user).values("pk"), topic__school__in=school_ids).values_list(
            "topic_id", flat=True
        )
    )


def topic_school_ids_managed_by(user) -> set[int]:
    """Schools whose topics the user may move towards a session: their school admins and county admins (one query,
    none for a user without such a membership)."""
    u = units_of(user)
    if not (u.schools or u.counties):
        return set()
    from xieyu.directory.access import schools_managed_by

    return set(schools_managed_by(user).values_list("pk", flat=True))


def get_topic_to_manage(user, pk) -> TopicRequest:
    """A topic of a school the user manages (school admin, county admin); 404 alike for missing and forbidden."""
    topic = get_topic_for(user, pk)
    if not may_manage_topics(user, topic.school_id):
        raise Http404("topic not found")
    return topic


def may_manage_topics(user, school_id: int) -> bool:
    u = units_of(user)
    if school_id in u.schools:
        return True
    if not u.counties:
        return False
    from xieyu.directory.access import schools_managed_by

    return schools_managed_by(user).filter(pk=school_id).exists()


# --- figures --------------------------------------------------------------------------------------------------


def county_ids_overseen(user) -> set[int]:
    return units_of(user).counties


def school_ids_overseen(user) -> set[int]:
    return units_of(user).schools


# --- clinics (教育义诊) -------------------------------------------------------------------------------------------


def _live_bookings():
    from .models import ClinicBooking

    return ClinicBooking.objects.filter(status=ClinicBooking.Status.BOOKED)


def clinics_open_to(user) -> QuerySet:
    """Published clinics of the counties the user's enrolled children live in that have not ended, soonest first."""
    from django.utils import timezone

    from xieyu.events.models import Event

    if not getattr(user, "is_authenticated", False):
        return Event.objects.none()
    counties = children_for_asking(user).values("school__county")
    return Event.objects.filter(
        kind=Event.Kind.CLINIC, status=Event.Status.PUBLISHED, county__in=counties, ends_at__gt=timezone.now()
    ).order_by("starts_at", "pk")


def get_clinic_for(user, pk):
    clinic = clinics_open_to(user).filter(pk=pk).first()
    if clinic is None:
        raise Http404("clinic not found")
    return clinic


def slots_of(clinic) -> QuerySet:
    """A clinic's slots (the clinic came from get_clinic_for), each with `booked` (live bookings): one query."""
    from .models import ClinicSlot

    booked = Count("bookings", filter=Q(bookings__status="booked"))
    return ClinicSlot.objects.filter(event=clinic).annotate(booked=booked).order_by("starts_at", "pk")


def slots_of_clinics(clinics) -> QuerySet:
    """The slots of several clinics (from clinics_open_to), with `booked`: one query."""
    from .models import ClinicSlot

    booked = Count("bookings", filter=Q(bookings__status="booked"))
    return (
        ClinicSlot.objects.filter(event__in=[c.pk for c in clinics]).annotate(booked=booked).order_by("starts_at", "pk")
    )


def get_slot_for(user, pk):
    """A slot of a clinic open to the user's families."""
    from .models import ClinicSlot

    slot = (
        ClinicSlot.objects.filter(pk=pk, event__in=clinics_open_to(user).values("pk")).select_related("event").first()
    )
    if slot is None:
        raise Http404("slot not found")
    return slot


def bookings_of(user) -> QuerySet:
    """The live bookings of the user's families (whoever of the family booked), soonest first. Never the outcome's
    text: callers show slot, clinic and topic only."""
    if not getattr(user, "is_authenticated", False):
        return _live_bookings().none()
    return (
        _live_bookings()
        .filter(student__in=children_of(user).values("pk"))
        .select_related("slot", "slot__event", "student")
        .defer("outcome")
        .order_by("slot__starts_at", "pk")
    )


def get_own_booking(user, pk):
    booking = bookings_of(user).filter(pk=pk).first()
    if booking is None:
        raise Http404("booking not found")
    return booking


def clinic_bookings_handled_by(user) -> QuerySet:
    """Bookings whose outcome the user may read and write: the slot's expert, and the county admins and counsellors
    of the clinic's county (those above the expert). No guardian, whatever their own bookings."""
    from .models import ClinicBooking

    u = units_of(user)
    if not u.is_staff:
        return ClinicBooking.objects.none()
    q = Q(slot__expert=user, slot__event__county__in=u.expert_counties)
    if u.counties or u.counsellor_counties:
        q |= Q(slot__event__county__in=u.counties | u.counsellor_counties)
    return ClinicBooking.objects.filter(q).select_related("slot", "slot__event", "student", "booked_by")


def get_clinic_booking_for_expert(user, pk):
    booking = clinic_bookings_handled_by(user).filter(pk=pk).first()
    if booking is None:
        raise Http404("booking not found")
    return booking


def may_write_clinic_outcome(user, booking) -> bool:
    """Only the expert who held the slot writes the outcome (those above read it)."""
    return (
        booking.slot.expert_id == getattr(user, "pk", None)
        and booking.slot.event.county_id in units_of(user).expert_counties
    )


# --- clinic pages (教育义诊) --------------------------------------------------------------------------------------


def clinics_published_by(user) -> QuerySet:
    """The clinics an expert published ("my clinics"), latest first, each with `slots_count` and `booked_count`
    (live bookings): one query. Nobody else's, and none for a user who is not an expert of the county."""
    from xieyu.events.models import Event

    from .models import ClinicBooking, ClinicSlot

    u = units_of(user)
    if not u.expert_counties:
        return Event.objects.none()
    slots = ClinicSlot.objects.filter(event=OuterRef("pk")).order_by().values("event")
    booked = (
        ClinicBooking.objects.filter(slot__event=OuterRef("pk"), status=ClinicBooking.Status.BOOKED)
        .order_by()
        .values("slot__event")
    )
    return (
        Event.objects.filter(kind=Event.Kind.CLINIC, created_by=user, county__in=u.expert_counties)
        .annotate(
            slots_count=Subquery(slots.annotate(n=Count("pk")).values("n")[:1]),
            booked_count=Subquery(booked.annotate(n=Count("pk")).values("n")[:1]),
        )
        .order_by("-starts_at", "-pk")
    )


def clinics_handled_by(user) -> QuerySet:
    """Clinics whose bookings the user may read: the expert who holds their slots, and the county admins and
    counsellors of the clinic's county (as clinic_bookings_handled_by)."""
    from xieyu.events.models import Event

    from .models import ClinicSlot

    u = units_of(user)
    if not u.is_staff:
        return Event.objects.none()
    own = Exists(ClinicSlot.objects.filter(event=OuterRef("pk"), expert=user))
    q = Q(own, county__in=u.expert_counties)
    if u.counties or u.counsellor_counties:
        q |= Q(county__in=u.counties | u.counsellor_counties)
    return Event.objects.filter(q, kind=Event.Kind.CLINIC)


def get_clinic_to_handle(user, pk):
    clinic = clinics_handled_by(user).filter(pk=pk).first()
    if clinic is None:
        raise Http404("clinic not found")
    return clinic


def live_bookings_of_clinic(user, clinic) -> QuerySet:
    """The live bookings of a clinic the user handles (from get_clinic_to_handle), with the guardian who booked:
    one query. The outcome's text is not loaded (its reads are logged one booking at a time); `outcome_at` tells
    whether there is one."""
    from .models import ClinicBooking

    return (
        clinic_bookings_handled_by(user)
        .filter(slot__event=clinic, status=ClinicBooking.Status.BOOKED)
        .defer("outcome")
        .order_by("slot__starts_at", "pk")
    )


def clinic_students_for(user, clinic) -> list[Student]:
    """The user's enrolled children who may have an appointment at this clinic (children of its county)."""
    return list(children_for_asking(user).filter(school__county=clinic.county_id))


def family_bookings_in(user, clinic_ids) -> list[tuple[int, int, int]]:
    """(slot, clinic, child) of the live bookings the user's families hold in these clinics (one query). A family
    holds at most one slot per clinic, so a child listed here may book no other slot of that clinic."""
    return list(
        bookings_of(user)
        .filter(slot__event__in=list(clinic_ids))
        .order_by()
        .values_list("slot_id", "slot__event_id", "student_id")
    )
