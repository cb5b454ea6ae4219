"""A counsellor opens a case from a registered child's entry (a home visit, a partner's report, a registry review);
the entry then lists the case at each viewer's own level, and a counsellor of another county cannot open one."""

from __future__ import annotations

import pytest

from xieyu.care.models import Case

from . import cases_fixtures as fx
from .registry_helpers import register_liu

neighbours = fx.neighbours

pytestmark = pytest.mark.django_db


def _open(client, entry, **data):
    form = {"entry": entry.pk, "title": "家访发现需跟进", "risk": "medium", "origin": "home_visit",
            "summary": "家访时奶奶说孩子晚上常哭。"}  # fmt: skip
    form.update(data)
    for key in [k for k, v in form.items() if v is None]:
        form.pop(key)
    return client.post("/care/cases/open/", form)


def test_a_counsellor_opens_a_case_from_a_home_visit_on_the_registry_entry(cast, client_for):
    entry = register_liu(cast)
    zhou = client_for("counsellor_zhou")
    page = zhou.get(f"/care/registry/{entry.pk}/").content.decode()
    assert f"/care/cases/open/?entry={entry.pk}" in page
    form = zhou.get(f"/care/cases/open/?entry={entry.pk}").content.decode()
    assert "刘小宇" in form and "家访" in form and 'name="origin"' in form
    response = _open(zhou, entry, supervisor=cast.supervisor_zhong.pk)
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.origin == Case.Origin.HOME_VISIT and case.entry == entry and case.owner == cast.counsellor_zhou
    assert case.question is None


def test_the_entry_lists_the_case_at_each_viewers_level(cast, client_for):
    entry = register_liu(cast)
    _open(client_for("counsellor_zhou"), entry, supervisor=cast.supervisor_zhong.pk, title="留守关爱跟进个案")
    assert "留守关爱跟进个案" in client_for("counsellor_zhou").get(f"/care/registry/{entry.pk}/").content.decode()
    teacher = client_for("head_teacher_li").get(f"/care/registry/{entry.pk}/").content.decode()
    assert "已有个案" in teacher and "留守关爱跟进个案" not in teacher  # a head teacher sees that it exists only
    partner = client_for("partner_wu").get(f"/care/registry/{entry.pk}/").content.decode()
    assert "留守关爱跟进个案" not in partner and 'data-section="cases"' not in partner


def test_an_origin_outside_the_list_changes_nothing(cast, client_for):
    entry = register_liu(cast)
    response = _open(
        client_for("counsellor_zhou"), entry, supervisor=cast.supervisor_zhong.pk, origin="urgent_question"
    )
    assert response.status_code == 422 and "请选择关注的来源" in response.content.decode()
    assert not Case.objects.exists()


@pytest.mark.parametrize("persona", ["counsellor_other_county", "partner_wu", "head_teacher_li", "grandma_zhao"])
def test_only_the_countys_counsellors_open_a_case_from_an_entry(cast, neighbours, client_for, persona):
    entry = register_liu(cast)
    client = client_for(persona)
    assert client.get(f"/care/cases/open/?entry={entry.pk}").status_code == 404
    assert _open(client, entry, supervisor=cast.supervisor_zhong.pk).status_code == 404
    assert not Case.objects.exists()
