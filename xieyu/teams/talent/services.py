"""Every write of the parent talent pool: a guardian's profile and consent, the school's invitations, her answer,
and the placement at an after-school session once her background check covers its date (teams.vetting)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xieyu.audit.services import audit_record
from xieyu.directory.models import Guardian, Guardianship, School, Student
from xieyu.events.models import Event
from xieyu.events.services import staff_add
from xieyu.notices.messages import message_send

from ..members.services import background_check_record
from ..models import BackgroundCheck, Member, Skill, Team
from ..vetting import cleared
from .models import TalentInvitation, TalentProfile, TalentSlot

DESCRIPTION_MAX = 500
OTHER_MAX = 30
NOTE_MAX = 200
PARTS = set(TalentSlot.Part.values)


def _child_enrolled_at(guardian: Guardian, school: School) -> bool:
    return Guardianship.objects.filter(
        guardian=guardian, status=Guardianship.Status.CONFIRMED, student__school=school,
        student__status=Student.Status.ENROLLED,
    ).exists()  # fmt: skip


def _clean_slots(slots: Iterable[tuple[int, str]]) -> list[tuple[int, str]]:
    out: set[tuple[int, str]] = set()
    for weekday, part in slots:
        if not isinstance(weekday, int) or isinstance(weekday, bool) or not 0 <= weekday <= 6 or part not in PARTS:
            raise ValidationError(_("Choose the times from Monday to Sunday, morning, afternoon or evening."),
                                  code="slots")  # fmt: skip
        out.add((weekday, part))
    return sorted(out)


@transaction.atomic
def talent_profile_save(
    *,
    actor,
    guardian: Guardian,
    school: School,
    skills: Iterable[Skill] = (),
    other_skill: str = "",
    description: str = "",
    slots: Iterable[tuple[int, str]] = (),
    consent: bool = False,
) -> TalentProfile:
    """Create or update the guardian's offer to one school of her children. `consent` gives the consent to show her
    name and skill to that school (its time is kept); editing keeps a consent already given, and never gives one by
    itself. The edge has checked that the guardian is the actor's own."""
    if not _child_enrolled_at(guardian, school):
        raise ValidationError(_("None of your children attends that school: offer your skills to your child's school."),
                              code="school")  # fmt: skip
    skills = list(skills)
    if any(s.county_id != school.county_id for s in skills):
        raise ValidationError(_("Choose skills from your county's list."), code="skills")
    other_skill, description = (other_skill or "").strip(), (description or "").strip()
    if len(other_skill) > OTHER_MAX:
        raise ValidationError(_("The other skill is too long: at most 30 characters."), code="other_skill")
    if len(description) > DESCRIPTION_MAX:
        raise ValidationError(_("The description is too long: at most 500 characters."), code="description")
    if not skills and not other_skill:
        raise ValidationError(_("Choose at least one skill, or name another one."), code="skills")
    clean = _clean_slots(slots)
    if not clean:
        raise ValidationError(_("Choose at least one time you can give."), code="slots")
    now = timezone.now()
    profile = TalentProfile.objects.select_for_update().filter(guardian=guardian, school=school).first()
    created = profile is None
    if profile is None:
        profile = TalentProfile(guardian=guardian, school=school, created_at=now)
    before = {"consent": profile.consent_at is not None}
    profile.other_skill, profile.description, profile.updated_at = other_skill, description, now
    if consent and profile.consent_at is None:
        profile.consent_at, profile.consent_withdrawn_at = now, None
    profile.save()
    profile.skills.set(skills)
    profile.slots.all().delete()
    TalentSlot.objects.bulk_create([TalentSlot(profile=profile, weekday=d, part=p) for d, p in clean])
    audit_record(
        actor=actor, action="teams.talent_create" if created else "teams.talent_update", target=profile,
        changes={"consent": [before["consent"], profile.consent_at is not None],
                 "skills": [None, sorted(s.pk for s in skills)]},
    )  # fmt: skip
    return profile


@transaction.atomic
def talent_consent_withdraw(*, actor, profile: TalentProfile) -> TalentProfile:
    """Withdraw the consent: the school no longer sees the profile, at once; its open invitations are cancelled.
    The profile stays hers, to give consent again."""
    profile = TalentProfile.objects.select_for_update().get(pk=profile.pk)
    if profile.consent_at is None:
        raise ValidationError(_("You have not given consent to show this profile."), code="consent")
    profile.consent_at, profile.consent_withdrawn_at = None, timezone.now()
    profile.save(update_fields=["consent_at", "consent_withdrawn_at"])
    TalentInvitation.objects.filter(profile=profile, status__in=TalentInvitation.LIVE).update(
        status=TalentInvitation.Status.CANCELLED, answered_at=timezone.now()
    )
    audit_record(actor=actor, action="teams.talent_consent_withdraw", target=profile,
                 changes={"consent": [True, False]})  # fmt: skip
    return profile


# --- invitations ----------------------------------------------------------------------------------------------------


def _invitable(profile: TalentProfile):
    if profile.consent_at is None:
        raise ValidationError(_("This parent has not consented to be shown to the school."), code="consent")
    user = profile.guardian.user
    if user is None:
        raise ValidationError(
            _("This parent has no account on the platform, so the invitation cannot reach her: ask her to join first."),
            code="user",
        )
    return user


def _notify(*, actor, invitation: TalentInvitation, user, title: str, body: str) -> None:
    message_send(
        actor=actor, county_id=invitation.profile.school.county_id, to_user=user, title=title, body=body,
        link=reverse("teams:talent_mine"), topic="teams.talent", sender_unit=invitation.profile.school.name,
    )  # fmt: skip


@transaction.atomic
def talent_invite_session(*, actor, profile: TalentProfile, event: Event, note: str = "") -> TalentInvitation:
    """Invite a parent of the school's pool to help at one of its after-school service sessions."""
    user = _invitable(profile)
    if event.kind != Event.Kind.AFTER_SCHOOL_SESSION or event.school_id != profile.school_id:
        raise ValidationError(_("Choose an after-school service session of the parent's school."), code="event")
    if event.status != Event.Status.PUBLISHED or event.starts_at <= timezone.now():
        raise ValidationError(_("Choose a published session that has not started yet."), code="event")
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise ValidationError(_("The note is too long: at most 200 characters."), code="note")
    if TalentInvitation.objects.filter(profile=profile, event=event, status__in=TalentInvitation.LIVE).exists():
        raise ValidationError(_("This parent is already invited to that session."), code="event")
    if event.staff.filter(user=user).exists():
        raise ValidationError(_("This parent already works at that session."), code="event")
    invitation = TalentInvitation.objects.create(
        profile=profile, kind=TalentInvitation.Kind.SESSION, event=event, note=note, invited_by=actor
    )
    when = timezone.localtime(event.starts_at).strftime("%m-%d %H:%M")
    _notify(actor=actor, invitation=invitation, user=user,
            title=_("Invitation to after-school service: %(title)s") % {"title": event.title},
            body=_("%(school)s invites you to help at %(title)s, %(when)s, %(place)s. Please accept or decline in the "
                   "app.") % {"school": profile.school.name, "title": event.title, "when": when, "place": event.place})  # fmt: skip
    audit_record(actor=actor, action="teams.talent_invite", target=invitation,
                 changes={"event": [None, event.pk], "profile": [None, profile.pk]})  # fmt: skip
    return invitation


@transaction.atomic
def talent_invite_team(*, actor, profile: TalentProfile, team: Team, note: str = "") -> TalentInvitation:
    """Invite a parent of the school's pool to apply to the county's parent mutual-aid team."""
    user = _invitable(profile)
    if team.kind != Team.Kind.PARENT or team.school_id is not None or team.county_id != profile.school.county_id:
        raise ValidationError(_("Choose the parent mutual-aid team of the school's county."), code="team")
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise ValidationError(_("The note is too long: at most 200 characters."), code="note")
    if Member.objects.filter(team=team, user=user, status__in=Member.LIVE).exists():
        raise ValidationError(_("This parent has already applied to or joined the parent team."), code="team")
    if TalentInvitation.objects.filter(profile=profile, team=team, status__in=TalentInvitation.LIVE).exists():
        raise ValidationError(_("This parent is already invited to the parent team."), code="team")
    invitation = TalentInvitation.objects.create(
        profile=profile, kind=TalentInvitation.Kind.TEAM, team=team, note=note, invited_by=actor
    )
    _notify(actor=actor, invitation=invitation, user=user,
            title=_("Invitation to join %(team)s") % {"team": team.name},
            body=_("%(school)s invites you to apply to %(team)s. Please accept or decline in the app.")
            % {"school": profile.school.name, "team": team.name})  # fmt: skip
    audit_record(actor=actor, action="teams.talent_invite", target=invitation,
                 changes={"team": [None, team.pk], "profile": [None, profile.pk]})  # fmt: skip
    return invitation


def _session_day(event: Event) -> datetime.date:
    return timezone.localtime(event.starts_at).date()


def _place(*, actor, invitation: TalentInvitation, user) -> None:
    event = invitation.event
    if event is None:
        raise ValidationError(_("The session was cancelled or is over."), code="event")
    staff_add(actor=actor, event=event, user=user, role="helper", source=f"teams.talent:{invitation.pk}")
    invitation.status, invitation.placed_at = TalentInvitation.Status.PLACED, timezone.now()
    invitation.save(update_fields=["status", "placed_at"])


@transaction.atomic
def talent_invitation_answer(*, actor, invitation: TalentInvitation, accept: bool) -> TalentInvitation:
    """The parent accepts or declines. Accepting a session places her as the session's helper only when her
    background check covers the session's date; otherwise the invitation waits for the school to record the check.
    Accepting the parent team's invitation is her application to the team."""
    invitation = (
        TalentInvitation.objects.select_for_update(of=("self",)).select_related("profile__guardian", "profile__school", "event",
                                                                    "team").get(pk=invitation.pk)
    )  # fmt: skip
    if invitation.status != TalentInvitation.Status.INVITED:
        raise ValidationError(_("This invitation has already been answered."), code="status")
    user = invitation.profile.guardian.user
    if user is None or invitation.profile.consent_at is None:
        raise ValidationError(_("This invitation is no longer open."), code="status")
    invitation.answered_at = timezone.now()
    if not accept:
        invitation.status = TalentInvitation.Status.DECLINED
        invitation.save(update_fields=["status", "answered_at"])
    elif invitation.kind == TalentInvitation.Kind.SESSION:
        event = invitation.event
        if event is None or event.status == Event.Status.CANCELLED or event.ends_at <= timezone.now():
            raise ValidationError(_("The session was cancelled or is over."), code="event")
        invitation.save(update_fields=["answered_at"])
        if cleared(user, on=_session_day(event)):
            _place(actor=actor, invitation=invitation, user=user)
        else:
            invitation.status = TalentInvitation.Status.AWAITING_CHECK
            invitation.save(update_fields=["status"])
    else:
        team = invitation.team
        if team is None:
            raise ValidationError(_("This invitation is no longer open."), code="status")
        if not Member.objects.filter(team=team, user=user, status__in=Member.LIVE).exists():
            member = Member.objects.create(team=team, user=user, status=Member.Status.APPLIED,
                                           motivation=invitation.profile.description[:500])  # fmt: skip
            member.skills.set(invitation.profile.skills.all())
        invitation.status = TalentInvitation.Status.APPLIED
        invitation.save(update_fields=["status", "answered_at"])
    audit_record(actor=actor, action="teams.talent_answer", target=invitation,
                 changes={"status": [TalentInvitation.Status.INVITED, invitation.status]})  # fmt: skip
    return invitation


@transaction.atomic
def talent_place_waiting(*, actor, user) -> list[TalentInvitation]:
    """Place the person at the sessions she accepted whose dates her checks now cover."""
    placed = []
    waiting = (
        TalentInvitation.objects.select_for_update(of=("self",))
        .filter(profile__guardian__user=user, status=TalentInvitation.Status.AWAITING_CHECK)
        .select_related("event")
    )
    for invitation in waiting:
        event = invitation.event
        if event is None or event.status == Event.Status.CANCELLED or event.ends_at <= timezone.now():
            continue
        if cleared(user, on=_session_day(event)):
            _place(actor=actor, invitation=invitation, user=user)
            audit_record(actor=actor, action="teams.talent_place", target=invitation,
                         changes={"status": [TalentInvitation.Status.AWAITING_CHECK, invitation.status]})  # fmt: skip
            placed.append(invitation)
    return placed


@transaction.atomic
def talent_check_record(
    *,
    actor,
    invitation: TalentInvitation,
    checked_on: datetime.date,
    checking_unit: str,
    valid_until: datetime.date,
    reference: str = "",
) -> tuple[BackgroundCheck, list[TalentInvitation]]:
    """The school admin records the parent's 入职查询 on the talent page (the edge fetched an invitation of her
    school's pool); the sessions it now covers place her as helper."""
    if invitation.status != TalentInvitation.Status.AWAITING_CHECK:
        raise ValidationError(_("This invitation is not waiting for a background check."), code="status")
    user = invitation.profile.guardian.user
    if user is None:
        raise ValidationError(_("This invitation is no longer open."), code="status")
    check = background_check_record(actor=actor, user=user, checked_on=checked_on, checking_unit=checking_unit,
                                    valid_until=valid_until, reference=reference)  # fmt: skip
    placed = talent_place_waiting(actor=actor, user=user)
    if invitation.pk not in {i.pk for i in placed}:
        raise ValidationError(_("The check does not cover the session's date: she is not placed yet."),
                              code="valid_until")  # fmt: skip
    return check, placed


@transaction.atomic
def talent_invitation_cancel(*, actor, invitation: TalentInvitation) -> TalentInvitation:
    if invitation.status not in TalentInvitation.LIVE:
        raise ValidationError(_("Only an open invitation can be withdrawn."), code="status")
    before = invitation.status
    invitation.status, invitation.answered_at = TalentInvitation.Status.CANCELLED, timezone.now()
    invitation.save(update_fields=["status", "answered_at"])
    audit_record(actor=actor, action="teams.talent_invitation_cancel", target=invitation,
                 changes={"status": [before, invitation.status]})  # fmt: skip
    return invitation
