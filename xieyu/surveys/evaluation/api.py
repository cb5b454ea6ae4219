"""The evaluation API (mounted at /api/v1/surveys/evaluation), with the pages' rules: a guardian's own family's
profile and consent; the staff figures of a class or a school, suppressed like the pages (no names, no small cells).
404 alike for missing and not yours."""

from __future__ import annotations

from django.db.models import Q
from ninja import Query, Router, Schema

from xieyu.core.api.errors import also_answers
from xieyu.core.suppression import Cell

from . import access, services
from .figures import Figures, unit_figures
from .profile import family_page

router = Router()


class DimensionOut(Schema):
    code: str
    label: str
    score: float | None
    previous: float | None
    change: float | None
    weak: bool
    advice: str
    links: list[dict[str, str]]


class ProfileOut(Schema):
    student_id: int
    child_name: str
    wave: str | None
    previous_wave: str | None
    total: float | None
    total_change: float | None
    dimensions: list[DimensionOut]
    consent: bool
    open_wave_id: int | None
    answered_open_wave: bool


class ConsentIn(Schema):
    agreed: bool


class ConsentOut(Schema):
    student_id: int
    agreed: bool


class RowOut(Schema):
    label: str
    bands: list[str]
    families: str
    mean: float | None
    change: float | None


class FiguresOut(Schema):
    unit: str
    wave_id: int | None
    wave: str | None
    previous_wave: str | None
    bands: list[str]
    dimensions: list[RowOut]
    breakdown: list[RowOut]


def _profile_out(user, child) -> dict:
    page = family_page(user, child)
    prof = page.profile
    dims = []
    if prof is not None:
        dims = [
            {"code": d.info.code, "label": d.info.label, "score": d.score, "previous": d.previous, "change": d.change,
             "weak": d.weak, "advice": d.info.advice if d.weak else "",
             "links": [{"kind": x.kind, "title": x.title, "url": x.url, "note": x.note} for x in d.links]}
            for d in prof.dimensions
        ]  # fmt: skip
    return {
        "student_id": child.pk, "child_name": child.name,
        "wave": prof.latest.wave.title if prof and prof.latest else None,
        "previous_wave": prof.previous.wave.title if prof and prof.previous else None,
        "total": prof.total if prof else None, "total_change": prof.total_change if prof else None,
        "dimensions": dims, "consent": access.consent_of(child),
        "open_wave_id": page.open_wave.pk if page.open_wave else None, "answered_open_wave": page.answered_open,
    }  # fmt: skip


@router.get("/children/{int:id}/profile", response=ProfileOut, summary="My family's evaluation profile for a child",
            openapi_extra=also_answers(404))  # fmt: skip
def profile(request, id: int):
    return _profile_out(request.auth, access.get_child_for(request.auth, id))


@router.post("/children/{int:id}/consent", response=ConsentOut, openapi_extra=also_answers(404),
             summary="Agree, or no longer agree, to be suggested for the model-family selection")  # fmt: skip
def consent(request, id: int, payload: ConsentIn):
    child = access.get_child_for(request.auth, id)
    done = services.candidate_consent_set(actor=request.auth, student=child, agreed=payload.agreed)
    return {"student_id": child.pk, "agreed": done.agreed}


def _rows(labels, cells: list[list[Cell]], totals: list[Cell], rows) -> list[dict]:
    return [
        {"label": label, "bands": [c.display for c in line], "families": total.display, "mean": row.mean,
         "change": row.change}
        for label, line, total, row in zip(labels, cells, totals, rows, strict=True)
    ]  # fmt: skip


def _figures_out(name: str, wave, figs: Figures | None) -> dict:
    if figs is None:
        return {"unit": name, "wave_id": wave.pk if wave else None, "wave": wave.title if wave else None,
                "previous_wave": None, "bands": [], "dimensions": [], "breakdown": []}  # fmt: skip
    b = figs.breakdown
    return {
        "unit": name, "wave_id": wave.pk, "wave": wave.title,
        "previous_wave": figs.previous.title if figs.previous else None, "bands": figs.table.cols,
        "dimensions": _rows(figs.table.rows, figs.table.cells, figs.table.row_totals, figs.rows),
        "breakdown": _rows(b.rows, b.cells, b.row_totals, figs.breakdown_rows) if b else [],
    }  # fmt: skip


@router.get("/classes/{int:id}/figures", response=FiguresOut, openapi_extra=also_answers(404),
            summary="A class's evaluation figures, small cells suppressed")  # fmt: skip
def class_figures(request, id: int, wave: str | None = Query(None)):
    cls = access.get_class_for(request.auth, id)
    _chosen, found, _waves, figs = unit_figures(cls.school.county_id, Q(school_class=cls), wave)
    return _figures_out(f"{cls.school.name} {cls}", found, figs)


@router.get("/schools/{int:id}/figures", response=FiguresOut, openapi_extra=also_answers(404),
            summary="A school's evaluation figures by class, small cells suppressed")  # fmt: skip
def school_figures(request, id: int, wave: str | None = Query(None)):
    school = access.get_school_for(request.auth, id)
    labels = {c.pk: str(c) for c in school.classes.select_related("grade").order_by("grade__level", "name")}
    _chosen, found, _waves, figs = unit_figures(school.county_id, Q(school=school), wave, by="school_class_id",
                                                labels=labels)  # fmt: skip
    return _figures_out(school.name, found, figs)
