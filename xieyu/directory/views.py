"""Pages by acting role: the home page, a class roster, a school overview and a student's record.

Every read goes through access.py (missing and forbidden both answer 404); every write through services.py.
Each page runs a fixed number of queries whatever the size of the class, school or county.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from xieyu.accounts.models import Role, mask_phone
from xieyu.accounts.roles import GUARDIAN, active_role
from xieyu.audit.services import access_record
from xieyu.core.viewhelpers import safe_next

from . import access
from .home import STAFF, home_sections, role_home
from .services import class_create

if TYPE_CHECKING:
    from .models import Grade

ROSTER_PAGE_SIZE = 50
UNITS_PAGE_SIZE = 20
ROSTER_FILTERS = ("all", "not_joined", "no_phone")


def _page(request, items, per_page: int):
    """One page of a list (a count query and a slice query)."""
    return Paginator(items, per_page).get_page(request.GET.get("page"))


# --- the roster (head teacher's home and class_roster) ------------------------------------------------------


def _roster_context(request, school_class) -> dict:
    show = request.GET.get("show", "all")
    if show not in ROSTER_FILTERS:
        show = "all"
    page_obj = _page(request, access.class_roster(school_class, show=show), ROSTER_PAGE_SIZE)
    rows = list(page_obj.object_list)
    for student in rows:
        for g in student.guardians_confirmed:
            g.phone_masked = mask_phone(g.guardian.phone)
    page_obj.object_list = rows
    return {
        "school_class": school_class,
        "totals": access.class_roster_totals(school_class),
        "show": show,
        "page_obj": page_obj,
    }


def _roster_response(request, template: str, context: dict):
    if request.htmx and request.htmx.target == "roster":
        response = render(request, "directory/partials/roster.html", context)
    else:
        response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))  # never serve the partial from a cache for a full page load
    return response


@login_required
def class_roster(request, pk):
    """A class's roster for the staff who can see the class: county admin, the school's admin, its head teacher."""
    school_class = access.get_class_overview_for(request.user, pk)
    context = _roster_context(request, school_class)
    context["oversees_school"] = access.staff_school_test(request.user, overseen_only=True)(school_class.school)
    return _roster_response(request, "directory/class_roster.html", context)


# --- the school overview (school admin's home and school_overview) ------------------------------------------


class ClassCreateForm(forms.Form):
    grade: forms.ModelChoiceField[Grade] = forms.ModelChoiceField(
        queryset=None, label=gettext_lazy("Grade"), empty_label=None
    )
    name = forms.CharField(label=gettext_lazy("Class name"), max_length=20, help_text=gettext_lazy("For example: 3班"))

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["grade"]).queryset = access.grades_of(school)
        self.fields["grade"].error_messages["invalid_choice"] = _("Choose one of this school's grades.")
        self.fields["name"].error_messages["required"] = _("Enter the class name, for example 3班.")
        self.fields["name"].error_messages["max_length"] = _("The class name may have at most 20 characters.")

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Enter the class name, for example 3班."))
        return name


def _school_context(request, school, *, form: ClassCreateForm | None = None, created=None) -> dict:
    can_manage = access.staff_school_test(request.user, overseen_only=True)(school)
    if can_manage and form is None:
        form = ClassCreateForm(school=school)
    return {
        "school": school,
        "totals": access.school_totals(school),
        "page_obj": _page(request, access.school_classes_overview(request.user, school), UNITS_PAGE_SIZE),
        "form": form if can_manage else None,
        "created": created,
        "next": request.get_full_path(),
    }


def _class_create(request, school):
    """The add-class form: a school admin or county admin adds a class to a grade of the school."""
    form = ClassCreateForm(request.POST, school=school)
    created = None
    if form.is_valid():
        grade, name = form.cleaned_data["grade"], form.cleaned_data["name"]
        try:
            created = class_create(actor=request.user, grade=grade, name=name)
        except IntegrityError:
            form.add_error(
                "name", _("%(grade)s already has a class named %(name)s.") % {"grade": grade.name, "name": name}
            )
    if request.htmx:
        context = _school_context(request, school, form=None if created else form, created=created)
        return render(request, "directory/partials/school_panel.html", context)
    if created is not None:
        messages.success(request, _("Class %(name)s was added.") % {"name": str(created)})
        return redirect(safe_next(request, school_overview_url(school)))
    context = _school_context(request, school, form=form)
    return render(request, "directory/school_overview.html", context, status=400)


def school_overview_url(school) -> str:
    return reverse("directory:school_overview", args=[school.pk])


@login_required
@require_http_methods(["GET", "POST"])
def school_overview(request, pk):
    """The school-admin view of any school the user oversees (a county admin drilling down)."""
    if request.method == "POST":
        return _class_create(request, access.get_school_for(request.user, pk, write=True))
    school = access.get_school_overseen_by(request.user, pk)
    context = _school_context(request, school)
    context["oversees_county"] = access.oversees_county(request.user, school.county_id)
    return render(request, "directory/school_overview.html", context)


# --- a student's record -----------------------------------------------------------------------------------


@login_required
def student_detail(request, pk):
    """A student's full record. Every read is logged; staff see who read it lately."""
    user = request.user
    student = access.get_student_for(user, pk)
    access_record(actor=user, target=student, purpose="student.detail", request=request)
    is_staff = access.is_staff_for_student(user, student)
    guardianships = access.student_guardianships(user, student)
    for g in guardianships:
        shown = (g.guardian.phone or "") if is_staff else mask_phone(g.guardian.phone)
        g.phone_shown = shown  # type: ignore[attr-defined]  # for the template only
    return render(
        request,
        "directory/student_detail.html",
        {
            "student": student,
            "is_staff": is_staff,
            "guardianships": guardianships,
            "history": access.student_class_history(student),
            "access_log": access.student_access_log(user, student) if is_staff else [],
        },
    )


# --- the home page by acting role -------------------------------------------------------------------------


def _guardian_home(request, acting):
    """The day's page: what needs the guardian, what is coming, what happened lately (sections of the apps above,
    directory/home.py), then a card per child."""
    children = list(access.children_overview(request.user))
    return render(
        request,
        "directory/home_guardian.html",
        {"acting": acting, "children": children, "sections": home_sections(request, children)},
    )


def _head_teacher_home(request, acting):
    school_class = access.get_class_overview_for(request.user, acting.membership.school_class_id)
    context = _roster_context(request, school_class)
    context["acting"] = acting
    context["other_classes"] = [c for c in access.classes_led_by(request.user) if c.pk != school_class.pk]
    return _roster_response(request, "directory/home_head_teacher.html", context)


def _school_admin_home(request, acting):
    school = access.get_school_overseen_by(request.user, acting.membership.school_id)
    context = _school_context(request, school)
    context["acting"] = acting
    return render(request, "directory/home_school_admin.html", context)


def _county_admin_home(request, acting):
    county = acting.membership.county
    schools = access.county_schools_overview(request.user, county.pk)
    return render(
        request,
        "directory/home_county_admin.html",
        {
            "acting": acting,
            "county": county,
            "totals": access.county_totals(request.user, county.pk),
            "page_obj": _page(request, schools, UNITS_PAGE_SIZE),
        },
    )


def _teacher_home(request, acting):
    """A subject teacher's home: the notices that reached them and their school's coming events (sections of the
    apps above, directory/home.py)."""
    sections = home_sections(request, [], audience=STAFF)
    return render(request, "directory/home_teacher.html", {"acting": acting, "sections": sections})


def _plain_home(request, acting):
    return render(request, "directory/home_staff.html", {"acting": acting})


HOMES = {
    GUARDIAN: _guardian_home,
    Role.HEAD_TEACHER.value: _head_teacher_home,
    Role.SCHOOL_ADMIN.value: _school_admin_home,
    Role.COUNTY_ADMIN.value: _county_admin_home,
    Role.TEACHER.value: _teacher_home,
}


@login_required
def home(request):
    """One home page per acting role."""
    acting = active_role(request)
    if acting is None:
        return render(request, "directory/home_empty.html", {"acting": acting})
    view = HOMES.get(acting.role) or role_home(acting.role) or _plain_home
    return view(request, acting)
