"""Every write to the knowledge base: publishing an answered question as an anonymised article (and indexing it).

Who may publish is settled at the edge (access.py); this enforces the rules of publishing (an answered question
whose parent allowed it, once, with nothing that identifies the family) and trusts the question it is given.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from xieyu.audit.services import audit_record
from xieyu.questions.asking.models import Category, Question
from xieyu.questions.asking.services import clean_text

from . import search
from .anonymity import anonymity_problems
from .models import Article


@transaction.atomic
def article_publish(
    *,
    actor,
    question: Question,
    title: str,
    question_text: str,
    answer_text: str,
    category: str,
    is_public: bool = True,
) -> Article:
    """An expert or county admin of the county (access.may_publish) turns an answered, publishable question into
    a knowledge-base article, after the anonymity check."""
    if (
        question.status == Question.Status.OPEN
        or question.answered_at is None
        or question.visibility != Question.Visibility.PUBLISHABLE
    ):
        raise ValidationError(
            _("Only an answered question whose parent allowed anonymous publishing can be published."), code="state"
        )
    if hasattr(question, "article") and Article.objects.filter(source_question=question).exists():
        raise ValidationError(_("This question has already been published."), code="published")
    if category not in Category.values:
        raise ValidationError(_("Choose a category for the question."), code="category")
    title = clean_text(title, field="title", low=4, high=60)
    question_text = clean_text(question_text, field="body", low=10, high=2000)
    answer_text = clean_text(answer_text, field="answer", low=5, high=4000)
    problems = anonymity_problems(f"{title}\n{question_text}\n{answer_text}", question)
    if problems:
        raise ValidationError(
            _("Not published: the text still contains %(what)s. Remove them and try again.")
            % {"what": "、".join(problems)},
            code="identifying",
        )
    article = Article.objects.create(
        category=category,
        title=title,
        question_text=question_text,
        answer_text=answer_text,
        is_public=is_public,
        county_id=question.county_id,
        source_question=question,
        author=actor,
    )
    search.index_document(search.KIND_ARTICLE, article.pk, f"{title} {question_text} {answer_text}")
    audit_record(actor=actor, action="article.publish", target=article, changes={"question": [None, question.pk]})
    return article
