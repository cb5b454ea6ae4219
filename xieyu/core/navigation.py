"""Navigation by acting role. Each domain adds its entries here.

An entry is (label, url name) or (label, url name, unit): with a unit ("class", "school", "county") the url takes
the primary key of that unit of the acting membership (a head teacher's join poster is their class's poster).

At 360 px only a few entries fit on one row, so each role names its PRIMARY entries (at most three): they stay
in view, and the others go under a "更多" (more) menu that opens in place. Nothing scrolls off-screen.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

    NavEntry = tuple[StrPromise, str] | tuple[StrPromise, str, str]

NAV: dict[str, list[NavEntry]] = {
    "guardian": [
        (_("My children"), "home"),
        (_("Notices"), "notices:inbox"),
        (_("Events"), "events:list"),
        (_("Learning record"), "parentschool:record"),
        (_("Questions"), "questions:mine"),
        (_("Lesson topics"), "questions:topics"),
        (_("Book a clinic"), "questions:clinic_list"),
        (_("Consents"), "care:consent_list"),
        (_("Parent committee"), "committees:mine"),
        (_("Report a burden problem"), "burden:report_new"),
        (_("Community activities"), "teams:community_activities"),
        (_("Venues"), "venues:list"),
        (_("Talent pool"), "teams:talent_mine"),
        (_("Publicity column"), "publicity:column"),
        (_("New gaokao"), "publicity:gaokao_guide"),
        (_("Typical cases"), "publicity:case_list"),
        (_("Selections"), "awards:campaign_list"),
        (_("My questionnaires"), "surveys:mine"),
        (_("Our family-education profile"), "evaluation:profile"),
    ],
    "head_teacher": [
        (_("My class"), "home"),
        (_("Join poster"), "directory:class_poster", "class"),
        (_("Join requests"), "directory:join_requests"),
        (_("Notices"), "notices:sent_list"),
        (_("Events"), "events:list"),
        (_("Families not reached"), "parentschool:class_reach", "class"),
        (_("Questions"), "questions:queue"),
        (_("Lesson topics"), "questions:topics"),
        (_("Care registry"), "care:registry_list"),
        (_("Asked of me"), "care:case_actions"),
        (_("Class burden"), "burden:class", "class"),
        (_("Home visits"), "burden:visit_plan"),
        (_("Parent committees"), "committees:list"),
        (_("Venue bookings"), "venues:bookings"),
        (_("Publicity column"), "publicity:column"),
        (_("My articles"), "publicity:my_articles"),
        (_("Typical cases"), "publicity:case_list"),
        (_("New gaokao"), "publicity:gaokao_guide"),
        (_("Selections"), "awards:campaign_list"),
        (_("Questionnaires"), "surveys:list"),
        (_("Family-education evaluation"), "evaluation:staff"),
    ],
    "school_admin": [
        (_("My school"), "home"),
        (_("Dashboard"), "dashboard:school", "school"),
        (_("Join requests"), "directory:join_requests"),
        (_("Roster import"), "directory:roster_import"),
        (_("Notices"), "notices:sent_list"),
        (_("Events"), "events:list"),
        (_("Parent school"), "parentschool:school", "school"),
        (_("Questions"), "questions:queue"),
        (_("Questions overview"), "questions:overview"),
        (_("Lesson topics"), "questions:topics"),
        (_("Care registry"), "care:registry_list"),
        (_("Cases"), "care:case_list"),
        (_("Record requests"), "care:rights_requests"),
        (_("Parent committees"), "committees:list"),
        (_("Inquiries"), "committees:inquiry_list"),
        (_("Appraisal"), "committees:appraisal_list"),
        (_("Ethics concerns"), "committees:concern_inbox"),
        (_("Burden watch"), "burden:school", "school"),
        (_("After-school service"), "burden:afterschool"),
        (_("Home visits"), "burden:visit_coverage"),
        (_("Needs"), "teams:need_list"),
        (_("Teams"), "teams:team_list"),
        (_("Service hours"), "teams:hours_sign_list"),
        (_("Talent pool"), "teams:talent_search"),
        (_("Community links"), "teams:exchange_list"),
        (_("Venue bookings"), "venues:bookings"),
        (_("Publicity column"), "publicity:column"),
        (_("Articles to review"), "publicity:review_queue"),
        (_("My articles"), "publicity:my_articles"),
        (_("Typical cases"), "publicity:case_list"),
        (_("Selections"), "awards:campaign_list"),
        (_("Questionnaires"), "surveys:list"),
        (_("Leadership group"), "dashboard:leadership_groups"),
        (_("Work arrangements"), "dashboard:leadership_plans"),
        (_("Resource report"), "dashboard:resources"),
        (_("Family-education evaluation"), "evaluation:staff"),
    ],
    "county_admin": [
        (_("Schools"), "home"),
        (_("Dashboard"), "dashboard:county", "county"),
        (_("Overdue items"), "deadlines:overdue"),
        (_("Notices"), "notices:sent_list"),
        (_("Events"), "events:list"),
        (_("Parent school coverage"), "parentschool:coverage", "county"),
        (_("Questions"), "questions:queue"),
        (_("Questions overview"), "questions:overview"),
        (_("Lesson topics"), "questions:topics"),
        (_("Care registry"), "care:registry_list"),
        (_("Care figures"), "care:figures"),
        (_("Inquiries"), "committees:inquiry_overview"),
        (_("Appraisal"), "committees:appraisal_list"),
        (_("Ethics concerns"), "committees:concern_inbox"),
        (_("Burden watch"), "burden:county", "county"),
        (_("After-school service"), "burden:afterschool_county"),
        (_("Double reduction reports"), "burden:report_inbox"),
        (_("Home visits"), "burden:visit_coverage"),
        (_("Parent committees"), "committees:list"),
        (_("Teams"), "teams:team_list"),
        (_("Needs"), "teams:need_list"),
        (_("Lapsing checks"), "teams:checks_lapsing"),
        (_("Service hours"), "teams:hours_county"),
        (_("Community links"), "teams:exchange_list"),
        (_("Venues"), "venues:list"),
        (_("Lecture tours"), "venues:tour_list"),
        (_("Publicity column"), "publicity:column"),
        (_("Articles to review"), "publicity:review_queue"),
        (_("My articles"), "publicity:my_articles"),
        (_("Typical cases"), "publicity:case_list"),
        (_("Majors and subjects"), "publicity:gaokao_table"),
        (_("Selections"), "awards:campaign_list"),
        (_("Questionnaires"), "surveys:list"),
        (_("Leadership groups"), "dashboard:leadership_groups"),
        (_("Work arrangements"), "dashboard:leadership_plans"),
        (_("Work progress by school"), "dashboard:leadership_progress"),
        (_("Resources by school"), "dashboard:resources"),
        (_("Family-education evaluation"), "evaluation:staff"),
    ],
    "teacher": [
        (_("Home"), "home"),
        (_("Notices"), "notices:inbox"),
        (_("Events"), "events:list"),
        (_("Join a team"), "teams:team_list"),
        (_("Publicity column"), "publicity:column"),
        (_("My articles"), "publicity:my_articles"),
        (_("Typical cases"), "publicity:case_list"),
    ],
    "expert": [
        (_("Home"), "home"),
        (_("Invitations"), "teams:my_invitations"),
        (_("Questions"), "questions:queue"),
        (_("Clinics"), "questions:clinic_mine"),
        (_("My hours"), "teams:my_hours"),
        (_("My teams"), "teams:my_teams"),
        (_("Publicity column"), "publicity:column"),
        (_("My articles"), "publicity:my_articles"),
        (_("Scoring"), "awards:score_queue"),
    ],
    "volunteer": [
        (_("Home"), "home"),
        (_("Invitations"), "teams:my_invitations"),
        (_("My hours"), "teams:my_hours"),
        (_("My teams"), "teams:my_teams"),
        (_("Venues"), "venues:list"),
    ],
    "community_staff": [
        (_("Home"), "home"),
        (_("Activities"), "teams:community_events"),
        (_("Facilities"), "teams:facility_list"),
        (_("Needs"), "teams:need_list"),
        (_("Service hours"), "teams:hours_sign_list"),
        (_("Community links"), "teams:exchange_list"),
    ],
    "venue_contact": [
        (_("Home"), "home"),
        (_("Bookings"), "venues:bookings"),
        (_("My venues"), "venues:my_venues"),
    ],
    "counsellor": [
        (_("Home"), "home"),
        (_("Cases"), "care:case_list"),
        (_("Questions"), "questions:queue"),
        (_("To review"), "care:case_review_list"),
        (_("Care registry"), "care:registry_list"),
        (_("Referrals sent"), "care:referral_sent"),
        (_("Care figures"), "care:figures"),
    ],
    "partner": [
        (_("Home"), "home"),
        (_("Referrals"), "care:referral_inbox"),
        (_("Care registry"), "care:registry_list"),
        (_("Care figures"), "care:figures"),
    ],
}
DEFAULT: list[NavEntry] = [(_("Home"), "home")]
# The entries always in view, by url name; the rest of a role's entries go under "更多".
PRIMARY = {
    "guardian": {"home", "notices:inbox", "events:list"},
    "head_teacher": {"home", "notices:sent_list", "events:list"},
    "school_admin": {"home", "notices:sent_list", "events:list"},
    "county_admin": {"home", "dashboard:county", "deadlines:overdue"},
    "counsellor": {"home", "care:case_list", "questions:queue"},
    "partner": {"home", "care:referral_inbox", "care:registry_list"},
    "expert": {"home", "teams:my_invitations", "questions:queue"},
    "volunteer": {"home", "teams:my_invitations", "teams:my_hours"},
    "community_staff": {"home", "teams:community_events", "teams:facility_list"},
}
UNIT_FIELDS = {"class": "school_class_id", "school": "school_id", "county": "county_id"}


def nav_items(acting) -> list[tuple[StrPromise, str]]:
    return [(label, url) for label, url, _name in _entries(acting)]


def nav_groups(acting) -> tuple[list[tuple[StrPromise, str]], list[tuple[StrPromise, str]]]:
    """(primary, more): the entries always in view and those under "更多", each as (label, url), in NAV's order.

    A role without PRIMARY entries keeps them all in view."""
    role = acting.role if acting else None
    primary_names = PRIMARY.get(role) if role else None
    primary: list[tuple[StrPromise, str]] = []
    more: list[tuple[StrPromise, str]] = []
    for label, url, name in _entries(acting):
        (primary if primary_names is None or name in primary_names else more).append((label, url))
    return primary, more


def _entries(acting) -> tuple[tuple[StrPromise, str, str], ...]:
    """(label, url, url name) of the acting role's entries that resolve."""
    if not acting:
        return _resolved(None, None, None, None)
    membership = getattr(acting, "membership", None)
    return _resolved(acting.role, *(getattr(membership, f, None) for f in UNIT_FIELDS.values()))


@functools.lru_cache(maxsize=4096)
def _resolved(role, class_id, school_id, county_id) -> tuple[tuple[StrPromise, str, str], ...]:
    """The entries of a role for its units, resolved once per process (the URLs never change while it runs)."""
    units = {"class": class_id, "school": school_id, "county": county_id}
    out: list[tuple[StrPromise, str, str]] = []
    for label, name, *unit in NAV.get(role, DEFAULT) if role else DEFAULT:
        args = []
        if unit:
            pk = units[unit[0]]
            if pk is None:
                continue
            args = [pk]
        try:
            out.append((label, reverse(name, args=args), name))
        except NoReverseMatch:
            continue
    return tuple(out)


@receiver(setting_changed)
def _urls_changed(*, setting, **kwargs) -> None:
    if setting == "ROOT_URLCONF":
        _resolved.cache_clear()
