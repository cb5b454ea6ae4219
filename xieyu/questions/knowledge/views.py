"""Knowledge-base pages: browse and search the articles (the public part needs no login), read one, and publish an
answered question as an anonymised article.

Every read and every authorisation goes through access.py (missing and forbidden both answer 404); every write
through services.py.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from xieyu.core.viewhelpers import error_text
from xieyu.questions.asking import access as asking_access
from xieyu.questions.asking.models import Category
from xieyu.questions.viewhelpers import page_of

from . import access, search, services
from .forms import ArticleForm


@login_required
def publish(request, pk):
    question = asking_access.get_question_for(request.user, pk)
    if not access.may_publish(request.user, question):
        raise Http404("may not publish")
    answers = [m.body for m in asking_access.thread_of(request.user, question) if m.kind == "answer"]
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
        except ValidationError as exc:
            error = error_text(exc)
        else:
            messages.success(request, _("Published to the knowledge base."))
            return redirect("questions:article", pk=article.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "questions/publish.html", {"q": question, "form": form, "error": error}, status=status)


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
        page = page_of(request, articles.order_by("-published_at", "-pk"))
    return render(
        request,
        "questions/knowledge.html",
        {"q": text, "category": category, "categories": Category.choices, "results": results, "page": page},
    )


def article(request, pk):
    return render(request, "questions/article.html", {"article": access.get_article_for(request.user, pk)})
