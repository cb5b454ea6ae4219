"""The demo county's questions: expert_huang's skills, a few answered questions, anonymised knowledge-base articles
(public and members-only), topic requests with votes at 城厢小学 (one of them clearly the most wanted), one
question waiting for an expert, and one upcoming clinic with free slots.

Called at the end of the demo seeding (xieyu/demo/county.py). Quick and idempotent: nothing happens if
expert_huang already has skills. Questions go through the services (they start their deadlines); the bulk votes go
in directly, as made-up demo rows.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from xieyu.directory.models import School, Student
from xieyu.events.models import Event
from xieyu.questions.asking import services as asking
from xieyu.questions.clinics import services as clinics
from xieyu.questions.knowledge import search
from xieyu.questions.models import Article, ExpertSkill, TopicRequest, TopicVote
from xieyu.questions.topics import access as topics_access
from xieyu.questions.topics import services as topics

ANSWERED = [
    ("grandma_zhao", "liu_xiaoyu", "class", "homework", "孙子写作业太磨蹭了",
     "孙子每天写作业都要拖到晚上十点,我们老人也不会辅导,该怎么办?",
     "head_teacher_li", "可以和孩子约定开始写作业的时间,每写完一项休息五分钟;您不用会辅导,陪在旁边看着就行。"),
    ("parent_zhang", "zhang_xiaoming", "county", "communication", "孩子什么事都不愿意和我说",
     "孩子上三年级了,放学回家就进房间,问他学校的事只说还行,怎么和他聊天?",
     "expert_huang", "每天留十分钟只听不评:先说说您自己今天的事,再问一个具体的小问题,比如今天午饭吃了什么。"),
    ("parent_sun", "sun_hao", "county", "emotions", "初一孩子考试前总是紧张失眠",
     "孩子上初一,每次考试前一晚都睡不着,说害怕考不好,我们该怎么帮他?",
     "expert_huang", "考前一周保持平常作息,睡前不复习;和孩子一起回顾他做得好的地方,告诉他尽力就好。"),
]  # fmt: skip

ARTICLES = [
    ("homework", "孩子写作业磨蹭怎么办", "孩子每天写作业都拖到很晚,家长越催越慢。",
     "约定开始时间,作业分成几段,每段完成后休息五分钟;家长陪在旁边做自己的事,不要一直催。", True),
    ("study_habits", "孩子放学就玩手机,作业拖着不写", "孙子放学回家就玩手机,老人管不住。",
     "和孩子一起定好用手机的时间:作业写完再用,睡前一小时手机放在客厅充电。", True),
    ("communication", "孩子不愿意和家长说学校的事", "孩子回家后不说话,问什么都说还行。",
     "每天留十分钟只听不评,从具体的小事问起;先讲讲自己的一天,孩子更愿意开口。", True),
    ("emotions", "孩子考前紧张睡不着", "孩子每次考试前都紧张失眠。",
     "考前保持平常作息,睡前不复习;和孩子一起回顾做得好的地方,告诉他尽力就好。", False),
]  # fmt: skip

TOPICS = [  # (title, category, family votes from the bulk families)
    ("如何管理孩子用手机", "study_habits", 14),
    ("隔代教养怎么做", "communication", 6),
    ("孩子写作业拖拉怎么办", "homework", 3),
]
# The other schools' topics (title, category, families of that school voting), so the county's hot topics are a
# county's: the first with a lecture already scheduled on it by that school's parent school.
COUNTY_TOPICS = [
    ("青春期亲子沟通", "communication", 22),
    ("孩子沉迷短视频怎么办", "study_habits", 18),
    ("留守儿童的情绪关怀", "emotions", 12),
    ("如何培养阅读习惯", "study_habits", 9),
    ("中考前的心理调适", "emotions", 8),
]


@transaction.atomic
def seed_questions(cast, now: datetime.datetime | None = None) -> bool:
    """Create the demo questions, articles, topics and clinic; False (and nothing done) if they exist already."""
    if ExpertSkill.objects.filter(user=cast.expert_huang).exists():
        return False
    now = now or timezone.now()
    for category in ("emotions", "communication", "study_habits"):
        ExpertSkill.objects.create(user=cast.expert_huang, category=category)

    for asker, child_key, level, category, title, body, handler, answer in ANSWERED:
        q = asking.question_ask(actor=getattr(cast, asker), student=cast.students[child_key], level=level,
                                category=category, title=title, body=body, publishable=True)  # fmt: skip
        asking.question_answer(actor=getattr(cast, handler), question=q, body=answer)
    # one question waits for an expert (claimable in the queue)
    asking.question_ask(
        actor=cast.grandma_zhao, student=cast.students["liu_xiaoyu"], level="county", category="study_habits",
        title="孙子上课总是走神", body="老师说孙子上课总是走神、做小动作,他爸妈在外地打工,我该怎么教他专心?",
    )  # fmt: skip

    for category, title, question_text, answer_text, public in ARTICLES:
        a = Article.objects.create(category=category, title=title, question_text=question_text,
                                   answer_text=answer_text, is_public=public, county=cast.county,
                                   author=cast.expert_huang)  # fmt: skip
        search.index_document(search.KIND_ARTICLE, a.pk, f"{title} {question_text} {answer_text}")

    families = list(
        Student.objects.filter(school=cast.school_a, status=Student.Status.ENROLLED)
        .exclude(pk__in=[s.pk for s in cast.students.values()])
        .order_by("pk")
        .values_list("pk", flat=True)[:20]
    )
    for i, (title, category, n) in enumerate(TOPICS):
        proposer = cast.parent_zhang if i == 0 else cast.grandma_zhao
        child = topics_access.proposing_child(proposer, cast.school_a)
        topic = topics.topic_propose(actor=proposer, student=child, title=title, category=category)
        if i == 0:
            voters = topics_access.voting_children(cast.grandma_zhao, topic)
            topics.topic_vote(actor=cast.grandma_zhao, topic=topic, children=voters)
        TopicVote.objects.bulk_create(
            [
                TopicVote(topic=topic, student_id=s, created_at=now - datetime.timedelta(days=k % 10))
                for k, s in enumerate(families[:n])
            ]  # fmt: skip
        )
        TopicRequest.objects.filter(pk=topic.pk).update(votes_count=TopicVote.objects.filter(topic=topic).count())

    _seed_county_topics(cast, now)

    start = timezone.localtime(now + datetime.timedelta(days=5)).replace(hour=14, minute=0, second=0, microsecond=0)
    clinic = clinics.clinic_publish(
        actor=cast.expert_huang, county_id=cast.county.pk, title="家庭教育义诊:学习习惯与亲子沟通", starts_at=start,
        slot_minutes=30, slots=6, place="全南县家庭教育指导中心(县教科体局三楼)",
        description="每个家庭 30 分钟,一对一面谈。",
    )  # fmt: skip
    first = clinic.clinic_slots.order_by("starts_at").first()
    clinics.clinic_book(actor=cast.parent_sun, slot=first, student=cast.students["sun_hao"],
                        topic="孩子考试前总是紧张失眠")  # fmt: skip
    return True


def _seed_county_topics(cast, now: datetime.datetime) -> None:
    """Topics at other schools, voted by their own families; the lecture each school planned on its first topic."""
    schools = list(School.objects.filter(county=cast.county).exclude(pk=cast.school_a.pk).order_by("pk")[:10])
    for k, school in enumerate(schools):
        title, category, n = COUNTY_TOPICS[k % len(COUNTY_TOPICS)]
        families = list(Student.objects.filter(school=school, status=Student.Status.ENROLLED).order_by("pk")
                        .values_list("pk", flat=True)[: max(1, n - k)])  # fmt: skip
        lecture = Event.objects.filter(school=school, ps_session__isnull=False).order_by("starts_at").first()
        status, event_id = TopicRequest.Status.OPEN, None
        if lecture is not None and k % 2 == 0:
            event_id = lecture.pk
            status = TopicRequest.Status.HELD if lecture.ends_at < now else TopicRequest.Status.SCHEDULED
        topic = TopicRequest.objects.create(school=school, title=title, category=category, status=status,
                                            scheduled_event_id=event_id, votes_count=len(families),
                                            created_at=now - datetime.timedelta(days=20 + k))  # fmt: skip
        TopicVote.objects.bulk_create(
            [TopicVote(topic=topic, student_id=s, created_at=now - datetime.timedelta(days=k % 10)) for s in families]
        )
