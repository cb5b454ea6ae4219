"""The pages a family and their school use most, on a 360 px phone, in both modes: axe-core finds no serious or
critical violation, and in care mode (关怀版) every text, target and control measures up to the MIIT 适老化 guidance
(the limits are in a11y.py). One logged-in browser context per persona walks all of its pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from .a11y import audit_care, run_axe

pytestmark = [pytest.mark.browser, pytest.mark.once, pytest.mark.django_db(transaction=True)]


def pages_by_persona(scene) -> dict[str | None, list[tuple[str, str]]]:
    cast = scene.cast
    return {
        None: [("login", "/login/")],
        "grandma_zhao": [
            ("guardian home", "/"),
            ("inbox", "/notices/"),
            ("notice", f"/notices/{scene.notice.pk}/"),
            ("event", f"/events/{scene.event.pk}/"),
            ("ask a question", "/questions/ask/"),
            ("question", f"/questions/{scene.question.pk}/"),
            ("topics", "/questions/topics/"),
            ("clinics", "/questions/clinics/"),
            ("article", f"/questions/kb/{scene.article.pk}/"),
            ("parent committee", reverse("committees:mine")),
            ("committee", reverse("committees:detail", args=[scene.committee.pk])),
            ("inquiries", reverse("committees:inquiry_list")),
            ("one-minute diary", reverse("burden:diary_today")),
            ("report a burden problem", reverse("burden:report_new")),
            ("teacher-ethics concern", reverse("committees:concern_new")),
            ("venues", reverse("venues:list")),
            ("community activities", reverse("teams:community_activities")),
            ("talent pool offer", reverse("teams:talent_mine")),
        ],
        "volunteer_zeng": [
            ("member home", "/"),
            ("invitations", reverse("teams:my_invitations")),
            ("my hours", reverse("teams:my_hours")),
            ("my teams", reverse("teams:my_teams")),
        ],
        "head_teacher_li": [
            ("roster (head teacher home)", "/"),
            ("compose a notice", "/notices/new/"),
            ("receipts", f"/notices/{scene.notice.pk}/receipts/"),
            ("class burden", reverse("burden:class", args=[cast.class_a1.pk])),
            ("home-visit plan", reverse("burden:visit_plan")),
        ],
        "county_admin_chen": [
            ("county admin home", "/"),
            ("county burden", reverse("burden:county", args=[cast.county.pk])),
            ("inquiries overview", reverse("committees:inquiry_overview")),
            ("teams (coordinator)", reverse("teams:team_list")),
            ("needs", reverse("teams:need_list")),
            ("lecture tours", reverse("venues:tour_list")),
        ],
    }


def walk(phone, scene, *, care: bool):
    """Yield (label, page) for every page, one logged-in phone per persona, in the mode asked for."""
    for persona, pages in pages_by_persona(scene).items():
        page = phone(persona, care=care)
        for label, url in pages:
            response = page.goto(url)
            assert response.status == 200 and page.url.endswith(url), f"{label} {url}: {response.status} {page.url}"
            assert ("care" in (page.get_attribute("body", "class") or "").split()) == care, label
            yield label, page
        page.context.close()


def _axe_report(found: dict[str, list[dict]]) -> list[str]:
    lines = []
    for label, violations in found.items():
        for v in violations:
            lines.append(f"{label}: axe [{v['impact']}] {v['id']} — {v['help']}")
            lines += [f"    {n['target']}  {n['html']}  {n['summary']}" for n in v["nodes"][:6]]
    return lines


def _axe(label, page, found):
    violations = run_axe(page)
    if violations:
        found[label] = violations
    return sum(len(v["nodes"]) for v in violations)


def test_the_standard_view_has_no_serious_axe_violation(phone, scene):
    found = {}
    for label, page in walk(phone, scene, care=False):
        print(f"axe standard {label}: {_axe(label, page, found)} nodes")
    assert not found, "axe-core, serious and critical, standard view:\n" + "\n".join(_axe_report(found))


def test_care_mode_has_no_serious_axe_violation_and_keeps_its_promise(phone, scene):
    """axe-core finds nothing serious, and every text is ≥ 18 px and ≥ 1.25 × its size in the standard view, line
    height ≥ 1.3, contrast ≥ 7:1, targets ≥ 48 px, main controls ≥ 60 px tall, no sideways scrolling at 360 px."""
    found, problems = {}, []
    worst = {"smallest_font": [], "lowest_contrast": [], "smallest_target": [], "lowest_line_height": []}
    for label, page in walk(phone, scene, care=True):
        nodes = _axe(label, page, found)
        measured = audit_care(page)
        print(f"axe care {label}: {nodes} nodes; " + ", ".join(f"{k} {measured[k]}" for k in worst))
        for key in worst:
            if measured[key]:
                worst[key].append((measured[key][0], label, measured[key][1]))
        for key, what in (("font", "text under 18 px"), ("ratio", "text under 1.25 × the standard view"),
                          ("line_height", "line height under 1.3"), ("contrast", "contrast under 7:1"),
                          ("target", "target under 48×48 px"), ("main_control", "main control under 60 px tall")):  # fmt: skip
            problems += [f"{label}: {what}: {item}" for item in measured[key]]
        if measured["width"] > 360:
            problems.append(f"{label}: the page is {measured['width']} px wide: it scrolls sideways at 360 px")
    for key, rows in worst.items():
        print(f"care {key}: {min(rows) if rows else None}")
    report = _axe_report(found) + problems
    assert not report, f"care mode: {len(found)} pages with axe violations, {len(problems)} measured problems:\n" + (
        "\n".join(report)
    )
