"""Pushing a published article to families: a notice like any other (its receipts, SMS fallback and print sheet),
with a link to the article."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from xieyu.notices.audience import Audience
from xieyu.notices.services import notice_create

from ..articles.models import Article
from ..sanitise import plain_text
from .models import ArticlePush

LEAD_CHARS = 200


@transaction.atomic
def article_push(*, actor, article: Article, audience: Audience) -> ArticlePush:
    """A notice to the audience's guardians: the title, the lead and the link to read it (the audience is checked
    against the sender's rights by notice_create)."""
    if article.status != Article.Status.PUBLISHED:
        raise ValidationError(_("Only a published article can be pushed to families."), code="status")
    if audience.is_empty():
        raise ValidationError(_("Choose whom to push it to."), code="audience")
    path = reverse("publicity:article", args=[article.pk])
    lead = article.summary or plain_text(article.body)[:LEAD_CHARS]
    body = "\n\n".join(part for part in (
        lead, _("Read the whole article: %(url)s") % {"url": settings.SITE_URL + path},
    ) if part)  # fmt: skip
    notice = notice_create(actor=actor, title=article.title[:60], body=body, audience=audience, link=path,
                           topic="publicity.article")  # fmt: skip
    return ArticlePush.objects.create(article=article, notice=notice, pushed_by=actor)
