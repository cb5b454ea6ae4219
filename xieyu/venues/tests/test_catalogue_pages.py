"""The catalogue: guardians and staff of the county see the published venues, searchable by theme, town and type
(a guardian starts at her child's school's town), in a fixed number of queries; the county admin adds venues, a
venue's contact edits hers and not another's; a photo must be a picture; the API answers the same."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from xieyu.venues.catalogue.services import venue_create
from xieyu.venues.models import Venue, VenuePhoto

from .venues_fixtures import fields

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "persona, status",
    [("parent_zhang", 200), ("grandma_zhao", 200), ("head_teacher_wang", 200), ("venue_gu", 200),
     ("volunteer_zeng", 200), ("county_admin_chen", 200), (None, 302)],
)  # fmt: skip
def test_the_venue_page_is_for_the_county(cast, client_for, red_site, persona, status):
    response = client_for(persona).get(reverse("venues:detail", args=[red_site.pk]))
    assert response.status_code == status
    if status == 200:
        assert "全南县革命烈士纪念馆" in response.content.decode()


def test_a_venue_of_another_county_reads_as_missing(cast, client_for, far_venue):
    assert client_for("parent_zhang").get(reverse("venues:detail", args=[far_venue.pk])).status_code == 404
    assert client_for("county_admin_chen").get(reverse("venues:edit", args=[far_venue.pk])).status_code == 404


def test_an_unpublished_venue_is_seen_only_by_those_who_run_it(cast, client_for, red_site):
    Venue.objects.filter(pk=red_site.pk).update(published=False)
    url = reverse("venues:detail", args=[red_site.pk])
    assert client_for("parent_zhang").get(url).status_code == 404
    assert client_for("venue_gu").get(url).status_code == 200
    assert client_for("county_admin_chen").get(url).status_code == 200


def test_search_by_theme_town_and_type(cast, client_for, red_site, round_house):
    client = client_for("county_admin_chen")
    text = client.get(reverse("venues:list"), {"theme": "hakka"}).content.decode()
    assert "雅溪围屋" in text and "全南县革命烈士纪念馆" not in text
    text = client.get(reverse("venues:list"), {"town": cast.towns["城厢镇"].pk}).content.decode()
    assert "全南县革命烈士纪念馆" in text and "雅溪围屋" not in text
    text = client.get(reverse("venues:list"), {"kind": "museum"}).content.decode()
    assert "雅溪围屋" in text and "全南县革命烈士纪念馆" not in text
    assert client.get(reverse("venues:list"), {"town": "abc", "theme": "x"}).status_code == 200


def test_a_guardian_starts_at_her_childs_school_town(cast, client_for, red_site, round_house):
    client = client_for("parent_zhang")  # 张小明 at 城厢小学, 城厢镇
    text = client.get(reverse("venues:list")).content.decode()
    assert "全南县革命烈士纪念馆" in text and "雅溪围屋" not in text
    everywhere = client.get(reverse("venues:list"), {"town": ""}).content.decode()
    assert "雅溪围屋" in everywhere


def _many(cast, n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        f = fields(cast.towns["陂头镇"], name=f"农场{i}", kind="labour", themes=["labour", "ecology"])
        venue_create(actor=None, county=cast.county, fields=f)


@pytest.mark.parametrize("persona", ["parent_zhang", "county_admin_chen"])
def test_the_list_runs_a_fixed_number_of_queries(cast, client_for, django_assert_max_num_queries, persona):
    client = client_for(persona)
    _many(cast, 3)
    client.get(reverse("venues:list"), {"town": ""})
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse("venues:list"), {"town": ""}).status_code == 200
    _many(cast, 25, start=3)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse("venues:list"), {"town": ""})
    assert response.content.decode().count("data-venue=") == 20


def test_the_county_admin_adds_a_venue_and_bad_input_changes_nothing(cast, client_for):
    client = client_for("county_admin_chen")
    form = {"name": "全南县科技馆", "kind": "science", "themes": ["science"], "town": cast.towns["城厢镇"].pk,
            "address": "城厢镇文化路", "slots": ["1:morning", "3:afternoon"], "capacity": 40, "max_group": 40,
            "min_days_ahead": 2, "terms": "free", "contacts": [cast.venue_gu.pk], "published": "on"}  # fmt: skip
    assert client.get(reverse("venues:create")).status_code == 200
    bad = client.post(reverse("venues:create"), {**form, "max_group": 50}, follow=True)
    assert "单批最多人数" in bad.content.decode() and not Venue.objects.exists()
    response = client.post(reverse("venues:create"), form)
    venue = Venue.objects.get(name="全南县科技馆")
    assert response.status_code == 302 and list(venue.contacts.all()) == [cast.venue_gu]
    assert set(venue.slots.values_list("weekday", "part")) == {(1, "morning"), (3, "afternoon")}
    assert client_for("venue_gu").get(reverse("venues:create")).status_code == 404
    assert client_for("school_admin_liu").get(reverse("venues:create")).status_code == 404


def test_a_contact_edits_her_venue_but_not_anothers(cast, client_for, red_site, round_house):
    gu = client_for("venue_gu")
    page = gu.get(reverse("venues:edit", args=[red_site.pk]))
    assert page.status_code == 200 and 'name="contacts"' not in page.content.decode()
    data = {"name": red_site.name, "kind": "patriotic", "themes": ["red"], "town": red_site.town_id,
            "address": "城厢镇烈士路2号", "slots": ["0:morning"], "capacity": 30, "max_group": 30,
            "min_days_ahead": 3, "terms": "free", "published": "on"}  # fmt: skip
    assert gu.post(reverse("venues:edit", args=[red_site.pk]), data).status_code == 302
    red_site.refresh_from_db()
    assert red_site.address == "城厢镇烈士路2号" and list(red_site.contacts.all()) == [cast.venue_gu]
    assert gu.get(reverse("venues:edit", args=[round_house.pk])).status_code == 404
    assert gu.post(reverse("venues:edit", args=[round_house.pk]), data).status_code == 404
    text = gu.get(reverse("venues:my_venues")).content.decode()
    assert "全南县革命烈士纪念馆" in text and "雅溪围屋" not in text
    assert client_for("parent_zhang").get(reverse("venues:my_venues")).status_code == 404


PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82")  # fmt: skip


def test_a_photo_must_be_a_picture(cast, client_for, red_site, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    gu = client_for("venue_gu")
    url = reverse("venues:photo_add", args=[red_site.pk])
    fake = SimpleUploadedFile("纪念馆.jpg", b"%PDF-1.4 not a picture", content_type="image/jpeg")
    text = gu.post(url, {"file": fake}, follow=True).content.decode()
    assert "纪念馆.jpg" in text and not VenuePhoto.objects.exists()
    gu.post(url, {"file": SimpleUploadedFile("门口.png", PNG, content_type="image/png"), "caption": "纪念馆正门"})
    photo = VenuePhoto.objects.get()
    served = client_for("parent_zhang").get(reverse("venues:photo", args=[photo.pk]))
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    assert client_for("parent_zhang").post(reverse("venues:photo_remove", args=[photo.pk])).status_code == 404
    assert client_for("school_admin_liu").post(url, {"file": io.BytesIO(PNG)}).status_code == 404


def test_the_api_lists_and_shows_venues_by_the_same_rules(cast, client_for, red_site, round_house, far_venue):
    body = client_for("parent_zhang").get("/api/v1/venues/", {"theme": "red"}).json()
    assert [v["name"] for v in body["items"]] == ["全南县革命烈士纪念馆"] and body["items"][0]["themes"] == [
        "red",
        "family",
    ]
    body = client_for("parent_zhang").get("/api/v1/venues/", {"town": cast.towns["龙下乡"].pk}).json()
    assert [v["name"] for v in body["items"]] == ["雅溪围屋"]
    detail = client_for("parent_zhang").get(f"/api/v1/venues/{red_site.pk}").json()
    assert detail["max_group"] == 30 and {"weekday": 2, "part": "afternoon"} in detail["slots"]
    assert client_for("parent_zhang").get(f"/api/v1/venues/{far_venue.pk}").status_code == 404
    assert client_for(None).get("/api/v1/venues/").status_code == 401
