"""Panels of a committee's page, filled by the subdomains (bodies shows members, charter, meetings and action items;
inquiries shows the unit's inquiries and their clocks; appraisals the latest results): the page asks each registered
provider for its panel, in order. A provider returns None when it has nothing to show to this user."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Panel:
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    name: str = ""
    order: int = 0


Provider = Callable[[Any, Any], Panel | None]  # (request, committee) -> Panel | None
_PROVIDERS: dict[str, tuple[int, Provider]] = {}


def register_committee_panel(name: str, *, order: int, provider: Provider) -> None:
    _PROVIDERS[name] = (order, provider)


def committee_panels(request, committee) -> list[Panel]:
    panels = []
    for name, (order, provider) in sorted(_PROVIDERS.items(), key=lambda item: item[1][0]):
        panel = provider(request, committee)
        if panel is not None:
            panel.name, panel.order = name, order
            panels.append(panel)
    return panels
