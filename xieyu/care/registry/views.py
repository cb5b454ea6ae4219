"""Registry pages (建档立卡): the list with its filters and the head teacher's suggestions, one entry with every
fact's source and date and its history, proposing, confirming, declining and removing, changing facts, the review
and the carer survey.

Every read and authorisation goes through access.py (missing and forbidden both answer 404), every write through
services.py; every read of an entry is logged with the sections shown.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xieyu.accounts.models import Role, mask_phone
from xieyu.audit.services import access_record
from xieyu.core.viewhelpers import error_text, parse_id
from xieyu.directory.models import Relationship

from ..cases.access import cases_of_entry_for, counties_counselled, may_open_cases
from . import access, services
from .access import ABSENT_PARENTS, CARER, PLACE, SURVEY
from .forms import (
    AbsentParentForm,
    CategoryAddForm,
    FactsForm,
    FilterForm,
    NoteForm,
    ProposeForm,
    ReasonForm,
    ReviewForm,
    SurveyForm,
)
from .models import LEFT_BEHIND, Category, RegistryEntry, Source

PAGE_SIZE = 20
DETAIL_SECTIONS = ["categories", "carer", "absent_parents", "place", "history", "reviews", "surveys"]


def _form_errors(form) -> str:
    return " ".join(e for errs in form.errors.values() for e in errs)


def _detail_url(entry) -> str:
    return reverse("care:registry_detail", args=[entry.pk])


def _action_labels() -> dict[str, str]:
    return {
        "propose": _("proposed"), "confirm": _("confirmed"), "decline": _("declined"), "update": _("facts changed"),
        "category_add": _("category added"), "category_end": _("category ended"),
        "absent_parent": _("absent parent recorded"), "remove": _("removed"), "review": _("review recorded"),
        "survey": _("carer survey recorded"),
    }  # fmt: skip


def _field_label(name: str) -> str:
    """The Chinese name of a changed field (an absent parent's field as "father.phone")."""
    from .models import AbsentParent

    who, _dot, field = name.rpartition(".")
    model = AbsentParent if who else RegistryEntry
    try:
        label = str(getattr(model._meta.get_field(field), "verbose_name", field))
    except FieldDoesNotExist:
        label = {"categories": _("categories"), "category": _("category"), "survey": _("carer survey")}.get(
            field, field
        )
    if who in AbsentParent.Who.values:
        label = f"{AbsentParent.Who(who).label} · {label}"
    return label


def _value_label(value):
    if isinstance(value, list):
        return "、".join(str(_value_label(v)) for v in value)
    if isinstance(value, str):
        for choices in (Category, RegistryEntry.State, Source):
            if value in choices.values:
                return choices(value).label
    return value


def _role_label(value: str) -> str:
    return str(Role(value).label) if value in Role.values else ""


@login_required
def registry_list(request):
    """The registry the user may read: filters (state, category, school, review overdue), search by name, 20 a
    page; for a head teacher, the pupils of their classes the roster says may be left behind, one tap from a
    proposal. Phones are masked here."""
    user = request.user
    if not access.uses_registry(user):
        raise Http404("no registry")
    states = RegistryEntry.State.choices if access.sees_proposals(user) else []
    schools = list(access.registry_schools_for(user))
    form = FilterForm(request.GET or None, states=states, schools=[(s.pk, s.name) for s in schools])
    f = form.values()
    today = timezone.localdate()
    entries = access.entries_listed_for(user, today=today, **f)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    for e in page.object_list:
        e.carer_phone_masked = mask_phone(e.carer_phone)
        e.review_overdue = e.state == RegistryEntry.State.CONFIRMED and e.next_review_on and e.next_review_on < today
    suggestions = access.suggestions_for(user) if page.number == 1 and not any(f.values()) else []
    return render(
        request,
        "care/registry/list.html",
        {
            "page": page, "form": form, "suggestions": suggestions, "may_propose": access.may_propose(user),
            "filtered": any(f.values()),
        },
    )  # fmt: skip


@login_required
def registry_detail(request, pk):
    """One entry: every fact with its source and date, the absent parents, the reviews, the surveys and the
    history (who, in which role, when, why). The read is logged with the sections shown."""
    user = request.user
    entry = access.get_entry_for(user, pk)
    access_record(actor=user, target=entry, purpose="care.registry", request=request,
                  detail={"sections": DETAIL_SECTIONS})  # fmt: skip
    history = access.entry_history(entry)
    labels = _action_labels()
    for change in history:
        change.role_label = _role_label(change.actor_role)  # type: ignore[attr-defined]
        change.action_label = labels.get(change.action, change.action)  # type: ignore[attr-defined]
        change.change_list = [  # type: ignore[attr-defined]
            (_field_label(k), _value_label(v[0]), _value_label(v[1])) for k, v in (change.changes or {}).items()
        ]
    reviews = access.entry_reviews(entry)
    today = timezone.localdate()
    for r in reviews:
        r.overdue = r.done_at is None and r.due_on < today  # type: ignore[attr-defined]
    parts = access.editable_parts(user, entry)
    return render(
        request,
        "care/registry/detail.html",
        {
            "entry": entry, "categories": access.entry_categories(entry),
            "absent_parents": access.entry_absent_parents(entry), "history": history, "reviews": reviews,
            "surveys": access.entry_surveys(entry), "may_edit": bool(parts - {SURVEY}),
            "may_survey": SURVEY in parts, "may_decide": access.may_decide(user, entry),
            "may_remove": access.may_remove(user, entry), "may_review": access.may_review(user, entry),
            "reason_form": ReasonForm(), "note_form": NoteForm(),
            "cases": cases_of_entry_for(user, entry),
            "may_open_case": may_open_cases(user) and entry.county_id in counties_counselled(user),
        },
    )  # fmt: skip


def _roster_prefill(student, actor_is_head_teacher: bool) -> tuple[dict, list[dict]]:
    facts = access.roster_facts_of(student)
    carer = facts["carer"]
    source = Source.HEAD_TEACHER if actor_is_head_teacher else Source.SCHOOL_SURVEY
    initial: dict = {}
    if carer is not None:
        initial = {
            "carer_name": carer.guardian.name,
            "carer_relationship": carer.get_relationship_display(),
            "carer_phone": carer.guardian.phone or "",
            "carer_type": "grandparent" if "grand" in carer.relationship else "parent"
            if carer.relationship in (Relationship.FATHER, Relationship.MOTHER) else "relative",
        }  # fmt: skip
    away = [
        {"who": g.relationship, "name": g.guardian.name, "phone": g.guardian.phone or "", "source": source}
        for g in facts["away"]
    ]
    if away:
        initial["category"] = Category.LEFT_BEHIND_BOTH if len(away) >= 2 else Category.LEFT_BEHIND_ONE
        initial["source"] = source
    return initial, away


@login_required
def registry_propose(request):
    """Propose a pupil for the registry (head teachers of the class, school admins of the school). Without a pupil
    chosen, a search among the pupils the user may propose; with one, the form pre-filled from the roster (the
    carer who lives with the child, and the left-behind category when the roster shows parents away)."""
    user = request.user
    if not access.may_propose(user):
        raise Http404("may not propose")
    student_id = parse_id(request.POST.get("student") or request.GET.get("student"))
    if student_id is None:
        q = (request.GET.get("q") or "").strip()[:50]
        candidates = access.students_proposable_by(user).filter(care_entry__isnull=True)
        if q:
            candidates = candidates.filter(name__icontains=q)
        page = Paginator(candidates.order_by("school_class_id", "name", "pk"), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        return render(request, "care/registry/propose_pick.html", {"page": page, "q": q})
    student = access.get_student_to_propose(user, student_id)
    is_head_teacher = student.school_class_id in access.scope_of(user).classes(Role.HEAD_TEACHER)
    initial, away = _roster_prefill(student, is_head_teacher)
    for name in ("category", "source"):
        value = request.GET.get(name)
        if value in (Category.values if name == "category" else Source.values):
            initial[name] = value
    communities = list(access.communities_for(student.school.county_id))
    form = ProposeForm(request.POST or None, initial=initial, communities=communities)
    error = ""
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            carer = {k: d[k] for k in ("carer_name", "carer_relationship", "carer_type", "carer_phone")}
            if any(carer.values()):
                carer |= {"carer_source": d["source"], "carer_noted_on": d["noted_on"] or timezone.localdate()}
            try:
                entry = services.entry_propose(
                    actor=user, student=student,
                    categories=[{"category": d["category"], "detail": d["detail"], "source": d["source"],
                                 "noted_on": d["noted_on"]}],
                    carer=carer, village=d["village"], community=form.communities.get(d["community"] or 0),
                    absent_parents=away if d["category"] in LEFT_BEHIND else [], note=d["note"],
                )  # fmt: skip
            except ValidationError as exc:
                error = error_text(exc)
            else:
                messages.success(request, _("Proposed. The school admin confirms the entry."))
                return redirect(_detail_url(entry))
        else:
            error = _form_errors(form)
    status = 422 if request.method == "POST" else 200
    return render(
        request, "care/registry/propose.html", {"student": student, "form": form, "error": error, "away": away},
        status=status,
    )  # fmt: skip


def _decision(request, pk, *, allowed, act, done: str):
    entry = access.get_entry_for(request.user, pk)
    if not allowed(request.user, entry):
        raise Http404("may not decide")
    try:
        act(entry)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, done)
    return redirect(_detail_url(entry))


@login_required
@require_POST
def registry_confirm(request, pk):
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    return _decision(
        request, pk, allowed=access.may_decide,
        act=lambda e: services.entry_confirm(actor=request.user, entry=e, note=note),
        done=_("Registered. The first review is due at the end of the semester."),
    )  # fmt: skip


def _reason_or_error(request, pk):
    form = ReasonForm(request.POST)
    if form.is_valid():
        return form.cleaned_data["reason"], None
    entry = access.get_entry_for(request.user, pk)  # 404 first for those who may not see it
    messages.error(request, _form_errors(form))
    return None, redirect(_detail_url(entry))


@login_required
@require_POST
def registry_decline(request, pk):
    reason, refused = _reason_or_error(request, pk)
    if refused:
        return refused
    return _decision(
        request, pk, allowed=access.may_decide,
        act=lambda e: services.entry_decline(actor=request.user, entry=e, reason=reason),
        done=_("Not registered; the reason is kept in the history."),
    )  # fmt: skip


@login_required
@require_POST
def registry_remove(request, pk):
    reason, refused = _reason_or_error(request, pk)
    if refused:
        return refused
    return _decision(
        request, pk, allowed=access.may_remove,
        act=lambda e: services.entry_remove(actor=request.user, entry=e, reason=reason),
        done=_("Removed from the registry; the reason is kept in the history."),
    )  # fmt: skip


@login_required
def registry_edit(request, pk):
    """Change what the user may change of an entry: the carer and the place (with a reason), categories (add, end
    with a reason), the absent parents. A partner sees only the parts their agency's kind covers."""
    user = request.user
    entry = access.get_entry_for(user, pk, write=True)
    parts = access.editable_parts(user, entry) - {SURVEY}
    if not parts:
        raise Http404("nothing to edit")
    communities = list(access.communities_for(entry)) if PLACE in parts else []
    categories = access.editable_categories(user, entry)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    facts_form = FactsForm(
        request.POST if action == "facts" else None, carer=CARER in parts, place=PLACE in parts,
        communities=communities, initial=_fact_initial(entry),
    )  # fmt: skip
    category_form = CategoryAddForm(request.POST if action == "category_add" else None, categories=categories)
    parent_form = AbsentParentForm(request.POST if action == "absent_parent" else None)
    end_form = ReasonForm(request.POST if action == "category_end" else None)
    error = ""
    if action:
        try:
            done = _edit(request, entry, action, parts, facts_form, category_form, parent_form, end_form)
        except ValidationError as exc:
            error = error_text(exc)
        else:
            if done:
                messages.success(request, done)
                return redirect(_detail_url(entry))
            error = _form_errors({"facts": facts_form, "category_add": category_form, "absent_parent": parent_form,
                                  "category_end": end_form}.get(action, end_form))  # fmt: skip
            error = error or _("The request is not valid.")
    open_categories = [c for c in entry.open_categories if c.category in parts]  # type: ignore[attr-defined]
    return render(
        request,
        "care/registry/edit.html",
        {
            "entry": entry, "facts_form": facts_form if (CARER in parts or PLACE in parts) else None,
            "category_form": category_form if categories else None,
            "parent_form": parent_form if ABSENT_PARENTS in parts else None, "end_form": end_form,
            "open_categories": open_categories, "error": error, "action": action,
        },
        status=422 if action else 200,
    )  # fmt: skip


def _fact_initial(entry) -> dict:
    return {
        "carer_name": entry.carer_name, "carer_relationship": entry.carer_relationship, "carer_type": entry.carer_type,
        "carer_phone": entry.carer_phone, "carer_source": entry.carer_source, "carer_noted_on": entry.carer_noted_on,
        "village": entry.village, "community": entry.community_id,
    }  # fmt: skip


def _edit(request, entry, action, parts, facts_form, category_form, parent_form, end_form) -> str:
    """Run one edit; the success message, or "" when the form is not valid (or the action unknown)."""
    user = request.user
    if action == "facts" and (CARER in parts or PLACE in parts):
        if not facts_form.is_valid():
            return ""
        services.entry_update_facts(
            actor=user, entry=entry, changes=facts_form.changes(), reason=facts_form.cleaned_data["reason"]
        )
        return _("Saved; the history keeps the old values and your reason.")
    if action == "category_add" and category_form.fields["category"].choices:
        if not category_form.is_valid():
            return ""
        d = category_form.cleaned_data
        services.category_add(actor=user, entry=entry, category=d["category"], source=d["source"], detail=d["detail"],
                              noted_on=d["noted_on"])  # fmt: skip
        return _("Category added.")
    if action == "category_end":
        row = access.get_category_for(user, entry, parse_id(request.POST.get("category")) or 0)
        if not end_form.is_valid():
            return ""
        services.category_end(actor=user, category=row, reason=end_form.cleaned_data["reason"])
        return _("Category ended; the reason is kept in the history.")
    if action == "absent_parent" and ABSENT_PARENTS in parts:
        if not parent_form.is_valid():
            return ""
        services.absent_parent_set(actor=user, entry=entry, parent=dict(parent_form.cleaned_data))
        return _("Saved.")
    return ""


@login_required
def registry_review(request, pk):
    """Record the open review of a registered child (head teacher, school admin, counsellor of the county)."""
    user = request.user
    entry = access.get_entry_for(user, pk)
    if not access.may_review(user, entry):
        raise Http404("may not review")
    review = access.open_review_of(entry)
    if review is None:
        raise Http404("no open review")
    form = ReviewForm(request.POST or None)
    error = ""
    if request.method == "POST":
        if form.is_valid():
            try:
                services.review_record(actor=user, review=review, note=form.cleaned_data["note"])
            except ValidationError as exc:
                error = error_text(exc)
            else:
                messages.success(request, _("Review recorded. The next review is due at the end of next semester."))
                return redirect(_detail_url(entry))
        else:
            error = _form_errors(form)
    return render(
        request, "care/registry/review.html", {"entry": entry, "review": review, "form": form, "error": error},
        status=422 if request.method == "POST" else 200,
    )  # fmt: skip


@login_required
def registry_survey(request, pk):
    """Record the carer survey (the head teacher, the school, 妇联)."""
    user = request.user
    entry = access.get_entry_for(user, pk, write=True)
    if not access.may_edit(user, entry, SURVEY):
        raise Http404("may not survey")
    form = SurveyForm(request.POST or None)
    error = ""
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.survey_record(
                    actor=user, entry=entry, needs=d["needs"], parent_contact=d["parent_contact"],
                    carer_age=d["carer_age"], carer_reads=d["carer_reads"], note=d["note"],
                )  # fmt: skip
            except ValidationError as exc:
                error = error_text(exc)
            else:
                messages.success(request, _("Survey recorded. Thank you."))
                return redirect(_detail_url(entry))
        else:
            error = _form_errors(form)
    return render(
        request, "care/registry/survey.html", {"entry": entry, "form": form, "error": error},
        status=422 if request.method == "POST" else 200,
    )  # fmt: skip
