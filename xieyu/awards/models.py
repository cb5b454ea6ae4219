"""Every model of the awards app, for Django (which loads an app's models from here). Each subdomain keeps its own:

- campaigns/models.py: campaigns and their phases, nominations and materials, reviews, expert scores, objections;
- votes/models.py: who has voted (by family), the ballots (by nominee, hash-chained) and the published tally.
"""

from .campaigns.models import Campaign, ExpertScore, Nomination, NominationMaterial, NominationReview, Objection
from .votes.models import Ballot, Tally, VoteMark

__all__ = [
    "Ballot", "Campaign", "ExpertScore", "Nomination", "NominationMaterial", "NominationReview", "Objection",
    "Tally", "VoteMark",
]  # fmt: skip
