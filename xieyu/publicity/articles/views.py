"""The writers' and reviewers' pages: my articles, the editor (with pictures, files and video), importing a
document, versions, the review queue and the decision page (review, publish, return), retraction.

Reads and authorisation through access.py (missing and forbidden answer 404 alike), writes through services.py.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xieyu.core.forms import form_errors_text
from xieyu.core.viewhelpers import error_text, run_service

from . import access, services
from .forms import ArticleForm, DecisionForm, ImportForm, RetractForm, UploadForm
from .models import Article, ArticleReview

PAGE_SIZE = 20


def _edit_url(article: Article) -> str:
    return reverse("publicity:article_edit", args=[article.pk])


def _desk(request, form, desks) -> access.Desk | None:
    if len(desks) == 1:
        return desks[0]
    return access.desk_for(request.user, form.cleaned_data.get("desk") or "")


@login_required
def my_articles(request):
    desks = access.desks_of(request.user)
    if not desks and not access.articles_authored_by(request.user).exists():
        raise Http404("no desk to write at")
    qs = access.articles_authored_by(request.user).select_related("school").order_by("-updated_at", "-pk")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "publicity/articles/mine.html", {"page": page, "can_write": bool(desks)})


def _media(request, article: Article) -> None:
    files = request.FILES
    if any(files.get(k) for k in ("cover", "video", "video_poster")):
        services.article_media_set(actor=request.user, article=article, cover=files.get("cover"),
                                   video=files.get("video"), poster=files.get("video_poster"))  # fmt: skip


@login_required
def article_create(request):
    desks = access.desks_of(request.user)
    if not desks:
        raise Http404("no desk to write at")
    school_desk = any(d.school is not None for d in desks)
    form = ArticleForm(request.POST or None, request.FILES or None, desks=desks, school_desk=school_desk)
    if request.method == "POST":
        if not form.is_valid():
            messages.error(request, form_errors_text(form))
        elif (desk := _desk(request, form, desks)) is None:
            messages.error(request, _("Choose the column the article is for."))
        else:
            try:
                with transaction.atomic():
                    article = services.article_create(actor=request.user, desk=desk, fields=form.fields_value())
                    _media(request, article)
            except ValidationError as exc:
                messages.error(request, error_text(exc))
            else:
                messages.success(request, _("The draft is saved. Add pictures or files, then send it for review."))
                return redirect(_edit_url(article))
    return render(request, "publicity/articles/form.html", {"form": form, "article": None})


@login_required
def article_edit(request, pk):
    article = access.get_article_to_edit(request.user, pk)
    form = ArticleForm(request.POST or None, request.FILES or None, school_desk=article.school_id is not None,
                       initial=None if request.method == "POST" else ArticleForm.initial_of(article))  # fmt: skip
    if request.method == "POST":
        if not form.is_valid():
            messages.error(request, form_errors_text(form))
        else:
            try:
                with transaction.atomic():
                    article = services.article_update(actor=request.user, article=article,
                                                      fields=form.fields_value())  # fmt: skip
                    _media(request, article)
            except ValidationError as exc:
                messages.error(request, error_text(exc))
            else:
                messages.success(request, _("Saved as version %(n)d.") % {"n": article.version})
                return redirect(_edit_url(article))
    last_return = article.reviews.filter(step=ArticleReview.Step.RETURN).order_by("-at").first()
    return render(request, "publicity/articles/form.html", {
        "form": form, "article": article, "images": article.attachments.filter(kind="image").order_by("pk"),
        "files": access.attachments_of(article), "upload_form": UploadForm(), "last_return": last_return,
    })  # fmt: skip


@login_required
@require_POST
def article_submit(request, pk):
    article = access.get_article_to_edit(request.user, pk)
    return run_service(request, lambda: services.article_submit(actor=request.user, article=article),
                       _("Sent for review. You will be told when it is published or returned."),
                       reverse("publicity:my_articles"))  # fmt: skip


@login_required
@require_POST
def image_add(request, pk):
    """A picture for the body: JSON {url} for the editor's script, or back to the editor without it."""
    article = access.get_article_to_edit(request.user, pk)
    form = UploadForm(request.POST, request.FILES)
    wants_json = "application/json" in request.headers.get("Accept", "")
    try:
        if not form.is_valid():
            raise ValidationError(form_errors_text(form))
        picture = services.article_image_add(actor=request.user, article=article, upload=form.cleaned_data["file"])
    except ValidationError as exc:
        if wants_json:
            return JsonResponse({"error": error_text(exc)}, status=400)
        messages.error(request, error_text(exc))
        return redirect(_edit_url(article))
    url = reverse("publicity:file", args=[picture.token])
    if wants_json:
        return JsonResponse({"url": url, "name": picture.name}, status=201)
    messages.success(request, _("The picture is added: copy its address into the text, or insert it with the "
                                "editor's picture button."))  # fmt: skip
    return redirect(_edit_url(article))


@login_required
@require_POST
def file_add(request, pk):
    article = access.get_article_to_edit(request.user, pk)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, form_errors_text(form))
        return redirect(_edit_url(article))
    return run_service(request, lambda: services.article_file_add(actor=request.user, article=article,
                                                                  upload=form.cleaned_data["file"]),
                       _("The file is attached."), _edit_url(article))  # fmt: skip


@login_required
@require_POST
def file_remove(request, pk, token):
    article = access.get_article_to_edit(request.user, pk)
    attachment = access.get_own_attachment(article, token)
    return run_service(request, lambda: services.article_file_remove(actor=request.user, article=article,
                                                                     attachment=attachment),
                       _("The file is removed."), _edit_url(article))  # fmt: skip


@login_required
def article_import(request):
    desks = access.desks_of(request.user)
    if not desks:
        raise Http404("no desk to write at")
    form = ImportForm(request.POST or None, request.FILES or None, desks=desks)
    if request.method == "POST":
        if not form.is_valid():
            messages.error(request, form_errors_text(form))
        elif (desk := _desk(request, form, desks)) is None:
            messages.error(request, _("Choose the column the article is for."))
        else:
            try:
                article = services.article_import(actor=request.user, desk=desk, upload=form.cleaned_data["file"],
                                                  category=form.cleaned_data["category"],
                                                  title=form.cleaned_data.get("title") or "")  # fmt: skip
            except ValidationError as exc:
                messages.error(request, error_text(exc))
            else:
                messages.success(request, _("Imported as a draft: check it, then send it for review."))
                return redirect(_edit_url(article))
    return render(request, "publicity/articles/import.html", {"form": form})


@login_required
def versions(request, pk):
    article = access.get_article_for(request.user, pk)
    if not (article.author_id == request.user.pk or access.can_review(request.user, article)
            or access.can_manage(request.user, article)):  # fmt: skip
        raise Http404("no versions for this user")
    return render(request, "publicity/articles/versions.html", {
        "article": article,
        "versions": article.versions.select_related("editor").order_by("-number"),
        "reviews": article.reviews.select_related("actor").order_by("-at", "-pk"),
    })  # fmt: skip


@login_required
def version_detail(request, pk, number):
    version = access.get_version_for(request.user, pk, number)
    return render(request, "publicity/articles/version.html", {"version": version, "article": version.article})


@login_required
def review_queue(request):
    qs = access.review_queue(request.user).select_related("school", "author").order_by("status", "pk")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "publicity/articles/queue.html", {"page": page})


@login_required
def article_review(request, pk):
    """The decision page: the article as it will read, and approve (with a time) or return (with a note)."""
    article = access.get_article_to_review(request.user, pk)
    form = DecisionForm(request.POST or None)
    if request.method == "POST":
        if not form.is_valid():
            messages.error(request, form_errors_text(form))
        else:
            d = form.cleaned_data
            call = services.article_publish if article.status == Article.Status.TO_PUBLISH else services.article_review
            try:
                article = call(actor=request.user, article=article, approve=d["decision"] == "approve",
                               note=d.get("note") or "", publish_at=d.get("publish_at"))  # fmt: skip
            except (ValidationError, PermissionDenied) as exc:
                messages.error(request, error_text(exc))
            else:
                done: dict[str, str] = {
                    Article.Status.PUBLISHED: _("Published."), Article.Status.SCHEDULED: _("Scheduled."),
                    Article.Status.TO_PUBLISH: _("Reviewed: it goes to the county for publishing."),
                    Article.Status.RETURNED: _("Returned to the author with your note."),
                }  # fmt: skip
                messages.success(request, done.get(article.status, _("Done.")))
                return redirect(reverse("publicity:review_queue"))
    return render(request, "publicity/articles/review.html", {
        "article": article, "form": form, "files": access.attachments_of(article),
        "reviews": article.reviews.select_related("actor").order_by("at", "pk"),
    })  # fmt: skip


@login_required
@require_POST
def article_retract(request, pk):
    article = access.get_article_to_manage(request.user, pk)
    form = RetractForm(request.POST)
    to = reverse("publicity:article", args=[article.pk])
    if not form.is_valid():
        messages.error(request, form_errors_text(form))
        return redirect(to)
    return run_service(request, lambda: services.article_retract(actor=request.user, article=article,
                                                                 note=form.cleaned_data["note"]),
                       _("The article is retracted."), to)  # fmt: skip
