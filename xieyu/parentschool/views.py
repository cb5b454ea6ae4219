"""Parent-school pages: a school's parent school (establish, rules, instructors, courses, term plan, evaluation),
a class's reach (families who never came, follow-ups), a guardian's learning record and certificate, and the
county's coverage. Reads through access.py, writes through services.py; fixed query counts.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from xieyu.core.uploads import download_name, serve_file, type_of_stored
from xieyu.core.viewhelpers import id_or_404
from xieyu.directory import access as directory_access
from xieyu.events import access as events_access

from . import access, services
from .forms import (
    CourseForm,
    EstablishForm,
    FollowUpForm,
    InstructorForm,
    RulesForm,
    SessionForm,
    SurveyAnswerForm,
    SurveyQuestionForm,
)
from .models import FollowUp
from .semester import semester_of

PAGE_SIZE = 50


def _page(request, items, per_page: int = PAGE_SIZE):
    return Paginator(items, per_page).get_page(request.GET.get("page"))


def _err(exc) -> str:
    return " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)


FORMS = {
    "establish": EstablishForm,
    "instructor": InstructorForm,
    "course": CourseForm,
    "session": SessionForm,
    "rules": RulesForm,
}


@login_required
def school_page(request, pk):
    school = access.get_school_for_staff(request.user, pk)
    manages = access.can_manage_school(request.user, school)
    ps = access.parent_school_of(school)
    sem = semester_of()
    parts = access.parent_school_parts(ps) if ps else {"rules": [], "instructors": [], "courses": []}
    forms = {}
    if manages:
        forms = {
            "establish": EstablishForm(
                initial={"person_in_charge": ps.person_in_charge, "established_on": ps.established_on} if ps else None
            ),
            "instructor": InstructorForm(),
            "course": CourseForm(),
            "session": SessionForm(courses=parts["courses"], instructors=parts["instructors"]),
            "rules": RulesForm(),
        }
    status = 200
    if request.method == "POST":
        if not manages:
            raise Http404("school not found")
        what = request.POST.get("form", "")
        if what == "rules_remove" and ps is not None:
            doc = access.get_rules_document(ps, id_or_404(request.POST.get("document")))
            services.rules_remove(actor=request.user, document=doc)
            messages.success(request, _("The document “%(title)s” has been removed.") % {"title": doc.title})
            return redirect("parentschool:school", school.pk)
        if what not in FORMS or (what != "establish" and ps is None):
            raise Http404("unknown form")
        kwargs = {"courses": parts["courses"], "instructors": parts["instructors"]} if what == "session" else {}
        form = (
            FORMS[what](request.POST, request.FILES, **kwargs)
            if what == "rules"
            else FORMS[what](request.POST, **kwargs)
        )
        forms[what] = form
        if form.is_valid():
            d = form.cleaned_data
            try:
                if what == "establish":
                    services.parent_school_establish(actor=request.user, school=school, **d)
                elif ps is None:  # never: refused above
                    raise Http404("unknown form")
                elif what == "instructor":
                    services.instructor_add(actor=request.user, parent_school=ps, **d)
                elif what == "rules":
                    services.rules_add(actor=request.user, parent_school=ps, **d)
                elif what == "course":
                    services.course_add(actor=request.user, parent_school=ps, **d)
                else:
                    course, instructor = (
                        access.course_of(ps, d.pop("course")),
                        access.instructor_of(ps, d.pop("instructor")),
                    )
                    services.session_plan(
                        actor=request.user, parent_school=ps, course=course, instructor=instructor, **d
                    )
            except (ValidationError, PermissionDenied) as exc:
                form.add_error(None, _err(exc))
            else:
                messages.success(request, _("Saved."))
                return redirect("parentschool:school", school.pk)
        status = 400
    context = {
        "school": school, "ps": ps, "manages": manages, "semester": sem, "forms": forms, **parts,
        "sessions": list(access.sessions_of(ps, sem)) if ps else [],
        "classes": _page(request, access.class_participation(request.user, school, sem)),
        "grades": list(access.grade_participation(school, sem)),
        "min_sessions": access.MIN_SESSIONS,
        "effect": access.term_effectiveness(school, sem) if ps else None,
    }  # fmt: skip
    return render(request, "parentschool/school.html", context, status=status)


@login_required
@require_GET
def rules_file(request, pk, doc_pk):
    """A rules document's uploaded file, for those who see the school's parent-school page."""
    school = access.get_school_for_staff(request.user, pk)
    ps = access.parent_school_of(school)
    if ps is None:
        raise Http404("no parent school")
    doc = access.get_rules_document(ps, doc_pk)
    if not doc.file:
        raise Http404("no file")
    file_type = type_of_stored(doc.file.name)
    name = download_name(doc.title, file_type) if file_type else doc.title
    return serve_file(doc.file, filename=name, file_type=file_type)


@login_required
def class_reach(request, pk):
    """Families of a class that attended nothing this semester, and the head teacher's follow-ups."""
    school_class = directory_access.get_class_for(request.user, pk)
    sem = semester_of()
    form = FollowUpForm()
    status = 200
    if request.method == "POST":
        form = FollowUpForm(request.POST)
        if form.is_valid():
            student = access.get_unreached_student(school_class, sem, form.cleaned_data["student"])
            try:
                services.followup_record(actor=request.user, student=student, method=form.cleaned_data["method"],
                                         reason=form.cleaned_data["reason"], note=form.cleaned_data["note"])  # fmt: skip
            except ValidationError as exc:
                form.add_error(None, _err(exc))
            else:
                messages.success(request, _("The follow-up of %(name)s's family is recorded.") % {"name": student.name})
                return redirect("parentschool:class_reach", school_class.pk)
        status = 400
    page_obj = _page(request, access.unreached_families(school_class, sem))
    for s in page_obj.object_list:  # the latest follow-up's method is an annotation: show its label, never the value
        s.followup_method_label = FollowUp.Method(s.followup_method).label if s.followup_method else ""
    return render(request, "parentschool/reach.html",
                  {"school_class": school_class, "semester": sem, "page_obj": page_obj, "form": form}, status=status)  # fmt: skip


def _record_context(request) -> dict:
    """Learning credit: sessions that have ended; those checked in but not over yet are only counted as pending."""
    sem = semester_of()
    rows = list(access.learning_record(request.user, sem)[:200])
    hours = sum(a.event.hours for a in rows)
    return {"semester": sem, "rows": rows, "hours": round(hours, 1),
            "sessions": sum(1 for a in rows if hasattr(a.event, "ps_session")),
            "pending": access.learning_pending(request.user, sem)}  # fmt: skip


@login_required
def learning_record(request):
    if events_access.guardian_of(request.user) is None:
        raise Http404("not a guardian")
    return render(request, "parentschool/record.html", _record_context(request))


@login_required
def certificate(request):
    if events_access.guardian_of(request.user) is None:
        raise Http404("not a guardian")
    return render(request, "parentschool/certificate.html", _record_context(request))


@login_required
def county_coverage(request, pk):
    if pk not in events_access.counties_overseen_by(request.user):
        raise Http404("county not found")
    sem = semester_of()
    return render(request, "parentschool/coverage.html", {
        "semester": sem, "county_id": pk, "totals": access.coverage_totals(request.user, pk, sem),
        "page_obj": _page(request, access.county_coverage(request.user, pk, sem)), "min_sessions": access.MIN_SESSIONS,
    })  # fmt: skip


@login_required
def session_page(request, pk):
    """A session's questionnaire and evaluation: the organiser sets the statements and sees the figures; guardians
    answer before and after; head teachers of the school see the figures."""
    session = access.get_session_for(request.user, pk)
    event = session.event
    manages = events_access.can_manage(request.user, event)
    sees_figures = events_access.can_see_attendance(request.user, event)
    questions = access.questions_of(session)
    phases = services.survey_phases_open(request.user, session) if questions else set()
    mine = access.my_survey_scores(request.user, session)
    question_form = SurveyQuestionForm() if manages else None
    answer_forms = {p: SurveyAnswerForm(questions=questions, initial_scores=mine[p], prefix=p) for p in phases}
    status = 200
    if request.method == "POST":
        what = request.POST.get("form", "")
        try:
            if what == "question_add" and manages:
                question_form = SurveyQuestionForm(request.POST)
                if question_form.is_valid():
                    services.survey_question_add(actor=request.user, session=session,
                                                 text=question_form.cleaned_data["text"])  # fmt: skip
                    messages.success(request, _("The statement has been added."))
                    return redirect("parentschool:session", event.pk)
            elif what == "question_remove" and manages:
                question = access.get_question(session, id_or_404(request.POST.get("question")))
                services.survey_question_remove(actor=request.user, session=session, question=question)
                messages.success(request, _("The statement has been removed."))
                return redirect("parentschool:session", event.pk)
            elif what in services.WAVE_NUMBER and questions:
                form = SurveyAnswerForm(request.POST, questions=questions, prefix=what)
                answer_forms[what] = form
                if form.is_valid():
                    services.survey_answer(actor=request.user, session=session, phase=what, scores=form.scores(),
                                           consent=form.cleaned_data["consent"])  # fmt: skip
                    messages.success(request, _("Thank you: your answers are saved."))
                    return redirect("parentschool:session", event.pk)
            else:
                raise Http404("unknown form")
        except (ValidationError, PermissionDenied) as exc:
            target = question_form if what.startswith("question") else answer_forms.get(what)
            if target is None or what == "question_remove" or (what in services.WAVE_NUMBER and what not in phases):
                messages.error(request, _err(exc))
                return redirect("parentschool:session", event.pk)
            target.add_error(None, _err(exc))
        status = 400
    context = {
        "session": session, "event": event, "manages": manages, "questions": questions,
        "question_form": question_form, "answer_forms": answer_forms, "mine": mine,
        "summary": access.survey_summary(session) if sees_figures else None,
        "counts": events_access.with_counts(events_access.events_visible_to(request.user).filter(pk=event.pk)).first()
        if sees_figures else None,
    }  # fmt: skip
    return render(request, "parentschool/session.html", context, status=status)
