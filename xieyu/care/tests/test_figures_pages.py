"""The county's care figures: who sees them (the matrix), the page, the xlsx export and the API agree cell for cell
and hide a cell of 3 as "<5" in all three, and the page runs a fixed number of queries however many children."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from xieyu.care.figures.display import figures_of
from xieyu.care.figures.services import rollup_refresh
from xieyu.care.models import Case
from xieyu.core.suppression import relations

from . import figures_data as data

URL = "/care/figures/"
EXPORT = "/care/figures/export.xlsx"
API = "/api/v1/care/figures"


@pytest.fixture
def registry(cast):
    """城厢小学: 3 children left behind by both parents (a cell of 3), 12 by one parent; 全南二中: 6 and 8."""
    for n, category, school_class in [
        (3, "left_behind_both", cast.class_a1),
        (12, "left_behind_one", cast.class_a1),
        (6, "left_behind_both", cast.class_b1),
        (8, "left_behind_one", cast.class_b1),
    ]:
        for s in data.students(school_class, n):
            data.register(s, [category])  # fmt: skip
    for s in data.students(cast.class_a1, 2):
        data.case(cast, s, risk=Case.Risk.HIGH)
    rollup_refresh(actor=None, county=cast.county)


@pytest.fixture
def neighbours(cast):
    return data.other_county()


ALLOWED = ["county_admin_chen", "counsellor_zhou", "supervisor_zhong", "partner_wu", "partner_luo"]
FORBIDDEN = ["head_teacher_li", "school_admin_liu", "grandma_zhao", "parent_zhang", "expert_huang", "teacher_he",
             "volunteer_zeng"]  # fmt: skip


@pytest.mark.parametrize("persona", ALLOWED)
def test_the_county_and_its_womens_federation_and_civil_affairs_see_the_figures(cast, client_for, registry, persona):
    c = client_for(persona)
    page = c.get(URL)
    assert page.status_code == 200
    assert "全南县" in page.content.decode()
    assert c.get(EXPORT).status_code == 200
    assert c.get(API).status_code == 200


@pytest.mark.parametrize("persona", FORBIDDEN)
def test_others_of_the_county_get_404(cast, client_for, registry, persona):
    c = client_for(persona)
    assert c.get(URL).status_code == 404
    assert c.get(EXPORT).status_code == 404
    assert c.post(reverse("care:figures_refresh")).status_code == 404
    assert c.get(API).status_code == 404


@pytest.mark.parametrize("who", ["partner", "counsellor", "county_admin"])
def test_the_other_countys_staff_see_only_their_own_county(cast, registry, neighbours, who):
    from django.test import Client

    c = Client()
    c.force_login(neighbours[who])
    page = c.get(URL)
    assert page.status_code == 200 and "大余县" in page.content.decode() and "全南县" not in page.content.decode()
    assert c.get(URL, {"county": cast.county.pk}).status_code == 404
    assert c.get(EXPORT, {"county": cast.county.pk}).status_code == 404
    assert c.get(API, {"county": cast.county.pk}).status_code == 404
    assert c.get(API).json()["county"] == "大余县"


def test_a_partner_of_another_kind_of_agency_gets_404(cast, client_for, registry):
    from xieyu.accounts.models import Role
    from xieyu.accounts.services import membership_grant, user_create
    from xieyu.directory.models import PartnerAgency

    youth = PartnerAgency.objects.get(county=cast.county, kind=PartnerAgency.Kind.YOUTH_COMMITTEE)
    user = user_create(actor=None, phone="13800008888", name="关工委干事", password="Demo2026xy")  # noqa: S106
    membership_grant(actor=None, user=user, role=Role.PARTNER, unit=youth)
    from django.test import Client

    c = Client()
    c.force_login(user)
    assert c.get(URL).status_code == 404


def test_anonymous_is_sent_to_log_in(client_for, registry):
    c = client_for(None)
    for url in (URL, EXPORT):
        response = c.get(url)
        assert response.status_code == 302 and "/login" in response["Location"]
    assert c.get(API).status_code == 401


def test_refresh_now_enqueues_a_recomputation(cast, client_for, registry, run_tasks):
    c = client_for("county_admin_chen")
    response = c.post(reverse("care:figures_refresh"), {"county": cast.county.pk})
    assert response.status_code == 302
    run_tasks()
    assert client_for("partner_wu").post(reverse("care:figures_refresh")).status_code == 404


def page_grid(html: str, name: str) -> list[list[str]]:
    import html as h
    import re

    block = html.split(f'data-figure="{name}"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", block, re.S)
    return [[h.unescape(v) for v in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)] for row in rows]


def xlsx_grids(content: bytes) -> list[list[list[str]]]:
    wb = load_workbook(io.BytesIO(content), read_only=True)
    out = []
    for ws in wb.worksheets:
        rows = [["" if v is None else str(v) for v in row] for row in ws.iter_rows(values_only=True)]
        grid = []
        for row in rows[2:]:
            if not any(row):
                break
            grid.append(row)
        out.append(grid)
    return out


def test_page_export_and_api_agree_cell_for_cell_and_hide_the_three(cast, client_for, registry):
    c = client_for("partner_wu")
    html = c.get(URL).content.decode()
    workbook = xlsx_grids(c.get(EXPORT).content)
    api = c.get(API).json()
    figs = figures_of(cast.county)
    assert len(workbook) == len(api["tables"]) == len(figs.figures) == 10
    for k, (f, table) in enumerate(zip(figs.figures, api["tables"], strict=True)):
        grid = f.grid()
        assert page_grid(html, f.name) == grid, f.name
        assert [row[: len(grid[0])] for row in workbook[k]] == grid, f.name
        api_grid = [
            [table["row_header"], *(table["cols"] if len(table["rows"]) > 1 else [_("Count")])],
        ]
        if len(table["rows"]) > 1:
            api_grid[0].append(_("Total"))
            for label, row, total in zip(table["rows"], table["cells"], table["row_totals"], strict=True):
                api_grid.append([label, *row, total])
            api_grid.append([_("Total"), *table["col_totals"], table["grand_total"]])
        else:
            api_grid += [[label, v] for label, v in zip(table["cols"], table["cells"][0], strict=True)]
            api_grid.append([_("Total"), table["grand_total"]])
        assert api_grid == grid, f.name

    by_school = page_grid(html, "registry_by_school")
    header = by_school[0]
    both = header.index("留守:父母双方外出")
    row_a = next(r for r in by_school if r[0] == "全南县城厢小学")
    assert row_a[both] == "<5"
    sheet = workbook[0]
    assert next(r for r in sheet if r[0] == "全南县城厢小学")[both] == "<5"
    table = api["tables"][0]
    assert table["cells"][table["rows"].index("全南县城厢小学")][both - 1] == "<5"
    assert row_a[header.index("留守:父母一方外出")] == "12"


def test_no_hidden_cell_of_the_page_can_be_recovered_from_its_totals(cast, client_for, registry):
    """The attack: read the page's school table, solve every relation with one unknown, repeat; nothing comes out."""
    grid = page_grid(client_for("county_admin_chen").get(URL).content.decode(), "registry_by_school")
    body = [row[1:] for row in grid[1:]]
    n_rows, n_cols = len(body) - 1, len(body[0]) - 1
    known = {(i, j): int(v) for i, row in enumerate(body) for j, v in enumerate(row) if v.isdigit()}
    hidden = {(i, j) for i, row in enumerate(body) for j, v in enumerate(row) if not v.isdigit()}
    assert hidden
    progress = True
    while progress:
        progress = False
        for rel in relations(n_rows, n_cols):
            unknown = [p for p, _c in rel if p not in known]
            if len(unknown) == 1:
                p = unknown[0]
                known[p] = -sum(c * known[q] for q, c in rel if q != p) * next(c for q, c in rel if q == p)
                progress = True
    assert not (hidden & set(known))


def test_the_page_runs_a_fixed_number_of_queries(cast, client_for, registry, django_assert_max_num_queries):
    c = client_for("county_admin_chen")
    c.get(URL)
    with CaptureQueriesContext(connection) as small:
        assert c.get(URL).status_code == 200
    n_small = len(small.captured_queries)
    for s in data.students(cast.class_b1, 60):
        data.register(s, ["hardship_economic", "behaviour"])
    rollup_refresh(actor=None, county=cast.county)
    with django_assert_max_num_queries(n_small):
        assert c.get(URL).status_code == 200


def test_the_page_says_when_nothing_is_computed_yet(cast, client_for):
    page = client_for("counsellor_zhou").get(URL)
    assert page.status_code == 200
    assert "data-not-computed" in page.content.decode()
