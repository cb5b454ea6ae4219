"""A family's profile: its latest wave's score per dimension (0–100), the change since its previous wave, the weak
dimensions (below 60, or else its two lowest) with advice and the links that fit them.

The scores are the engine's (`Response.scores`, computed when the answer is submitted); nothing is rescored here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import timezone

from ..models import Question, Response, Version, Wave
from . import access
from . import instrument as std
from .advice import Link, links_for
from .models import Instrument

WEAK_BELOW = 60.0
WEAK_AT_LEAST = 2  # when no dimension is below 60, the two lowest still get advice


@dataclass(frozen=True)
class DimensionInfo:
    code: str
    label: str
    advice: str
    keywords: tuple[str, ...]


def dimensions_of(version: Version | None) -> list[DimensionInfo]:
    """The instrument's dimensions, in the order of its questions; standard codes carry their label and advice,
    others are named by their section's title. One query."""
    if version is None:
        return []
    out: dict[str, DimensionInfo] = {}
    rows = Question.objects.filter(version=version).exclude(dimension="").select_related("section")
    for q in rows.order_by("position"):
        if q.dimension in out:
            continue
        known = std.BY_CODE.get(q.dimension)
        if known is not None:
            out[q.dimension] = DimensionInfo(known.code, known.label, known.advice, known.keywords)
        else:
            label = q.section.title if q.section_id and q.section else q.dimension
            out[q.dimension] = DimensionInfo(q.dimension, label, "", (label,))
    return list(out.values())


@dataclass
class DimensionScore:
    info: DimensionInfo
    score: float | None
    previous: float | None
    weak: bool = False
    links: list[Link] = field(default_factory=list)

    @property
    def change(self) -> float | None:
        if self.score is None or self.previous is None:
            return None
        return round(self.score - self.previous, 1)

    @property
    def width(self) -> int:
        return max(0, min(100, round(self.score or 0)))


@dataclass
class Profile:
    student_id: int
    latest: Response | None
    previous: Response | None
    dimensions: list[DimensionScore]
    history: list[Response]

    @property
    def total(self) -> float | None:
        return round(self.latest.total, 1) if self.latest and self.latest.total is not None else None

    @property
    def total_change(self) -> float | None:
        if self.total is None or not self.previous or self.previous.total is None:
            return None
        return round(self.total - self.previous.total, 1)

    @property
    def weak(self) -> list[DimensionScore]:
        return [d for d in self.dimensions if d.weak]


def _num(value) -> float | None:
    return round(float(value), 1) if isinstance(value, int | float) else None


def build_profile(student_id: int, responses: list[Response], dims: list[DimensionInfo]) -> Profile:
    """The profile from the family's submitted answers (oldest first)."""
    scored = [r for r in responses if r.total is not None]
    latest = scored[-1] if scored else None
    previous = scored[-2] if len(scored) > 1 else None
    rows = [
        DimensionScore(
            d,
            _num((latest.scores or {}).get(d.code)) if latest else None,
            _num((previous.scores or {}).get(d.code)) if previous else None,
        )
        for d in dims
    ]
    known = [r for r in rows if r.score is not None]
    weak = [r for r in known if (r.score or 0) < WEAK_BELOW]
    if len(weak) < WEAK_AT_LEAST:
        lowest = sorted(known, key=lambda r: r.score or 0)[:WEAK_AT_LEAST]
        weak = weak + [r for r in lowest if r not in weak]
    for r in weak[: max(WEAK_AT_LEAST, len(weak))]:
        r.weak = True
    return Profile(student_id, latest, previous, rows, scored)


@dataclass
class FamilyPage:
    chosen: Instrument | None
    profile: Profile | None
    open_wave: Wave | None
    answered_open: bool


def family_page(user, child) -> FamilyPage:
    """What the family's profile page and the API show for one of the user's children (from access.get_child_for):
    a fixed number of queries."""
    chosen = access.instrument_of(child.school.county_id)
    if chosen is None:
        return FamilyPage(None, None, None, False)
    q = chosen.questionnaire
    dims = dimensions_of(access.published_version(q.pk))
    responses = list(access.family_responses(q.pk, [child.pk]))
    prof = build_profile(child.pk, responses, dims)
    weak = {d.info.code: d.info.keywords for d in prof.weak}
    found = links_for(user=user, county_id=child.school.county_id, school_ids=[child.school_id], dimensions=weak)
    for d in prof.weak:
        d.links = found.get(d.info.code, [])
    now = timezone.now()
    open_wave = Wave.objects.filter(questionnaire=q, opens_at__lte=now, closes_at__gt=now).order_by("-number").first()
    answered_open = open_wave is not None and any(r.wave_id == open_wave.pk for r in responses)
    return FamilyPage(chosen, prof, open_wave, answered_open)
