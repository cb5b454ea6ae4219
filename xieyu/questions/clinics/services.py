"""Every write to clinics (教育义诊): an expert publishes a clinic with its slots, families book and cancel, the expert
records the private outcome and may open a follow-up question.

Who may act is settled at the edge (access.py); these functions enforce the rules of a clinic (its state, the
slots' capacity, one slot per family per clinic, the lengths of texts) and trust the objects they are given.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xieyu.audit.services import audit_record
from xieyu.deadlines.services import deadline_start
from xieyu.directory.models import Student
from xieyu.events.models import Event
from xieyu.questions.asking.models import Category, Level, Question
from xieyu.questions.asking.services import DEFAULT_POLICY, clean_text, thread_event

from .models import ClinicBooking, ClinicSlot

MAX_CLINIC_SLOTS = 24


@transaction.atomic
def clinic_publish(
    *,
    actor,
    county_id: int,
    title: str,
    starts_at,
    slot_minutes: int,
    slots: int,
    place: str = "",
    online_url: str = "",
    capacity_per_slot: int = 1,
    description: str = "",
):
    """An expert of the county guidance center publishes a clinic (online or at a place) in their county
    (access.clinic_county_of): an event of kind clinic, open to any family of the county, with `slots` consecutive
    appointment slots of `slot_minutes` each."""
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
        organiser=Event.Organiser.COUNTY, county_id=county_id, audience=Event.Audience.REGISTERED,
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
    the second sees the first's booking. Cancelling frees the family to book again. The edge gave a slot of a clinic
    open to the actor's families and one of their children in its county (access.clinic_students_for)."""
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
    """A guardian of the family (access.get_own_booking) cancels; the slot is free again at once."""
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
    """The expert who held the slot (access.check_may_record_outcome) records what came of the appointment: private
    to the expert and those above them."""
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
    which keeps the referral, its consent and its follow-through. Opened by the expert who held the slot
    (access.check_may_open_follow_up)."""
    if booking.status != ClinicBooking.Status.BOOKED:
        raise ValidationError(_("This booking was cancelled."), code="cancelled")
    if booking.follow_up_question_id:
        raise ValidationError(_("A follow-up question was already opened for this appointment."), code="duplicate")
    title = clean_text(title, field="title", low=4, high=60)
    body = clean_text(body, field="body", low=10, high=2000)
    student = booking.student
    now = timezone.now()
    question = Question.objects.create(
        asker=booking.booked_by, student=student, county_id=booking.slot.event.county_id, school_id=student.school_id,
        level=Level.COUNTY, category=Category.OTHER, title=title, body=body, assignee=actor, created_at=now,
    )  # fmt: skip
    deadline_start(actor=actor, target=question, policy=DEFAULT_POLICY, owner=actor, title=title,
                   county=question.county_id)  # fmt: skip
    thread_event(question, actor, _("Opened by %(name)s after the clinic appointment.") % {"name": actor.name})
    ClinicBooking.objects.filter(pk=booking.pk).update(follow_up_question=question)
    booking.follow_up_question = question
    audit_record(actor=actor, action="clinic.follow_up", target=question, changes={"booking": [None, booking.pk]})
    return question
