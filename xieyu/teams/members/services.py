"""Every write of the members subdomain: the county's skill list, a school's own teacher team, applying to a team,
the vetting steps (identity, 入职查询, references), approving for a term or declining, certificates, the member's
skills and availability, leaving (the row stays), and the clock of a background check on the deadline engine."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xieyu.accounts.models import Role, User
from xieyu.accounts.scope import scope_of
from xieyu.audit.services import audit_record
from xieyu.core.uploads import MB, AllowList, check_upload
from xieyu.deadlines.models import Deadline
from xieyu.deadlines.services import deadline_resolve, deadline_start
from xieyu.deadlines.workcalendar import working_days_until
from xieyu.directory.models import Region, School, Town
from xieyu.notices.messages import message_send

from ..models import Availability, BackgroundCheck, Certificate, Member, Skill, Team
from ..vetting import cleared

CHECK_MAX_YEARS = 3  # a check older than this cannot be recorded as valid
CHECK_POLICY = "teams.check_expiry"
CHECK_TARGET = "teams.backgroundcheck"
RENEW_DAYS_BEFORE = 30  # the check is renewed this many days before it lapses
TERM_MAX_YEARS = 3
MAX_SKILLS = 60
MESSAGE_TOPIC = "teams.member"
REMINDER_TOPIC = "teams.check_expiry"
# A certificate's scan: a PDF or a picture of it.
CERTIFICATE_FILES = AllowList(("pdf", "jpeg", "png", "webp"), max_bytes=10 * MB, max_image_bytes=5 * MB)


def _refuse(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def _text(value, *, limit: int, code: str, message: str, required: str | None = None) -> str:
    value = (value or "").strip()
    if required and not value:
        raise _refuse(required, code)
    if len(value) > limit:
        raise _refuse(message % {"n": limit}, code)
    return value


def _live(member: Member) -> None:
    if member.status not in Member.LIVE:
        raise _refuse(
            _("This membership is %(status)s: it can no longer change.") % {"status": member.get_status_display()},
            "status",
        )


def _lock(member: Member) -> Member:
    locked = Member.objects.select_for_update().get(pk=member.pk)
    member.__dict__.update({k: v for k, v in locked.__dict__.items() if not k.startswith("_")})
    return member


# --- the skill list -------------------------------------------------------------------------------------------------


def _skill_name(name: str) -> str:
    return _text(name, limit=30, code="name", required=_("Name the skill."),
                 message=_("A skill's name is at most %(n)s characters."))  # fmt: skip


@transaction.atomic
def skill_add(*, actor, county: Region, name: str) -> Skill:
    name = _skill_name(name)
    if Skill.objects.filter(county=county, name=name).exists():
        raise _refuse(_("The skill “%(name)s” is already on the list.") % {"name": name}, "name")
    if Skill.objects.filter(county=county).count() >= MAX_SKILLS:
        raise _refuse(_("The list holds at most %(n)s skills.") % {"n": MAX_SKILLS}, "name")
    last = Skill.objects.filter(county=county).aggregate(m=Max("order"))["m"]
    skill = Skill.objects.create(county=county, name=name, order=0 if last is None else last + 1)
    audit_record(actor=actor, action="teams.skill_add", target=skill, changes={"name": [None, name]})
    return skill


@transaction.atomic
def skill_rename(*, actor, skill: Skill, name: str) -> Skill:
    name = _skill_name(name)
    if name == skill.name:
        return skill
    if Skill.objects.filter(county=skill.county_id, name=name).exclude(pk=skill.pk).exists():
        raise _refuse(_("The skill “%(name)s” is already on the list.") % {"name": name}, "name")
    before, skill.name = skill.name, name
    skill.save(update_fields=["name"])
    audit_record(actor=actor, action="teams.skill_rename", target=skill, changes={"name": [before, name]})
    return skill


@transaction.atomic
def skill_move(*, actor, skill: Skill, direction: str) -> Skill:
    """Move a skill one place up or down the county's list (the list is renumbered 0, 1, 2 …)."""
    if direction not in ("up", "down"):
        raise _refuse(_("Move a skill up or down."), "direction")
    skills = list(Skill.objects.select_for_update().filter(county=skill.county_id).order_by("order", "pk"))
    i = next((n for n, s in enumerate(skills) if s.pk == skill.pk), None)
    if i is None:
        return skill
    j = i - 1 if direction == "up" else i + 1
    if 0 <= j < len(skills):
        skills[i], skills[j] = skills[j], skills[i]
    for n, s in enumerate(skills):
        s.order = n
    Skill.objects.bulk_update(skills, ["order"])
    audit_record(actor=actor, action="teams.skill_move", target=skill, changes={"direction": [None, direction]})
    return next(s for s in skills if s.pk == skill.pk)


def skill_in_use(skill: Skill) -> bool:
    """Whether any row (a member, a need, a talent profile …) names the skill: every many-to-many field of the
    project that points to Skill is asked, so a later one is counted too."""
    for model in apps.get_models():
        for f in model._meta.local_many_to_many:
            if f.remote_field.model is Skill:
                through = f.remote_field.through
                if through is None:
                    continue
                if through._default_manager.filter(**{f.m2m_reverse_field_name(): skill.pk}).exists():
                    return True
    return False


@transaction.atomic
def skill_delete(*, actor, skill: Skill) -> None:
    if skill_in_use(skill):
        raise _refuse(
            _("“%(name)s” is in use by members or needs: it cannot be deleted (rename it instead).")
            % {"name": skill.name},
            "skill",
        )
    audit_record(actor=actor, action="teams.skill_delete", target=skill, changes={"name": [skill.name, None]})
    skill.delete()


# --- teams ----------------------------------------------------------------------------------------------------------


@transaction.atomic
def team_create(
    *, actor, county: Region, kind: str, name: str, school: School | None = None, description: str = ""
) -> Team:
    """A county team of a kind it lacks, or a school's own teacher team (a school has at most one)."""
    if kind not in Team.Kind.values:
        raise _refuse(_("Choose the kind of team."), "kind")
    if school is not None and kind != Team.Kind.TEACHER:
        raise _refuse(_("A school's own team is a teacher team."), "kind")
    if school is not None and school.county_id != county.pk:
        raise _refuse(_("The school lies in another county."), "school")
    name = _text(name, limit=60, code="name", required=_("Name the team."),
                 message=_("A team's name is at most %(n)s characters."))  # fmt: skip
    description = _text(description, limit=1000, code="description",
                        message=_("The description is at most %(n)s characters."))  # fmt: skip
    unit: dict[str, object] = {"school": school} if school else {"county": county, "school__isnull": True}
    existing = Team.objects.filter(kind=kind, **unit)
    if existing.exists():
        raise _refuse(_("This team already exists."), "kind")
    team = Team.objects.create(county=county, school=school, kind=kind, name=name, description=description)
    audit_record(actor=actor, action="teams.team_create", target=team, changes={"kind": [None, kind]})
    return team


# --- applying -------------------------------------------------------------------------------------------------------


def _slots(slots: Iterable) -> list[tuple[int, str]]:
    out: set[tuple[int, str]] = set()
    for slot in slots or ():
        try:
            weekday, part = slot
            weekday = int(weekday)
        except (TypeError, ValueError):
            raise _refuse(_("Availability: choose a weekday and a part of the day."), "availability") from None
        if not 0 <= weekday <= 6:
            raise _refuse(_("Availability: the weekday must be Monday to Sunday."), "availability")
        if part not in Availability.Part.values:
            raise _refuse(_("Availability: choose morning, afternoon or evening."), "availability")
        out.add((weekday, part))
    return sorted(out)


def _skills(county_id: int, skills: Iterable[Skill]) -> list[Skill]:
    skills = list(skills or ())
    if any(s.county_id != county_id for s in skills):
        raise _refuse(_("Choose skills from the county's list."), "skills")
    return skills


def _towns(county_id: int, towns: Iterable[Town]) -> list[Town]:
    towns = list(towns or ())
    if any(t.county_id != county_id for t in towns):
        raise _refuse(_("Choose towns of the county."), "towns")
    return towns


def _profile_texts(languages: str, introduction: str, motivation: str, references: str) -> dict[str, str]:
    return {
        "languages": _text(languages, limit=100, code="languages",
                           message=_("Languages and dialects: at most %(n)s characters.")),
        "introduction": _text(introduction, limit=1000, code="introduction",
                              message=_("The introduction is at most %(n)s characters.")),
        "motivation": _text(motivation, limit=1000, code="motivation",
                            message=_("Why you want to join: at most %(n)s characters.")),
        "references": _text(references, limit=1000, code="references",
                            message=_("References: at most %(n)s characters.")),
    }  # fmt: skip


def _set_availability(member: Member, slots: list[tuple[int, str]]) -> None:
    member.availability.all().delete()
    Availability.objects.bulk_create([Availability(member=member, weekday=d, part=p) for d, p in slots])


@transaction.atomic
def member_apply(
    *,
    actor,
    team: Team,
    skills: Iterable[Skill] = (),
    towns: Iterable[Town] = (),
    languages: str = "",
    availability: Iterable = (),
    introduction: str = "",
    motivation: str = "",
    references: str = "",
) -> Member:
    """The actor applies to a team (the edge has checked the team is open to her: teams.members.access). One live
    application or membership per team."""
    texts = _profile_texts(languages, introduction, motivation, references)
    if not texts["introduction"]:
        raise _refuse(_("Introduce yourself: who you are and what you can offer."), "introduction")
    skills, towns, slots = _skills(team.county_id, skills), _towns(team.county_id, towns), _slots(availability)
    if not towns:
        raise _refuse(_("Choose at least one town you can reach."), "towns")
    if Member.objects.select_for_update().filter(team=team, user=actor, status__in=Member.LIVE).exists():
        raise _refuse(_("You have already applied to this team (or belong to it)."), "team")
    try:
        with transaction.atomic():
            member = Member.objects.create(team=team, user=actor, status=Member.Status.APPLIED, **texts)
    except IntegrityError:  # a second request at the same moment
        raise _refuse(_("You have already applied to this team (or belong to it)."), "team") from None
    member.skills.set(skills)
    member.towns.set(towns)
    _set_availability(member, slots)
    audit_record(actor=actor, action="teams.member_apply", target=member, changes={"team": [None, team.pk]})
    return member


@transaction.atomic
def member_profile_update(
    *,
    actor,
    member: Member,
    skills: Iterable[Skill],
    towns: Iterable[Town],
    languages: str,
    availability: Iterable,
) -> Member:
    """The coordinator edits a member's skills, reachable towns, languages and weekly availability."""
    _lock(member)
    _live(member)
    county_id = member.team.county_id
    skills, towns, slots = _skills(county_id, skills), _towns(county_id, towns), _slots(availability)
    languages = _text(languages, limit=100, code="languages",
                      message=_("Languages and dialects: at most %(n)s characters."))  # fmt: skip
    member.languages = languages
    member.save(update_fields=["languages"])
    member.skills.set(skills)
    member.towns.set(towns)
    _set_availability(member, slots)
    audit_record(actor=actor, action="teams.member_profile", target=member,
                 changes={"skills": [None, sorted(s.pk for s in skills)], "slots": [None, len(slots)]})  # fmt: skip
    return member


# --- vetting --------------------------------------------------------------------------------------------------------


def _to_vetting(member: Member) -> list[str]:
    if member.status == Member.Status.APPLIED:
        member.status = Member.Status.VETTING
        return ["status"]
    return []


@transaction.atomic
def member_identity_check(*, actor, member: Member) -> Member:
    """The coordinator saw the applicant's identity document: recorded with who and when."""
    _lock(member)
    if member.status not in (Member.Status.APPLIED, Member.Status.VETTING):
        raise _refuse(_("Only an application being vetted needs its identity checked."), "status")
    if member.identity_checked_at is not None:
        return member
    member.identity_checked_at, member.identity_checked_by = timezone.now(), actor
    member.save(update_fields=["identity_checked_at", "identity_checked_by", *_to_vetting(member)])
    audit_record(actor=actor, action="teams.member_identity", target=member, changes={"identity": [None, True]})
    return member


@transaction.atomic
def member_references_note(*, actor, member: Member, note: str) -> Member:
    """The coordinator noted what the applicant's references said."""
    _lock(member)
    if member.status not in (Member.Status.APPLIED, Member.Status.VETTING):
        raise _refuse(_("Only an application being vetted takes a note on its references."), "status")
    note = _text(note, limit=300, code="note", required=_("Write what the references said."),
                 message=_("The note on the references is at most %(n)s characters."))  # fmt: skip
    member.references_note = note
    member.references_checked_at, member.references_checked_by = timezone.now(), actor
    fields = ["references_note", "references_checked_at", "references_checked_by", *_to_vetting(member)]
    member.save(update_fields=fields)
    audit_record(actor=actor, action="teams.member_references", target=member, changes={"references": [None, True]})
    return member


def _county_for_check(actor, user, county) -> int | None:
    """The county whose calendar and admins the check's clock uses: the one named, else the person's team's, else
    the county the actor coordinates in."""
    if county is not None:
        return getattr(county, "pk", county)
    team_county = (
        Member.objects.filter(user=user, status__in=Member.LIVE).order_by("pk").values_list("team__county", flat=True)
    ).first()
    if team_county:
        return team_county
    scope = scope_of(actor)
    counties = (
        scope.reach_counties(Role.COUNTY_ADMIN, Role.SCHOOL_ADMIN, Role.COMMUNITY_STAFF) or scope.reach_counties()
    )
    if not counties:
        counties = scope_of(user).reach_counties()
    return min(counties) if counties else None



def renew_by(check: BackgroundCheck) -> datetime.date:
    return check.valid_until - datetime.timedelta(days=RENEW_DAYS_BEFORE)


def _check_clock(*, actor, check: BackgroundCheck, county_id: int | None) -> None:
    """One reminder per person: the clocks of the person's earlier checks close, the latest check's starts."""
    others = [str(pk) for pk in BackgroundCheck.objects.filter(user=check.user_id).exclude(pk=check.pk).values_list(
        "pk", flat=True)]  # fmt: skip
    for d in Deadline.objects.filter(target_type=CHECK_TARGET, target_id__in=others, state__in=Deadline.OPEN_STATES):
        deadline_resolve(actor=actor, deadline=d)
    latest = BackgroundCheck.objects.filter(user=check.user_id).order_by("-valid_until", "-pk").first()
    if county_id is None or latest is None or latest.pk != check.pk:
        return
    deadline_start(
        actor=actor, target=check, policy=CHECK_POLICY, county=county_id, owner=check.user,
        title=_("Background check of %(name)s lapses on %(date)s")
        % {"name": check.user.name, "date": check.valid_until.isoformat()},
        resolution=(working_days_until(county_id, renew_by(check)), "days"),
    )  # fmt: skip


@transaction.atomic
def background_check_record(
    *,
    actor,
    user,
    checked_on: datetime.date,
    checking_unit: str,
    valid_until: datetime.date,
    reference: str = "",
    county=None,
) -> BackgroundCheck:
    """Attest a 入职查询 of a person: the coordinator saw the checking unit's result. The edge has checked that the
    actor coordinates a team (or a school's talent pool) the person belongs to.

    The check's clock starts on the deadline engine (teams.check_expiry: renew 30 days before it lapses; the person
    is reminded, then the county admins told); a renewed check closes the clock of the one before. `county` names
    the county of the clock (default: the person's team's, else the actor's)."""
    today = timezone.localdate()
    checking_unit, reference = (checking_unit or "").strip(), (reference or "").strip()
    if not checking_unit:
        raise ValidationError(_("Name the unit that ran the check."), code="checking_unit")
    if len(checking_unit) > 80 or len(reference) > 60:
        raise ValidationError(_("The checking unit or the reference number is too long."), code="checking_unit")
    if checked_on is None or checked_on > today:
        raise ValidationError(_("The date of the check cannot be in the future."), code="checked_on")
    if valid_until is None or valid_until <= checked_on:
        raise ValidationError(_("The check must be valid until a date after it was run."), code="valid_until")
    if valid_until > _add_years(checked_on, CHECK_MAX_YEARS):
        raise ValidationError(
            _("A check is valid for at most %(years)s years.") % {"years": CHECK_MAX_YEARS}, code="valid_until"
        )
    check = BackgroundCheck.objects.create(
        user=user, checked_on=checked_on, checking_unit=checking_unit, reference=reference, valid_until=valid_until,
        attested_by=actor,
    )  # fmt: skip
    _check_clock(actor=actor, check=check, county_id=_county_for_check(actor, user, county))
    audit_record(
        actor=actor, action="teams.check_record", target=check,
        changes={"user": [None, user.pk], "valid_until": [None, valid_until.isoformat()]},
    )  # fmt: skip
    return check


def _add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def default_valid_until(checked_on: datetime.date) -> datetime.date:
    """A check is valid for one year unless the checking unit says otherwise."""
    return _add_years(checked_on, 1)


@transaction.atomic
def member_check_record(
    *,
    actor,
    member: Member,
    checked_on: datetime.date,
    checking_unit: str,
    valid_until: datetime.date | None = None,
    reference: str = "",
) -> BackgroundCheck:
    """The coordinator attests the member's 入职查询 (valid one year after the check unless she says otherwise): the
    check belongs to the person; an application moves to vetting."""
    _lock(member)
    _live(member)
    if valid_until is None and checked_on is not None:
        valid_until = default_valid_until(checked_on)
    check = background_check_record(
        actor=actor, user=member.user, checked_on=checked_on, checking_unit=checking_unit,
        valid_until=valid_until, reference=reference, county=member.team.county_id,
    )  # fmt: skip
    if fields := _to_vetting(member):
        member.save(update_fields=fields)
    return check


def _member_link(member: Member) -> str:
    return reverse("teams:member_detail", args=[member.pk])


@transaction.atomic
def member_approve(*, actor, member: Member, term_start: datetime.date, term_end: datetime.date) -> Member:
    """Approve an application for a term: only once the identity is checked and a background check covers today."""
    _lock(member)
    if member.status not in (Member.Status.APPLIED, Member.Status.VETTING):
        raise _refuse(_("Only an application can be approved."), "status")
    if member.identity_checked_at is None:
        raise _refuse(_("Check the applicant's identity before approving."), "identity")
    today = timezone.localdate()
    if not cleared(member.user_id, today):
        raise _refuse(
            _("No valid background check (入职查询) is recorded for %(name)s: record one before approving.")
            % {"name": member.user.name},
            "check",
        )
    if term_start is None or term_end is None:
        raise _refuse(_("Give the start and the end of the term."), "term_end")
    if term_end <= term_start:
        raise _refuse(_("The term must end after it starts."), "term_end")
    if term_end < today:
        raise _refuse(_("The term would already be over."), "term_end")
    if term_end > _add_years(term_start, TERM_MAX_YEARS):
        raise _refuse(_("A term is at most %(n)s years.") % {"n": TERM_MAX_YEARS}, "term_end")
    member.status = Member.Status.APPROVED
    member.term_start, member.term_end = term_start, term_end
    member.decided_by, member.decided_at = actor, timezone.now()
    member.save(update_fields=["status", "term_start", "term_end", "decided_by", "decided_at"])
    audit_record(actor=actor, action="teams.member_approve", target=member,
                 changes={"status": [None, "approved"], "term_end": [None, term_end.isoformat()]})  # fmt: skip
    message_send(
        actor=actor, county_id=member.team.county_id, to_user=member.user, sender_unit=member.team.name,
        title=_("You have joined %(team)s") % {"team": member.team.name},
        body=_("Your application is approved: your term runs from %(start)s to %(end)s.")
        % {"start": term_start.isoformat(), "end": term_end.isoformat()},
        link=_member_link(member), topic=MESSAGE_TOPIC,
    )  # fmt: skip
    return member


@transaction.atomic
def member_decline(*, actor, member: Member, reason: str) -> Member:
    _lock(member)
    if member.status not in (Member.Status.APPLIED, Member.Status.VETTING):
        raise _refuse(_("Only an application can be declined."), "status")
    reason = _text(reason, limit=200, code="reason", required=_("Give the reason for declining."),
                   message=_("The reason is at most %(n)s characters."))  # fmt: skip
    member.status, member.decision_note = Member.Status.DECLINED, reason
    member.decided_by, member.decided_at = actor, timezone.now()
    member.save(update_fields=["status", "decision_note", "decided_by", "decided_at"])
    audit_record(actor=actor, action="teams.member_decline", target=member, changes={"status": [None, "declined"]})
    message_send(
        actor=actor, county_id=member.team.county_id, to_user=member.user, sender_unit=member.team.name,
        title=_("Your application to %(team)s") % {"team": member.team.name},
        body=_("Your application was not approved: %(reason)s") % {"reason": reason},
        link=_member_link(member), topic=MESSAGE_TOPIC,
    )  # fmt: skip
    return member


@transaction.atomic
def member_leave(*, actor, member: Member, reason: str) -> Member:
    """The member leaves (or the coordinator ends the membership), with a reason; the row stays, status left."""
    _lock(member)
    _live(member)
    reason = _text(reason, limit=200, code="reason", required=_("Say why the membership ends."),
                   message=_("The reason is at most %(n)s characters."))  # fmt: skip
    member.status, member.left_reason, member.left_at = Member.Status.LEFT, reason, timezone.now()
    member.is_leader = False
    member.save(update_fields=["status", "left_reason", "left_at", "is_leader"])
    audit_record(actor=actor, action="teams.member_leave", target=member, changes={"status": [None, "left"]})
    return member


# --- certificates ---------------------------------------------------------------------------------------------------


@transaction.atomic
def certificate_add(
    *,
    actor,
    member: Member,
    name: str,
    issuer: str,
    number: str = "",
    file=None,
    issued_on: datetime.date | None = None,
    expires_on: datetime.date | None = None,
) -> Certificate:
    _lock(member)
    _live(member)
    name = _text(name, limit=60, code="name", required=_("Name the certificate."),
                 message=_("A certificate's name is at most %(n)s characters."))  # fmt: skip
    issuer = _text(issuer, limit=80, code="issuer", required=_("Name who issued the certificate."),
                   message=_("The issuer is at most %(n)s characters."))  # fmt: skip
    number = _text(number, limit=60, code="number", message=_("The certificate number is at most %(n)s characters."))
    if issued_on is not None and issued_on > timezone.localdate():
        raise _refuse(_("A certificate cannot be issued in the future."), "issued_on")
    if issued_on is not None and expires_on is not None and expires_on <= issued_on:
        raise _refuse(_("A certificate must expire after it was issued."), "expires_on")
    checked = check_upload(file, CERTIFICATE_FILES) if file else None
    cert = Certificate(member=member, name=name, issuer=issuer, number=number, issued_on=issued_on,
                       expires_on=expires_on, added_by=actor)  # fmt: skip
    if checked is not None:
        cert.file.save(checked.stored_name(), checked.file, save=False)
    cert.save()
    audit_record(actor=actor, action="teams.certificate_add", target=cert, changes={"name": [None, name]})
    return cert


# --- reminders from the deadline engine --------------------------------------------------------------------------


def check_reminder_notify(*, check_id: int, user_ids, escalated: bool) -> int:
    """The check's clock is due soon (the person) or overdue (the person, then the county admins): one message each."""
    check = BackgroundCheck.objects.select_related("user", "attested_by").filter(pk=check_id).first()
    deadline = Deadline.objects.filter(target_type=CHECK_TARGET, target_id=str(check_id)).first()
    if check is None or deadline is None:
        return 0
    sent = 0
    for user in User.objects.filter(pk__in=list(user_ids), is_active=True).order_by("pk"):
        own = user.pk == check.user_id
        if own:
            title = _("Your background check lapses on %(date)s") % {"date": check.valid_until.isoformat()}
            body = _("Renew your background check (入职查询) with the checking unit and bring the result to the "
                     "coordinator: after %(date)s you cannot be sent to work with children.")  # fmt: skip
            link = reverse("teams:my_teams")
        else:
            title = _("A background check is lapsing: %(name)s") % {"name": check.user.name}
            body = _("%(name)s's background check lapses on %(date)s and has not been renewed.")
            link = reverse("teams:checks_lapsing")
        message_send(actor=check.attested_by or check.user, county_id=deadline.county_id, to_user=user, title=title,
                     body=body % {"name": check.user.name, "date": check.valid_until.isoformat()}, link=link,
                     topic=REMINDER_TOPIC)  # fmt: skip
        sent += 1
    return sent
