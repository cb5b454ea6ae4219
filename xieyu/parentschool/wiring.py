"""What the parent school lends lower apps: the questionnaire engine's audience of a session's families."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from xieyu.directory.models import Guardian, Guardianship, Student
from xieyu.events import access as events_access
from xieyu.events.models import Attendance, Registration

from .models import Session


def _parse(ident: str) -> tuple[int | None, bool]:
    """ "12" → (12, False): the session's families; "12:came" → (12, True): those who came."""
    pk, _sep, which = ident.partition(":")
    if not pk.isdigit() or which not in ("", "came"):
        return None, False
    return int(pk), which == "came"


def _session(ident: str) -> Session | None:
    pk, _came = _parse(ident)
    if pk is None:
        return None
    return Session.objects.filter(pk=pk).select_related("event", "parent_school__school").first()


def _members(ident: str) -> QuerySet[Student]:
    """The families registered for the session (not waiting) or who came to it (with ":came", only those who came)."""
    pk, only_came = _parse(ident)
    if pk is None:
        return Student.objects.none()
    came = Attendance.objects.filter(event__ps_session=pk)
    if only_came:
        return Student.objects.filter(pk__in=came.values("student"))
    registered = Registration.objects.filter(event__ps_session=pk, status=Registration.Status.REGISTERED)
    return Student.objects.filter(Q(pk__in=registered.values("student")) | Q(pk__in=came.values("student")))


def _guardians(ident: str) -> QuerySet[Guardian]:
    """Who is asked: for those who came, the guardian who came (any confirmed guardian of the family when the
    organiser did not record who); otherwise every confirmed guardian of the families registered."""
    pk, only_came = _parse(ident)
    if pk is None:
        return Guardian.objects.none()
    confirmed = Guardianship.Status.CONFIRMED
    if not only_came:
        return Guardian.objects.filter(guardianships__student__in=_members(ident).values("pk"),
                                       guardianships__status=confirmed).distinct()  # fmt: skip
    came = Attendance.objects.filter(event__ps_session=pk)
    return Guardian.objects.filter(
        Q(pk__in=came.filter(guardian__isnull=False).values("guardian"))
        | Q(guardianships__student__in=came.filter(guardian__isnull=True).values("student"),
            guardianships__status=confirmed)
    ).distinct()  # fmt: skip


def _may_target(user, ident: str) -> bool:
    session = _session(ident)
    return session is not None and events_access.can_manage(user, session.event)


def _label(ident: str) -> str:
    session = _session(ident)
    if session is None:
        return ""
    if _parse(ident)[1]:
        return _("%(title)s: families who came") % {"title": session.event.title}
    return session.event.title


def _place(ident: str) -> tuple[int, int | None]:
    session = _session(ident)
    if session is None:
        return 0, None
    school = session.parent_school.school
    return school.county_id, school.pk


def _answer_url(ident: str) -> str:
    """The families answer a session's questionnaire on its page (its id is the event's)."""
    session = _session(ident)
    return reverse("parentschool:session", args=[session.event_id]) if session is not None else ""


def register_survey_audience() -> None:
    from xieyu.surveys import audiences

    from .services import HOOK

    audiences.register(HOOK, members=_members, may_target=_may_target, label=_label, place=_place,
                       guardians=_guardians, answer_url=_answer_url)  # fmt: skip
