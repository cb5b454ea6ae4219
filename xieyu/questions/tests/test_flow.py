"""A question's life: asked, routed, claimed or assigned, answered on time, followed up, rated; urgent flags;
escalation of overdue questions; the knowledge base's anonymity check; topic votes."""

import contextlib
import io

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from xieyu.accounts.models import Role
from xieyu.accounts.services import membership_grant, user_create
from xieyu.audit.models import AuditEvent
from xieyu.deadlines.models import Deadline, DeadlinePolicy
from xieyu.deadlines.services import deadline_for, deadline_sweep
from xieyu.deadlines.tests.helpers import at
from xieyu.directory.models import Guardian
from xieyu.questions.asking import access, figures, services
from xieyu.questions.knowledge import access as knowledge_access
from xieyu.questions.knowledge import search
from xieyu.questions.knowledge import services as knowledge
from xieyu.questions.models import Alert, Article, Message, Question, TopicRequest, TopicVote, UrgentTerm
from xieyu.questions.topics import access as topics_access
from xieyu.questions.topics import services as topics
from xieyu.questions.topics.figures import hot_topics


@contextlib.contextmanager
def refused(code: str):
    """The service refuses with a ValidationError of this code (the message is Chinese once translated)."""
    with pytest.raises(ValidationError) as caught:
        yield
    assert caught.value.code == code, caught.value


SELF_HARM = "孙子这几天总说活着没意思、不想活了,昨天还看到他手腕上有划痕,我不知道该怎么办"


def test_a_class_question_goes_to_the_head_teacher_on_the_default_two_and_five_working_days(cast, ask):
    with time_machine.travel(at("2026-11-16 09:00"), tick=False):  # a Monday
        q = ask()
    d = deadline_for(q)
    assert d.policy.name == "question.default" and d.owner == cast.head_teacher_li
    assert d.school_class_id == cast.class_a1.pk
    assert d.first_response_due == at("2026-11-18 17:30")  # by the end of the 2nd working day
    assert d.resolution_due == at("2026-11-23 17:30")  # by the end of the 5th
    assert list(Alert.objects.filter(question=q).values_list("user__name", "kind")) == [("李娜", "new")]
    assert AuditEvent.objects.filter(action="question.ask", target_id=str(q.pk)).exists()
    assert q in access.questions_handled_by(cast.head_teacher_li)
    assert q not in access.questions_handled_by(cast.head_teacher_wang)


def test_a_category_can_have_its_own_policy(cast, ask):
    DeadlinePolicy.objects.create(
        name="question.admissions", first_response_amount=1, first_response_unit="days", resolution_amount=3,
        resolution_unit="days", escalation_chain=["owner", "school_admin"],
    )  # fmt: skip
    assert deadline_for(ask(category="admissions", level="school")).policy.name == "question.admissions"
    assert deadline_for(ask(category="homework", level="school")).policy.name == "question.default"


def test_answer_follow_up_rate_runs_the_clock(cast, ask):
    q = ask()
    services.question_answer(actor=cast.head_teacher_li, question=q, body="先和孩子约好写作业的时间,分段完成。")
    q.refresh_from_db()
    d = deadline_for(q)
    assert q.status == "answered" and q.first_response_at and d.first_responded_at and d.state == "paused"
    services.question_follow_up(actor=cast.grandma_zhao, question=q, body="分段以后他还是边写边玩。")
    q.refresh_from_db()
    assert q.status == "open" and deadline_for(q).state == "running"
    services.question_answer(actor=cast.head_teacher_li, question=q, body="把手机和玩具放到另一个房间。")
    services.question_rate(actor=cast.grandma_zhao, question=q, rating=5, comment="有用")
    q.refresh_from_db()
    assert q.status == "closed" and q.rating == 5 and deadline_for(q).state == "resolved"
    with refused("rated"):
        services.question_rate(actor=cast.grandma_zhao, question=q, rating=4)
    with pytest.raises(ValidationError):
        services.question_follow_up(actor=cast.grandma_zhao, question=q, body="还有一个问题")


def test_only_the_asker_follows_up_and_rates_and_only_handlers_answer(cast, ask):
    """The edge settles who may act (access.py) before the service runs."""
    q = ask()
    with pytest.raises(PermissionDenied):
        access.check_handles(cast.head_teacher_wang, q)  # another school's teacher
    with pytest.raises(PermissionDenied):
        access.check_handles(cast.expert_huang, q)  # class questions are not the experts'
    access.check_handles(cast.school_admin_liu, q)
    services.question_answer(actor=cast.school_admin_liu, question=q, body="校长也可以回答本校的问题。")
    with pytest.raises(Http404):  # rating and following up fetch the asker's own question
        access.get_own_question(cast.parent_zhang, q.pk)
    assert access.get_own_question(cast.grandma_zhao, q.pk) == q


def test_bad_input_changes_nothing(cast, ask):
    before = Question.objects.count()
    for kw, code in [
        ({"title": "短"}, "title"),
        ({"body": "太短了"}, "body"),
        ({"category": "astrology"}, "category"),
        ({"level": "province"}, "level"),
    ]:
        with refused(code):
            ask(**kw)
    # the edge offers only the asker's own children (access.children_for_asking): 孙浩 is not hers
    assert not access.children_for_asking(cast.grandma_zhao).filter(pk=cast.students["sun_hao"].pk).exists()
    assert Question.objects.count() == before
    assert not Deadline.objects.filter(target_type="questions.question").exists()


def test_a_photo_is_checked_by_type_size_and_content(cast, ask):
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 100
    q = ask(photo=SimpleUploadedFile("作业.png", png, content_type="image/png"))
    assert q.photo and q.photo_type == "image/png" and "作业" not in q.photo.name
    with refused("photo_type"):
        ask(photo=SimpleUploadedFile("病历.pdf", b"%PDF-1.4", content_type="application/pdf"))
    with refused("photo_content"):
        ask(photo=SimpleUploadedFile("fake.jpg", b"MZ\x90\x00 not a jpeg", content_type="image/jpeg"))
    big = SimpleUploadedFile("big.jpg", b"\xff\xd8\xff" + b"\0" * (5 * 1024 * 1024 + 1), content_type="image/jpeg")
    with refused("photo_size"):
        ask(photo=big)
    assert Question.objects.count() == 1


def test_self_harm_text_is_flagged_at_once_and_reaches_the_counsellor_and_school_admin(cast, ask):
    with time_machine.travel(at("2026-11-16 09:00"), tick=False):
        q = ask(body=SELF_HARM, category="emotions")
    assert q.is_urgent and set(q.flag_terms) >= {"不想活", "活着没意思"}
    d = deadline_for(q)
    assert d.policy.name == "question.urgent" and d.first_response_due == at("2026-11-16 13:00")  # 4 working hours
    urgent = set(Alert.objects.filter(question=q, kind="urgent").values_list("user__name", flat=True))
    # the county's counsellors (counsellor_zhou, supervisor_zhong) and the school admin (school_admin_liu)
    assert urgent == {"周敏", "钟慧", "刘芳"}
    assert q in access.questions_handled_by(cast.counsellor_zhou)
    assert q not in access.questions_handled_by(cast.school_admin_wang)


def test_the_county_extends_the_lexicon(cast, ask):
    assert not ask(body="孩子说同学逼他交保护费,每天都很害怕去学校").is_flagged
    UrgentTerm.objects.create(term="保护费")
    assert ask(body="孩子说同学逼他交保护费,每天都很害怕去学校").is_urgent


def test_a_false_alarm_is_cleared_with_a_reason_and_stays_on_record(cast, ask):
    q = ask(body="孙子说同学打我了一下,是闹着玩的,想问问怎么教他和同学相处。")
    assert q.is_urgent
    with refused("reason"):
        services.question_clear_flag(actor=cast.counsellor_zhou, question=q, reason="  ")
    with pytest.raises(PermissionDenied):
        access.check_may_clear_flag(cast.head_teacher_li, q)
    services.question_clear_flag(actor=cast.counsellor_zhou, question=q, reason="已电话核实,只是同学间玩闹")
    q.refresh_from_db()
    assert q.is_flagged and not q.is_urgent and q.flag_clear_reason
    assert Message.objects.filter(question=q, kind="event", body__contains="已电话核实").exists()
    assert AuditEvent.objects.filter(action="question.flag_clear", target_id=str(q.pk)).exists()
    assert q in access.questions_handled_by(cast.counsellor_zhou)  # never dropped


def test_a_follow_up_with_alarming_words_flags_the_question(cast, ask):
    q = ask()
    services.question_answer(actor=cast.head_teacher_li, question=q, body="先和孩子约好写作业的时间。")
    services.question_follow_up(actor=cast.grandma_zhao, question=q, body="他爸爸喝了酒就打我和孩子")
    q.refresh_from_db()
    assert q.is_urgent and Alert.objects.filter(question=q, user=cast.counsellor_zhou, kind="urgent").exists()


def test_an_overdue_question_escalates_through_the_sweep_and_alerts_in_app(
    cast, ask, django_capture_on_commit_callbacks
):
    with time_machine.travel(at("2026-11-16 09:00"), tick=False):
        q = ask()
    with time_machine.travel(at("2026-11-18 17:00"), tick=False), django_capture_on_commit_callbacks(execute=True):
        deadline_sweep(actor=None)
    assert not Alert.objects.filter(question=q, kind="escalated").exists()
    with time_machine.travel(at("2026-11-19 10:00"), tick=False), django_capture_on_commit_callbacks(execute=True):
        deadline_sweep(actor=None)
    assert deadline_for(q).overdue_at is not None
    assert Alert.objects.filter(question=q, user=cast.head_teacher_li, kind="escalated").exists()
    for when in ("2026-11-20 10:00", "2026-11-23 10:00"):
        with time_machine.travel(at(when), tick=False), django_capture_on_commit_callbacks(execute=True):
            deadline_sweep(actor=None)
    assert Alert.objects.filter(question=q, user=cast.school_admin_liu, kind="escalated").exists()


def test_an_expert_answers_within_the_target(cast, ask, skills):
    with time_machine.travel(at("2026-11-16 09:00"), tick=False):
        q = ask(level="county", category="emotions")
    assert q in access.questions_handled_by(cast.expert_huang)
    assert q not in access.questions_handled_by(cast.school_admin_liu)  # guidance-center questions skip the school
    with time_machine.travel(at("2026-11-17 15:00"), tick=False):
        services.question_claim(actor=cast.expert_huang, question=q)
        services.question_answer(actor=cast.expert_huang, question=q, body="孩子的情绪需要被看见,先倾听再讲道理。")
    d = deadline_for(q)
    assert d.owner == cast.expert_huang and d.first_responded_at <= d.first_response_due
    assert not d.events.filter(kind="overdue").exists()


def test_claiming_twice_and_assigning_by_load(cast, ask, skills):
    other = user_create(actor=None, phone="13800000099", name="林专家", password=None)
    membership_grant(actor=None, user=other, role=Role.EXPERT, unit=cast.county)
    first = ask(level="county", category="homework")  # nobody has homework skills: least loaded wins
    stale = Question.objects.get(pk=first.pk)  # another expert's page, loaded before the claim
    services.question_claim(actor=cast.expert_huang, question=first)
    with refused("claimed"):
        services.question_claim(actor=other, question=stale)
    with pytest.raises(PermissionDenied):
        access.check_may_assign(cast.expert_huang, first)
    second = ask(level="county", category="homework")
    services.question_assign(actor=cast.county_admin_chen, question=second)
    assert Question.objects.get(pk=second.pk).assignee == other  # huang already holds one open question
    assert Alert.objects.filter(question=second, user=other, kind="assigned").exists()
    third = ask(level="county", category="emotions")  # huang has the skill: skill beats load
    services.question_assign(actor=cast.counsellor_zhou, question=third)
    assert Question.objects.get(pk=third.pk).assignee == cast.expert_huang
    assert third not in access.questions_visible_to(other)


def test_internal_notes_are_never_shown_to_the_parent(cast, ask):
    q = ask()
    services.question_note(actor=cast.head_teacher_li, question=q, body="家访时再当面聊聊。")
    assert [m.kind for m in access.thread_of(cast.grandma_zhao, q)] == []
    assert [m.kind for m in access.thread_of(cast.school_admin_liu, q)] == ["note"]


def _answered_publishable(cast, ask):
    q = ask(publishable=True, level="county", category="study_habits")
    services.question_answer(actor=cast.expert_huang, question=q, body="给孩子定一个固定的写作业时间。")
    return Question.objects.get(pk=q.pk)


def test_an_article_naming_the_family_is_refused_with_what_was_found(cast, ask):
    q = _answered_publishable(cast, ask)
    with pytest.raises(ValidationError) as refused:
        knowledge.article_publish(
            actor=cast.expert_huang, question=q, category="study_habits", title="小宇写作业磨蹭怎么办",
            question_text="城厢小学三年级1班刘小宇的奶奶赵秀英问:孙子写作业磨蹭,电话13912345678。",
            answer_text="给孩子定一个固定的写作业时间。",
        )  # fmt: skip
    text = " ".join(refused.value.messages)
    for found in ("刘小宇", "小宇", "赵秀英", "城厢小学", "三年级1班", "13912345678"):
        assert found in text
    assert not Article.objects.exists()


def test_an_anonymised_article_is_published_indexed_and_public(cast, ask, client_for):
    q = _answered_publishable(cast, ask)
    assert not knowledge_access.may_publish(cast.head_teacher_li, q)  # the publish page answers 404
    assert knowledge_access.may_publish(cast.expert_huang, q)
    article = knowledge.article_publish(
        actor=cast.expert_huang, question=q, category="study_habits", title="孩子写作业磨蹭怎么办",
        question_text="孙子写作业磨蹭,每天拖到很晚,老人辅导不了。", answer_text="给孩子定一个固定的写作业时间。",
    )  # fmt: skip
    assert search.similar_ids(search.KIND_ARTICLE, "娃做功课拖拉") == [article.pk]
    anonymous = client_for(None)
    assert "孩子写作业磨蹭怎么办" in anonymous.get("/questions/kb/?q=功课拖拉").content.decode()
    assert anonymous.get(f"/questions/kb/{article.pk}/").status_code == 200


def test_a_private_question_cannot_be_published(cast, ask):
    q = ask(level="county")
    services.question_answer(actor=cast.expert_huang, question=q, body="给孩子定一个固定的写作业时间。")
    assert not knowledge_access.may_publish(cast.expert_huang, Question.objects.get(pk=q.pk))


def test_one_vote_per_family_per_topic(cast, propose, vote):
    topic = propose(cast.parent_zhang, "如何管理孩子用手机")
    assert topic.votes_count == 1
    # 张小明's mother joins: same family, no second vote
    mother = user_create(actor=None, phone="13800001031", name="黄丽", password=None)
    Guardian.objects.filter(phone="13800001031").update(user=mother)
    with refused("voted"):
        vote(mother, topic)
    vote(cast.grandma_zhao, topic)  # 刘小宇's family
    with pytest.raises(PermissionDenied):
        vote(cast.parent_sun, topic)  # another school
    assert TopicRequest.objects.get(pk=topic.pk).votes_count == 2 == TopicVote.objects.filter(topic=topic).count()
    with refused("duplicate"):
        propose(cast.grandma_zhao, "如何管理孩子用手机")


def test_the_school_moves_a_topic_towards_a_session(cast, propose):
    topic = propose(cast.parent_zhang, "青春期亲子沟通")
    with pytest.raises(PermissionDenied):
        topics_access.check_may_manage_topics(cast.school_admin_wang, topic)
    topics_access.check_may_manage_topics(cast.school_admin_liu, topic)
    topics.topic_set_status(actor=cast.school_admin_liu, topic=topic, status="scheduled", scheduled_event_id=42)
    topic.refresh_from_db()
    assert topic.status == "scheduled" and topic.scheduled_event_id == 42


def test_hot_topics_rank_with_trend(cast, ask, propose):
    with time_machine.travel(at("2026-10-20 09:00"), tick=False):
        ask(title="孙子玩手机停不下来", body="孙子每天玩手机到半夜,作业也不写了,怎么办?")
    with time_machine.travel(at("2026-11-16 09:00"), tick=False):
        ask(title="孩子刷手机上瘾", body="孩子天天抱着手机刷视频,说了也不听。")
        ask("parent_zhang", title="儿子总是玩平板", body="儿子一回家就玩平板电脑,不肯写作业。")
        propose(cast.parent_zhang, "如何管理孩子用手机")
        hot = hot_topics(figures.Scope(county_id=cast.county.pk), days=14)
    top = hot["terms"][0]
    assert top["term"] == "手机" and top["count"] == 2 and top["previous"] == 1 and top["trend"] == "up"
    assert hot["topics"][0]["title"] == "如何管理孩子用手机" and hot["topics"][0]["count"] == 1
    school_b = hot_topics(figures.Scope(school_id=cast.school_b.pk), days=14)
    assert school_b["terms"] == [] and school_b["topics"] == []


def test_figures_by_category_response_times_overdue_and_satisfaction(cast, ask):
    with time_machine.travel(at("2026-11-16 09:00"), tick=False):
        a = ask()
        ask(category="emotions", level="school")
    with time_machine.travel(at("2026-11-16 13:00"), tick=False):
        services.question_answer(actor=cast.head_teacher_li, question=a, body="先和孩子约好写作业的时间。")
        services.question_rate(actor=cast.grandma_zhao, question=a, rating=4)
    with time_machine.travel(at("2026-11-30 09:00"), tick=False):
        deadline_sweep(actor=None)
        fig = figures.question_figures(figures.Scope(county_id=cast.county.pk), days=90)
    cats = {c["key"]: c["count"] for c in fig["categories"]}
    assert cats["study_habits"] == 1 and cats["emotions"] == 1 and fig["total"] == 2
    assert fig["first_response_median"] == 4.0 and fig["satisfaction_avg"] == 4.0
    assert fig["overdue"] == [{"school": "全南县城厢小学", "count": 1}]


def test_photo_bytes_are_served_only_through_access(cast, ask, client_for):
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 10
    q = ask(photo=SimpleUploadedFile("a.png", io.BytesIO(png).read(), content_type="image/png"))
    assert client_for("grandma_zhao").get(f"/questions/{q.pk}/photo/").status_code == 200
    assert client_for("head_teacher_wang").get(f"/questions/{q.pk}/photo/").status_code == 404


def test_the_county_can_switch_a_term_off_but_the_built_in_lexicon_never_goes_silent(cast, ask):
    UrgentTerm.objects.filter(term="打我").update(is_active=False)
    assert not ask(body="孩子说同桌上课总打我的文具盒,怎么教他沟通").is_flagged
    UrgentTerm.objects.all().delete()
    assert ask(body="孩子说不想活了,我们该怎么办").is_urgent


def test_the_expert_queue_puts_urgent_then_skilled_questions_first(cast, ask, skills):
    with time_machine.travel(at("2026-11-16 09:00"), tick=False):
        other = ask(level="county", category="admissions")
    with time_machine.travel(at("2026-11-16 10:00"), tick=False):
        skilled = ask(level="county", category="emotions")
    with time_machine.travel(at("2026-11-16 11:00"), tick=False):
        urgent = ask(level="county", category="safety", body="孙子说想死,我们很害怕,请帮帮我们")
    assert list(access.queue_for(cast.expert_huang)) == [urgent, skilled, other]
