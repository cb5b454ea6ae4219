"""Who may see a campaign's vote and its tally, and who may vote.

- The vote page of a campaign with a public vote is open to anyone logged in whose reach includes the campaign's
  county: staff of the county (any role in a unit of it) and guardians of a confirmed child at one of its schools.
- Only such a guardian, whose child's school is also of the campaign's school kinds, may vote; one vote per family
  (the marks are per child, so the child's other guardians are refused too).
- The tally, its ballots and its check are readable by the same people, once the vote is closed.
Missing and not-yours both answer 404.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from xieyu.accounts.scope import scope_of
from xieyu.directory.models import Guardianship, Student

from ..models import Campaign, Nomination
from .models import Ballot, Tally, VoteMark

VOTE_PHASES = (Campaign.Phase.VOTE, Campaign.Phase.PUBLICITY, Campaign.Phase.RESULT)
FAMILY_ATTR = "_xieyu_vote_family"


@dataclass(frozen=True)
class Child:
    student_id: int
    county_id: int
    school_kind: str


def _authenticated(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def family_of(user) -> tuple[Child, ...]:
    """The user's confirmed, enrolled children (as a guardian), loaded once per request."""
    if not _authenticated(user):
        return ()
    cached = user.__dict__.get(FAMILY_ATTR)
    if cached is None:
        rows = Guardianship.objects.filter(
            guardian__user=user, status=Guardianship.Status.CONFIRMED, student__status=Student.Status.ENROLLED
        ).values_list("student_id", "student__school__county_id", "student__school__kind")
        cached = tuple(Child(*row) for row in rows.order_by("student_id"))
        user.__dict__[FAMILY_ATTR] = cached
    return cached


def counties_of(user) -> set[int]:
    """The counties the user is of: those their roles reach and those their children go to school in."""
    if not _authenticated(user):
        return set()
    staff = {g.county_id for g in scope_of(user).grants if g.county_id}
    return staff | {c.county_id for c in family_of(user)}


def voting_children(user, campaign: Campaign) -> list[int]:
    """The ids of the user's children that give the family its vote in this campaign (empty: may not vote)."""
    kinds = set(campaign.school_kinds or [])
    return [c.student_id for c in family_of(user)
            if c.county_id == campaign.county_id and (not kinds or c.school_kind in kinds)]  # fmt: skip


def family_has_voted(user, campaign: Campaign) -> bool:
    children = [c.student_id for c in family_of(user)]
    return bool(children) and VoteMark.objects.filter(campaign=campaign, student__in=children).exists()


def vote_campaigns_visible_to(user) -> QuerySet[Campaign]:
    counties = counties_of(user)
    if not counties:
        return Campaign.objects.none()
    return Campaign.objects.filter(has_vote=True, phase__in=VOTE_PHASES, county__in=counties)


def get_vote_campaign_for(user, pk) -> Campaign:
    campaign = vote_campaigns_visible_to(user).filter(pk=pk).select_related("county").first()
    if campaign is None:
        raise Http404("campaign not found")
    return campaign


def get_tally_for(user, pk) -> Tally:
    """The closed tally of a campaign the user may see."""
    counties = counties_of(user)
    tally = (
        Tally.objects.filter(campaign__pk=pk, campaign__has_vote=True, campaign__county__in=counties)
        .select_related("campaign")
        .first()
        if counties
        else None
    )
    if tally is None:
        raise Http404("tally not found")
    return tally


def shortlist_of(campaign: Campaign) -> QuerySet[Nomination]:
    """The nominees voted on (of a campaign the caller got through get_vote_campaign_for or get_tally_for)."""
    return Nomination.objects.filter(campaign=campaign, status=Nomination.Status.SHORTLISTED).order_by("pk")


def tally_of(campaign: Campaign) -> Tally | None:
    """The campaign's closed tally, if any (of a campaign the caller got through get_vote_campaign_for)."""
    return Tally.objects.filter(campaign=campaign).first()


def ballots_of(tally: Tally) -> QuerySet[Ballot]:
    """A closed tally's ballots in chain order (of a tally the caller got through get_tally_for)."""
    return Ballot.objects.filter(campaign_id=tally.campaign_id).order_by("sequence")
