"""Links that fit a family's weak dimensions, from apps above the surveys (the knowledge base in questions, the
parent-school curriculum in parentschool). Those apps register a provider when they load; the profile asks every
provider once per page with all the weak dimensions at once, so the page's queries do not grow with them.

A provider is `fn(*, user, county_id, school_ids, dimensions) -> dict[code, list[Link]]`, where `dimensions` maps each
weak dimension's code to its keywords (instrument.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Link:
    kind: str  # "knowledge" or "course": how the page labels it
    title: str
    url: str
    note: str = ""


Provider = Callable[..., dict[str, list[Link]]]
advice_providers: dict[str, Provider] = {}

LINKS_PER_PROVIDER = 3


def register_advice_provider(name: str, provider: Provider) -> None:
    """Called from an app's AppConfig.ready; registering the same name again replaces it."""
    advice_providers[name] = provider


def links_for(*, user, county_id: int, school_ids: list[int], dimensions: dict[str, tuple[str, ...]]):
    """{dimension: [Link, …]} from every provider, in the order they registered."""
    out: dict[str, list[Link]] = {code: [] for code in dimensions}
    if not dimensions:
        return out
    for provider in advice_providers.values():
        found = provider(user=user, county_id=county_id, school_ids=school_ids, dimensions=dimensions)
        for code, links in found.items():
            if code in out:
                out[code].extend(links[:LINKS_PER_PROVIDER])
    return out


def matches(text: str, keywords: tuple[str, ...]) -> bool:
    return any(k and k in text for k in keywords)
