"""Every write of the dispatch subdomain."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xieyu.audit.services import audit_record
from xieyu.directory.models import Community, Region, School, Stage, Town
from xieyu.events.models import Event, Staff
from xieyu.events.services import event_create, staff_add, staff_remove
from xieyu.notices.messages import message_send

from ..models import Assignment, Member, Need, Skill, Team
from ..vetting import check_valid_until, cleared

MAX_PEOPLE = 50
MAX_INVITE = 50
REASON_CHARS = 200
TOPIC = "teams.dispatch"

# The event a need gets when posted (a case follow-up is confidential: it gets none).
EVENT_KIND = {
    Need.Kind.LECTURE: Event.Kind.LECTURE,
    Need.Kind.CLINIC: Event.Kind.CLINIC,
    Need.Kind.AFTER_SCHOOL: Event.Kind.AFTER_SCHOOL_SESSION,
    Need.Kind.TOUR_STOP: Event.Kind.TOUR_STOP,
    Need.Kind.COMMUNITY: Event.Kind.COMMUNITY_ACTIVITY,
    Need.Kind.OTHER: Event.Kind.LECTURE,
}
# The staff role an accepted member takes at the need's event.
STAFF_ROLE = {
    Need.Kind.LECTURE: Staff.Role.INSTRUCTOR,
    Need.Kind.TOUR_STOP: Staff.Role.INSTRUCTOR,
    Need.Kind.CLINIC: Staff.Role.EXPERT,
    Need.Kind.AFTER_SCHOOL: Staff.Role.HELPER,
    Need.Kind.COMMUNITY: Staff.Role.HELPER,
    Need.Kind.OTHER: Staff.Role.HELPER,
}


@transaction.atomic
def need_create(
    *,
    actor,
    kind: str,
    topic: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    place: str,
    county: Region,
    school: School | None = None,
    community: Community | None = None,
    town: Town | None = None,
    stage: str = "",
    skills: Iterable[Skill] = (),
    team_kind: str = "",
    people: int = 1,
    with_children: bool = True,
    description: str = "",
    event=None,
) -> Need:
    """Post a need for the county, one of its schools or one of its communities. The edge has checked that the actor
    posts for that unit (teams.dispatch.access)."""
    topic, place = (topic or "").strip(), (place or "").strip()
    if kind not in Need.Kind.values:
        raise ValidationError(_("Choose what kind of help is needed."), code="kind")
    if not topic or len(topic) > 80:
        raise ValidationError(_("Give the topic of the need (at most 80 characters)."), code="topic")
    if not place or len(place) > 200:
        raise ValidationError(_("Give the place (at most 200 characters)."), code="place")
    if starts_at is None or ends_at is None or ends_at <= starts_at:
        raise ValidationError(_("The end must come after the start."), code="ends_at")
    if people is None or not 1 <= people <= MAX_PEOPLE:
        raise ValidationError(_("Ask for between 1 and %(n)s people.") % {"n": MAX_PEOPLE}, code="people")
    if stage and stage not in Stage.values:
        raise ValidationError(_("Choose a school stage from the list."), code="stage")
    if team_kind and team_kind not in Team.Kind.values:
        raise ValidationError(_("Choose a team from the list."), code="team_kind")
    for unit in (school, community, town):
        if unit is not None and unit.county_id != county.pk:
            raise ValidationError(_("The school, community or town lies in another county."), code="county")
    skills = list(skills)
    if any(s.county_id != county.pk for s in skills):
        raise ValidationError(_("Choose skills from the county's list."), code="skills")
    if town is None:
        town = school.town if school is not None else (community.town if community is not None else None)
    if event is None and kind != Need.Kind.CASE_FOLLOWUP:
        event = _event_for(actor=actor, kind=kind, topic=topic, starts_at=starts_at, ends_at=ends_at, place=place,
                           county=county, school=school, community=community, description=description)  # fmt: skip
    need = Need.objects.create(
        county=county, school=school, community=community, kind=kind, topic=topic, stage=stage,
        description=(description or "").strip(), starts_at=starts_at, ends_at=ends_at, place=place, town=town,
        team_kind=team_kind, people=people, with_children=with_children, event=event, posted_by=actor,
    )  # fmt: skip
    need.skills.set(skills)
    audit_record(actor=actor, action="teams.need_create", target=need, changes={"kind": [None, kind]})
    return need


def _event_for(*, actor, kind, topic, starts_at, ends_at, place, county, school, community, description) -> Event:
    """The need's event on the events engine, published at once so families can see and register for it: a
    school's need is for its whole school, a community's for the families of its town, the county's for the
    county."""
    if school is not None:
        audience, audience_town = Event.Audience.SCHOOL, None
    elif community is not None and community.town_id is not None:
        audience, audience_town = Event.Audience.TOWN, community.town
    else:
        audience, audience_town = Event.Audience.COUNTY, None
    return event_create(
        actor=actor, kind=EVENT_KIND[kind], title=topic, starts_at=starts_at, ends_at=ends_at, audience=audience,
        school=school, county=county if school is None and community is None else None, community=community,
        audience_town=audience_town, place=place, description=(description or "").strip(), publish=True,
    )  # fmt: skip


def _reason(reason: str, *, required: bool) -> str:
    reason = (reason or "").strip()
    if required and not reason:
        raise ValidationError(_("Say why, in a few words."), code="reason")
    if len(reason) > REASON_CHARS:
        raise ValidationError(_("The reason is too long: at most %(n)s characters.") % {"n": REASON_CHARS},
                              code="reason")  # fmt: skip
    return reason


def _lock_need(need: Need) -> Need:
    return Need.objects.select_for_update().get(pk=need.pk)


def _clash(member: Member, need: Need) -> Assignment | None:
    """An accepted assignment of the same person overlapping the need's time."""
    return (
        Assignment.objects.filter(member__user=member.user_id, status=Assignment.Status.ACCEPTED,
                                  starts_at__lt=need.ends_at, ends_at__gt=need.starts_at)
        .exclude(need=need.pk)
        .select_related("need")
        .first()
    )  # fmt: skip


def _refusal(member: Member, need: Need) -> ValidationError | None:
    """Why the member may not work at the need, or None."""
    name = member.user.name
    on = timezone.localdate(need.starts_at)
    if member.team.county_id != need.county_id or member.team.school_id not in (None, need.school_id):
        return ValidationError(_("%(name)s is not in a team of this county.") % {"name": name}, code="member")
    if member.status != Member.Status.APPROVED:
        return ValidationError(_("%(name)s is not an approved member of the team.") % {"name": name}, code="member")
    if member.term_start is None or member.term_end is None or not member.term_start <= on <= member.term_end:
        return ValidationError(
            _("%(name)s's appointment does not cover %(date)s.") % {"name": name, "date": on.isoformat()}, code="term"
        )
    if need.with_children and not cleared(member.user, on):
        until = check_valid_until(member.user)
        if until is None:
            text = _("%(name)s has no background check on record: no work with children until one is recorded.")
        else:
            text = _("%(name)s's background check lapsed on %(until)s: no work with children until it is renewed.")
        return ValidationError(text % {"name": name, "until": until.isoformat() if until else ""}, code="check")
    if (other := _clash(member, need)) is not None:
        return ValidationError(
            _("%(name)s already works at “%(event)s” at that time (%(when)s).")
            % {"name": name, "event": other.need.topic,
               "when": timezone.localtime(other.starts_at).strftime("%m-%d %H:%M")},
            code="clash",
        )  # fmt: skip
    return None


def _accepted_count(need: Need) -> int:
    return Assignment.objects.filter(need=need, status=Assignment.Status.ACCEPTED).count()


@transaction.atomic
def assignment_invite(*, actor, need: Need, members: Iterable[Member]) -> list[Assignment]:
    """Invite members to the need; each gets a message with a link to her invitations. All or nothing: one member
    who may not work there refuses the whole invitation, naming her and why. The edge has checked that the actor
    coordinates the need (teams.dispatch.access)."""
    need = _lock_need(need)
    members = list(members)
    if not members:
        raise ValidationError(_("Choose at least one member to invite."), code="members")
    if len(members) > MAX_INVITE:
        raise ValidationError(_("Invite at most %(n)s members at once.") % {"n": MAX_INVITE}, code="members")
    if need.status == Need.Status.FILLED:
        raise ValidationError(_("The need is already filled: no more invitations."), code="status")
    if need.status != Need.Status.OPEN:
        raise ValidationError(_("The need is no longer open."), code="status")
    if need.ends_at <= timezone.now():
        raise ValidationError(_("The need is already over."), code="status")
    live = set(Assignment.objects.filter(need=need, status__in=Assignment.LIVE).values_list("member__user", flat=True))
    for m in members:
        if m.user_id in live:
            raise ValidationError(_("%(name)s is already invited to this need.") % {"name": m.user.name}, code="member")
        if (refusal := _refusal(m, need)) is not None:
            raise refusal
        live.add(m.user_id)
    created = Assignment.objects.bulk_create(
        [Assignment(need=need, member=m, starts_at=need.starts_at, ends_at=need.ends_at, invited_by=actor)
         for m in members]
    )  # fmt: skip
    link = reverse("teams:my_invitations")
    when = timezone.localtime(need.starts_at).strftime("%Y-%m-%d %H:%M")
    unit = need.school.name if need.school else (need.community.name if need.community else need.county.name)
    for m in members:
        message_send(
            actor=actor, county_id=need.county_id, to_user=m.user, title=_("An invitation: %(topic)s") % {
                "topic": need.topic}, body=_("%(unit)s invites you to “%(topic)s” on %(when)s at %(place)s. Please "
                                           "accept or decline in the app.") % {
                "unit": unit, "topic": need.topic, "when": when, "place": need.place},
            link=link, topic=TOPIC, sender_unit=unit,
        )  # fmt: skip
    for a in created:
        audit_record(actor=actor, action="teams.assignment_invite", target=a,
                     changes={"need": [None, need.pk], "member": [None, a.member_id]})  # fmt: skip
    return created


def _lock_assignment(assignment: Assignment) -> tuple[Need, Assignment]:
    """Lock the need first, then the assignment (always in that order), so two answers to one need serialise."""
    need = _lock_need(assignment.need)
    a = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("member__user", "member__team")
        .get(pk=assignment.pk)
    )
    return need, a


def _close_open_invitations(*, actor, need: Need) -> int:
    rows = list(Assignment.objects.filter(need=need, status=Assignment.Status.INVITED))
    now = timezone.now()
    for a in rows:
        a.status, a.answered_at, a.reason = Assignment.Status.CANCELLED, now, _("the need was filled")
    Assignment.objects.bulk_update(rows, ["status", "answered_at", "reason"])
    return len(rows)


@transaction.atomic
def assignment_accept(*, actor, assignment: Assignment) -> Assignment:
    """The member accepts: re-checked under the need's lock — the need not yet filled, no clash with another
    accepted assignment of hers, her appointment and check valid. She becomes staff of the need's event; the last
    place taken fills the need and closes its open invitations."""
    need, a = _lock_assignment(assignment)
    list(
        Member.objects.select_for_update(of=("self",))
        .filter(user=a.member.user_id)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if a.status != Assignment.Status.INVITED:
        raise ValidationError(_("This invitation is no longer open (%(status)s).") % {
            "status": a.get_status_display()}, code="status")  # fmt: skip
    if need.status == Need.Status.FILLED or _accepted_count(need) >= need.people:
        raise ValidationError(_("The need is already filled: thank you all the same."), code="filled")
    if need.status != Need.Status.OPEN:
        raise ValidationError(_("The need is no longer open."), code="status")
    if need.ends_at <= timezone.now():
        raise ValidationError(_("The need is already over."), code="status")
    if (refusal := _refusal(a.member, need)) is not None:
        raise refusal
    a.status, a.answered_at, a.reason = Assignment.Status.ACCEPTED, timezone.now(), ""
    a.save(update_fields=["status", "answered_at", "reason"])
    if need.event is not None:
        staff_add(actor=actor, event=need.event, user=a.member.user, role=STAFF_ROLE[Need.Kind(need.kind)],
                  source=f"teams.assignment:{a.pk}")  # fmt: skip
    if _accepted_count(need) >= need.people:
        need.status = Need.Status.FILLED
        need.save(update_fields=["status"])
        _close_open_invitations(actor=actor, need=need)
    audit_record(actor=actor, action="teams.assignment_accept", target=a, changes={"status": ["invited", "accepted"]})
    return a


@transaction.atomic
def assignment_decline(*, actor, assignment: Assignment, reason: str = "") -> Assignment:
    reason = _reason(reason, required=False)
    _need, a = _lock_assignment(assignment)
    if a.status != Assignment.Status.INVITED:
        raise ValidationError(_("This invitation is no longer open (%(status)s).") % {
            "status": a.get_status_display()}, code="status")  # fmt: skip
    a.status, a.answered_at, a.reason = Assignment.Status.DECLINED, timezone.now(), reason
    a.save(update_fields=["status", "answered_at", "reason"])
    audit_record(actor=actor, action="teams.assignment_decline", target=a, changes={"status": ["invited", "declined"]})
    return a


def _release(*, actor, need: Need, a: Assignment) -> None:
    """An accepted member leaves the need: off the event's staff, and the need reopens."""
    if need.event is not None:
        staff_remove(actor=actor, event=need.event, user=a.member.user)
    if need.status == Need.Status.FILLED:
        need.status = Need.Status.OPEN
        need.save(update_fields=["status"])


@transaction.atomic
def assignment_withdraw(*, actor, assignment: Assignment, reason: str) -> Assignment:
    """The member withdraws from an accepted assignment before it starts, saying why."""
    reason = _reason(reason, required=True)
    need, a = _lock_assignment(assignment)
    if a.status != Assignment.Status.ACCEPTED:
        raise ValidationError(_("Only an accepted assignment can be withdrawn from."), code="status")
    if a.starts_at <= timezone.now():
        raise ValidationError(_("The assignment has already started."), code="status")
    a.status, a.answered_at, a.reason = Assignment.Status.WITHDRAWN, timezone.now(), reason
    a.save(update_fields=["status", "answered_at", "reason"])
    _release(actor=actor, need=need, a=a)
    audit_record(actor=actor, action="teams.assignment_withdraw", target=a,
                 changes={"status": ["accepted", "withdrawn"]})  # fmt: skip
    return a


@transaction.atomic
def assignment_cancel(*, actor, assignment: Assignment, reason: str = "") -> Assignment:
    """The coordinator cancels an invitation or an accepted assignment; the member is told."""
    reason = _reason(reason, required=False)
    need, a = _lock_assignment(assignment)
    if a.status not in Assignment.LIVE:
        raise ValidationError(_("This invitation is no longer open (%(status)s).") % {
            "status": a.get_status_display()}, code="status")  # fmt: skip
    was = a.status
    a.status, a.answered_at, a.reason = Assignment.Status.CANCELLED, timezone.now(), reason
    a.save(update_fields=["status", "answered_at", "reason"])
    if was == Assignment.Status.ACCEPTED:
        _release(actor=actor, need=need, a=a)
    message_send(
        actor=actor, county_id=need.county_id, to_user=a.member.user,
        title=_("Cancelled: %(topic)s") % {"topic": need.topic},
        body=_("Your place at “%(topic)s” was cancelled by the coordinator.") % {"topic": need.topic}
        + (f" {reason}" if reason else ""),
        link=reverse("teams:my_invitations"), topic=TOPIC,
    )  # fmt: skip
    audit_record(actor=actor, action="teams.assignment_cancel", target=a, changes={"status": [was, "cancelled"]})
    return a


@transaction.atomic
def need_cancel(*, actor, need: Need, reason: str = "") -> Need:
    """The coordinator calls the need off: its live invitations and assignments are cancelled (the members told),
    the event's staff placements removed."""
    reason = _reason(reason, required=False)
    need = _lock_need(need)
    if need.status in (Need.Status.CANCELLED, Need.Status.DONE):
        raise ValidationError(_("The need is no longer open."), code="status")
    for a in Assignment.objects.filter(need=need, status__in=Assignment.LIVE).select_related("member__user"):
        assignment_cancel(actor=actor, assignment=a, reason=reason)
    need.refresh_from_db(fields=["status"])
    need.status = Need.Status.CANCELLED
    need.save(update_fields=["status"])
    audit_record(actor=actor, action="teams.need_cancel", target=need, changes={"status": [None, "cancelled"]})
    return need
