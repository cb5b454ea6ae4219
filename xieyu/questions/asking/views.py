"""Question pages: asking (with similar answers as the parent types), the thread, the staff queue and alerts, and the
county and school overview.

Every read and every authorisation goes through access.py (missing and forbidden both answer 404; an action the
user may not take on a question they see is refused with a message); every write through services.py.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xieyu.audit.services import access_record
from xieyu.core.viewhelpers import error_text, id_or_404
from xieyu.directory.access import get_school_overseen_by, schools_overseen_by
from xieyu.notices.messages import messages_read_for
from xieyu.questions.knowledge import access as knowledge_access
from xieyu.questions.knowledge import search
from xieyu.questions.topics import access as topics_access
from xieyu.questions.topics.figures import hot_topics
from xieyu.questions.viewhelpers import form_errors, page_of, question_url

from . import access, figures, services
from .forms import AnswerForm, AskForm, ClearFlagForm, FollowUpForm, NoteForm, RateForm
from .models import Question

SIMILAR = 5
LOOKUP_CHARS = 5000


# --- the parent's side ----------------------------------------------------------------------------------------


@login_required
def mine(request):
    page = page_of(request, access.questions_of(request.user))
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
        except ValidationError as exc:
            error = error_text(exc)
        else:
            if question.is_urgent:
                messages.warning(request, _("Your question has been sent to the counsellor at once."))
            else:
                messages.success(request, _("Your question has been sent."))
            return redirect(question_url(question))
    context = {"form": form, "error": error, **_lookup(request.user, request.POST, searched=False)}
    status = 422 if request.method == "POST" else 200
    return render(request, "questions/ask.html", context, status=status)


def _lookup(user, data, *, searched: bool) -> dict:
    """What the box under the question shows as the parent types: the 12355 hotline and 110/120 when the text
    holds an urgent term (instead of any tips), else answers to similar questions. The text is bounded."""
    title = str(data.get("title", ""))[:LOOKUP_CHARS]
    body = str(data.get("body", ""))[:LOOKUP_CHARS]
    text = f"{title} {body}".strip()[:LOOKUP_CHARS]
    if services.urgent_terms_in(text):
        return {"urgent": True, "similar": [], "hotline": services.HOTLINE, "searched": searched}
    return {"similar": _similar_articles(user, text), "searched": searched}


def _similar_articles(user, text: str) -> list:
    if len(text) < 4:
        return []
    return knowledge_access.articles_by_ids(user, search.similar_ids(search.KIND_ARTICLE, text, limit=SIMILAR))


@login_required
@require_POST
def similar(request):
    """The similar answered questions (knowledge-base articles), or the crisis lines, while the parent types (htmx
    POST: a long question never fails as a long URL)."""
    return render(request, "questions/_similar.html", _lookup(request.user, request.POST, searched=True))


@login_required
def detail(request, pk):
    question = access.get_question_for(request.user, pk)
    is_asker = question.asker_id == request.user.pk
    if is_asker:
        messages_read_for(user=request.user, link=request.path)  # the answer is seen: no SMS about it
    if question.is_flagged and not is_asker:
        access_record(actor=request.user, target=question, purpose="question.flagged.view", request=request)
    handler = access.is_handler(request.user, question)
    if handler and not is_asker:  # the alerts and the SMS message about it are seen: the alert's clock stops
        services.alerts_read_for_question(actor=request.user, question=question)
        messages_read_for(user=request.user, link=request.path)
    phones = access.family_phones(request.user, question)
    if phones:
        access_record(actor=request.user, target=question, purpose="question.urgent.phone", request=request)
    context = {
        "family_phones": phones,
        "q": question,
        "is_asker": is_asker,
        "handler": handler,
        "thread": access.thread_of(request.user, question),
        "may_claim": access.may_claim(request.user, question),
        "may_assign": access.may_assign(request.user, question),
        "may_clear": access.may_clear_flag(request.user, question),
        "may_publish": knowledge_access.may_publish(request.user, question) and not _has_article(question),
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


def _has_article(question: Question) -> bool:
    try:
        return question.article is not None
    except Question.article.RelatedObjectDoesNotExist:
        return False


def _act(request, pk, action, *, check=None, form_class=None, getter=access.get_question_for, ok: str = ""):
    """Fetch the question (404 alike for missing and forbidden), read the form, refuse with the reason when `check`
    says the user may not act on it, then run the service."""
    question = getter(request.user, pk)
    data = {}
    if form_class is not None:
        form = form_class(request.POST)
        if not form.is_valid():
            messages.error(request, form_errors(form))
            return redirect(question_url(question))
        data = form.cleaned_data
    try:
        if check is not None:
            check(request.user, question)
        action(question, data)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, error_text(exc))
    else:
        if ok:
            messages.success(request, ok)
    return redirect(question_url(question))


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
    if not access.handles_questions(request.user):
        raise Http404("not staff")
    status = request.GET.get("status", "open")
    urgent = request.GET.get("urgent") == "1"
    page = page_of(request, access.queue_for(request.user, status=status, urgent_only=urgent))
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
    return redirect(question_url(alert.question))


@login_required
@require_POST
def answer(request, pk):
    return _act(
        request, pk, lambda q, d: services.question_answer(actor=request.user, question=q, body=d["body"]),
        check=access.check_handles, form_class=AnswerForm, ok=_("Answer sent."),
    )  # fmt: skip


@login_required
@require_POST
def note(request, pk):
    return _act(
        request, pk, lambda q, d: services.question_note(actor=request.user, question=q, body=d["body"]),
        check=access.check_handles, form_class=NoteForm, ok=_("Note saved."),
    )  # fmt: skip


@login_required
@require_POST
def claim(request, pk):
    return _act(
        request, pk, lambda q, d: services.question_claim(actor=request.user, question=q),
        check=access.check_may_claim, ok=_("Claimed."),
    )  # fmt: skip


@login_required
@require_POST
def assign(request, pk):
    return _act(
        request, pk, lambda q, d: services.question_assign(actor=request.user, question=q),
        check=access.check_may_assign, ok=_("Assigned."),
    )  # fmt: skip


@login_required
@require_POST
def close(request, pk):
    return _act(
        request, pk, lambda q, d: services.question_close(actor=request.user, question=q),
        check=access.check_handles, ok=_("Closed."),
    )  # fmt: skip


@login_required
@require_POST
def clear_flag(request, pk):
    return _act(
        request, pk,
        lambda q, d: services.question_clear_flag(actor=request.user, question=q, reason=d["reason"]),
        check=access.check_may_clear_flag, form_class=ClearFlagForm,
        ok=_("The urgent flag was cleared; the record is kept."),
    )  # fmt: skip


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
        place = figures.Scope(county_id=min(counties))
    elif access.school_ids_overseen(request.user):
        school = get_school_overseen_by(request.user, min(access.school_ids_overseen(request.user)))
    else:
        raise Http404("not an admin")
    if school is not None:
        place = figures.Scope(school_id=school.pk)
    schools = list(schools_overseen_by(request.user).order_by("name")) if counties else []
    return render(
        request,
        "questions/overview.html",
        {
            "school": school,
            "schools": schools,
            "days": days,
            "windows": figures.WINDOWS,
            "hot": hot_topics(place, days),
            "manageable": topics_access.topic_school_ids_managed_by(request.user),
            "fig": figures.question_figures(place, days),
        },
    )
