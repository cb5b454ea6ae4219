"""The family-education evaluation's pages: a family's own profile (with its consent to be suggested as a
model-family candidate), the staff figures of a class, a school and the county, the head teacher's private list of
sharp falls, the school admin's candidates and the county admin's choice of instrument.

A family answers the evaluation on the questionnaire engine's answer page; these pages only read the answers.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from xieyu.audit.services import access_record
from xieyu.core.forms import form_errors_text
from xieyu.core.suppression import COMPLEMENT, primary_mark, threshold_default
from xieyu.core.viewhelpers import id_or_404, run_service
from xieyu.notices.messages import messages_read_for

from ..models import Wave
from . import access, services
from .export import figures_xlsx
from .figures import unit_figures
from .forms import InstrumentForm, ResolveForm
from .models import FallSuggestion
from .profile import dimensions_of, family_page


def legend() -> dict[str, str]:
    t = threshold_default()
    return {
        primary_mark(t): _("fewer than %(n)s families") % {"n": t},
        COMPLEMENT: _("hidden so that the small cells cannot be worked out"),
    }


def answer_url(wave: Wave, child) -> str:
    """The engine's answer page for an open wave, for this child, coming back to the child's profile once answered."""
    try:
        page = reverse("surveys:answer", args=[wave.pk])
    except NoReverseMatch:
        return ""
    back = reverse("evaluation:profile") + f"?child={child.pk}"
    return f"{page}?{urlencode({'student': child.pk, 'next': back})}"


# --- the family's profile ----------------------------------------------------------------------------------------


@login_required
def profile(request):
    children = list(access.children_for_profile(request.user))
    if not children:
        raise Http404("no children")
    raw = request.GET.get("child")
    child = access.get_child_for(request.user, id_or_404(raw)) if raw else children[0]
    page = family_page(request.user, child)
    ctx: dict = {"children": children, "child": child, "chosen": page.chosen, "profile": page.profile,
                 "open_wave": page.open_wave, "answered_open": page.answered_open,
                 "answer_url": answer_url(page.open_wave, child) if page.open_wave and not page.answered_open else "",
                 "consent": access.consent_of(child)}  # fmt: skip
    return render(request, "surveys/evaluation/profile.html", ctx)


@login_required
@require_POST
def consent(request):
    child = access.get_child_for(request.user, id_or_404(request.POST.get("child")))
    value = request.POST.get("agreed")
    to = reverse("evaluation:profile") + f"?child={child.pk}"
    if value not in ("1", "0"):
        messages.error(request, _("Choose whether you agree or not."))
        return redirect(to)
    agreed = value == "1"
    done = (_("Thank you: the school may suggest your family for the model-family selection.") if agreed
            else _("Your consent is withdrawn: your family will not be suggested."))  # fmt: skip
    return run_service(request, lambda: services.candidate_consent_set(actor=request.user, student=child,
                                                                       agreed=agreed), done, to)  # fmt: skip


# --- staff figures ----------------------------------------------------------------------------------------------


@login_required
def staff_home(request):
    units = access.figure_units_of(request.user)
    open_count = access.suggestions_visible_to(request.user).filter(status=FallSuggestion.Status.OPEN).count()
    if not units:
        raise Http404("no figures")
    return render(request, "surveys/evaluation/staff_home.html", {"units": units, "open_count": open_count})


def _figures_page(request, *, title: str, county_id: int, unit: Q, by: str = "", labels=None, ctx=None,
                  target=None, unit_head: str = ""):  # fmt: skip
    chosen, wave, waves, figs = unit_figures(county_id, unit, request.GET.get("wave"), by=by, labels=labels)
    if request.GET.get("format") == "xlsx" and figs is not None:
        access_record(actor=request.user, target=target, purpose="evaluation.figures_export", request=request,
                      detail={"wave": wave.pk})  # fmt: skip
        response = HttpResponse(figures_xlsx(title, figs, unit_head or _("Unit")),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")  # fmt: skip
        response["Content-Disposition"] = f'attachment; filename="evaluation-{wave.pk}-{target.pk}.xlsx"'
        return response
    return render(request, "surveys/evaluation/figures.html", {
        "title": title, "chosen": chosen, "wave": wave, "waves": waves, "figs": figs, "legend": legend(),
        **(ctx or {}),
    })  # fmt: skip


@login_required
def class_figures(request, pk):
    cls = access.get_class_for(request.user, pk)
    return _figures_page(request, title=f"{cls.school.name} {cls}", county_id=cls.school.county_id,
                         unit=Q(school_class=cls), ctx={"school_class": cls}, target=cls)  # fmt: skip


@login_required
def school_figures(request, pk):
    school = access.get_school_for(request.user, pk)
    labels = {c.pk: str(c) for c in school.classes.select_related("grade").order_by("grade__level", "name")}
    return _figures_page(request, title=school.name, county_id=school.county_id, unit=Q(school=school),
                         by="school_class_id", labels=labels, ctx={"school": school}, target=school,
                         unit_head=_("Class"))  # fmt: skip


@login_required
def county_figures(request, pk):
    county = access.get_county_for(request.user, pk)
    labels = {s.pk: s.name for s in county.schools.order_by("name", "pk")}
    return _figures_page(request, title=county.name, county_id=county.pk, unit=Q(school__county=county),
                         by="school_id", labels=labels, ctx={"county": county}, target=county,
                         unit_head=_("School"))  # fmt: skip


# --- the head teacher's sharp falls -----------------------------------------------------------------------------


@login_required
def suggestions(request):
    from django.core.paginator import Paginator

    qs = access.suggestions_visible_to(request.user).order_by("status", "-created_at", "-pk")
    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    if page.object_list:
        from xieyu.audit.services import access_bulk

        access_bulk(actor=request.user, targets=[s.student for s in page.object_list], purpose="evaluation.falls",
                    request=request)  # fmt: skip
    return render(request, "surveys/evaluation/suggestions.html", {"page_obj": page})


@login_required
@require_http_methods(["GET", "POST"])
def suggestion(request, pk):
    found = access.get_suggestion_for(request.user, pk)
    link = reverse("evaluation:suggestion", args=[found.pk])
    if request.method == "POST":
        form = ResolveForm(request.POST)
        if not form.is_valid():
            messages.error(request, form_errors_text(form))
            return redirect(link)
        d = form.cleaned_data
        return run_service(request, lambda: services.suggestion_resolve(
            actor=request.user, suggestion=found, outcome=d["outcome"], note=d["note"]),
            _("Saved."), link)  # fmt: skip
    messages_read_for(user=request.user, link=link)
    access_record(actor=request.user, target=found.student, purpose="evaluation.fall", request=request)
    chosen = access.instrument_of(found.student.school.county_id) if found.student.school_id else None
    dims = dimensions_of(access.published_version(chosen.questionnaire_id)) if chosen else []
    rows = [
        (d.label, (found.previous.scores or {}).get(d.code), (found.response.scores or {}).get(d.code)) for d in dims
    ]
    return render(request, "surveys/evaluation/suggestion.html", {
        "s": found, "rows": rows, "form": ResolveForm(initial={"note": found.note}),
    })  # fmt: skip


# --- candidates and the instrument -------------------------------------------------------------------------------


@login_required
def candidates(request, pk):
    school = access.get_admin_school_for(request.user, pk)
    found = access.candidates_for(request.user, school)
    return render(request, "surveys/evaluation/candidates.html", {"school": school, "candidates": found})


@login_required
@require_http_methods(["GET", "POST"])
def instrument(request, pk):
    county = access.get_county_for(request.user, pk)
    choices = list(access.county_questionnaires(request.user, county))
    form = InstrumentForm(request.POST or None, choices=choices)
    to = reverse("evaluation:instrument", args=[county.pk])
    if request.method == "POST":
        if not form.is_valid():
            messages.error(request, form_errors_text(form))
            return redirect(to)
        q = access.get_county_questionnaire_for(request.user, county, form.cleaned_data["questionnaire"])
        return run_service(request, lambda: services.evaluation_instrument_set(actor=request.user, county=county,
                                                                               questionnaire=q),
                           _("The county's family-education evaluation is changed."), to)  # fmt: skip
    chosen = access.instrument_of(county.pk)
    return render(request, "surveys/evaluation/instrument.html", {
        "county": county, "chosen": chosen, "choices": choices, "form": form,
        "install": chosen is None,
    })  # fmt: skip


@login_required
@require_POST
def instrument_install(request, pk):
    county = access.get_county_for(request.user, pk)
    return run_service(request, lambda: services.evaluation_install(actor=request.user, county=county),
                       _("The standard instrument is installed."), reverse("evaluation:instrument", args=[county.pk]))  # fmt: skip
