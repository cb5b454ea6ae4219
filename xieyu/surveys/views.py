"""The questionnaire engine's pages.

Staff: the questionnaire list, a questionnaire's page (its builder while a draft: sections, questions, skip logic;
publish; new version), opening a wave, a wave's page (figures, per school or class, remind, close, export, change
against an earlier wave). Families: "my questionnaires" and the answer page (one child at a time, sections, skip
logic shown by a small script as the server checks it, consent, "skip this time").

Reads and authorisation through access.py (missing and forbidden answer 404 alike), writes through services.py.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xieyu.core.forms import form_errors_text
from xieyu.core.viewhelpers import error_text, parse_id, run_service, safe_next

from . import access, results, services
from .export import wave_export as export_wave
from .forms import QuestionForm, QuestionnaireForm, SectionForm, WaveForm, question_initial, wave_targets
from .models import Question, Section, Version, Wave

PAGE_SIZE = 20


def _staff(user) -> None:
    if not access.scope_of(user).has(*access.STAFF):
        raise Http404("not staff")


def _detail(q) -> str:
    return reverse("surveys:detail", args=[q.pk])


@login_required
def questionnaire_list(request):
    _staff(request.user)
    qs = access.questionnaires_visible_to(request.user).select_related("school").order_by("-created_at", "-pk")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    waves = (
        access.waves_visible_to(request.user)
        .select_related("questionnaire", "school", "school_class", "school_class__grade")
        .order_by("-opens_at", "-pk")[:10]
    )
    return render(request, "surveys/list.html", {
        "page": page, "waves": waves, "can_create": bool(access.owners_for(request.user)),
    })  # fmt: skip


@login_required
def questionnaire_new(request):
    owners = access.owners_for(request.user)
    if not owners:
        raise Http404("may not create questionnaires")
    form = QuestionnaireForm(request.POST or None, owners=owners)
    if request.method == "POST":
        if form.is_valid():
            kind, _sep, unit = form.cleaned_data["owner"].partition(":")
            unit_id = int(unit)
            school = access.targetable_schools(request.user).filter(pk=unit_id).first() if kind == "school" else None
            try:
                q = services.questionnaire_create(
                    actor=request.user, title=form.cleaned_data["title"],
                    description=form.cleaned_data["description"],
                    respondent_kind=form.cleaned_data["respondent_kind"], school=school,
                    county_id=None if kind == "school" else unit_id,
                )  # fmt: skip
            except (ValidationError, PermissionDenied) as exc:
                messages.error(request, error_text(exc))
            else:
                messages.success(request, _("The questionnaire is created: add its questions, then publish it."))
                return redirect(_detail(q))
        else:
            messages.error(request, form_errors_text(form))
    return render(request, "surveys/new.html", {"form": form})


def _shown_version(questionnaire, versions: list[Version], wanted) -> Version | None:
    if wanted is not None:
        return next((v for v in versions if v.pk == wanted), None)
    draft = next((v for v in versions if v.status == Version.Status.DRAFT), None)
    return draft or (versions[-1] if versions else None)


@login_required
def questionnaire_detail(request, pk):
    q = access.get_questionnaire_for(request.user, pk)
    versions = list(q.versions.order_by("number"))
    version = _shown_version(q, versions, parse_id(request.GET.get("version")))
    sections = list(version.sections.order_by("position")) if version else []
    questions = services.ordered(version, list(version.questions.select_related("section"))) if version else []
    manage = access.may_manage_questionnaire(request.user, q)
    editable = manage and version is not None and version.status == Version.Status.DRAFT
    groups: list[tuple[Section | None, list[Question]]] = [(None, [x for x in questions if x.section_id is None])]
    groups += [(s, [x for x in questions if x.section_id == s.pk]) for s in sections]
    waves = (
        access.waves_visible_to(request.user)
        .filter(questionnaire=q)
        .select_related("school", "school_class", "school_class__grade")
        .order_by("-number")[:20]
    )
    published = any(v.status == Version.Status.PUBLISHED for v in versions)
    return render(request, "surveys/detail.html", {
        "q": q, "versions": versions, "version": version, "groups": groups, "manage": manage, "editable": editable,
        "has_draft": any(v.status == Version.Status.DRAFT for v in versions), "published": published,
        "waves": waves, "section_form": SectionForm(), "numbers": {x.pk: n for n, x in enumerate(questions, 1)},
        "may_open": published and bool(wave_targets(request.user, access)),
    })  # fmt: skip


@login_required
@require_POST
def version_new(request, pk):
    q = access.get_questionnaire_for(request.user, pk, write=True)
    return run_service(request, lambda: services.version_draft(actor=request.user, questionnaire=q,
                       note=request.POST.get("note", "")), _("A new draft version is ready to change."),
                       _detail(q))  # fmt: skip


@login_required
@require_POST
def version_publish(request, pk):
    v = access.get_version_for(request.user, pk, write=True)
    return run_service(request, lambda: services.version_publish(actor=request.user, version=v),
                       _("The questionnaire is published: it can now be sent to families."),
                       _detail(v.questionnaire))  # fmt: skip


@login_required
@require_POST
def section_add(request, pk):
    v = access.get_version_for(request.user, pk, write=True)
    form = SectionForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors_text(form))
        return redirect(_detail(v.questionnaire))
    return run_service(request, lambda: services.section_add(actor=request.user, version=v, **form.cleaned_data),
                       _("The section is added."), _detail(v.questionnaire))  # fmt: skip


@login_required
@require_POST
def section_edit(request, pk):
    s = access.get_section_for(request.user, pk)
    form = SectionForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors_text(form))
        return redirect(_detail(s.version.questionnaire))
    return run_service(request, lambda: services.section_update(actor=request.user, section=s, **form.cleaned_data),
                       _("The section is saved."), _detail(s.version.questionnaire))  # fmt: skip


@login_required
@require_POST
def section_remove(request, pk):
    s = access.get_section_for(request.user, pk)
    return run_service(request, lambda: services.section_remove(actor=request.user, section=s),
                       _("The section is removed; its questions stay."), _detail(s.version.questionnaire))  # fmt: skip


@login_required
@require_POST
def section_move(request, pk):
    s = access.get_section_for(request.user, pk)
    return run_service(request, lambda: services.section_move(actor=request.user, section=s,
                       direction=request.POST.get("direction", "")), _("Moved."),
                       _detail(s.version.questionnaire))  # fmt: skip


def _question_page(request, version, form, question=None):
    return render(request, "surveys/question_form.html", {"version": version, "form": form, "question": question,
                  "q": version.questionnaire})  # fmt: skip


@login_required
def question_add(request, pk):
    v = access.get_version_for(request.user, pk, write=True)
    sections = list(v.sections.order_by("position"))
    form = QuestionForm(request.POST or None, sections=sections, initial={"section": request.GET.get("section", "")})
    if request.method == "POST":
        if form.is_valid():
            fields = form.service_fields()
            try:
                services.question_add(actor=request.user, version=v, **fields)
            except (ValidationError, PermissionDenied) as exc:
                messages.error(request, error_text(exc))
            else:
                messages.success(request, _("The question is added."))
                return redirect(_detail(v.questionnaire))
        else:
            messages.error(request, form_errors_text(form))
    return _question_page(request, v, form)


@login_required
def question_edit(request, pk):
    question = access.get_question_for(request.user, pk)
    v = question.version
    sections = list(v.sections.order_by("position"))
    form = QuestionForm(request.POST or None, sections=sections, initial=question_initial(question))
    if request.method == "POST":
        if form.is_valid():
            try:
                services.question_update(actor=request.user, question=question, **form.service_fields())
            except (ValidationError, PermissionDenied) as exc:
                messages.error(request, error_text(exc))
            else:
                messages.success(request, _("The question is saved."))
                return redirect(_detail(v.questionnaire))
        else:
            messages.error(request, form_errors_text(form))
    return _question_page(request, v, form, question)


@login_required
@require_POST
def question_remove(request, pk):
    question = access.get_question_for(request.user, pk)
    return run_service(request, lambda: services.question_remove(actor=request.user, question=question),
                       _("The question is removed."), _detail(question.version.questionnaire))  # fmt: skip


@login_required
@require_POST
def question_move(request, pk):
    question = access.get_question_for(request.user, pk)
    return run_service(request, lambda: services.question_move(actor=request.user, question=question,
                       direction=request.POST.get("direction", "")), _("Moved."),
                       _detail(question.version.questionnaire))  # fmt: skip


# --- waves --------------------------------------------------------------------------------------------------------


def _audience_of(user, target: str) -> dict:
    kind, _sep, rest = target.partition(":")
    if kind == "county":
        return {"audience": Wave.Audience.COUNTY}
    if kind == "school":
        school = access.targetable_schools(user).filter(pk=parse_id(rest) or 0).first()
        return {"audience": Wave.Audience.SCHOOL, "school": school}
    if kind == "class":
        school_class = access.targetable_classes(user).filter(pk=parse_id(rest) or 0).first()
        return {"audience": Wave.Audience.SCHOOL_CLASS, "school_class": school_class}
    if kind == "carers":
        return {"audience": Wave.Audience.CARERS, "hook": rest}
    return {"audience": ""}


@login_required
def wave_new(request, pk):
    q = access.get_questionnaire_for(request.user, pk)
    targets = wave_targets(request.user, access)
    if not targets:
        raise Http404("no audience to ask")
    form = WaveForm(request.POST or None, targets=targets)
    if request.method == "POST":
        if form.is_valid():
            opens, closes = form.times()
            try:
                wave = services.wave_open(actor=request.user, questionnaire=q, title=form.cleaned_data["title"],
                                          opens_at=opens, closes_at=closes,
                                          **_audience_of(request.user, form.cleaned_data["target"]))  # fmt: skip
            except (ValidationError, PermissionDenied) as exc:
                messages.error(request, error_text(exc))
            else:
                messages.success(request, _("The wave is open: the families asked have been sent a notice."))
                return redirect(reverse("surveys:wave", args=[wave.pk]))
        else:
            messages.error(request, form_errors_text(form))
    return render(request, "surveys/wave_new.html", {"q": q, "form": form})


def _items(table) -> list[tuple[str, object]]:
    """A one-row suppressed table as (label, cell) pairs."""
    return list(zip(table.cols, table.cells[0], strict=True))


@login_required
def wave_detail(request, pk):
    wave = access.get_wave_for(request.user, pk)
    figures = results.wave_figures(request.user, wave)
    by = "class" if request.GET.get("by") == "class" else "school"
    units = results.unit_counts(request.user, wave, by=by)
    earlier = (
        access.waves_visible_to(request.user)
        .filter(questionnaire=wave.questionnaire_id, number__lt=wave.number)
        .order_by("-number")
    )
    for f in figures.questions:
        f.pairs = _items(f.table) if f.table else []  # type: ignore[attr-defined]
    unit_rows = [*zip(units.rows, units.cells, units.row_totals, strict=True)]
    if len(units.rows) > 1:
        unit_rows.append((_("Total"), units.col_totals, units.grand_total))
    return render(request, "surveys/wave.html", {
        "wave": wave, "figures": figures, "units": units, "by": by, "earlier": list(earlier[:20]),
        "status_items": [*_items(figures.status), (_("Total"), figures.status.grand_total)], "unit_rows": unit_rows,
        "manage": access.may_manage_wave(request.user, wave), "names": access.names_allowed_for(request.user).any,
        "is_open": wave.is_open(),
    })  # fmt: skip


@login_required
@require_POST
def wave_remind(request, pk):
    wave = access.get_wave_for(request.user, pk, write=True)
    to = reverse("surveys:wave", args=[wave.pk])
    try:
        n = services.wave_remind(actor=request.user, wave=wave)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("%(n)s families who have not answered were reminded.") % {"n": n})
    return redirect(to)


@login_required
@require_POST
def wave_close(request, pk):
    wave = access.get_wave_for(request.user, pk, write=True)
    return run_service(request, lambda: services.wave_close(actor=request.user, wave=wave),
                       _("The wave is closed: no more answers are taken."),
                       reverse("surveys:wave", args=[wave.pk]))  # fmt: skip


@login_required
def wave_export(request, pk, fmt):
    wave = access.get_wave_for(request.user, pk)
    if fmt not in ("xlsx", "csv"):
        raise Http404("unknown format")
    try:
        content, ctype, name = export_wave(actor=request.user, wave=wave, fmt=fmt,
                                           with_names=request.GET.get("names") == "1")  # fmt: skip
    except PermissionDenied as exc:
        messages.error(request, error_text(exc))
        return redirect(reverse("surveys:wave", args=[wave.pk]))
    response = HttpResponse(content, content_type=ctype)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def wave_compare(request, pk):
    wave = access.get_wave_for(request.user, pk)
    other_id = parse_id(request.GET.get("with"))
    other = access.waves_visible_to(request.user).filter(pk=other_id or 0, questionnaire=wave.questionnaire_id).first()
    if other is None or other.pk == wave.pk:
        raise Http404("no wave to compare with")
    earlier, later = (other, wave) if other.number < wave.number else (wave, other)
    change = results.change_between(request.user, earlier, later)
    class_rows = [
        (label, deltas, cell) for (label, deltas), cell in zip(change.by_class, change.pairs.cells[0], strict=False)
    ]
    return render(request, "surveys/compare.html", {"wave": wave, "change": change, "class_rows": class_rows})


# --- families --------------------------------------------------------------------------------------------------------


@login_required
def my_surveys(request):
    if access.guardian_of(request.user) is None:
        raise Http404("not a guardian")
    invitations = access.invitations_for(request.user)
    return render(request, "surveys/mine.html", {"invitations": invitations})


def _raw_answers(request, questions: list[Question]) -> dict:
    out: dict = {}
    for q in questions:
        name = f"q_{q.code}"
        if q.kind == Question.Kind.MULTIPLE:
            values = request.POST.getlist(name)
            if values:
                out[q.code] = values
        elif name in request.POST:
            out[q.code] = request.POST.get(name, "")
    return out


@login_required
def answer(request, pk):
    student_id = parse_id(request.POST.get("student") or request.GET.get("student"))
    invitation = access.get_invitation_for(request.user, pk, student_id)
    wave = invitation.wave
    children = access.children_asked(request.user, wave)
    questions = services.ordered(wave.version, list(wave.version.questions.all()))
    sections = {s.pk: s for s in wave.version.sections.order_by("position")}
    errors: dict[str, list[str]] = {}
    given: dict = {}
    if invitation.response is not None and invitation.response.status == "submitted":
        for a in invitation.response.answers.select_related("question"):
            code = a.question.code
            if a.choices:
                given[code] = a.choices
            elif a.number is not None:
                given[code] = f"{a.number.normalize():f}"
            elif a.date:
                given[code] = a.date.isoformat()
            else:
                given[code] = a.text
    if request.method == "POST":
        given = _raw_answers(request, questions)
        try:
            services.response_submit(actor=request.user, wave=wave, student=invitation.student, answers=given,
                                     consent=request.POST.get("consent") == "1")  # fmt: skip
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
            messages.error(request, _("Some answers need attention: see the marked questions."))
        else:
            messages.success(request, _("Thank you: your answers are saved."))
            return redirect(safe_next(request, reverse("surveys:mine")))
    blocks: list[tuple] = []
    current = object()
    for n, q in enumerate(questions, start=1):
        section = sections.get(q.section_id) if q.section_id else None
        if section is not current:
            blocks.append((section, []))
            current = section
        value = given.get(q.code)
        chosen = value if isinstance(value, list) else ([value] if value not in (None, "") else [])
        blocks[-1][1].append({
            "q": q, "n": n, "name": f"q_{q.code}", "value": value if isinstance(value, str) else "",
            "chosen": [str(c) for c in chosen], "errors": errors.get(q.code, []),
            "points": services.option_values(q) if q.kind == Question.Kind.SCALE else [],
            "labels": {str(o.get("value")): o.get("label") for o in q.options or []},
        })  # fmt: skip
    return render(request, "surveys/answer.html", {
        "wave": wave, "invitation": invitation, "children": children, "blocks": blocks,
        "general_errors": errors.get("__all__", []) + errors.get("consent", []), "is_open": wave.is_open(),
        "next": safe_next(request, ""),
    })  # fmt: skip


@login_required
@require_POST
def skip(request, pk):
    student_id = parse_id(request.POST.get("student"))
    invitation = access.get_invitation_for(request.user, pk, student_id)
    return run_service(request, lambda: services.response_skip(actor=request.user, wave=invitation.wave,
                       student=invitation.student), _("Noted: you skip this wave. You may still answer while it is open."),
                       reverse("surveys:mine"))  # fmt: skip
