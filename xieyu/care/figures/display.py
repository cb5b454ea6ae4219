"""The figures as every reader gets them (the page, the xlsx export, the API): the county's stored rollups, each
already suppressed through the one helper, with their titles, in the page's order. No reader sees a raw count."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xieyu.core.suppression import COMPLEMENT, SuppressedTable, primary_mark, threshold_default
from xieyu.directory.models import Region

from . import access
from .rollups import SECTIONS, SPECS, Spec

LEGEND_COMPLEMENT = gettext_lazy("hidden so that the small cells cannot be worked out")


@dataclass(frozen=True)
class Figure:
    spec: Spec
    table: SuppressedTable
    computed_at: datetime.datetime

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def title(self) -> str:
        return str(self.spec.title)

    @property
    def section_title(self) -> str:
        return str(SECTIONS[self.spec.section])

    def grid(self) -> list[list[str]]:
        """The table as text: a header row, one row per label, the totals row (one-row tables: label and count)."""
        t = self.table
        total = _("Total")
        if t.one_dimensional:
            return [
                [str(self.spec.row_header), _("Count")],
                *([label, c.display] for label, c in zip(t.cols, t.cells[0], strict=True)),
                [total, t.grand_total.display],
            ]
        return [
            [str(self.spec.row_header), *t.cols, total],
            *([label, *(c.display for c in row), rt.display]
              for label, row, rt in zip(t.rows, t.cells, t.row_totals, strict=True)),
            [total, *(c.display for c in t.col_totals), t.grand_total.display],
        ]  # fmt: skip


@dataclass(frozen=True)
class Figures:
    county: Region
    figures: list[Figure]

    @property
    def computed_at(self) -> datetime.datetime | None:
        return min((f.computed_at for f in self.figures), default=None)

    def sections(self) -> list[tuple[str, list[Figure]]]:
        out: dict[str, list[Figure]] = {}
        for f in self.figures:
            out.setdefault(f.section_title, []).append(f)
        return list(out.items())

    def get(self, name: str) -> Figure | None:
        return next((f for f in self.figures if f.name == name), None)


def figures_of(county: Region) -> Figures:
    """The county's figures (the county came from access.get_figures_county_for): one query."""
    stored = {r.name: r for r in access.rollups_of(county)}
    figures = [
        Figure(spec, SuppressedTable.from_dict(stored[spec.name].cells["shown"]), stored[spec.name].computed_at)
        for spec in SPECS
        if spec.name in stored and "shown" in stored[spec.name].cells
    ]
    return Figures(county, figures)


def legend() -> dict[str, str]:
    t = threshold_default()
    return {
        primary_mark(t): _("fewer than %(n)s") % {"n": t},
        COMPLEMENT: str(LEGEND_COMPLEMENT),
    }
