"""Every write of an article: writing and saving it (each save a version), 三审 (submit → review → publish, or
return), scheduled publishing, retraction, its pictures and files, and importing a document as a draft.

Whatever the path (the editor, the API, an import), the body passes through sanitise.clean_html before it is
stored; there is no way to store it otherwise.
"""

from __future__ import annotations

import datetime
import re
import secrets
from dataclasses import dataclass

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _

from xieyu.accounts.models import Role
from xieyu.accounts.scope import holders
from xieyu.audit.services import audit_record
from xieyu.core.images import resized_jpeg
from xieyu.core.uploads import ARTICLE_FILES, ARTICLE_IMAGES, ARTICLE_VIDEOS, check_upload
from xieyu.notices.messages import message_send

from ..sanitise import clean_html, plain_text
from .access import EDITABLE, Desk
from .models import Article, ArticleAttachment, ArticleReview, ArticleVersion, Category

TITLE_CHARS = 80
SUMMARY_CHARS = 200
BODY_CHARS = 100_000  # of the clean HTML
NOTE_CHARS = 300
SERIES_CHARS = 40
MAX_ATTACHMENTS = 10
MAX_IMAGES = 30
MAX_SCHEDULE_DAYS = 90


# What the column shows changed (an article published, scheduled in, or retracted): the cached public pages are
# keyed by this number, so they are rendered afresh from the next request on.
COLUMN_VERSION_KEY = "publicity:column:version"


def column_version() -> int:
    return cache.get_or_set(COLUMN_VERSION_KEY, 1, None) or 1


def _bump_column_version() -> None:
    try:
        cache.incr(COLUMN_VERSION_KEY)
    except ValueError:  # not in the cache (evicted, or a new cache)
        cache.set(COLUMN_VERSION_KEY, 2, None)


def _column_changed() -> None:
    """At once, and again once committed: a page rendered in between from the old rows is not kept."""
    _bump_column_version()
    transaction.on_commit(_bump_column_version)


@dataclass
class ArticleFields:
    title: str
    category: str
    body: str  # HTML as written or pasted: cleaned here
    summary: str = ""
    county_wide: bool = False
    is_public: bool = False
    video_url: str = ""
    series: str = ""
    series_order: int = 0


def _clean(fields: ArticleFields, *, school_desk: bool) -> dict:
    title = " ".join((fields.title or "").split())
    if not title:
        raise ValidationError(_("Give the article a title."), code="title")
    if len(title) > TITLE_CHARS:
        raise ValidationError(_("The title is too long: at most %(n)d characters.") % {"n": TITLE_CHARS}, code="title")
    if fields.category not in Category.values:
        raise ValidationError(_("Choose the article's category."), code="category")
    body = clean_html(fields.body or "", "article")
    if not plain_text(body) and "<img" not in body:
        raise ValidationError(_("Write the article's content."), code="body")
    if len(body) > BODY_CHARS:
        raise ValidationError(_("The content is too long."), code="body")
    summary = " ".join(plain_text(fields.summary or "").split())
    if len(summary) > SUMMARY_CHARS:
        raise ValidationError(
            _("The summary is too long: at most %(n)d characters.") % {"n": SUMMARY_CHARS}, code="summary"
        )
    video_url = (fields.video_url or "").strip()
    if video_url and not video_url.lower().startswith(("https://", "http://")) or len(video_url) > 200:
        raise ValidationError(_("The video link must be a web address starting with https://."), code="video_url")
    series = " ".join((fields.series or "").split())
    if len(series) > SERIES_CHARS:
        raise ValidationError(
            _("The series name is too long: at most %(n)d characters.") % {"n": SERIES_CHARS}, code="series"
        )
    if not 0 <= int(fields.series_order or 0) <= 999:
        raise ValidationError(_("The part number in the series must be between 0 and 999."), code="series_order")
    return {
        "title": title, "category": fields.category, "body": body, "summary": summary,
        # A county item is the county's column already; a school's item goes there only when its author asks.
        "county_wide": bool(fields.county_wide) if school_desk else True,
        "is_public": bool(fields.is_public), "video_url": video_url, "series": series,
        "series_order": int(fields.series_order or 0),
    }  # fmt: skip


def _version(article: Article, editor) -> None:
    ArticleVersion.objects.create(article=article, number=article.version, title=article.title,
                                  summary=article.summary, body=article.body, editor=editor)  # fmt: skip


@transaction.atomic
def article_create(*, actor, desk: Desk, fields: ArticleFields) -> Article:
    """A draft at the writer's desk (her school's column or the county's)."""
    values = _clean(fields, school_desk=desk.school is not None)
    article = Article.objects.create(county=desk.county, school=desk.school, author=actor, author_unit=desk.label,
                                     **values)  # fmt: skip
    _version(article, actor)
    audit_record(actor=actor, action="article.create", target=article)
    return article


@transaction.atomic
def article_update(*, actor, article: Article, fields: ArticleFields) -> Article:
    """A new version of a draft or returned article (the author's)."""
    article = Article.objects.select_for_update().get(pk=article.pk)
    if article.status not in EDITABLE:
        raise ValidationError(_("Only a draft or a returned article can be changed."), code="status")
    values = _clean(fields, school_desk=article.school_id is not None)
    changed = any(getattr(article, k) != v for k, v in values.items())
    if not changed:
        return article
    for key, value in values.items():
        setattr(article, key, value)
    article.version += 1
    article.updated_at = timezone.now()
    article.save()
    _version(article, actor)
    audit_record(actor=actor, action="article.update", target=article, changes={"version": [None, article.version]})
    return article


def _review(article: Article, step: str, actor, note: str = "") -> None:
    ArticleReview.objects.create(article=article, step=step, actor=actor, version=article.version, note=note)


def _locked(article: Article, *statuses: str) -> Article:
    article = Article.objects.select_for_update().get(pk=article.pk)
    if article.status not in statuses:
        raise ValidationError(
            _("The article is %(status)s: it cannot do that now.") % {"status": article.get_status_display()},
            code="status",
        )
    return article


def _note(note: str, *, required: bool, what: str) -> str:
    note = " ".join((note or "").split())
    if required and not note:
        raise ValidationError(what, code="note")
    if len(note) > NOTE_CHARS:
        raise ValidationError(_("The note is too long: at most %(n)d characters.") % {"n": NOTE_CHARS}, code="note")
    return note


def _tell_author(article: Article, actor, title: str, body: str) -> None:
    if article.author_id == actor.pk:
        return
    message_send(actor=actor, county_id=article.county_id, to_user=article.author, title=title[:60], body=body,
                 link=reverse("publicity:article_edit", args=[article.pk]) if article.status in EDITABLE
                 else reverse("publicity:article", args=[article.pk]),
                 topic="publicity.article")  # fmt: skip


def _reviewers(article: Article):
    if article.status == Article.Status.TO_PUBLISH or article.school_id is None:
        return holders(Role.COUNTY_ADMIN, county=article.county_id)
    return holders(Role.SCHOOL_ADMIN, school=article.school_id)


@transaction.atomic
def article_submit(*, actor, article: Article) -> Article:
    """The author sends her draft for review; its reviewers are told."""
    article = _locked(article, *EDITABLE)
    article.status = Article.Status.IN_REVIEW
    article.save(update_fields=["status"])
    _review(article, ArticleReview.Step.SUBMIT, actor)
    link = reverse("publicity:article_review", args=[article.pk])
    for reviewer in _reviewers(article).exclude(pk=actor.pk):
        message_send(actor=actor, county_id=article.county_id, to_user=reviewer,
                     title=_("An article to review: %(title)s") % {"title": article.title[:40]},
                     body=_("%(author)s (%(unit)s) sent an article for review.")
                     % {"author": actor.name, "unit": article.author_unit},
                     link=link, topic="publicity.review")  # fmt: skip
    audit_record(actor=actor, action="article.submit", target=article)
    return article


def _check_publish_at(publish_at: datetime.datetime | None) -> datetime.datetime | None:
    if publish_at is None:
        return None
    now = timezone.now()
    if publish_at <= now:
        return None  # now
    if publish_at > now + datetime.timedelta(days=MAX_SCHEDULE_DAYS):
        raise ValidationError(
            _("An article can be scheduled at most %(n)d days ahead.") % {"n": MAX_SCHEDULE_DAYS}, code="publish_at"
        )
    return publish_at


def _publish(article: Article, actor, publish_at: datetime.datetime | None) -> None:
    article.published_by = actor
    if publish_at is not None:
        article.status = Article.Status.SCHEDULED
        article.publish_at = publish_at
    else:
        article.status = Article.Status.PUBLISHED
        article.published_at = timezone.now()
        article.publish_at = None
    article.save(update_fields=["status", "publish_at", "published_at", "published_by"])
    _review(article, ArticleReview.Step.PUBLISH, actor)
    _column_changed()


@transaction.atomic
def article_review(
    *, actor, article: Article, approve: bool, note: str = "", publish_at: datetime.datetime | None = None
) -> Article:
    """The second step. A school's item for its own column, or a county item (the county admin reviewing it is its
    publisher), approved is published (now or at publish_at); a school's item for the county column goes on to the
    county publisher (the third step). Returned, it goes back to its author with the note (required)."""
    article = _locked(article, Article.Status.IN_REVIEW)
    if article.author_id == actor.pk:
        raise PermissionDenied(_("No one reviews what they wrote."))
    note = _note(note, required=not approve, what=_("Say what the author should change."))
    if not approve:
        return _return(article, actor, note)
    publish_at = _check_publish_at(publish_at)
    _review(article, ArticleReview.Step.REVIEW, actor, note)
    if article.county_wide and article.school_id is not None:  # a school's item for the county column
        article.status = Article.Status.TO_PUBLISH
        article.save(update_fields=["status"])
        for publisher in holders(Role.COUNTY_ADMIN, county=article.county_id).exclude(pk__in=[actor.pk,
                                                                                             article.author_id]):
            message_send(actor=actor, county_id=article.county_id, to_user=publisher,
                         title=_("An article to publish: %(title)s") % {"title": article.title[:40]},
                         body=_("%(unit)s has reviewed an article for the county column.")
                         % {"unit": article.author_unit},
                         link=reverse("publicity:article_review", args=[article.pk]),
                         topic="publicity.review")  # fmt: skip
    else:
        _publish(article, actor, publish_at)
        _tell_author(article, actor, _("Your article is published: %(title)s") % {"title": article.title[:40]},
                     _("It is in the column now.") if publish_at is None
                     else _("It will be published at %(at)s.") % {"at": timezone.localtime(publish_at)
                                                                   .strftime("%Y-%m-%d %H:%M")})  # fmt: skip
    audit_record(actor=actor, action="article.review", target=article, changes={"status": [None, article.status]})
    return article


def _return(article: Article, actor, note: str) -> Article:
    article.status = Article.Status.RETURNED
    article.save(update_fields=["status"])
    _review(article, ArticleReview.Step.RETURN, actor, note)
    _tell_author(article, actor, _("Your article is returned: %(title)s") % {"title": article.title[:40]}, note)
    audit_record(actor=actor, action="article.return", target=article, changes={"note": [None, note]})
    return article


@transaction.atomic
def article_publish(
    *, actor, article: Article, approve: bool = True, note: str = "", publish_at: datetime.datetime | None = None
) -> Article:
    """The third step for the county column: the county publisher publishes (now or later) or returns it."""
    article = _locked(article, Article.Status.TO_PUBLISH)
    if article.author_id == actor.pk:
        raise PermissionDenied(_("No one publishes what they wrote."))
    note = _note(note, required=not approve, what=_("Say what the author should change."))
    if not approve:
        return _return(article, actor, note)
    publish_at = _check_publish_at(publish_at)
    _publish(article, actor, publish_at)
    _tell_author(article, actor, _("Your article is published: %(title)s") % {"title": article.title[:40]},
                 _("It is in the county column now.") if publish_at is None
                 else _("It will be published at %(at)s.") % {"at": timezone.localtime(publish_at)
                                                               .strftime("%Y-%m-%d %H:%M")})  # fmt: skip
    audit_record(actor=actor, action="article.publish", target=article, changes={"status": [None, article.status]})
    return article


def articles_publish_due(*, now: datetime.datetime | None = None) -> int:
    """Scheduled articles whose time has come are published (a conditional update: once only)."""
    now = now or timezone.now()
    with transaction.atomic():
        published = Article.objects.filter(status=Article.Status.SCHEDULED, publish_at__lte=now).update(
            status=Article.Status.PUBLISHED, published_at=F("publish_at")
        )
        if published:
            _column_changed()
    return published


@transaction.atomic
def article_retract(*, actor, article: Article, note: str) -> Article:
    """A published (or scheduled) article is taken down, with the reason shown to anyone who opens it."""
    article = _locked(article, Article.Status.PUBLISHED, Article.Status.SCHEDULED)
    note = _note(note, required=True, what=_("Say why the article is retracted."))
    article.status = Article.Status.RETRACTED
    article.retracted_at = timezone.now()
    article.retraction_note = note
    article.save(update_fields=["status", "retracted_at", "retraction_note"])
    _review(article, ArticleReview.Step.RETRACT, actor, note)
    _column_changed()
    _tell_author(article, actor, _("Your article is retracted: %(title)s") % {"title": article.title[:40]}, note)
    audit_record(actor=actor, action="article.retract", target=article, changes={"note": [None, note]})
    return article


VIEWS_FLUSH_EVERY = 20  # readings counted in the cache, written to the article's row twenty at a time


def article_viewed(*, article_pk: int) -> None:
    """One more reading of a published article. The count is kept in the cache and written to the row once every
    VIEWS_FLUSH_EVERY readings (one UPDATE for twenty readers, so a popular article's readers do not queue for the
    database's write lock); a cache that is lost loses fewer than that many readings of an article."""
    key = f"publicity:views:{article_pk}"
    cache.add(key, 0, None)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, None)
        count = 1
    if count % VIEWS_FLUSH_EVERY == 0:
        Article.objects.filter(pk=article_pk, status=Article.Status.PUBLISHED).update(
            views=F("views") + VIEWS_FLUSH_EVERY
        )


# --- pictures, files and video -------------------------------------------------------------------------------------


def _attachment(article: Article, kind: str, name: str, content_type: str, content) -> ArticleAttachment:
    attachment = ArticleAttachment(article=article, kind=kind, token=secrets.token_hex(16), name=name[:120],
                                   content_type=content_type, size=content.size)  # fmt: skip
    attachment.file.save(attachment.token, content, save=False)
    attachment.save()
    return attachment


def _editable(article: Article) -> None:
    if article.status not in EDITABLE:
        raise ValidationError(_("Only a draft or a returned article can be changed."), code="status")


@transaction.atomic
def article_image_add(*, actor, article: Article, upload) -> ArticleAttachment:
    """A picture for the body, resized for phones; the editor puts its address into the text."""
    _editable(article)
    if ArticleAttachment.objects.filter(article=article, kind="image").count() >= MAX_IMAGES:
        raise ValidationError(_("An article may have at most %(n)d pictures.") % {"n": MAX_IMAGES}, code="image")
    checked = check_upload(upload, ARTICLE_IMAGES)
    picture = resized_jpeg(checked.file, name="picture.jpg").content
    return _attachment(article, "image", checked.name.rsplit(".", 1)[0] + ".jpg", "image/jpeg", picture)


@transaction.atomic
def article_file_add(*, actor, article: Article, upload) -> ArticleAttachment:
    _editable(article)
    if ArticleAttachment.objects.filter(article=article, kind="file").count() >= MAX_ATTACHMENTS:
        raise ValidationError(_("An article may have at most %(n)d files.") % {"n": MAX_ATTACHMENTS}, code="file")
    checked = check_upload(upload, ARTICLE_FILES)
    return _attachment(article, "file", checked.name, checked.content_type, checked.file)


@transaction.atomic
def article_file_remove(*, actor, article: Article, attachment: ArticleAttachment) -> None:
    _editable(article)
    if attachment.article_id != article.pk:
        raise ValidationError(_("That file is not this article's."), code="file")
    attachment.file.delete(save=False)
    attachment.delete()


@transaction.atomic
def article_media_set(*, actor, article: Article, cover=None, video=None, poster=None) -> Article:
    """The cover picture and the video file with its poster frame (each optional; pictures resized)."""
    _editable(article)
    if cover is not None:
        check_upload(cover, ARTICLE_IMAGES)
        article.cover.save(f"{secrets.token_hex(16)}.jpg", resized_jpeg(cover, max_side=1080).content, save=False)
    if video is not None:
        checked = check_upload(video, ARTICLE_VIDEOS)
        article.video.save(f"{secrets.token_hex(16)}.mp4", checked.file, save=False)
    if poster is not None:
        check_upload(poster, ARTICLE_IMAGES)
        article.video_poster.save(f"{secrets.token_hex(16)}.jpg", resized_jpeg(poster, max_side=1080).content, save=False)
    if article.video and not article.video_poster:
        raise ValidationError(_("Give the video a poster picture (shown before it plays)."), code="video_poster")
    article.save(update_fields=["cover", "video", "video_poster"])
    return article


# --- import --------------------------------------------------------------------------------------------------------

IMPORT_BYTES = 5 * 1024 * 1024


def _decode(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):  # Word and WPS save web pages in either
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError(_("The file's text cannot be read: save it as a web page (UTF-8) and try again."),
                          code="import")  # fmt: skip


def _html_title(html: str) -> str:
    match = re.search(r"<title[^>]*>(.*?)</title>", html, re.IGNORECASE | re.DOTALL)
    return " ".join(plain_text(match.group(1)).split())[:TITLE_CHARS] if match else ""


@transaction.atomic
def article_import(*, actor, desk: Desk, upload, category: str, title: str = "") -> Article:
    """A draft from a web page saved by Word, WPS or an official-account editor (.html / .htm) or a text file:
    the same cleaning as the editor (Word's styles, scripts and tracking are dropped)."""
    name = (getattr(upload, "name", "") or "").lower()
    if not name.endswith((".html", ".htm", ".txt")):
        raise ValidationError(_("Import a web page (.html or .htm, as Word or WPS saves it) or a .txt file."),
                              code="import")  # fmt: skip
    if not 0 < (getattr(upload, "size", 0) or 0) <= IMPORT_BYTES:
        raise ValidationError(_("The file is empty or larger than 5 MB."), code="import")
    upload.seek(0)
    text = _decode(upload.read())
    if name.endswith(".txt"):
        paragraphs = [p.strip() for p in text.replace("\r\n", "\n").split("\n") if p.strip()]
        body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
        guessed = paragraphs[0][:TITLE_CHARS] if paragraphs else ""
    else:
        body, guessed = text, _html_title(text)
    return article_create(actor=actor, desk=desk, fields=ArticleFields(title=(title or "").strip() or guessed,
                                                                       category=category, body=body))  # fmt: skip
