"""The column's pages: the list (the public part for anyone, everything the reader may read once logged in), an
article (shareable: a public article opens without login, with the title and lead a WeChat share card shows),
its pictures, files and video, and pushing it to families.

Reads and authorisation through access.py (missing and forbidden answer 404 alike), writes through services.py.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xieyu.core.uploads import download_name, serve_file, type_of_stored
from xieyu.core.viewhelpers import error_text, parse_id

from ..articles import access as articles_access
from ..articles import services as articles_services
from ..articles.forms import RetractForm
from ..articles.models import Article
from ..sanitise import plain_text
from . import access, services
from .forms import ColumnSearchForm, PushForm

PAGE_SIZE = 15
PUBLIC_PAGE_SECONDS = 60  # the longest a cached public page may lag behind (another process's cache, say)
CSRF_PLACE = "csrf-token-of-this-visitor"


def _public_cached(request, render_page) -> HttpResponse:
    """For a visitor without login, the public column's pages are the same for everyone: rendered once per change
    of the column (the version in the key), for each address, care mode and language. The page is rendered with a
    place for the CSRF token (the care-mode switch posts it), filled with the visitor's own token at each request;
    a page with a message for this visitor is never cached."""
    if request.user.is_authenticated or request.method != "GET" or list(messages.get_messages(request)):
        return render_page({})
    address = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    key = (f"publicity:page:{articles_services.column_version()}:{address}:"
           f"{int(request.COOKIES.get('care_mode') == '1')}:{get_language()}")  # fmt: skip
    hit = cache.get(key)
    if hit is None:
        response = render_page({"csrf_token": CSRF_PLACE})
        if response.status_code not in (200, 410):
            return response
        hit = (response.status_code, response.content.decode())
        cache.set(key, hit, PUBLIC_PAGE_SECONDS)
    status, page = hit
    return HttpResponse(page.replace(CSRF_PLACE, get_token(request)), status=status)


def column(request):
    """Anyone may open it: without login the public part, with login everything the reader may read."""
    return _public_cached(request, lambda extra: _column(request, extra))


def _column(request, extra: dict):
    form = ColumnSearchForm(request.GET)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = access.column_list(request.user, category=filters.get("category") or "", where=filters.get("where") or "",
                            q=(filters.get("q") or "").strip())  # fmt: skip
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "publicity/column/list.html",
                  {"form": form, "page": page, "query": query.urlencode(), **extra})  # fmt: skip


def article(request, pk):
    if not request.user.is_authenticated:
        response = _public_cached(request, lambda extra: _article(request, pk, extra))
        if response.status_code == 200 and (pk_ := parse_id(pk)):
            articles_services.article_viewed(article_pk=pk_)
        return response
    return _article(request, pk, {})


def _article(request, pk, extra: dict):
    user = request.user
    try:
        item = articles_access.get_article_for(user, pk)
    except Http404:
        try:
            gone = articles_access.get_retracted_for(user, pk)
        except Http404:
            gone = None
        if gone is not None:
            return render(request, "publicity/column/retracted.html", {"article": gone, **extra}, status=410)
        if not user.is_authenticated:  # perhaps readable once logged in (the same answer whether it exists or not)
            return redirect_to_login(request.get_full_path())
        raise
    published = item.status == Article.Status.PUBLISHED
    if published and user.is_authenticated:  # a visitor's reading is counted by article(), cached or not
        articles_services.article_viewed(article_pk=item.pk)
    can_manage = user.is_authenticated and articles_access.can_manage(user, item)
    targets = access.push_targets(user) if published else []
    share_url = settings.SITE_URL + reverse("publicity:article", args=[item.pk])
    return render(request, "publicity/column/article.html", {
        "article": item, "published": published, "series": articles_access.series_of(user, item),
        "files": articles_access.attachments_of(item), "lead": item.summary or plain_text(item.body)[:120],
        "share_url": share_url, "can_manage": can_manage,
        "can_review": user.is_authenticated and articles_access.can_review(user, item),
        "push_form": PushForm(targets=targets) if targets else None,
        "pushes": item.pushes.select_related("notice").order_by("-at")[:5] if can_manage or targets else [],
        "retract_form": RetractForm() if can_manage and item.status in (Article.Status.PUBLISHED,
                                                                        Article.Status.SCHEDULED) else None,
        **extra,
    })  # fmt: skip


def article_file(request, token):
    """A picture in an article's body or a file with it: as the article is (a public one's for anyone)."""
    attachment = articles_access.get_attachment_for(request.user, token)
    file_type = type_of_stored(attachment.name)
    name = download_name(attachment.name, file_type) if file_type else attachment.name
    return serve_file(attachment.file, filename=name, file_type=file_type)


MEDIA = {"cover": ("cover", "cover.jpg"), "video": ("video", "video.mp4"), "poster": ("video_poster", "poster.jpg")}


def article_media(request, pk, what):
    if what not in MEDIA:
        raise Http404("no such media")
    item = articles_access.get_article_for(request.user, pk)
    field, name = MEDIA[what]
    stored = getattr(item, field)
    if not stored:
        raise Http404("no media")
    return serve_file(stored, filename=name, file_type=type_of_stored(name))


@login_required
@require_POST
def push(request, pk):
    item = articles_access.get_article_for(request.user, pk)
    targets = access.push_targets(request.user)
    if not targets:
        raise Http404("no one to push to")
    form = PushForm(request.POST, targets=targets)
    to = reverse("publicity:article", args=[item.pk])
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect(to)
    try:
        pushed = services.article_push(actor=request.user, article=item, audience=form.audience())
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect(to)
    messages.success(request, _("Pushed to the families of %(to)s: the receipts show who has read it.")
                     % {"to": pushed.notice.audience_label})  # fmt: skip
    return redirect(reverse("notices:receipts", args=[pushed.notice.pk]))
