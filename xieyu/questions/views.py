"""Question pages: asking (with similar answers as the parent types), the thread, the staff queue and alerts, the
knowledge base (its public part needs no login), topic requests (点单) and the county and school overview.

Every read goes through access.py (missing and forbidden both answer 404); every write through services.py.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xieyu.audit.services import access_record
from xieyu.core.viewhelpers import error_text, id_or_404
from xieyu.directory.access import get_school_overseen_by, schools_overseen_by

from . import access, figures, search, services
from .forms import (
    AnswerForm,
    ArticleForm,
    AskForm,
    ClearFlagForm,
    ClinicBookForm,
    ClinicFollowUpForm,
    ClinicOutcomeForm,
    ClinicPublishForm,
    FollowUpForm,
    NoteForm,
    RateForm,
    TopicForm,
    TopicScheduleForm,
    TopicStatusForm,
)
from .models import Category, Question, TopicRequest

PAGE_SIZE = 20
SIMILAR = 5


def _page(request, items, per_page: int = PAGE_SIZE):
    return Paginator(items, per_page).get_page(request.GET.get("page"))


def _detail_url(question) -> str:
    return reverse("questions:detail", args=[question.pk])


# --- the parent's side ----------------------------------------------------------------------------------------


@login_required
def mine(request):
    page = _page(request, access.questions_of(request.user))
    return render(request, "questions/mine.html", {"page": page})


@login_required
def ask(request):
    children = list(access.children_for_asking(request.user))
    if not children:
        return render(request, "questions/ask_no_child.html", status=403)
    form = AskForm(
        request.POST or None, request.FILES or None, children=children, similar_url=reverse("questions:similar")
    )
    error = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            question = services.question_ask(
                actor=request.user,
                student=form.children[data["student"]],
                level=data["level"],
                category=data["category"],
                title=data["title"],
                body=data["body"],
                publishable=data["publishable"],
                photo=data.get("photo"),
            )
        except (ValidationError, PermissionDenied) as exc:
            error = error_text(exc)
        else:
            if question.is_urgent:
                messages.warning(request, _("Your question has been sent to the counsellor at once."))
            else:
                messages.success(request, _("Your question has been sent."))
            return redirect(_detail_url(question))
    similar = _similar_articles(request.user, request.POST.get("title", ""), request.POST.get("body", ""))
    status = 422 if request.method == "POST" else 200
    return render(request, "questions/ask.html", {"form": form, "error": error, "similar": similar}, status=status)


def _similar_articles(user, title: str, body: str) -> list:
    text = f"{title} {body}".strip()
    if len(text) < 4:
        return []
    return access.articles_by_ids(user, search.similar_ids(search.KIND_ARTICLE, text, limit=SIMILAR))


@login_required
def similar(request):
    """The similar answered questions (knowledge-base articles) while the parent types (htmx)."""
    items = _similar_articles(request.user, request.GET.get("title", ""), request.GET.get("body", ""))
    return render(request, "questions/_similar.html", {"similar": items, "searched": True})


@login_required
def detail(request, pk):
    question = access.get_question_for(request.user, pk)
    is_asker = question.asker_id == request.user.pk
    if question.is_flagged and not is_asker:
        access_record(actor=request.user, target=question, purpose="question.flagged.view", request=request)
    handler = access.is_handler(request.user, question)
    context = {
        "q": question,
        "is_asker": is_asker,
        "handler": handler,
        "thread": access.thread_of(request.user, question),
        "may_claim": access.may_claim(request.user, question),
        "may_assign": access.may_assign(request.user, question),
        "may_clear": access.may_clear_flag(request.user, question),
        "may_publish": access.may_publish(request.user, question) and not hasattr_article(question),
        "answer_form": AnswerForm(),
        "note_form": NoteForm(),
        "follow_form": FollowUpForm(),
        "rate_form": RateForm(),
        "clear_form": ClearFlagForm(),
        "hotline": services.HOTLINE,
    }
    if handler:
        ids = search.similar_ids(
            search.KIND_QUESTION, f"{question.title} {question.body}", limit=6, exclude=[question.pk]
        )
        found = access.questions_by_ids(request.user, ids)
        context["similar_questions"] = [found[i] for i in ids if i in found][:5]
    return render(request, "questions/detail.html", context)


def hasattr_article(question: Question) -> bool:
    try:
        return question.article is not None
    except Question.article.RelatedObjectDoesNotExist:
        return False


def _act(request, pk, action, *, form_class=None, getter=access.get_question_for, ok: str = ""):
    question = getter(request.user, pk)
    data = {}
    if form_class is not None:
        form = form_class(request.POST)
        if not form.is_valid():
            messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
            return redirect(_detail_url(question))
        data = form.cleaned_data
    try:
        action(question, data)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, error_text(exc))
    else:
        if ok:
            messages.success(request, ok)
    return redirect(_detail_url(question))


@login_required
@require_POST
def follow_up(request, pk):
    return _act(
        request, pk, lambda q, d: services.question_follow_up(actor=request.user, question=q, body=d["body"]),
        form_class=FollowUpForm, getter=access.get_own_question, ok=_("Sent."),
    )  # fmt: skip


@login_required
@require_POST
def rate(request, pk):
    return _act(
        request, pk,
        lambda q, d: services.question_rate(actor=request.user, question=q, rating=d["rating"], comment=d["comment"]),
        form_class=RateForm, getter=access.get_own_question, ok=_("Thank you for your rating."),
    )  # fmt: skip


@login_required
def photo(request, pk):
    question = access.get_question_for(request.user, pk)
    if not question.photo:
        raise Http404("no photo")
    if question.is_flagged and question.asker_id != request.user.pk:
        access_record(actor=request.user, target=question, purpose="question.flagged.photo", request=request)
    return FileResponse(question.photo.open("rb"), content_type=question.photo_type or "image/jpeg")


# --- the staff side -------------------------------------------------------------------------------------------


@login_required
def queue(request):
    if not access.units_of(request.user).is_staff:
        raise Http404("not staff")
    status = request.GET.get("status", "open")
    urgent = request.GET.get("urgent") == "1"
    page = _page(request, access.queue_for(request.user, status=status, urgent_only=urgent))
    alerts = list(access.alerts_for(request.user)[:10])
    return render(
        request,
        "questions/queue.html",
        {"page": page, "status": status, "urgent": urgent, "alerts": alerts, "statuses": Question.Status.choices},
    )


@login_required
@require_POST
def alert_open(request, pk):
    alert = access.get_alert_for(request.user, pk)
    services.alert_read(actor=request.user, alert=alert)
    return redirect(_detail_url(alert.question))


@login_required
@require_POST
def answer(request, pk):
    return _act(
        request, pk, lambda q, d: services.question_answer(actor=request.user, question=q, body=d["body"]),
        form_class=AnswerForm, ok=_("Answer sent."),
    )  # fmt: skip


@login_required
@require_POST
def note(request, pk):
    return _act(
        request, pk, lambda q, d: services.question_note(actor=request.user, question=q, body=d["body"]),
        form_class=NoteForm, ok=_("Note saved."),
    )  # fmt: skip


@login_required
@require_POST
def claim(request, pk):
    return _act(request, pk, lambda q, d: services.question_claim(actor=request.user, question=q), ok=_("Claimed."))


@login_required
@require_POST
def assign(request, pk):
    return _act(request, pk, lambda q, d: services.question_assign(actor=request.user, question=q), ok=_("Assigned."))


@login_required
@require_POST
def close(request, pk):
    return _act(request, pk, lambda q, d: services.question_close(actor=request.user, question=q), ok=_("Closed."))


@login_required
@require_POST
def clear_flag(request, pk):
    return _act(
        request, pk,
        lambda q, d: services.question_clear_flag(actor=request.user, question=q, reason=d["reason"]),
        form_class=ClearFlagForm, ok=_("The urgent flag was cleared; the record is kept."),
    )  # fmt: skip


@login_required
def publish(request, pk):
    question = access.get_question_for(request.user, pk)
    if not access.may_publish(request.user, question):
        raise Http404("may not publish")
    answers = [m.body for m in access.thread_of(request.user, question) if m.kind == "answer"]
    initial = {
        "title": question.title,
        "category": question.category,
        "question_text": question.body,
        "answer_text": "\n\n".join(answers),
        "is_public": True,
    }
    form = ArticleForm(request.POST or None, initial=initial)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            article = services.article_publish(actor=request.user, question=question, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            error = error_text(exc)
        else:
            messages.success(request, _("Published to the knowledge base."))
            return redirect("questions:article", pk=article.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "questions/publish.html", {"q": question, "form": form, "error": error}, status=status)


# --- the knowledge base (public) ------------------------------------------------------------------------------


def knowledge(request):
    """Browse and search answered questions; no login needed (准家长 and any family)."""
    text = (request.GET.get("q") or "").strip()[:100]
    category = request.GET.get("category", "")
    articles = access.articles_visible_to(request.user)
    if category in Category.values:
        articles = articles.filter(category=category)
    results = None
    if text:
        ids = search.similar_ids(search.KIND_ARTICLE, text, limit=40)
        results = [
            a
            for a in access.articles_by_ids(request.user, ids)
            if category not in Category.values or a.category == category
        ][:20]
        page = None
    else:
        page = _page(request, articles.order_by("-published_at", "-pk"))
    return render(
        request,
        "questions/knowledge.html",
        {"q": text, "category": category, "categories": Category.choices, "results": results, "page": page},
    )


def article(request, pk):
    return render(request, "questions/article.html", {"article": access.get_article_for(request.user, pk)})


# --- topic requests (点单) --------------------------------------------------------------------------------------


@login_required
def topics(request):
    schools = list(access.topic_schools_for(request.user).order_by("name"))
    if not schools:
        raise Http404("no schools")
    school_ids = [s.pk for s in schools]
    child_schools = {c.school_id for c in access.children_for_asking(request.user)}
    propose_schools = [s for s in schools if s.pk in child_schools]
    form = TopicForm(request.POST or None, schools=propose_schools)
    if request.method == "POST":
        if form.is_valid():
            school = next(s for s in propose_schools if s.pk == form.cleaned_data["school"])
            try:
                services.topic_propose(
                    actor=request.user, school=school, title=form.cleaned_data["title"],
                    description=form.cleaned_data["description"], category=form.cleaned_data["category"],
                )  # fmt: skip
            except (ValidationError, PermissionDenied) as exc:
                messages.error(request, error_text(exc))
            else:
                messages.success(request, _("Your topic has been proposed."))
                return redirect("questions:topics")
        else:
            messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    page = _page(request, access.topics_visible_to(request.user).order_by("-votes_count", "-created_at", "-pk"))
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
        services.topic_vote(actor=request.user, topic=topic)
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
        except (ValidationError, PermissionDenied) as exc:
            error = error_text(exc)
        else:
            messages.success(request, _("The lecture is scheduled; the families who asked for it are being told."))
            return redirect("events:detail", pk=event.pk)
    elif request.method == "POST":
        error = " ".join(form.non_field_errors())
    status = 422 if request.method == "POST" else 200
    return render(request, "questions/topic_schedule.html", {"t": topic, "form": form, "error": error}, status=status)


# --- the county and school overview ---------------------------------------------------------------------------


@login_required
def overview(request):
    """County admins: the county, or one of its schools (?school=); school admins: their school."""
    try:
        days = int(request.GET.get("days", 30))
    except ValueError:
        days = 30
    if days not in figures.WINDOWS:
        days = 30
    counties = access.county_ids_overseen(request.user)
    school = None
    if request.GET.get("school"):
        school = get_school_overseen_by(request.user, id_or_404(request.GET["school"]))
    elif counties:
        scope = figures.Scope(county_id=min(counties))
    elif access.school_ids_overseen(request.user):
        school = get_school_overseen_by(request.user, min(access.school_ids_overseen(request.user)))
    else:
        raise Http404("not an admin")
    if school is not None:
        scope = figures.Scope(school_id=school.pk)
    schools = list(schools_overseen_by(request.user).order_by("name")) if counties else []
    return render(
        request,
        "questions/overview.html",
        {
            "school": school,
            "schools": schools,
            "days": days,
            "windows": figures.WINDOWS,
            "hot": figures.hot_topics(scope, days),
            "manageable": access.topic_school_ids_managed_by(request.user),
            "fig": figures.question_figures(scope, days),
        },
    )


# --- clinics (教育义诊): the guardian's side ---------------------------------------------------------------------

CLINICS_PAGE = 10


@login_required
def clinic_list(request):
    """Upcoming clinics open to the user's families (the API's audience rule), each with its slots. A family books
    one slot per clinic: once every child of the user who may come has a slot there, the clinic's other slots show
    no booking button."""
    page = _page(request, access.clinics_open_to(request.user), CLINICS_PAGE)
    clinics = list(page.object_list)
    by_clinic: dict[int, list] = {c.pk: [] for c in clinics}
    slots = list(access.slots_of_clinics(clinics)) if clinics else []
    held = access.family_bookings_in(request.user, by_clinic) if clinics else []
    children = list(access.children_for_asking(request.user)) if clinics else []
    mine = {slot_id for slot_id, _clinic, _child in held}
    booked_children: dict[int, set[int]] = {c.pk: set() for c in clinics}
    for _slot, clinic_id, child_id in held:
        booked_children[clinic_id].add(child_id)
    for c in clinics:
        may_come = {ch.pk for ch in children if ch.school.county_id == c.county_id}
        c.family_done = bool(booked_children[c.pk]) and not (may_come - booked_children[c.pk])
    done = {c.pk for c in clinics if c.family_done}
    now = timezone.now()
    for s in slots:
        s.free = max(s.capacity - s.booked, 0)
        s.mine = s.pk in mine
        s.started = s.starts_at <= now
        s.bookable = s.free > 0 and not s.mine and not s.started and s.event_id not in done
        by_clinic[s.event_id].append(s)
    for c in clinics:
        c.slot_list = by_clinic[c.pk]
    return render(request, "questions/clinics.html", {"page": page, "clinics": clinics})


@login_required
def clinic_book(request, pk):
    slot = access.get_slot_for(request.user, pk)
    children = access.clinic_students_for(request.user, slot.event)
    if not children:
        raise Http404("no child in the clinic's county")
    form = ClinicBookForm(request.POST or None, children=children)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            services.clinic_book(
                actor=request.user, slot=slot, student=form.children[form.cleaned_data["student"]],
                topic=form.cleaned_data["topic"],
            )  # fmt: skip
        except (ValidationError, PermissionDenied) as exc:
            error = error_text(exc)
        else:
            messages.success(request, _("Booked. Please come on time; you can cancel on this page if plans change."))
            return redirect("questions:clinic_bookings")
    status = 422 if request.method == "POST" else 200
    return render(request, "questions/clinic_book.html", {"slot": slot, "form": form, "error": error}, status=status)


@login_required
def clinic_bookings(request):
    """My families' live bookings (never the expert's outcome), soonest first, each with a cancel button."""
    page = _page(request, access.bookings_of(request.user))
    return render(request, "questions/clinic_bookings.html", {"page": page})


@login_required
@require_POST
def clinic_cancel(request, pk):
    booking = access.get_own_booking(request.user, pk)
    try:
        services.clinic_cancel(actor=request.user, booking=booking)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("The booking is cancelled; the slot is free for another family."))
    return redirect("questions:clinic_bookings")


# --- clinics: the expert's side -----------------------------------------------------------------------------------


@login_required
def clinic_mine(request):
    if not access.units_of(request.user).expert_counties:
        raise Http404("not an expert")
    page = _page(request, access.clinics_published_by(request.user))
    return render(request, "questions/clinic_mine.html", {"page": page, "now": timezone.now()})


@login_required
def clinic_publish(request):
    if not access.units_of(request.user).expert_counties:
        raise Http404("not an expert")
    form = ClinicPublishForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            clinic = services.clinic_publish(
                actor=request.user, title=data["title"], starts_at=data["starts_at"],
                slot_minutes=data["slot_minutes"], slots=data["slots"], place=data["place"],
                online_url=data["online_url"], description=data["description"],
            )  # fmt: skip
        except (ValidationError, PermissionDenied) as exc:
            error = error_text(exc)
        else:
            messages.success(request, _("The clinic is published; families of the county can book its slots."))
            return redirect("questions:clinic_detail", pk=clinic.pk)
    elif request.method == "POST":
        error = " ".join(form.non_field_errors())
    status = 422 if request.method == "POST" else 200
    return render(request, "questions/clinic_publish.html", {"form": form, "error": error}, status=status)


@login_required
def clinic_detail(request, pk):
    """The clinic's slots and who booked each: guardian, masked phone, what they want to discuss."""
    clinic = access.get_clinic_to_handle(request.user, pk)
    slots = list(access.slots_of(clinic))
    by_slot: dict[int, list] = {s.pk: [] for s in slots}
    for b in access.live_bookings_of_clinic(request.user, clinic):
        by_slot.setdefault(b.slot_id, []).append(b)
    for s in slots:
        s.booking_list = by_slot[s.pk]
    return render(request, "questions/clinic_detail.html", {"clinic": clinic, "slots": slots})


def _appointment_url(booking) -> str:
    return reverse("questions:clinic_appointment", args=[booking.pk])


@login_required
def clinic_appointment(request, pk):
    """One booking for the expert (and those above): the private outcome, and the follow-up question. Each view of
    the outcome is logged."""
    booking = access.get_clinic_booking_for_expert(request.user, pk)
    access_record(actor=request.user, target=booking.student, purpose="clinic.outcome.view", request=request)
    may_write = access.may_write_clinic_outcome(request.user, booking)
    title = _("Clinic follow-up: %(topic)s") % {"topic": booking.topic}
    return render(
        request,
        "questions/clinic_appointment.html",
        {
            "b": booking,
            "may_write": may_write and booking.status == booking.Status.BOOKED,
            "outcome_form": ClinicOutcomeForm(initial={"outcome": booking.outcome}),
            "follow_form": ClinicFollowUpForm(initial={"title": title[:60]}),
        },
    )


@login_required
@require_POST
def clinic_outcome(request, pk):
    booking = access.get_clinic_booking_for_expert(request.user, pk)
    form = ClinicOutcomeForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return redirect(_appointment_url(booking))
    try:
        services.clinic_record_outcome(actor=request.user, booking=booking, outcome=form.cleaned_data["outcome"])
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("Outcome saved. Only you and the county's staff can read it."))
    return redirect(_appointment_url(booking))


@login_required
@require_POST
def clinic_follow_up(request, pk):
    booking = access.get_clinic_booking_for_expert(request.user, pk)
    form = ClinicFollowUpForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return redirect(_appointment_url(booking))
    try:
        question = services.clinic_follow_up_question(actor=request.user, booking=booking, **form.cleaned_data)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, error_text(exc))
        return redirect(_appointment_url(booking))
    messages.success(request, _("The follow-up question is open and assigned to you; the family can read it."))
    return redirect(_detail_url(question))
