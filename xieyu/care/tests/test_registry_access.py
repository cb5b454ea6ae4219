"""Who sees which registry page: the access matrix of the cast, and field-by-field rights for partners."""

from __future__ import annotations

import pytest

from xieyu.audit.models import AccessEvent
from xieyu.care.models import RegistryCategory, RegistryChange, RegistryEntry
from xieyu.care.registry import access

from .registry_helpers import other_county_partner, propose_liu, register_liu

SEES = ["head_teacher_li", "school_admin_liu", "county_admin_chen", "counsellor_zhou", "supervisor_zhong",
        "partner_wu", "partner_luo"]  # fmt: skip
NEIGHBOURS = ["head_teacher_wang", "school_admin_wang", "grandma_zhao", "parent_zhang", "parent_sun", "teacher_he",
              "volunteer_zeng", "expert_huang", "other_partner"]  # fmt: skip


@pytest.fixture
def client_as(cast, client_for):
    other = other_county_partner()

    def make(persona):
        if persona == "other_partner":
            from django.test import Client

            c = Client()
            c.force_login(other, backend="django.contrib.auth.backends.ModelBackend")
            return c
        return client_for(persona)

    return make


@pytest.mark.parametrize("persona", SEES)
def test_the_registered_child_is_seen_by_those_responsible_and_each_read_is_logged(cast, client_as, persona):
    entry = register_liu(cast)
    r = client_as(persona).get(f"/care/registry/{entry.pk}/")
    assert r.status_code == 200
    page = r.content.decode()
    assert "刘小宇" in page and "赵秀英" in page and 'href="tel:13800000032"' in page
    event = AccessEvent.objects.filter(actor=getattr(cast, persona)).latest("pk")
    assert event.purpose == "care.registry" and "carer" in event.detail["sections"]


@pytest.mark.parametrize("persona", NEIGHBOURS)
def test_neighbours_get_404_on_every_registry_page(cast, client_as, persona):
    entry = register_liu(cast)
    c = client_as(persona)
    for url in ("", "edit/", "review/", "survey/"):
        assert c.get(f"/care/registry/{entry.pk}/{url}").status_code == 404, url
    for url in ("confirm/", "decline/", "remove/"):
        assert c.post(f"/care/registry/{entry.pk}/{url}", {"reason": "试试看"}).status_code == 404, url
    assert (
        c.post(f"/care/registry/{entry.pk}/edit/", {"action": "facts", "carer_name": "x", "reason": "改"}).status_code
        == 404
    )
    assert RegistryEntry.objects.get(pk=entry.pk).state == RegistryEntry.State.CONFIRMED
    assert RegistryEntry.objects.get(pk=entry.pk).carer_name == "赵秀英"


@pytest.mark.parametrize("persona", ["grandma_zhao", "parent_zhang", "teacher_he", "volunteer_zeng"])
def test_the_list_is_not_for_families_or_outsiders(cast, client_as, persona):
    register_liu(cast)
    assert client_as(persona).get("/care/registry/").status_code == 404


def test_the_other_county_partner_sees_nothing_in_this_county(cast, client_as):
    register_liu(cast)
    r = client_as("other_partner").get("/care/registry/")
    assert r.status_code == 200 and "data-entry=" not in r.content.decode()
    assert client_as("partner_wu").get("/care/registry/").content.decode().count("data-entry=") == 1


def test_anonymous_is_sent_to_login(cast, client_for):
    entry = register_liu(cast)
    for url in ("/care/registry/", f"/care/registry/{entry.pk}/", "/care/registry/propose/",
                f"/care/registry/{entry.pk}/edit/", f"/care/registry/{entry.pk}/review/"):  # fmt: skip
        r = client_for(None).get(url)
        assert r.status_code == 302 and "/login/" in r["Location"], url


def test_a_proposal_is_not_shown_to_partners_until_the_school_confirms_it(cast, client_for):
    entry = propose_liu(cast)
    assert client_for("partner_wu").get(f"/care/registry/{entry.pk}/").status_code == 404
    assert client_for("head_teacher_li").get(f"/care/registry/{entry.pk}/").status_code == 200
    assert client_for("school_admin_liu").get(f"/care/registry/{entry.pk}/").status_code == 200


def test_only_the_school_admin_confirms(cast, client_for):
    entry = propose_liu(cast)
    for persona in ("head_teacher_li", "county_admin_chen", "partner_wu", "school_admin_wang"):
        assert client_for(persona).post(f"/care/registry/{entry.pk}/confirm/").status_code == 404, persona
    assert RegistryEntry.objects.get(pk=entry.pk).state == RegistryEntry.State.PROPOSED
    r = client_for("school_admin_liu").post(f"/care/registry/{entry.pk}/confirm/", follow=True)
    assert RegistryEntry.objects.get(pk=entry.pk).state == RegistryEntry.State.CONFIRMED
    assert "已登记" in r.content.decode()


def test_a_head_teacher_cannot_propose_a_pupil_of_another_class_or_school(cast, client_for):
    li = client_for("head_teacher_li")
    for key in ("sun_hao", "chen_yu"):  # 全南二中; 三年级2班 of her own school
        pk = cast.students[key].pk
        assert li.get(f"/care/registry/propose/?student={pk}").status_code == 404
        body = {"student": pk, "category": "left_behind_one", "source": "head_teacher"}
        assert li.post("/care/registry/propose/", body).status_code == 404
    assert not RegistryEntry.objects.exists()
    # The school admin may propose any pupil of her school.
    assert (
        client_for("school_admin_liu").get(f"/care/registry/propose/?student={cast.students['chen_yu'].pk}").status_code
        == 200
    )
    assert (
        client_for("school_admin_wang")
        .get(f"/care/registry/propose/?student={cast.students['chen_yu'].pk}")
        .status_code
        == 404
    )


def test_a_womens_federation_partner_may_add_a_carer_fact_but_not_a_civil_affairs_category(cast, client_for):
    entry = register_liu(cast)
    wu = client_for("partner_wu")
    page = wu.get(f"/care/registry/{entry.pk}/edit/").content.decode()
    assert 'name="carer_phone"' in page and 'value="hardship_economic"' not in page and 'name="village"' not in page
    r = wu.post(f"/care/registry/{entry.pk}/edit/",
                {"action": "facts", "carer_name": "赵秀英", "carer_relationship": "奶奶", "carer_type": "grandparent",
                 "carer_phone": "13800000099", "carer_source": "women_federation", "reason": "入户核实,奶奶换了手机号"})  # fmt: skip
    assert r.status_code == 302
    entry.refresh_from_db()
    assert entry.carer_phone == "13800000099"
    change = RegistryChange.objects.filter(entry=entry, action="update").get()
    assert change.reason == "入户核实,奶奶换了手机号" and change.actor_role == "partner"
    assert change.changes["carer_phone"] == ["13800000032", "13800000099"]

    r = wu.post(f"/care/registry/{entry.pk}/edit/",
                {"action": "category_add", "category": "hardship_economic", "source": "women_federation"})  # fmt: skip
    assert r.status_code == 422 and "类别" in r.content.decode()
    assert not RegistryCategory.objects.filter(entry=entry, category="hardship_economic").exists()
    # 妇联 may add what it knows: a divorced or single-parent family.
    r = wu.post(f"/care/registry/{entry.pk}/edit/",
                {"action": "category_add", "category": "divorced_single", "source": "women_federation"})  # fmt: skip
    assert r.status_code == 302


def test_a_civil_affairs_partner_may_add_hardship_but_not_change_the_carer(cast, client_for):
    entry = register_liu(cast)
    luo = client_for("partner_luo")
    r = luo.post(f"/care/registry/{entry.pk}/edit/",
                 {"action": "facts", "carer_name": "别人", "carer_phone": "13800000099", "reason": "试试"})  # fmt: skip
    assert r.status_code == 422
    entry.refresh_from_db()
    assert entry.carer_name == "赵秀英"
    r = luo.post(f"/care/registry/{entry.pk}/edit/",
                 {"action": "category_add", "category": "hardship_economic", "source": "civil_affairs",
                  "detail": "低保户"})  # fmt: skip
    assert r.status_code == 302
    assert RegistryCategory.objects.filter(entry=entry, category="hardship_economic", source="civil_affairs").exists()
    assert luo.get(f"/care/registry/{entry.pk}/survey/").status_code == 404


def test_field_rights_are_data(cast):
    entry = access.get_entry_for(cast.partner_wu, register_liu(cast).pk)
    assert access.may_edit(cast.partner_wu, entry, "carer")
    assert access.may_edit(cast.partner_wu, entry, "left_behind_one")
    assert not access.may_edit(cast.partner_wu, entry, "hardship_economic")
    assert access.may_edit(cast.partner_luo, entry, "orphan") and not access.may_edit(cast.partner_luo, entry, "carer")
    assert access.may_edit(cast.head_teacher_li, entry, "hardship_economic")
    assert not access.may_edit(cast.county_admin_chen, entry, "carer")


def test_a_child_who_changes_school_takes_the_registry_entry_and_the_case_along(cast, client_for):
    from xieyu.care.models import Case, RegistryEntry
    from xieyu.directory.services import student_transfer

    from .cases_fixtures import open_case
    from .registry_helpers import register_liu

    entry = register_liu(cast)
    case = open_case(cast)
    student_transfer(actor=cast.school_admin_liu, student=cast.students["liu_xiaoyu"], to_class=cast.class_b1)

    entry, case = RegistryEntry.objects.get(pk=entry.pk), Case.objects.get(pk=case.pk)
    assert entry.school == cast.school_b and case.school == cast.school_b
    assert client_for("school_admin_liu").get(f"/care/registry/{entry.pk}/").status_code == 404  # the old school
    assert client_for("school_admin_wang").get(f"/care/registry/{entry.pk}/").status_code == 200  # the new one
    assert client_for("school_admin_liu").get(f"/care/cases/{case.pk}/").status_code == 404
    assert client_for("school_admin_wang").get(f"/care/cases/{case.pk}/").status_code == 200
