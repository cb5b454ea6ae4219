"""Every write of the diary: the day's sample and its requests, a family's answer, opting out and back in."""

from __future__ import annotations

import datetime
import hashlib
import secrets
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xieyu.accounts.models import Membership, Role, User
from xieyu.audit.services import audit_record
from xieyu.deadlines.workcalendar import is_working_day
from xieyu.directory.models import Guardian, Guardianship, Region, School, Student
from xieyu.notices.messages import message_send, messages_read_for

from ..watch import figures as fig
from ..watch.services import rollup_class_week
from .models import Diary, DiaryOptOut, DiaryRequest, DiarySamplingDay

TOPIC = "burden.diary"
MINUTE_FIELDS = ("homework_minutes", "other_homework_minutes", "screen_minutes", "reading_minutes",
                 "outdoor_minutes")  # fmt: skip
TIME_FIELDS = ("bedtime", "wake_time")
YES_NO_FIELDS = ("phone_to_school", "afterschool")
LABELS = {
    "homework_minutes": gettext_lazy("Written homework"),
    "other_homework_minutes": gettext_lazy("Other homework"),
    "bedtime": gettext_lazy("Bedtime"),
    "wake_time": gettext_lazy("Wake time"),
    "screen_minutes": gettext_lazy("Phone and screen time"),
    "phone_to_school": gettext_lazy("Phone taken to school"),
    "reading_minutes": gettext_lazy("Reading"),
    "outdoor_minutes": gettext_lazy("Outdoor activity"),
    "afterschool": gettext_lazy("After-school service"),
}


def per_class() -> int:
    return int(getattr(settings, "BURDEN_DIARY_PER_CLASS", 3))


def gap_days() -> int:
    return int(getattr(settings, "BURDEN_DIARY_GAP_DAYS", 14))


def token_hours() -> int:
    return int(getattr(settings, "BURDEN_DIARY_TOKEN_HOURS", 48))


def _refuse(field: str | None, message: str) -> ValidationError:
    return ValidationError({field: [message]} if field else message)


# --- answering -----------------------------------------------------------------------------------------------------


def request_state(request: DiaryRequest, now: datetime.datetime | None = None) -> str:
    """ "open", "answered" or "expired"."""
    if request.answered_at is not None:
        return "answered"
    if request.expires_at <= (now or timezone.now()):
        return "expired"
    return "open"


def _clean(values: dict[str, Any], unknown: set[str]) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    clean: dict[str, Any] = {}
    for name in Diary.FIELDS:
        label = LABELS[name]
        if name in unknown:
            clean[name] = None
            continue
        value = values.get(name)
        if value is None or value == "":
            errors[name] = [_("%(field)s: answer it, or choose “not known”.") % {"field": label}]
            continue
        if name in MINUTE_FIELDS:
            if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 1440:
                errors[name] = [_("%(field)s: minutes must be between 0 and 1440.") % {"field": label}]
                continue
        elif name in TIME_FIELDS:
            if not isinstance(value, datetime.time):
                errors[name] = [_("%(field)s: enter a time such as 21:30.") % {"field": label}]
                continue
        elif not isinstance(value, bool):
            errors[name] = [_("%(field)s: answer yes or no, or choose “not known”.") % {"field": label}]
            continue
        clean[name] = value
    if not errors and clean["bedtime"] is not None and clean["wake_time"] is not None:
        span = fig.after_noon(clean["wake_time"]) - fig.after_noon(clean["bedtime"])
        if span <= 0:
            errors["bedtime"] = [_("Bedtime: must be before the wake time (21:30 then 06:30 is fine; 07:00 then "
                                   "06:30 is not).")]  # fmt: skip
        clean["sleep_minutes"] = span
    else:
        clean["sleep_minutes"] = None
    if errors:
        raise ValidationError(errors)
    return clean


@transaction.atomic
def diary_submit(
    *, actor: User | None, request: DiaryRequest, values: dict[str, Any], unknown: Iterable[str] = ()
) -> Diary:
    """A family answers a request (logged in, or through the request's link: actor None). Every question is
    answered or marked not known; minutes lie in 0–1440; the bedtime comes before the wake time. One diary per
    child and day. The class-week's figures are recomputed in the same transaction."""
    request = DiaryRequest.objects.select_for_update().select_related("school_class__school").get(pk=request.pk)
    state = request_state(request)
    if state == "answered":
        raise _refuse(None, _("This diary has already been filled in. Thank you."))
    if state == "expired":
        raise _refuse(None, _("This diary link has expired (it is open for two days)."))
    if Diary.objects.filter(student=request.student_id, day=request.day).exists():
        raise _refuse(None, _("A diary for this child and this day has already been filled in."))
    unknown_set = {u for u in unknown if u in Diary.FIELDS}
    clean = _clean(values, unknown_set)
    answered_by = Guardian.objects.filter(user=actor).first() if actor is not None else None
    diary = Diary.objects.create(
        request=request, student_id=request.student_id, school_class=request.school_class,
        school=request.school_class.school, county_id=request.county_id, day=request.day,
        week=fig.monday(request.day), answered_by=answered_by or Guardian(pk=request.guardian_id),
        unknown=sorted(unknown_set), **clean,
    )  # fmt: skip
    request.answered_at = timezone.now()
    request.save(update_fields=["answered_at"])
    audit_record(actor=actor, action="burden.diary.submit", target=diary,
                 changes={"unknown": [None, sorted(unknown_set)]})  # fmt: skip
    if actor is not None:
        messages_read_for(user=actor, link=reverse("burden:diary_answer", args=[request.token]))
    rollup_class_week(school_class=request.school_class, week=diary.week)
    return diary


@transaction.atomic
def diary_opt_out(*, actor: User, student: Student, opted_out: bool) -> bool:
    """A guardian takes the child's family out of the sample (open requests close at once), or back in."""
    guardian = Guardian.objects.filter(user=actor).first()
    if opted_out:
        _row, created = DiaryOptOut.objects.get_or_create(student=student, defaults={"guardian": guardian})
        DiaryRequest.objects.filter(student=student, answered_at__isnull=True, expires_at__gt=timezone.now()).update(
            expires_at=timezone.now()
        )
    else:
        created = bool(DiaryOptOut.objects.filter(student=student).delete()[0])
    if created:
        audit_record(actor=actor, action="burden.diary.opt_out" if opted_out else "burden.diary.opt_in",
                     target=student, changes={"diary_opt_out": [not opted_out, opted_out]})  # fmt: skip
    return opted_out


# --- the day's sample ----------------------------------------------------------------------------------------------


def _order_key(pk: int, last: datetime.date | None, day: datetime.date) -> tuple:
    """Least recently asked first; among equals a stable shuffle of the day."""
    return (last or datetime.date.min, hashlib.sha1(f"{pk}:{day.isoformat()}".encode()).hexdigest())  # noqa: S324


def eligible_students(county: Region, asked_about: datetime.date):
    """Students of the county who may be asked about this day: enrolled in a class of grade one or above (no
    kindergarten), not opted out, not asked (nor answering) in the last fortnight, with a confirmed guardian we can
    reach."""
    reachable = Guardianship.objects.filter(student=OuterRef("pk"), status=Guardianship.Status.CONFIRMED).filter(
        Q(guardian__user__isnull=False) | Q(guardian__phone__isnull=False)
    )
    since = asked_about - datetime.timedelta(days=gap_days())
    asked = DiaryRequest.objects.filter(student=OuterRef("pk"), day__gt=since)
    answered = Diary.objects.filter(student=OuterRef("pk"), day__gt=since)  # a diary imported or seeded without one
    return (
        Student.objects.filter(school__county=county, status=Student.Status.ENROLLED, school_class__isnull=False,
                               school_class__grade__level__gte=1)
        .exclude(school__kind=School.Kind.KINDERGARTEN)
        .filter(Exists(reachable), ~Exists(asked), ~Exists(answered))
        .exclude(Exists(DiaryOptOut.objects.filter(student=OuterRef("pk"))))
    )  # fmt: skip


def _senders(county: Region, class_ids: set[int], school_ids: set[int]) -> dict[tuple[str, int], User]:
    rows = Membership.objects.filter(is_active=True, user__is_active=True).filter(
        Q(role=Role.HEAD_TEACHER, school_class__in=class_ids) | Q(role=Role.SCHOOL_ADMIN, school__in=school_ids)
        | Q(role=Role.COUNTY_ADMIN, county=county)
    ).select_related("user").order_by("pk")  # fmt: skip
    found: dict[tuple[str, int], User] = {}
    for m in rows:
        if m.role == Role.HEAD_TEACHER:
            key = ("class", m.school_class_id or 0)
        elif m.role == Role.SCHOOL_ADMIN:
            key = ("school", m.school_id or 0)
        else:
            key = ("county", county.pk)
        found.setdefault(key, m.user)
    return found


def _make_requests(county: Region, day: datetime.date, now: datetime.datetime) -> int:
    asked_about = day - datetime.timedelta(days=1)
    rows = (
        eligible_students(county, asked_about)
        .annotate(last=Max("diary_requests__day"))
        .values_list("pk", "school_class_id", "school_id", "last", "name")
    )
    by_class: dict[int, list] = defaultdict(list)
    for pk, class_id, school_id, last, name in rows:
        by_class[class_id].append((_order_key(pk, last, day), pk, school_id, name))
    picked = {pk: (class_id, school_id, name) for class_id, items in by_class.items()
              for _k, pk, school_id, name in sorted(items)[: per_class()]}  # fmt: skip
    if not picked:
        return 0
    guardian_of: dict[int, int] = {}
    for student_id, guardian_id in (
        Guardianship.objects.filter(student__in=list(picked), status=Guardianship.Status.CONFIRMED)
        .filter(Q(guardian__user__isnull=False) | Q(guardian__phone__isnull=False))
        .order_by("-is_primary_carer", "guardian__user", "pk")
        .values_list("student_id", "guardian_id")
    ):
        guardian_of.setdefault(student_id, guardian_id)
    senders = _senders(county, {c for c, _s, _n in picked.values()}, {s for _c, s, _n in picked.values()})
    school_names = dict(School.objects.filter(pk__in={s for _c, s, _n in picked.values()}).values_list("pk", "name"))
    expires = now + datetime.timedelta(hours=token_hours())
    made = 0
    for student_id, (class_id, school_id, name) in picked.items():
        sender = (
            senders.get(("class", class_id)) or senders.get(("school", school_id)) or senders.get(("county", county.pk))
        )
        if sender is None or student_id not in guardian_of:
            continue
        req = DiaryRequest.objects.create(
            student_id=student_id, guardian_id=guardian_of[student_id], school_class_id=class_id, county=county,
            day=asked_about, token=secrets.token_urlsafe(16), sent_at=now, expires_at=expires,
        )  # fmt: skip
        message_send(
            actor=sender, county_id=county.pk, to_guardian=Guardian(pk=req.guardian_id),
            title=_("One-minute diary: how was %(name)s's day yesterday?") % {"name": name},
            body=_("Please tell us about %(name)s's day yesterday (%(day)s): homework, sleep, phone, reading and "
                   "outdoor time. It takes a minute and needs no login; you may answer “not known” to any question. "
                   "The link is open for two days. The school sees only class figures, never your answers.")
            % {"name": name, "day": asked_about.isoformat()},
            link=reverse("burden:diary_answer", args=[req.token]), topic=TOPIC,
            sender_unit=school_names.get(school_id, ""),
        )  # fmt: skip
        made += 1
    return made


def diary_sample_day(*, county: Region, day: datetime.date | None = None) -> int:
    """Make one school day's requests for the county, once: the day's row is claimed with a conditional update and
    marked done in the same transaction as the requests and their messages, so a crash sends nothing twice (and
    the re-run finds the day undone). Not a school day, or already done: nothing."""
    day = day or timezone.localdate()
    if not is_working_day(county, day):
        return 0
    now = timezone.now()
    with transaction.atomic():
        row, _created = DiarySamplingDay.objects.get_or_create(county=county, date=day)
        if not DiarySamplingDay.objects.filter(pk=row.pk, done_at__isnull=True).update(claimed_at=now):
            return 0
        made = _make_requests(county, day, now)
        DiarySamplingDay.objects.filter(pk=row.pk).update(done_at=now, requests_made=made)
    return made
