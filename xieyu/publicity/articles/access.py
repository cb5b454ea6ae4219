"""Who may read, write, review, publish and manage which article.

- Reading a published article: anyone, without login, when it is public; otherwise the county's readers (staff of
  any role in the county, guardians of its children) for a county article or one a school wrote for the county
  column, and the school's own staff and families for a school's column. Nothing unpublished is read by anyone
  but its author, its reviewers and its managers.
- Writing (a desk): a school's staff write for their school's column (and may put it forward for the county's);
  the county's admins and experts write the county's own items.
- 三审: a school's item is reviewed by its school admin, and when it is for the county column it is then published
  by a county admin; a county item (an expert's interview, the bureau's policy digest) is reviewed and published by
  a county admin. No one reviews or publishes what they wrote.
- Managing a published item (retracting it, its figures): its school's admin and its county's admins.
Missing and forbidden both answer 404.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404

from xieyu.accounts.models import Role
from xieyu.accounts.scope import scope_of
from xieyu.core.viewhelpers import parse_id
from xieyu.directory import access as directory_access
from xieyu.directory.models import Region, School

from .models import Article, ArticleAttachment, ArticleVersion

SCHOOL_WRITERS = (Role.SCHOOL_ADMIN, Role.HEAD_TEACHER, Role.TEACHER)
COUNTY_WRITERS = (Role.COUNTY_ADMIN, Role.EXPERT)
EDITABLE = (Article.Status.DRAFT, Article.Status.RETURNED)


def _authenticated(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


@dataclass(frozen=True)
class Desk:
    """Where a writer writes: a school's column (school set) or the county's (school None)."""

    county: Region
    school: School | None

    @property
    def key(self) -> str:
        return f"school:{self.school.pk}" if self.school else f"county:{self.county.pk}"

    @property
    def label(self) -> str:
        return self.school.name if self.school else self.county.name


def desks_of(user) -> list[Desk]:
    if not _authenticated(user):
        return []
    scope = scope_of(user)
    schools = School.objects.filter(pk__in=scope.schools(*SCHOOL_WRITERS)).select_related("county").order_by("pk")
    counties = Region.objects.filter(pk__in=scope.counties(*COUNTY_WRITERS)).order_by("pk")
    return [Desk(county=c, school=None) for c in counties] + [Desk(county=s.county, school=s) for s in schools]


def desk_for(user, key: str) -> Desk | None:
    return next((d for d in desks_of(user) if d.key == key), None)


def reader_units(user) -> tuple[set[int], set[int]]:
    """The counties and schools whose columns the user reads."""
    scope = scope_of(user)
    kids = list(directory_access.children_of(user).values_list("school_id", "school__county_id"))
    counties = scope.reach_counties(*Role) | {county for _school, county in kids}
    schools = scope.schools(*Role) | {school for school, _county in kids}
    return counties, schools


def articles_readable_by(user, *, status: str = Article.Status.PUBLISHED) -> QuerySet[Article]:
    """Published articles the user may read (the public ones for anyone); with `status` RETRACTED, the ones she
    could read before they were retracted (a shared link then says why it is gone)."""
    published = Article.objects.filter(status=status)
    if not _authenticated(user):
        return published.filter(is_public=True)
    counties, schools = reader_units(user)
    admin = scope_of(user).counties(Role.COUNTY_ADMIN)
    county_column = Q(county__in=counties) & (Q(school__isnull=True) | Q(county_wide=True))
    return published.filter(Q(is_public=True) | county_column | Q(school__in=schools) | Q(county__in=admin))


def _managed_q(user) -> Q:
    scope = scope_of(user)
    return Q(county__in=scope.counties(Role.COUNTY_ADMIN)) | Q(school__in=scope.whole_schools(Role.SCHOOL_ADMIN))


def articles_managed_by(user) -> QuerySet[Article]:
    """Every article of the user's county (a county admin) or school (a school admin), whatever its state."""
    if not _authenticated(user):
        return Article.objects.none()
    return Article.objects.filter(_managed_q(user))


def articles_authored_by(user) -> QuerySet[Article]:
    if not _authenticated(user):
        return Article.objects.none()
    return Article.objects.filter(author=user)


def review_queue(user) -> QuerySet[Article]:
    """What waits for the user: items to review (first step) and county-column items to publish (second)."""
    if not _authenticated(user):
        return Article.objects.none()
    scope = scope_of(user)
    county_admin = scope.counties(Role.COUNTY_ADMIN)
    school_admin = scope.whole_schools(Role.SCHOOL_ADMIN)
    to_review = Q(status=Article.Status.IN_REVIEW) & (
        Q(school__in=school_admin) | (Q(school__isnull=True) & Q(county__in=county_admin))
    )
    to_publish = Q(status=Article.Status.TO_PUBLISH, county__in=county_admin)
    return Article.objects.filter(to_review | to_publish).exclude(author=user)


def _visible_q(user) -> Q:
    """Readable, or the user's own, or reviewable or managed by the user."""
    return (
        Q(pk__in=articles_readable_by(user).values("pk"))
        | Q(author=user)
        | Q(pk__in=review_queue(user).values("pk"))
        | _managed_q(user)
    )


def articles_visible_to(user) -> QuerySet[Article]:
    if not _authenticated(user):
        return articles_readable_by(user)
    return Article.objects.filter(_visible_q(user))


def _get(qs: QuerySet[Article], pk) -> Article:
    article = qs.select_related("county", "school", "author").filter(pk=parse_id(pk) or 0).first()
    if article is None:
        raise Http404("article not found")
    return article


def get_article_for(user, pk) -> Article:
    """An article the user may open: published and readable, or hers to write, review or manage."""
    return _get(articles_visible_to(user), pk)


def get_retracted_for(user, pk) -> Article:
    return _get(articles_readable_by(user, status=Article.Status.RETRACTED), pk)


def get_article_to_edit(user, pk) -> Article:
    """The author's own draft or returned article."""
    return _get(articles_authored_by(user).filter(status__in=EDITABLE), pk)


def get_article_to_review(user, pk) -> Article:
    return _get(review_queue(user), pk)


def get_article_to_manage(user, pk) -> Article:
    return _get(articles_managed_by(user), pk)


def can_review(user, article: Article) -> bool:
    return review_queue(user).filter(pk=article.pk).exists()


def can_manage(user, article: Article) -> bool:
    return articles_managed_by(user).filter(pk=article.pk).exists()


def get_version_for(user, article_pk, number) -> ArticleVersion:
    """A saved text of an article: for its author, its reviewers and its managers."""
    article = get_article_for(user, article_pk)
    if not (article.author_id == user.pk or can_review(user, article) or can_manage(user, article)):
        raise Http404("version not found")
    version = ArticleVersion.objects.filter(article=article, number=parse_id(number) or 0).first()
    if version is None:
        raise Http404("version not found")
    return version


def get_attachment_for(user, token: str) -> ArticleAttachment:
    """A file or picture of an article the user may open (a public article's for anyone)."""
    attachment = ArticleAttachment.objects.filter(token=str(token)[:32]).first()
    if attachment is None or not articles_visible_to(user).filter(pk=attachment.article_id).exists():
        raise Http404("file not found")
    return attachment


def get_own_attachment(article: Article, token: str) -> ArticleAttachment:
    """One of the article's own files (the article already fetched for the user)."""
    attachment = ArticleAttachment.objects.filter(article=article, token=str(token)[:32]).first()
    if attachment is None:
        raise Http404("file not found")
    return attachment


def attachments_of(article: Article) -> list[ArticleAttachment]:
    return list(ArticleAttachment.objects.filter(article=article, kind="file").order_by("pk"))


def series_of(user, article: Article) -> list[Article]:
    """The readable parts of the article's series, in order."""
    if not article.series:
        return []
    return list(
        articles_readable_by(user)
        .filter(county=article.county_id, series=article.series)
        .order_by("series_order", "published_at", "pk")
        .only("pk", "title", "series_order")
    )
