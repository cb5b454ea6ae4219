"""Every write of the votes subdomain: casting a vote, closing the tally; and the tally's check.

A vote writes two things that share nothing: the family's marks (VoteMark, one per confirmed child of the voter,
no nominee, no time) and the ballot (nominee, place in the chain, a random nonce; no voter, no time). No audit row
is written for a vote: one naming the voter, in order, would tie the voter to the ballot of the same place.
"""

from __future__ import annotations

import secrets
import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from xieyu.audit.services import audit_record
from xieyu.core.viewhelpers import parse_id

from ..models import Campaign, Nomination
from . import access, chain
from .models import Ballot, Tally, VoteMark

TRIES_PER_MINUTE = 10


class TooManyTries(ValidationError):
    """Refused because the user tried to vote too often in the last minute (the API answers 429)."""


def _count_try(actor) -> None:
    """Count one try of this user in the current minute (the cache: nothing of it reaches the database)."""
    limit = getattr(settings, "AWARDS_VOTE_TRIES_PER_MINUTE", TRIES_PER_MINUTE)
    key = f"awards:vote-tries:{actor.pk}:{int(time.time() // 60)}"
    cache.add(key, 0, timeout=120)
    try:
        tries = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=120)
        tries = 1
    if tries > limit:
        raise TooManyTries(_("Too many tries. Please wait a minute and try again."), code="too_many_tries")


def vote_thanks() -> str:
    return _("Thank you: your family's vote is counted.")


def already_voted_message() -> str:
    return _("Your family has already voted.")


def vote_open_problem(campaign: Campaign, now=None) -> str | None:
    """Why a vote cannot be cast in this campaign now, or None when it can."""
    now = now or timezone.now()
    if (
        not campaign.has_vote
        or campaign.phase != Campaign.Phase.VOTE
        or Tally.objects.filter(campaign=campaign).exists()
    ):
        if campaign.phase in (Campaign.Phase.DRAFT, Campaign.Phase.NOMINATION, Campaign.Phase.SCHOOL_REVIEW,
                              Campaign.Phase.COUNTY_REVIEW):  # fmt: skip
            return _("The vote has not started yet.")
        return _("The vote is closed.")
    if campaign.vote_starts_at and now < campaign.vote_starts_at:
        return _("The vote has not started yet.")
    if campaign.vote_ends_at and now >= campaign.vote_ends_at:
        return _("The vote is closed.")
    return None


@transaction.atomic
def vote_cast(*, actor, campaign: Campaign, nomination_id) -> Ballot:
    """Cast the family's one vote for a shortlisted nominee, appending a ballot to the campaign's chain."""
    _count_try(actor)
    if problem := vote_open_problem(campaign):
        raise ValidationError(problem, code="closed")
    children = access.voting_children(actor, campaign)
    if not children:
        raise ValidationError(
            _("Only a guardian of a confirmed child at a school of this campaign may vote."), code="not_a_voter"
        )
    nid = parse_id(nomination_id)
    nomination = (
        Nomination.objects.filter(pk=nid, campaign=campaign, status=Nomination.Status.SHORTLISTED).only("pk").first()
        if nid
        else None
    )
    if nomination is None:
        raise ValidationError(_("Choose one of the nominees on this vote's list."), code="no_such_nominee")
    # The campaign's row lock orders every vote of the campaign (PostgreSQL; SQLite's writes are serial anyway):
    # the window and the family's marks are checked again, and the chain's end is read, by one vote at a time.
    # Only that is done under the lock, so the queue of votes moves fast.
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if problem := vote_open_problem(campaign):
        raise ValidationError(problem, code="closed")
    if VoteMark.objects.filter(campaign=campaign, student__in=children).exists():
        raise ValidationError(already_voted_message(), code="already_voted")
    try:
        with transaction.atomic():
            VoteMark.objects.bulk_create([VoteMark(campaign=campaign, student_id=s) for s in children])
    except IntegrityError:  # the other guardian's vote got there first (without the row lock)
        raise ValidationError(already_voted_message(), code="already_voted") from None
    last = Ballot.objects.filter(campaign=campaign).order_by("-sequence").values_list("sequence", "hash").first()
    sequence, prev = (last[0] + 1, last[1]) if last else (1, chain.genesis(campaign.pk, campaign.title))
    nonce = secrets.token_hex(16)
    return Ballot.objects.create(
        campaign=campaign, nomination=nomination, sequence=sequence, nonce=nonce, prev_hash=prev,
        hash=chain.ballot_hash(prev, campaign.pk, sequence, nomination.pk, nonce),
    )  # fmt: skip


@transaction.atomic
def tally_close(*, actor, campaign: Campaign) -> Tally:
    """Count the ballots of a campaign whose vote has ended and publish the count with the chain's head; each
    shortlisted nomination's `votes` is set from it (0 when none). A tally is closed once."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if not campaign.has_vote:
        raise ValidationError(_("This campaign has no public vote."), code="no_vote")
    if Tally.objects.filter(campaign=campaign).exists():
        raise ValidationError(_("The vote of this campaign has already been counted."), code="closed_twice")
    counts = dict(Ballot.objects.filter(campaign=campaign).order_by().values_list("nomination").annotate(n=Count("pk")))
    last = Ballot.objects.filter(campaign=campaign).order_by("-sequence").values_list("hash", flat=True).first()
    shortlisted = list(Nomination.objects.filter(campaign=campaign, status=Nomination.Status.SHORTLISTED))
    for nomination in shortlisted:
        nomination.votes = counts.get(nomination.pk, 0)
    Nomination.objects.bulk_update(shortlisted, ["votes"])
    published = {str(n.pk): 0 for n in shortlisted} | {str(k): v for k, v in counts.items()}
    tally = Tally.objects.create(
        campaign=campaign, counts=published, ballots=sum(counts.values()), head_hash=last or ""
    )
    audit_record(actor=actor, action="awards.tally_close", target=campaign,
                 changes={"ballots": [None, tally.ballots], "head_hash": [None, tally.head_hash]})  # fmt: skip
    return tally


def ballot_rows(campaign: Campaign):
    """The campaign's ballots as published, in sequence order (an iterator: a campaign may have many)."""
    rows = Ballot.objects.filter(campaign=campaign).order_by("sequence")
    for seq, nid, nonce, prev, h in rows.values_list(
        "sequence", "nomination_id", "nonce", "prev_hash", "hash"
    ).iterator(chunk_size=2000):
        yield chain.Row(seq, nid, nonce, prev, h)


def tally_verify(campaign: Campaign) -> chain.Verdict:
    """Re-compute the chain of the stored ballots and their counts, against the published tally."""
    tally = Tally.objects.filter(campaign=campaign).first()
    return chain.verify(
        campaign.pk, campaign.title, ballot_rows(campaign),
        published_counts={int(k): v for k, v in tally.counts.items()} if tally else None,
        published_ballots=tally.ballots if tally else None,
        published_head=tally.head_hash if tally else None,
    )  # fmt: skip
