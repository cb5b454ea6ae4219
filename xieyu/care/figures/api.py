"""The figures API (mounted at /api/v1/care/figures): the same suppressed tables as the page and the export, for
the same readers (county admins and counsellors; the county's 妇联 and 民政 staff). 404 for anyone else."""

from __future__ import annotations

import datetime

from django.http import Http404
from ninja import Query, Router, Schema

from xieyu.core.api.errors import also_answers
from xieyu.core.viewhelpers import parse_id

from . import access
from .display import figures_of, legend

router = Router()


class FigureOut(Schema):
    name: str
    section: str
    title: str
    note: str
    row_header: str
    rows: list[str]
    cols: list[str]
    cells: list[list[str]]
    row_totals: list[str]
    col_totals: list[str]
    grand_total: str
    computed_at: datetime.datetime


class FiguresOut(Schema):
    county_id: int
    county: str
    computed_at: datetime.datetime | None
    legend: dict[str, str]
    tables: list[FigureOut]


@router.get(
    "",
    response=FiguresOut,
    summary="The county's care figures, small cells suppressed",
    openapi_extra=also_answers(404),  # to anyone who may not see the county's figures
)
def figures(request, county: str | None = Query(None)):
    county_id = parse_id(county) if county else None
    if county and county_id is None:
        raise Http404("county not found")
    found = access.get_figures_county_for(request.auth, county_id)
    figs = figures_of(found)
    return {
        "county_id": found.pk,
        "county": found.name,
        "computed_at": figs.computed_at,
        "legend": legend(),
        "tables": [
            {
                "name": f.name,
                "section": f.section_title,
                "title": f.title,
                "note": str(f.spec.note),
                "row_header": str(f.spec.row_header),
                "rows": f.table.rows,
                "cols": f.table.cols,
                "cells": [[c.display for c in row] for row in f.table.cells],
                "row_totals": [c.display for c in f.table.row_totals],
                "col_totals": [c.display for c in f.table.col_totals],
                "grand_total": f.table.grand_total.display,
                "computed_at": f.computed_at,
            }
            for f in figs.figures
        ],
    }
