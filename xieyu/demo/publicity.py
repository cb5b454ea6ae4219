"""The demo county's column: forty published articles (the 双减 series among them) through the same services as
the editor, their review steps, one pushed to 城厢小学's families, and the desks' work in progress — 何静's
article waiting in 刘芳's queue, a 全南二中 report for the county column waiting for 陈建国, a returned draft."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.html import escape

from xieyu.notices.audience import Audience
from xieyu.publicity.articles.access import Desk
from xieyu.publicity.articles.models import Article, ArticleReview
from xieyu.publicity.articles.services import ArticleFields, article_create, article_review, article_submit
from xieyu.publicity.column.services import article_push

from .column_articles import ARTICLES
from .personas import Cast


def _body(paragraphs: list[str]) -> str:
    html = []
    for text in paragraphs:
        head, sep, rest = text.partition(":") if text[:2] in ("一、", "二、", "三、", "四、") else ("", "", text)
        if sep and len(head) <= 16:
            html.append(f"<h3>{escape(head)}</h3><p>{escape(rest)}</p>")
        else:
            html.append(f"<p>{escape(text)}</p>")
    return "".join(html)


def seed_publicity(cast: Cast) -> None:
    desks = {
        "county": (Desk(county=cast.county, school=None), cast.expert_huang, cast.county_admin_chen),
        "school_a": (Desk(county=cast.county, school=cast.school_a), cast.teacher_he, cast.school_admin_liu),
        "school_b": (Desk(county=cast.county, school=cast.school_b), cast.head_teacher_wang, cast.school_admin_wang),
    }
    now = timezone.now()
    first = None
    for i, (key, category, desk_key, public, series, order, title, summary, paragraphs) in enumerate(ARTICLES):
        desk, author, reviewer = desks[desk_key]
        article = article_create(actor=author, desk=desk, fields=ArticleFields(
            title=title, category=category, body=_body(paragraphs), summary=summary, is_public=public,
            series=series, series_order=order, county_wide=desk_key == "school_b" and category == "report" and i % 2 == 0,
        ))  # fmt: skip
        at = now - datetime.timedelta(days=2 * (len(ARTICLES) - i), hours=i % 5)
        reviews = [(ArticleReview.Step.SUBMIT, author), (ArticleReview.Step.REVIEW, reviewer)]
        if article.county_wide and article.school_id:
            reviews.append((ArticleReview.Step.PUBLISH, cast.county_admin_chen))
        else:
            reviews.append((ArticleReview.Step.PUBLISH, reviewer))
        ArticleReview.objects.bulk_create([
            ArticleReview(article=article, step=step, actor=who, version=1, at=at - datetime.timedelta(hours=3 - n))
            for n, (step, who) in enumerate(reviews)
        ])  # fmt: skip
        Article.objects.filter(pk=article.pk).update(
            status=Article.Status.PUBLISHED, published_at=at, published_by=reviews[-1][1], views=(i * 37) % 400 + 12,
            created_at=at - datetime.timedelta(days=1), updated_at=at - datetime.timedelta(hours=3),
        )  # fmt: skip
        if key == "jian_what":
            first = article
    if first is not None:
        first.refresh_from_db()
        article_push(actor=cast.school_admin_liu, article=first, audience=Audience(schools=[cast.school_a.pk]))

    # Work in progress at the desks.
    waiting = article_create(actor=cast.teacher_he, desk=desks["school_a"][0], fields=ArticleFields(
        title="三年级家长会:我们这样减作业", category="report", county_wide=True, is_public=True,
        summary="城厢小学三年级的作业公示、分层作业和家长反馈。",
        body=_body(["本学期起,三年级每周一公示各科作业,家长可以在班级群里看到每天的作业内容和预计用时。",
                    "老师们把作业分成基础、提高两层,孩子按自己的情况选做,不再“一刀切”。",
                    "家长会上,不少家长说孩子晚上九点前就能完成作业,睡得更早了。"]),
    ))  # fmt: skip
    article_submit(actor=cast.teacher_he, article=waiting)
    for_county = article_create(actor=cast.head_teacher_wang, desk=desks["school_b"][0], fields=ArticleFields(
        title="全南二中家长学校开学第一课", category="report", county_wide=True, is_public=True,
        summary="七年级家长走进课堂,听心理老师讲青春期沟通。",
        body=_body(["九月开学第一周,全南二中家长学校为七年级家长开了第一课,主题是“和青春期的孩子好好说话”。",
                    "心理老师用几个真实的场景,示范了先倾听、再表达的沟通方法。",
                    "课后,家长们在签到表上写下了下一次想听的主题,学校将据此安排下一讲。"]),
    ))  # fmt: skip
    article_submit(actor=cast.head_teacher_wang, article=for_county)
    article_review(actor=cast.school_admin_wang, article=for_county, approve=True)
    returned = article_create(actor=cast.teacher_he, desk=desks["school_a"][0], fields=ArticleFields(
        title="寒假阅读书单", category="family",
        body=_body(["给一至六年级孩子的寒假阅读建议。"]),
    ))  # fmt: skip
    article_submit(actor=cast.teacher_he, article=returned)
    article_review(actor=cast.school_admin_liu, article=returned, approve=False,
                   note="书单请按年级分开,并写上每本书的推荐理由。")  # fmt: skip
