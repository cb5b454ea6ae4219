"""The ballots' hash chain, as plain functions anyone can re-run on a downloaded list of ballots.

Each ballot's hash is sha256 of "prev|campaign id|sequence|nomination id|nonce" (UTF-8, hex digest); the first
ballot's prev is sha256 of "campaign id|title". The published tally names the last hash (the head), so changing,
adding, removing or reordering any ballot after close changes the head or breaks a link.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext as _


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def genesis(campaign_id: int, title: str) -> str:
    """The prev of the first ballot."""
    return sha256(f"{campaign_id}|{title}")


def ballot_hash(prev: str, campaign_id: int, sequence: int, nomination_id: int, nonce: str) -> str:
    return sha256(f"{prev}|{campaign_id}|{sequence}|{nomination_id}|{nonce}")


@dataclass(frozen=True)
class Row:
    """One ballot as published."""

    sequence: int
    nomination_id: int
    nonce: str
    prev_hash: str
    hash: str


@dataclass
class Verdict:
    """What re-computing the chain found: ok, or where it breaks."""

    ballots: int = 0
    head_hash: str = ""
    counts: dict[int, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    broken_at: int | None = None  # the sequence of the first ballot that does not hold

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(
    campaign_id: int,
    title: str,
    rows: Iterable[Row],
    *,
    published_counts: Mapping[int, int] | None = None,
    published_ballots: int | None = None,
    published_head: str | None = None,
) -> Verdict:
    """Re-compute the chain of `rows` (in sequence order) and compare it with the published tally."""
    verdict = Verdict()
    prev = genesis(campaign_id, title)
    counter: Counter[int] = Counter()
    for expected, row in enumerate(rows, start=1):
        verdict.ballots += 1
        counter[row.nomination_id] += 1
        if verdict.broken_at is not None:
            continue
        if row.sequence != expected:
            verdict.broken_at = row.sequence
            verdict.problems.append(
                _("Ballot %(seq)s is out of place: ballot %(expected)s was expected there (one is missing or added).")
                % {"seq": row.sequence, "expected": expected}
            )
        elif row.prev_hash != prev:
            verdict.broken_at = row.sequence
            verdict.problems.append(
                _("Ballot %(seq)s does not link to the ballot before it (its previous hash differs).")
                % {"seq": row.sequence}
            )
        elif ballot_hash(prev, campaign_id, row.sequence, row.nomination_id, row.nonce) != row.hash:
            verdict.broken_at = row.sequence
            verdict.problems.append(
                _("Ballot %(seq)s was altered: its hash does not match its contents.") % {"seq": row.sequence}
            )
        prev = row.hash
    verdict.head_hash = prev if verdict.ballots else ""
    verdict.counts = dict(counter)
    if published_ballots is not None and published_ballots != verdict.ballots:
        verdict.problems.append(
            _("The tally says %(published)s ballots; the list has %(found)s.")
            % {"published": published_ballots, "found": verdict.ballots}
        )
    if published_head is not None and published_head != verdict.head_hash:
        verdict.problems.append(_("The last hash of the list differs from the head hash the tally published."))
    if published_counts is not None:
        published = {int(k): v for k, v in published_counts.items() if v}
        if published != verdict.counts:
            verdict.problems.append(_("The votes per nominee in the tally differ from the ballots' own count."))
    return verdict
