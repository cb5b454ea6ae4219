"""What a first visit on a rural network downloads: pages compressed, stylesheets in the head, no htmx where no
page part uses it."""

import gzip
import re
from pathlib import Path

import pytest
from django.urls import reverse

TEMPLATES = sorted(Path(__file__).resolve().parents[2].glob("*/templates/**/*.html"))


@pytest.mark.django_db
def test_pages_are_gzipped_for_browsers_that_accept_it(client_for):
    client = client_for("parent_zhang")
    plain = client.get("/")
    packed = client.get("/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")

    assert "Content-Encoding" not in plain
    assert packed["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.content).decode().count("</html>") == 1
    assert len(packed.content) < len(plain.content) / 2


@pytest.mark.django_db
def test_downloads_that_are_compressed_already_are_left_alone(client_for, cast):
    xlsx = client_for("school_admin_liu").get(
        reverse("directory:roster_export", args=[cast.school_a.pk]), HTTP_ACCEPT_ENCODING="gzip"
    )
    assert xlsx.status_code == 200
    assert "spreadsheetml" in xlsx["Content-Type"]
    assert "Content-Encoding" not in xlsx


def test_every_page_stylesheet_is_linked_in_the_head_not_in_the_page_body():
    late = []
    for path in TEMPLATES:
        text = path.read_text()
        if not text.startswith("{% extends"):
            continue  # a part included into a page's head block
        for m in re.finditer(r'<link rel="stylesheet"', text):
            before = text[: m.start()]
            if path.name != "base.html" and before.rfind("{% block head %}") <= before.rfind("{% endblock"):
                late.append(path.name)
    assert late == []


@pytest.mark.django_db
def test_the_login_page_loads_no_htmx_and_a_guardians_home_does(client, client_for):
    assert "htmx" not in client.get(reverse("accounts:login")).content.decode()
    assert "htmx" in client_for("parent_zhang").get("/").content.decode()
