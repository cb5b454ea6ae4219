"""The pages the benchmarks measure: each one is the home page of a persona's daily work."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Page:
    name: str
    persona: str  # a key of xieyu.demo.personas.PEOPLE
    url_name: str
    cast_attr: str | None = None  # the cast object whose primary key the URL takes


PAGES = [
    Page("guardian_home", "parent_zhang", "home"),
    Page("head_teacher_roster", "head_teacher_li", "directory:class_roster", "class_a1"),
    Page("school_overview", "school_admin_liu", "directory:school_overview", "school_a"),
]
BASELINE_PATH = "/ping"
