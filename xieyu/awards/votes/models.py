"""Public votes: one per verified family, kept apart from identities, with a tally anyone can check.

- VoteMark says which family has voted in a campaign (one row per confirmed child of the voter, so the child's
  other guardians cannot vote again), and nothing of for whom.
- Ballot says for whom, and nothing of who: it is chained to the ballot before it by a hash, so the closed
  tally's last hash fixes every ballot.
- Tally is what was published at close: the count per nominee and the chain's head.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone


class VoteMark(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4)  # no order to match against the ballots
    campaign = models.ForeignKey("awards.Campaign", on_delete=models.CASCADE, related_name="+")
    student = models.ForeignKey("directory.Student", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "student"], name="vote_mark_family_once")]


class Ballot(models.Model):
    campaign = models.ForeignKey("awards.Campaign", on_delete=models.CASCADE, related_name="ballots")
    nomination = models.ForeignKey("awards.Nomination", on_delete=models.PROTECT, related_name="+")
    sequence = models.PositiveIntegerField()
    nonce = models.CharField(max_length=32)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "sequence"], name="ballot_sequence_unique")]


class Tally(models.Model):
    campaign = models.OneToOneField("awards.Campaign", on_delete=models.CASCADE, related_name="tally")
    counts = models.JSONField()  # {nomination id: votes}
    ballots = models.PositiveIntegerField()
    head_hash = models.CharField(max_length=64)
    closed_at = models.DateTimeField(default=timezone.now)
