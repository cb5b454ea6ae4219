"""Who may read which article, and who may publish an answered question as one. Missing and forbidden both answer
404.

Everyone reads the public articles, a logged-in user also the members-only ones; the experts and county admins of
the question's county publish (the publish page answers 404 to anyone else).
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from xieyu.accounts.models import Role
from xieyu.accounts.scope import scope_of
from xieyu.questions.asking.models import Question

from .models import Article


def articles_visible_to(user) -> QuerySet[Article]:
    """Everyone sees public articles; a logged-in user also sees the members-only ones."""
    qs = Article.objects.all()
    if not getattr(user, "is_authenticated", False):
        qs = qs.filter(is_public=True)
    return qs


def get_article_for(user, pk) -> Article:
    article = articles_visible_to(user).filter(pk=pk).first()
    if article is None:
        raise Http404("article not found")
    return article


def articles_by_ids(user, ids: list[int]) -> list[Article]:
    found = {a.pk: a for a in articles_visible_to(user).filter(pk__in=ids)}
    return [found[i] for i in ids if i in found]


def may_publish(user, question: Question) -> bool:
    """Experts and county admins of the county turn an answered, publishable question into an article."""
    return (
        question.status != Question.Status.OPEN
        and question.answered_at is not None
        and question.visibility == Question.Visibility.PUBLISHABLE
        and question.county_id in scope_of(user).counties(Role.EXPERT, Role.COUNTY_ADMIN)
    )
