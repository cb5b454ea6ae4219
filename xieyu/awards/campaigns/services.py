"""Every write of a selection campaign: create and open it, move it through its phases, nominate, review at the
school, score as an expert, shortlist, object during 公示 and decide objections, publish the result, cancel.

A phase's end is a deadline on the deadline engine (policy `awards.phase`, its working days per campaign); the
scheduler moves a campaign on when the nomination, the vote or the 公示 has ended (`campaigns_move_on`).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Avg
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xieyu.accounts.models import Role
from xieyu.audit.services import audit_record
from xieyu.core.uploads import IMAGES, MB, OFFICE, AllowList, check_uploads
from xieyu.deadlines.models import Deadline
from xieyu.deadlines.services import deadline_cancel, deadline_for, deadline_resolve, deadline_start
from xieyu.directory.models import Community, Guardian, Region, School, Student
from xieyu.notices.messages import message_send
from xieyu.publicity.cases.models import Case, Theme
from xieyu.publicity.cases.services import case_promote

from . import access
from .models import Campaign, ExpertScore, Nomination, NominationMaterial, NominationReview, Objection

Phase = Campaign.Phase
Status = Nomination.Status

POLICY = "awards.phase"
DEFAULT_PHASE_DAYS = {Phase.NOMINATION: 10, Phase.SCHOOL_REVIEW: 5, Phase.COUNTY_REVIEW: 10, Phase.VOTE: 5}
MAX_CRITERIA = 10
MAX_MATERIALS = 5
NOMINATION_MATERIALS = AllowList(IMAGES + OFFICE, max_bytes=20 * MB, max_image_bytes=10 * MB)
TWO = Decimal("0.01")
HUNDRED = Decimal(100)


def _q(value: Decimal) -> Decimal:
    return value.quantize(TWO, rounding=ROUND_HALF_UP)


# --- the campaign ---------------------------------------------------------------------------------------------


@dataclass
class CampaignFields:
    kind: str
    nominee: str
    title: str
    description: str = ""
    school_kinds: tuple[str, ...] = ()
    quota: int = 10
    rubric: tuple[tuple[str, int], ...] = ()  # (criterion, max points)
    has_vote: bool = False
    expert_weight: int = 100
    vote_weight: int = 0
    publicity_days: int = 5
    nomination_days: int = 10
    review_days: int = 5
    vote_days: int = 5


def _clean_fields(f: CampaignFields) -> dict:
    title = (f.title or "").strip()
    if not title or len(title) > 80:
        raise ValidationError(_("Give the campaign a title (at most 80 characters)."), code="title")
    if f.kind not in Campaign.Kind.values:
        raise ValidationError(_("Choose the award of the campaign."), code="kind")
    if f.nominee not in Campaign.Nominee.values:
        raise ValidationError(_("Choose who is nominated."), code="nominee")
    bad = [k for k in f.school_kinds if k not in School.Kind.values]
    if bad:
        raise ValidationError(_("Unknown school type: %(kinds)s.") % {"kinds": ", ".join(bad)}, code="school_kinds")
    if not 1 <= f.quota <= 500:
        raise ValidationError(_("The number of awards must be between 1 and 500."), code="quota")
    rubric = []
    for name, most in f.rubric:
        name = (name or "").strip()
        if not name or len(name) > 30:
            raise ValidationError(_("Each criterion needs a name of at most 30 characters."), code="rubric")
        if not isinstance(most, int) or not 1 <= most <= 100:
            raise ValidationError(
                _("The criterion “%(name)s” needs a maximum of 1 to 100 points.") % {"name": name}, code="rubric"
            )
        rubric.append({"name": name, "max": most})
    if not rubric or len(rubric) > MAX_CRITERIA:
        raise ValidationError(
            _("Give the rubric 1 to %(n)s criteria, each with its maximum points.") % {"n": MAX_CRITERIA},
            code="rubric",
        )
    if len({c["name"] for c in rubric}) != len(rubric):
        raise ValidationError(_("Two criteria of the rubric have the same name."), code="rubric")
    expert_weight, vote_weight = (f.expert_weight, f.vote_weight) if f.has_vote else (100, 0)
    if expert_weight < 0 or vote_weight < 0 or expert_weight + vote_weight != 100:
        raise ValidationError(_("The weights of the expert score and the vote must add up to 100."), code="weights")
    if f.has_vote and vote_weight == 0:
        raise ValidationError(_("A campaign with a public vote gives the vote a weight above 0."), code="weights")
    for days in (f.publicity_days, f.nomination_days, f.review_days, f.vote_days):
        if not 1 <= days <= 60:
            raise ValidationError(_("Each phase lasts 1 to 60 working days."), code="days")
    if f.publicity_days < 5:
        raise ValidationError(_("公示 lasts at least 5 working days."), code="publicity_days")
    return {
        "kind": f.kind, "nominee": f.nominee, "title": title, "description": (f.description or "").strip()[:4000],
        "school_kinds": sorted(set(f.school_kinds)), "quota": f.quota, "rubric": rubric, "has_vote": f.has_vote,
        "expert_weight": expert_weight, "vote_weight": vote_weight, "publicity_days": f.publicity_days,
        "phase_days": {Phase.NOMINATION.value: f.nomination_days, Phase.SCHOOL_REVIEW.value: f.review_days,
                       Phase.COUNTY_REVIEW.value: f.review_days, Phase.VOTE.value: f.vote_days},
    }  # fmt: skip


def _county_admin(actor, county_id: int) -> None:
    if county_id not in access.admin_counties(actor):
        raise PermissionDenied(_("Only the county's administrator may do that."))


@transaction.atomic
def campaign_create(*, actor, county: Region, fields: CampaignFields, experts=()) -> Campaign:
    _county_admin(actor, county.pk)
    values = _clean_fields(fields)
    campaign = Campaign.objects.create(county=county, created_by=actor, **values)
    _set_experts(campaign, experts)
    audit_record(actor=actor, action="awards.campaign_create", target=campaign, changes={"title": [None, campaign.title]})
    return campaign


def _set_experts(campaign: Campaign, experts) -> None:
    experts = list(experts)
    allowed = set(access.county_experts(campaign.county_id).values_list("pk", flat=True))
    if any(e.pk not in allowed for e in experts):
        raise ValidationError(_("Only experts of the county may score its campaigns."), code="experts")
    campaign.experts.set(experts)


@transaction.atomic
def campaign_update(*, actor, campaign: Campaign, fields: CampaignFields, experts=()) -> Campaign:
    campaign = _lock(campaign)
    _county_admin(actor, campaign.county_id)
    if campaign.phase != Phase.DRAFT:
        raise ValidationError(_("A campaign can be edited only before it opens."), code="phase")
    for key, value in _clean_fields(fields).items():
        setattr(campaign, key, value)
    campaign.save()
    _set_experts(campaign, experts)
    audit_record(actor=actor, action="awards.campaign_update", target=campaign)
    return campaign


def _lock(campaign: Campaign) -> Campaign:
    return Campaign.objects.select_for_update().get(pk=campaign.pk)


def _phase_target(campaign: Campaign, phase: str) -> tuple[str, str]:
    return ("awards.campaign_phase", f"{campaign.pk}:{phase}")


def next_phase(campaign: Campaign) -> str | None:
    order: list[str] = [Phase.DRAFT, Phase.NOMINATION, Phase.SCHOOL_REVIEW, Phase.COUNTY_REVIEW]
    if campaign.has_vote:
        order.append(Phase.VOTE)
    order += [Phase.PUBLICITY, Phase.RESULT]
    if campaign.phase not in order or campaign.phase == Phase.RESULT:
        return None
    return order[order.index(campaign.phase) + 1]


def _phase_days(campaign: Campaign, phase: str) -> int:
    if phase == Phase.PUBLICITY:
        return campaign.publicity_days
    days = dict(campaign.phase_days or {})
    return int(days.get(phase) or DEFAULT_PHASE_DAYS.get(Phase(phase), 5))


def _enter(campaign: Campaign, phase: str, actor, now) -> None:
    """Close the phase's deadline and start the next one's (its end in the county's working days)."""
    old = deadline_for(_phase_target(campaign, campaign.phase))
    if old is not None and old.state not in (Deadline.State.RESOLVED, Deadline.State.CANCELLED):
        deadline_resolve(actor=actor, deadline=old)
    campaign.phase = phase
    campaign.phase_started_at = now
    campaign.phase_ends_at = None
    if phase in (Phase.NOMINATION, Phase.SCHOOL_REVIEW, Phase.COUNTY_REVIEW, Phase.VOTE, Phase.PUBLICITY):
        d = deadline_start(actor=actor, target=_phase_target(campaign, phase), policy=POLICY,
                           county=campaign.county_id, owner=campaign.created_by,
                           title=f"{campaign.title}·{Phase(phase).label}", started_at=now,
                           resolution=(_phase_days(campaign, phase), "days"))  # fmt: skip
        campaign.phase_ends_at = d.resolution_due
    if phase == Phase.NOMINATION:
        campaign.nomination_ends_at = campaign.phase_ends_at
    elif phase == Phase.VOTE:
        campaign.vote_starts_at, campaign.vote_ends_at = now, campaign.phase_ends_at
    elif phase == Phase.PUBLICITY:
        campaign.publicity_starts_at, campaign.publicity_ends_at = now, campaign.phase_ends_at
    elif phase == Phase.RESULT:
        campaign.result_at = now
    campaign.save()


@transaction.atomic
def campaign_open(*, actor, campaign: Campaign) -> Campaign:
    campaign = _lock(campaign)
    _county_admin(actor, campaign.county_id)
    if campaign.phase != Phase.DRAFT:
        raise ValidationError(_("The campaign is already open."), code="phase")
    _enter(campaign, Phase.NOMINATION, actor, timezone.now())
    audit_record(actor=actor, action="awards.campaign_open", target=campaign, changes={"phase": ["draft", "nomination"]})
    return campaign


@transaction.atomic
def campaign_advance(*, actor, campaign: Campaign, by_schedule: bool = False) -> Campaign:
    """Move the campaign to its next phase, when the current one is complete (refused with the reason otherwise).

    `by_schedule`: the scheduler's move once the phase's end has passed (no county admin acting)."""
    campaign = _lock(campaign)
    if not by_schedule:
        _county_admin(actor, campaign.county_id)
    target = next_phase(campaign)
    if target is None or campaign.phase == Phase.DRAFT:
        raise ValidationError(_("The campaign has no next phase to move to."), code="phase")
    now = timezone.now()
    noms = Nomination.objects.filter(campaign=campaign)
    before = campaign.phase
    if campaign.phase == Phase.NOMINATION:
        pass
    elif campaign.phase == Phase.SCHOOL_REVIEW:
        waiting = noms.filter(status=Status.SUBMITTED, school__isnull=False).count()
        if waiting:
            raise ValidationError(
                _("%(n)s nominations still await their school's review.") % {"n": waiting}, code="waiting"
            )
        # Nominees with no school to review them (a unit, a county-level person) go straight to the county.
        noms.filter(status=Status.SUBMITTED, school__isnull=True).update(status=Status.RECOMMENDED)
    elif campaign.phase == Phase.COUNTY_REVIEW:
        waiting = noms.filter(status=Status.RECOMMENDED).count()
        if waiting:
            raise ValidationError(
                _("%(n)s recommended nominations are neither shortlisted nor rejected yet.") % {"n": waiting},
                code="waiting",
            )
        if not noms.filter(status=Status.SHORTLISTED).exists():
            raise ValidationError(_("Shortlist at least one nomination first."), code="shortlist")
        if target == Phase.PUBLICITY:
            _score_all(campaign)
    elif campaign.phase == Phase.VOTE:
        _count_votes(actor, campaign)
        _score_all(campaign)
    elif campaign.phase == Phase.PUBLICITY:
        if not by_schedule and campaign.publicity_ends_at and now < campaign.publicity_ends_at:
            raise ValidationError(
                _("The 公示 runs until %(end)s: the result can be published only after it.")
                % {"end": timezone.localtime(campaign.publicity_ends_at).strftime("%Y-%m-%d %H:%M")},
                code="publicity",
            )
        _result_may_stand(campaign)
        _score_all(campaign)
        _publish_result(campaign)
    _enter(campaign, target, actor, now)
    audit_record(actor=actor, action="awards.campaign_advance", target=campaign, changes={"phase": [before, target]})
    return campaign


def _result_may_stand(campaign: Campaign) -> None:
    pending = Objection.objects.filter(nomination__campaign=campaign, status=Objection.Status.PENDING).count()
    if pending:
        raise ValidationError(
            _("%(n)s objections are still being verified: the result cannot stand before they are decided.")
            % {"n": pending},
            code="objections",
        )
    again = Nomination.objects.filter(campaign=campaign, status=Status.RECOMMENDED).count()
    if again:
        raise ValidationError(
            _("%(n)s nominations are being reviewed again after an objection: decide them first.") % {"n": again},
            code="rereview",
        )


def _count_votes(actor, campaign: Campaign) -> None:
    from ..votes.services import tally_close

    tally = tally_close(actor=actor, campaign=campaign)
    counts = {int(k): int(v) for k, v in (tally.counts or {}).items()}
    for n in Nomination.objects.filter(campaign=campaign, status=Status.SHORTLISTED):
        votes = counts.get(n.pk, 0)
        if n.votes != votes:
            n.votes = votes
            n.save(update_fields=["votes"])


def rubric_total(campaign: Campaign) -> int:
    return sum(int(c["max"]) for c in campaign.rubric) or 1


def final_score(campaign: Campaign, expert_score: Decimal | None, votes: int, max_votes: int) -> Decimal:
    """expert weight % × (the mean expert total on a 100 scale) + vote weight % × (votes / most votes × 100)."""
    expert_part = (Decimal(expert_score or 0) * HUNDRED / Decimal(rubric_total(campaign)))
    total = Decimal(campaign.expert_weight) * expert_part / HUNDRED
    if campaign.has_vote:
        vote_part = Decimal(votes) * HUNDRED / Decimal(max_votes) if max_votes else Decimal(0)
        total += Decimal(campaign.vote_weight) * vote_part / HUNDRED
    return _q(total)


def _score_all(campaign: Campaign) -> list[Nomination]:
    """Final scores and ranks of the shortlisted nominations (highest first; ties by expert score, then age)."""
    shortlisted = list(Nomination.objects.filter(campaign=campaign, status=Status.SHORTLISTED).order_by("pk"))
    max_votes = max((n.votes for n in shortlisted), default=0)
    for n in shortlisted:
        n.final_score = final_score(campaign, n.expert_score, n.votes, max_votes)
    shortlisted.sort(key=lambda n: (-(n.final_score or 0), -(n.expert_score or 0), n.pk))
    for i, n in enumerate(shortlisted, start=1):
        n.rank = i
    Nomination.objects.bulk_update(shortlisted, ["final_score", "rank"])
    Nomination.objects.filter(campaign=campaign).exclude(status=Status.SHORTLISTED).update(rank=None)
    return shortlisted


def _publish_result(campaign: Campaign) -> None:
    shortlisted = sorted(Nomination.objects.filter(campaign=campaign, status=Status.SHORTLISTED), key=lambda n: n.rank or 0)
    year = timezone.localdate().year
    selected = shortlisted[: campaign.quota]
    for i, n in enumerate(selected, start=1):
        n.status = Status.SELECTED
        n.certificate_no = f"{campaign.county.code}-{year}-{campaign.pk:03d}-{i:03d}"
    for n in shortlisted[campaign.quota :]:
        n.status = Status.NOT_SELECTED
    Nomination.objects.bulk_update(shortlisted, ["status", "certificate_no"])


@transaction.atomic
def campaign_cancel(*, actor, campaign: Campaign, reason: str) -> Campaign:
    campaign = _lock(campaign)
    _county_admin(actor, campaign.county_id)
    reason = (reason or "").strip()
    if not reason or len(reason) > 300:
        raise ValidationError(_("Say why the campaign is cancelled (at most 300 characters)."), code="reason")
    if campaign.phase in (Phase.RESULT, Phase.CANCELLED):
        raise ValidationError(_("A campaign with a result, or already cancelled, cannot be cancelled."), code="phase")
    d = deadline_for(_phase_target(campaign, campaign.phase))
    if d is not None and d.state not in (Deadline.State.RESOLVED, Deadline.State.CANCELLED):
        deadline_cancel(actor=actor, deadline=d, reason=reason)
    before = campaign.phase
    campaign.phase, campaign.cancel_reason, campaign.phase_ends_at = Phase.CANCELLED, reason, None
    campaign.save(update_fields=["phase", "cancel_reason", "phase_ends_at"])
    audit_record(actor=actor, action="awards.campaign_cancel", target=campaign,
                 changes={"phase": [before, "cancelled"], "reason": [None, reason]})  # fmt: skip
    return campaign


def campaigns_move_on(now=None) -> int:
    """The scheduler's job: move on every campaign whose nomination, vote or 公示 has ended (a 公示 only when no
    objection is pending and no nominee is being reviewed again). Returns how many moved."""
    now = now or timezone.now()
    moved = 0
    due = Campaign.objects.filter(phase__in=[Phase.NOMINATION, Phase.VOTE, Phase.PUBLICITY], phase_ends_at__lte=now)
    for campaign in due.order_by("pk"):
        try:
            campaign_advance(actor=None, campaign=campaign, by_schedule=True)
        except ValidationError:
            continue  # waits for the county (an objection pending, nothing shortlisted …)
        moved += 1
    return moved


# --- nominations ----------------------------------------------------------------------------------------------


def _nominee_label(campaign: Campaign, nominee) -> str:
    if isinstance(nominee, Student):
        return f"{nominee.name}家庭"  # the name as published in 公示, the same in every language
    return nominee.name


def _outside(campaign: Campaign, name: str) -> ValidationError:
    return ValidationError(
        _("%(name)s is outside this campaign's scope (%(scope)s): nothing was submitted.")
        % {"name": name, "scope": access.scope_text(campaign)},
        code="scope",
    )


def _school_in_scope(campaign: Campaign, school: School | None) -> bool:
    return (school is not None and school.county_id == campaign.county_id
            and (not campaign.school_kinds or school.kind in campaign.school_kinds))  # fmt: skip


def _place_nominee(campaign: Campaign, nominee) -> tuple[dict, School | None, str]:
    """The nomination's nominee fields, the school that reviews it and its published name; refused when the
    nominee lies outside the campaign's scope or is not of the campaign's kind."""
    kind = campaign.nominee
    if kind == Campaign.Nominee.FAMILY:
        if not isinstance(nominee, Student):
            raise ValidationError(_("This campaign nominates families: choose a child's family."), code="nominee")
        if not access.is_confirmed_child(nominee) or not _school_in_scope(campaign, nominee.school):
            raise _outside(campaign, _nominee_label(campaign, nominee))
        return {"student": nominee}, nominee.school, _nominee_label(campaign, nominee)
    if kind == Campaign.Nominee.GUARDIAN:
        if not isinstance(nominee, Guardian):
            raise ValidationError(_("This campaign nominates parents: choose a parent."), code="nominee")
        school = access.school_of_guardian(nominee, campaign)
        if school is None:
            raise _outside(campaign, nominee.name)
        return {"guardian": nominee}, school, nominee.name
    if kind == Campaign.Nominee.PERSON:
        if isinstance(nominee, Student | Guardian | School | Community):
            raise ValidationError(_("This campaign nominates persons: choose a teacher, an expert or a volunteer."),
                                  code="nominee")  # fmt: skip
        school = access.school_of_person(nominee, campaign)
        if school is None and not access.person_in_county(nominee, campaign):
            raise _outside(campaign, nominee.name)
        return {"person": nominee}, school, nominee.name
    if isinstance(nominee, School):
        if not _school_in_scope(campaign, nominee):
            raise _outside(campaign, nominee.name)
        return {"unit_school": nominee}, None, nominee.name
    if isinstance(nominee, Community):
        if nominee.county_id != campaign.county_id:
            raise _outside(campaign, nominee.name)
        return {"unit_community": nominee}, None, nominee.name
    raise ValidationError(_("This campaign nominates units: choose a school or a community."), code="nominee")


def _may_nominate_as(actor, by: str, campaign: Campaign, nominee, school: School | None) -> None:
    """Whether the actor may nominate this nominee in the role `by`."""
    ok = False
    if by == Nomination.By.SCHOOL:
        reach = access.schools_of(actor, Role.SCHOOL_ADMIN)
        ok = (school is not None and school.pk in reach) or (isinstance(nominee, School) and nominee.pk in reach)
    elif by == Nomination.By.COMMITTEE:
        ok = school is not None and school.pk in access.committee_schools(actor)
    elif by == Nomination.By.COMMUNITY:
        ok = campaign.county_id in access.community_counties(actor)
    elif by == Nomination.By.SELF:
        if isinstance(nominee, Student):
            ok = access.is_own_child(actor, nominee)
        elif isinstance(nominee, Guardian):
            ok = nominee.user_id is not None and nominee.user_id == actor.pk
        elif campaign.nominee == Campaign.Nominee.PERSON:
            ok = nominee.pk == actor.pk
    if not ok:
        raise PermissionDenied(_("You may not nominate %(name)s in this way.") % {"name": _nominee_label(campaign, nominee)})


@transaction.atomic
def nomination_submit(*, actor, campaign: Campaign, by: str, nominee, statement: str, files=()) -> Nomination:
    campaign = _lock(campaign)
    if campaign.phase != Phase.NOMINATION or (campaign.phase_ends_at and timezone.now() > campaign.phase_ends_at):
        raise ValidationError(_("Nominations are taken only during the nomination phase."), code="phase")
    if by not in Nomination.By.values:
        raise ValidationError(_("Choose who nominates."), code="by")
    if nominee is None:
        raise ValidationError(_("Choose the nominee."), code="nominee")
    fields, school, name = _place_nominee(campaign, nominee)
    _may_nominate_as(actor, by, campaign, nominee, school)
    statement = (statement or "").strip()
    if len(statement) < 20 or len(statement) > 5000:
        raise ValidationError(_("Describe the nominee's deeds in 20 to 5000 characters."), code="statement")
    active = Nomination.objects.filter(campaign=campaign, **fields).exclude(status=Status.WITHDRAWN)
    if active.exists():
        raise ValidationError(_("%(name)s is already nominated in this campaign.") % {"name": name}, code="duplicate")
    checked = check_uploads(files, NOMINATION_MATERIALS, max_files=MAX_MATERIALS)
    nomination = Nomination.objects.create(campaign=campaign, by=by, nominated_by=actor, display_name=name[:60],
                                           school=school, statement=statement, **fields)  # fmt: skip
    for c in checked:
        m = NominationMaterial(nomination=nomination, token=secrets.token_hex(16), name=c.name,
                               content_type=c.content_type, size=c.size)  # fmt: skip
        m.file.save(c.stored_name(), c.file, save=False)
        m.save()
    audit_record(actor=actor, action="awards.nomination_submit", target=nomination,
                 changes={"nominee": [None, name], "by": [None, by]})  # fmt: skip
    return nomination


@transaction.atomic
def nomination_withdraw(*, actor, nomination: Nomination) -> Nomination:
    if nomination.nominated_by_id != actor.pk:
        raise PermissionDenied(_("Only who nominated may withdraw the nomination."))
    if nomination.campaign.phase != Phase.NOMINATION or nomination.status != Status.SUBMITTED:
        raise ValidationError(_("A nomination can be withdrawn only during the nomination phase."), code="phase")
    nomination.status = Status.WITHDRAWN
    nomination.save(update_fields=["status"])
    audit_record(actor=actor, action="awards.nomination_withdraw", target=nomination)
    return nomination


@transaction.atomic
def school_review(*, actor, nomination: Nomination, recommend: bool, note: str = "") -> Nomination:
    nomination = Nomination.objects.select_for_update().select_related("campaign").get(pk=nomination.pk)
    if nomination.school_id is None or nomination.school_id not in access.schools_of(actor, Role.SCHOOL_ADMIN):
        raise PermissionDenied(_("Only the nominee's school reviews this nomination."))
    if nomination.campaign.phase != Phase.SCHOOL_REVIEW:
        raise ValidationError(_("The school review is over or has not begun."), code="phase")
    if nomination.status not in (Status.SUBMITTED, Status.RECOMMENDED, Status.SCHOOL_REJECTED):
        raise ValidationError(_("This nomination is past the school review."), code="status")
    note = (note or "").strip()
    if len(note) > 300:
        raise ValidationError(_("The note is too long: at most 300 characters."), code="note")
    if not recommend and not note:
        raise ValidationError(_("Say why the school does not recommend the nominee."), code="note")
    before = nomination.status
    nomination.status = Status.RECOMMENDED if recommend else Status.SCHOOL_REJECTED
    nomination.save(update_fields=["status"])
    NominationReview.objects.create(nomination=nomination, step=NominationReview.Step.SCHOOL, reviewer=actor,
                                    approved=recommend, note=note)  # fmt: skip
    audit_record(actor=actor, action="awards.school_review", target=nomination,
                 changes={"status": [before, nomination.status]})  # fmt: skip
    return nomination


def _parse_points(campaign: Campaign, points: dict) -> dict[str, Decimal]:
    parsed: dict[str, Decimal] = {}
    for c in campaign.rubric:
        name, most = c["name"], int(c["max"])
        raw = points.get(name)
        try:
            value = Decimal(str(raw).strip())
        except Exception:  # noqa: BLE001 — anything that is not a number
            value = None  # type: ignore[assignment]
        if value is None or not value.is_finite() or value < 0 or value > most or (value * 2) % 1:
            raise ValidationError(
                _("“%(name)s” takes 0 to %(max)s points (in steps of 0.5).") % {"name": name, "max": most},
                code="points",
            )
        parsed[name] = value
    return parsed


@transaction.atomic
def score_submit(*, actor, nomination: Nomination, points: dict, note: str = "") -> ExpertScore:
    """One expert's scores of a recommended nomination on the rubric (a second submission replaces the first)."""
    nomination = Nomination.objects.select_for_update().select_related("campaign").get(pk=nomination.pk)
    campaign = nomination.campaign
    if not access.is_campaign_expert(actor, campaign):
        raise PermissionDenied(_("Only the campaign's experts score its nominations."))
    if campaign.phase not in (Phase.COUNTY_REVIEW, Phase.PUBLICITY) or nomination.status != Status.RECOMMENDED:
        raise ValidationError(_("This nomination is not waiting for expert scores."), code="phase")
    parsed = _parse_points(campaign, points or {})
    note = (note or "").strip()
    if len(note) > 300:
        raise ValidationError(_("The note is too long: at most 300 characters."), code="note")
    total = sum(parsed.values(), Decimal(0))
    score, _created = ExpertScore.objects.update_or_create(
        nomination=nomination, expert=actor,
        defaults={"points": {k: float(v) for k, v in parsed.items()}, "total": total, "note": note,
                  "at": timezone.now()},
    )  # fmt: skip
    mean = ExpertScore.objects.filter(nomination=nomination).aggregate(m=Avg("total"))["m"]
    nomination.expert_score = _q(Decimal(mean))
    nomination.save(update_fields=["expert_score"])
    audit_record(actor=actor, action="awards.score_submit", target=nomination, changes={"total": [None, str(total)]})
    return score


@transaction.atomic
def nomination_shortlist(*, actor, nomination: Nomination, shortlisted: bool, note: str = "") -> Nomination:
    """The county's decision on one recommended nomination: shortlisted or not."""
    nomination = Nomination.objects.select_for_update().select_related("campaign").get(pk=nomination.pk)
    campaign = nomination.campaign
    _county_admin(actor, campaign.county_id)
    if campaign.phase not in (Phase.COUNTY_REVIEW, Phase.PUBLICITY):
        raise ValidationError(_("Shortlisting is done in the county review."), code="phase")
    if nomination.status not in ((Status.RECOMMENDED, Status.SHORTLISTED, Status.COUNTY_REJECTED)
                                 if campaign.phase == Phase.COUNTY_REVIEW else (Status.RECOMMENDED,)):  # fmt: skip
        raise ValidationError(_("This nomination is not before the county."), code="status")
    if shortlisted and nomination.expert_score is None:
        raise ValidationError(_("No expert has scored this nomination yet."), code="scores")
    note = (note or "").strip()[:300]
    before = nomination.status
    nomination.status = Status.SHORTLISTED if shortlisted else Status.COUNTY_REJECTED
    nomination.save(update_fields=["status"])
    step = NominationReview.Step.COUNTY if campaign.phase == Phase.COUNTY_REVIEW else NominationReview.Step.OBJECTION
    NominationReview.objects.create(nomination=nomination, step=step, reviewer=actor, approved=shortlisted, note=note)
    if campaign.phase == Phase.PUBLICITY:
        _score_all(campaign)
    audit_record(actor=actor, action="awards.nomination_shortlist", target=nomination,
                 changes={"status": [before, nomination.status]})  # fmt: skip
    return nomination


@transaction.atomic
def campaign_shortlist_by_score(*, actor, campaign: Campaign, count: int) -> list[Nomination]:
    """Shortlist the `count` recommended nominations with the highest mean expert score; the rest not."""
    campaign = _lock(campaign)
    _county_admin(actor, campaign.county_id)
    if campaign.phase != Phase.COUNTY_REVIEW:
        raise ValidationError(_("Shortlisting is done in the county review."), code="phase")
    if not 1 <= count <= 500:
        raise ValidationError(_("Shortlist 1 to 500 nominations."), code="count")
    pool = list(Nomination.objects.filter(campaign=campaign, status__in=[Status.RECOMMENDED, Status.SHORTLISTED,
                                                                          Status.COUNTY_REJECTED]))  # fmt: skip
    unscored = [n.display_name for n in pool if n.expert_score is None]
    if unscored:
        raise ValidationError(
            _("No expert has scored: %(names)s.") % {"names": pgettext_list(unscored)}, code="scores"
        )
    pool.sort(key=lambda n: (-(n.expert_score or 0), n.pk))
    for i, n in enumerate(pool):
        n.status = Status.SHORTLISTED if i < count else Status.COUNTY_REJECTED
    Nomination.objects.bulk_update(pool, ["status"])
    NominationReview.objects.bulk_create([
        NominationReview(nomination=n, step=NominationReview.Step.COUNTY, reviewer=actor,
                         approved=n.status == Status.SHORTLISTED, note=_("By the mean expert score."))
        for n in pool
    ])  # fmt: skip
    audit_record(actor=actor, action="awards.campaign_shortlist", target=campaign, changes={"count": [None, count]})
    return [n for n in pool if n.status == Status.SHORTLISTED]


def pgettext_list(names: list[str]) -> str:
    from django.utils.translation import pgettext

    return pgettext("list separator", ", ").join(names)


# --- 公示 and objections -----------------------------------------------------------------------------------------


@transaction.atomic
def objection_submit(*, actor, nomination: Nomination, real_name: str, phone: str, facts: str) -> Objection:
    nomination = Nomination.objects.select_for_update().select_related("campaign").get(pk=nomination.pk)
    campaign = nomination.campaign
    now = timezone.now()
    if campaign.phase != Phase.PUBLICITY or (campaign.publicity_ends_at and now > campaign.publicity_ends_at):
        raise ValidationError(_("Objections are taken only during the 公示."), code="phase")
    if nomination.status != Status.SHORTLISTED:
        raise ValidationError(_("Only a nominee on the 公示 list can be objected to."), code="status")
    real_name, phone, facts = (real_name or "").strip(), (phone or "").strip(), (facts or "").strip()
    if not 2 <= len(real_name) <= 30:
        raise ValidationError(_("Give your real name: an objection is not anonymous."), code="real_name")
    if not (phone.isdigit() and len(phone) == 11 and phone.startswith("1")):
        raise ValidationError(_("Give an 11-digit mobile number the county can call you on."), code="phone")
    if len(facts) < 20 or len(facts) > 3000:
        raise ValidationError(
            _("State the facts of your objection (20 to 3000 characters): what happened, when, who knows."),
            code="facts",
        )
    objection = Objection.objects.create(nomination=nomination, objector=actor, real_name=real_name, phone=phone,
                                         facts=facts)  # fmt: skip
    audit_record(actor=actor, action="awards.objection_submit", target=nomination, changes={"objection": [None, objection.pk]})
    return objection


@transaction.atomic
def objection_decide(*, actor, objection: Objection, upheld: bool, reason: str, action: str = "") -> Objection:
    """The county's finding: upheld (the nominee removed, or reviewed again by the experts) or dismissed, with a
    reason; the finding is sent to the objector."""
    objection = Objection.objects.select_for_update().select_related("nomination__campaign").get(pk=objection.pk)
    nomination = objection.nomination
    campaign = nomination.campaign
    _county_admin(actor, campaign.county_id)
    if objection.status != Objection.Status.PENDING:
        raise ValidationError(_("This objection has been decided already."), code="status")
    if campaign.phase != Phase.PUBLICITY:
        raise ValidationError(_("Objections are decided during the 公示."), code="phase")
    reason = (reason or "").strip()
    if not reason or len(reason) > 300:
        raise ValidationError(_("Give the county's finding (at most 300 characters)."), code="reason")
    if upheld and action not in Objection.Action.values:
        raise ValidationError(_("Choose what an upheld objection does: remove the nominee or review again."),
                              code="action")  # fmt: skip
    now = timezone.now()
    objection.status = Objection.Status.UPHELD if upheld else Objection.Status.DISMISSED
    objection.action = action if upheld else ""
    objection.reason, objection.decided_by, objection.decided_at = reason, actor, now
    objection.save()
    if upheld and nomination.status == Status.SHORTLISTED:
        if action == Objection.Action.REMOVE:
            nomination.status = Status.REMOVED
            nomination.save(update_fields=["status"])
        else:
            nomination.status, nomination.expert_score, nomination.final_score = Status.RECOMMENDED, None, None
            nomination.save(update_fields=["status", "expert_score", "final_score"])
            ExpertScore.objects.filter(nomination=nomination).delete()
        NominationReview.objects.create(nomination=nomination, step=NominationReview.Step.OBJECTION, reviewer=actor,
                                        approved=False, note=reason)  # fmt: skip
        _score_all(campaign)
    outcome = _("upheld") if upheld else _("dismissed")
    message_send(
        actor=actor, county_id=campaign.county_id, to_user=objection.objector,
        title=_("Your objection in %(campaign)s") % {"campaign": campaign.title},
        body=_("The county has verified your objection to %(name)s: %(outcome)s. %(reason)s")
        % {"name": nomination.display_name, "outcome": outcome, "reason": reason},
        link=reverse("awards:campaign_detail", args=[campaign.pk]), topic="awards", sender_unit=campaign.county.name,
    )  # fmt: skip
    audit_record(actor=actor, action="awards.objection_decide", target=nomination,
                 changes={"objection": [objection.pk, objection.status], "action": [None, objection.action]})  # fmt: skip
    return objection


# The typical-case theme a selection's winner most likely illustrates; the county may change it before publishing.
CASE_THEMES: dict[str, str] = {
    Campaign.Kind.MODEL_FAMILY: Theme.FAMILY_TRADITION, Campaign.Kind.EXCELLENT_PARENT: Theme.FAMILY_TRADITION,
    Campaign.Kind.INSTRUCTOR: Theme.PARENT_SCHOOL, Campaign.Kind.ADVANCED_UNIT: Theme.COMMUNITY,
}  # fmt: skip


@transaction.atomic
def nomination_promote_case(*, actor, nomination: Nomination) -> Case:
    """A selected nominee's deeds become a submitted typical case (the county completes and publishes it in the
    case library); once per nominee."""
    campaign = nomination.campaign
    if campaign.phase != Campaign.Phase.RESULT or nomination.status != Nomination.Status.SELECTED:
        raise ValidationError(_("Only a selected nominee of a finished campaign can become a typical case."),
                              code="status")  # fmt: skip
    source = f"{campaign.title}:{nomination.display_name}"[:120]
    if Case.objects.filter(county=campaign.county_id, source=source).exists():
        raise ValidationError(_("This nominee is already in the case library."), code="twice")
    case = case_promote(actor=actor, county=campaign.county, school=nomination.school,
                        title=f"{nomination.display_name}:{campaign.get_kind_display()}"[:80],
                        theme=CASE_THEMES.get(campaign.kind, Theme.OTHER), text=nomination.statement,
                        source=source)  # fmt: skip
    audit_record(actor=actor, action="awards.promote_case", target=nomination, changes={"case": [None, case.pk]})
    return case
