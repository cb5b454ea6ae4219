"""Each staff role reaches the pages it works with from its navigation."""

from __future__ import annotations

import pytest
from django.urls import reverse


def _nav(html: str) -> str:
    return html.split('<nav class="mainnav"')[1].split("</nav>")[0]


@pytest.mark.parametrize("persona", ["school_admin_liu", "head_teacher_li", "county_admin_chen"])
def test_staff_reach_the_topic_requests_from_their_navigation(cast, client_for, persona):
    client = client_for(persona)
    url = reverse("questions:topics")
    assert f'href="{url}"' in _nav(client.get("/").content.decode())
    assert client.get(url).status_code == 200


def test_the_subject_teacher_reaches_their_inbox_and_the_events(cast, client_for):
    nav = _nav(client_for("teacher_he").get("/").content.decode())
    assert f'href="{reverse("notices:inbox")}"' in nav and f'href="{reverse("events:list")}"' in nav
