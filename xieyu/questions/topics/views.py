"""Topic pages (点单): the topics of the user's schools with proposing and voting, the school's status, and turning a
topic into a lecture.

Every read and every authorisation goes through access.py (missing and forbidden both answer 404; an action the
user may not take on a topic they see is refused with a message); every write through services.py.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xieyu.core.viewhelpers import error_text
from xieyu.questions.asking.access import children_for_asking
from xieyu.questions.viewhelpers import form_errors, page_of

from . import access, services
from .forms import TopicForm, TopicScheduleForm, TopicStatusForm
from .models import TopicRequest


@login_required
def topics(request):
    schools = list(access.topic_schools_for(request.user).order_by("name"))
    if not schools:
        raise Http404("no schools")
    school_ids = [s.pk for s in schools]
    child_schools = {c.school_id for c in children_for_asking(request.user)}
    propose_schools = [s for s in schools if s.pk in child_schools]
    form = TopicForm(request.POST or None, schools=propose_schools)
    if request.method == "POST":
        if form.is_valid():
            school = next(s for s in propose_schools if s.pk == form.cleaned_data["school"])
            try:
                services.topic_propose(
                    actor=request.user, student=access.proposing_child(request.user, school),
                    title=form.cleaned_data["title"], description=form.cleaned_data["description"],
                    category=form.cleaned_data["category"],
                )  # fmt: skip
            except (ValidationError, PermissionDenied) as exc:
                messages.error(request, error_text(exc))
            else:
                messages.success(request, _("Your topic has been proposed."))
                return redirect("questions:topics")
        else:
            messages.error(request, form_errors(form))
    page = page_of(request, access.topics_visible_to(request.user).order_by("-votes_count", "-created_at", "-pk"))
    manageable = access.topic_school_ids_managed_by(request.user)
    return render(
        request,
        "questions/topics.html",
        {
            "page": page,
            "form": form if propose_schools else None,
            "voted": access.voted_topic_ids(request.user, school_ids),
            "child_schools": child_schools,
            "manageable": manageable,
            "statuses": TopicRequest.Status.choices,
        },
        status=422 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def topic_vote(request, pk):
    topic = access.get_topic_for(request.user, pk)
    error = ""
    try:
        services.topic_vote(actor=request.user, topic=topic, children=access.voting_children(request.user, topic))
    except (ValidationError, PermissionDenied) as exc:
        error = error_text(exc)
    topic = access.get_topic_for(request.user, pk)
    if request.htmx:
        return render(
            request,
            "questions/_topic.html",
            {
                "t": topic,
                "voted": access.voted_topic_ids(request.user, [topic.school_id]),
                "child_schools": {topic.school_id},
                "error": error,
                "manageable": set(),
            },
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Your family's vote has been counted."))
    return redirect("questions:topics")


@login_required
@require_POST
def topic_status(request, pk):
    topic = access.get_topic_for(request.user, pk)
    form = TopicStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Unknown topic status."))
        return redirect("questions:topics")
    try:
        access.check_may_manage_topics(request.user, topic)
        services.topic_set_status(actor=request.user, topic=topic, status=form.cleaned_data["status"])
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, error_text(exc))
    return redirect("questions:topics")


@login_required
def topic_schedule(request, pk):
    """A school admin (or county admin) turns a topic into a lecture; the families who asked for it are told."""
    topic = access.get_topic_to_manage(request.user, pk)
    if topic.status not in (TopicRequest.Status.OPEN, TopicRequest.Status.PLANNED):
        messages.error(request, _("This topic already has a lecture or was declined."))
        return redirect("questions:topics")
    form = TopicScheduleForm(request.POST or None, initial={"title": topic.title})
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            event = services.topic_schedule(actor=request.user, topic=topic, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:  # the lecture's services (events, parent school) check too
            error = error_text(exc)
        else:
            messages.success(request, _("The lecture is scheduled; the families who asked for it are being told."))
            return redirect("events:detail", pk=event.pk)
    elif request.method == "POST":
        error = " ".join(map(str, form.non_field_errors()))
    status = 422 if request.method == "POST" else 200
    return render(request, "questions/topic_schedule.html", {"t": topic, "form": form, "error": error}, status=status)
