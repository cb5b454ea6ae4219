"""Who a wave asks: the families of a class, a school or the county, or an audience a higher app defines.

The surveys app sits below care and parentschool, so it cannot ask them who their families are. They register a hook
here when they load (their AppConfig.ready): a prefix ("parentschool.session", "care.registry") and functions that,
given the rest of the wave's hook ("parentschool.session:12" → "12"), answer

- `members(ident)`: the students (families) in the audience;
- `guardians(ident)`: the guardians in it, when the audience is guardians rather than families (optional: by
  default the confirmed guardians of the members);
- `may_target(user, ident)`: whether this user may ask this audience;
- `label(ident)`: how the audience is named on pages;
- `place(ident)`: the (county id, school id or None) the audience lies in, so waves and results follow the scope;
- `answer_url(ident)`: where the families answer, when the higher app has its own page for it (a session's page);
  notices and reminders link there instead of the engine's answer page (optional).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from xieyu.directory.models import Guardian, Guardianship, Student


@dataclass(frozen=True)
class AudienceHook:
    prefix: str
    members: Callable[[str], QuerySet[Student]]
    may_target: Callable[[Any, str], bool]
    label: Callable[[str], str]
    place: Callable[[str], tuple[int, int | None]]
    guardians: Callable[[str], QuerySet[Guardian]] | None = None
    answer_url: Callable[[str], str] | None = None


HOOKS: dict[str, AudienceHook] = {}

CARERS = "care.registry"  # the prefix care registers for the registry's carers (audience "carers")


def register(
    prefix: str,
    *,
    members: Callable[[str], QuerySet[Student]],
    may_target: Callable[[Any, str], bool],
    label: Callable[[str], str],
    place: Callable[[str], tuple[int, int | None]],
    guardians: Callable[[str], QuerySet[Guardian]] | None = None,
    answer_url: Callable[[str], str] | None = None,
) -> AudienceHook:
    if ":" in prefix:
        raise ValueError("a hook prefix cannot contain ':'")
    hook = AudienceHook(prefix=prefix, members=members, may_target=may_target, label=label, place=place,
                        guardians=guardians, answer_url=answer_url)  # fmt: skip
    HOOKS[prefix] = hook
    return hook


def split(hook: str) -> tuple[AudienceHook | None, str]:
    """The registered hook of "prefix:ident" and its ident (None when nobody registered the prefix)."""
    prefix, _sep, ident = (hook or "").partition(":")
    return HOOKS.get(prefix), ident


def enrolled() -> QuerySet[Student]:
    return Student.objects.filter(status=Student.Status.ENROLLED)


def audience_students(wave) -> QuerySet[Student]:
    """The families (students) a wave asks."""
    from .models import Wave

    if wave.audience == Wave.Audience.SCHOOL_CLASS:
        return enrolled().filter(school_class_id=wave.school_class_id)
    if wave.audience == Wave.Audience.SCHOOL:
        return enrolled().filter(school_id=wave.school_id)
    if wave.audience == Wave.Audience.COUNTY:
        return enrolled().filter(school__county_id=wave.county_id)
    hook, ident = split(wave.hook)
    if hook is None:
        return Student.objects.none()
    return hook.members(ident)


def audience_guardians(wave) -> QuerySet[Guardian]:
    """The guardians a wave asks: the hook's own list, or the confirmed guardians of its families."""
    from .models import Wave

    if wave.audience in (Wave.Audience.CARERS, Wave.Audience.HOOK):
        hook, ident = split(wave.hook)
        if hook is not None and hook.guardians is not None:
            return hook.guardians(ident)
    links = Guardianship.objects.filter(
        status=Guardianship.Status.CONFIRMED, student__in=audience_students(wave).values("pk")
    )
    return Guardian.objects.filter(pk__in=links.values("guardian"))
