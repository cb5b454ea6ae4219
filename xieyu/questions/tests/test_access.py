"""Every question page and action walks the matrix: the right role, a neighbour, a lower role, anonymous.
Missing and forbidden answer 404 alike; reads of flagged questions by staff are logged."""

import json

import pytest

from xieyu.audit.models import AccessEvent
from xieyu.questions.asking import services
from xieyu.questions.models import Alert, Article, Question, TopicRequest

ANSWER = {"body": "建议先和孩子约好写作业的时间,分段完成。"}


@pytest.mark.parametrize(
    "persona, status",
    [
        ("grandma_zhao", 200),  # the asker
        ("head_teacher_li", 200),  # routed to
        ("school_admin_liu", 200),  # above
        ("county_admin_chen", 200),  # above
        ("head_teacher_wang", 404),  # neighbour: other school's head teacher
        ("parent_zhang", 404),  # neighbour: another family of the same class
        ("teacher_he", 404),  # lower role in the same school
        ("expert_huang", 404),  # not routed to experts
        ("counsellor_zhou", 404),  # not flagged
        (None, 302),
    ],
)
def test_a_class_question_is_seen_by_its_asker_and_the_staff_it_is_routed_to(persona, status, ask, client_for):
    q = ask()
    assert client_for(persona).get(f"/questions/{q.pk}/").status_code == status
    assert client_for(persona).get("/questions/999999/").status_code == (404 if persona else 302)


@pytest.mark.parametrize(
    "persona, status",
    [("counsellor_zhou", 200), ("school_admin_liu", 200), ("school_admin_wang", 404), ("partner_wu", 404)],
)
def test_a_flagged_question_reaches_the_counsellor_and_each_read_is_logged(persona, status, ask, client_for):
    q = ask(body="孙子说活着没意思,不想活了,我很害怕", level="county", category="emotions")
    assert client_for(persona).get(f"/questions/{q.pk}/").status_code == status
    logged = AccessEvent.objects.filter(target_type="questions.question", target_id=str(q.pk)).count()
    flagged_views = AccessEvent.objects.filter(target_id=str(q.pk), purpose="question.flagged.view").count()
    assert flagged_views == (1 if status == 200 else 0)
    assert logged == (2 if status == 200 else 0)  # and the family's phone shown to those who handle it
    client_for("grandma_zhao").get(f"/questions/{q.pk}/")  # the asker's own reads are not logged
    assert AccessEvent.objects.filter(target_id=str(q.pk)).count() == logged


@pytest.mark.parametrize(
    "persona, status",
    [("head_teacher_li", 200), ("expert_huang", 200), ("counsellor_zhou", 200), ("grandma_zhao", 404), (None, 302)],
)
def test_the_queue_is_for_staff(persona, status, cast, client_for):
    assert client_for(persona).get("/questions/queue/").status_code == status


@pytest.mark.parametrize(
    "persona, query, status",
    [
        ("county_admin_chen", "", 200),
        ("county_admin_chen", "?school={b}", 200),
        ("school_admin_liu", "", 200),
        ("school_admin_liu", "?school={b}", 404),  # neighbour school
        ("head_teacher_li", "", 404),  # lower role
        ("grandma_zhao", "", 404),
        (None, "", 302),
    ],
)
def test_the_overview_is_for_county_and_school_admins(persona, query, status, cast, client_for):
    url = "/questions/overview/" + query.format(b=cast.school_b.pk)
    assert client_for(persona).get(url).status_code == status


@pytest.mark.parametrize(
    "persona, status, answered",
    [
        ("head_teacher_li", 302, True),
        ("school_admin_liu", 302, True),
        ("head_teacher_wang", 404, False),
        ("teacher_he", 404, False),
        ("parent_zhang", 404, False),
        ("grandma_zhao", 302, False),  # the asker sees it but may not answer: refused with a message
        (None, 302, False),
    ],
)
def test_answering(persona, status, answered, ask, client_for):
    q = ask()
    assert client_for(persona).post(f"/questions/{q.pk}/answer/", ANSWER).status_code == status
    assert Question.objects.get(pk=q.pk).status == ("answered" if answered else "open")


@pytest.mark.parametrize("persona, status", [("grandma_zhao", 302), ("parent_zhang", 404), ("head_teacher_li", 404)])
def test_only_the_asker_follows_up_and_rates(persona, status, cast, ask, client_for):
    q = ask()
    services.question_answer(actor=cast.head_teacher_li, question=q, body=ANSWER["body"])
    c = client_for(persona)
    assert c.post(f"/questions/{q.pk}/rate/", {"rating": "5"}).status_code == status
    assert (Question.objects.get(pk=q.pk).rating == 5) == (status == 302)


def test_a_bad_rating_changes_nothing_and_says_why(cast, ask, client_for):
    q = ask()
    services.question_answer(actor=cast.head_teacher_li, question=q, body=ANSWER["body"])
    response = client_for("grandma_zhao").post(f"/questions/{q.pk}/rate/", {"rating": "9"}, follow=True)
    assert "1 to 5" in response.content.decode() or "1 到 5" in response.content.decode()
    assert Question.objects.get(pk=q.pk).rating is None


@pytest.mark.parametrize(
    "action, persona, status",
    [
        ("claim", "expert_huang", 302),
        ("claim", "head_teacher_li", 404),
        ("assign", "county_admin_chen", 302),
        ("assign", "head_teacher_li", 404),
        ("note", "expert_huang", 302),
        ("note", "parent_sun", 404),
        ("clear-flag", "counsellor_zhou", 302),
        ("clear-flag", "school_admin_wang", 404),
        ("close", "partner_wu", 404),
    ],
)
def test_staff_actions(action, persona, status, ask, client_for):
    q = ask(level="county", body="孩子说同学打我,老师处理过了,想问问以后怎么办", category="safety")
    data = {"body": "先电话联系家长", "reason": "已核实,是普通同学矛盾"}
    assert client_for(persona).post(f"/questions/{q.pk}/{action}/", data).status_code == status


def test_publishing_is_for_the_expert(cast, ask, client_for):
    q = ask(level="county", publishable=True)
    services.question_answer(actor=cast.expert_huang, question=q, body=ANSWER["body"])
    assert client_for("expert_huang").get(f"/questions/{q.pk}/publish/").status_code == 200
    assert client_for("head_teacher_li").get(f"/questions/{q.pk}/publish/").status_code == 404
    assert client_for("grandma_zhao").get(f"/questions/{q.pk}/publish/").status_code == 404
    response = client_for("expert_huang").post(
        f"/questions/{q.pk}/publish/",
        {
            "title": "刘小宇写作业慢",
            "category": "study_habits",
            "question_text": "孙子写作业很慢怎么办呢",
            "answer_text": "分段完成",
        },
    )
    assert response.status_code == 422 and "刘小宇" in response.content.decode()
    assert not Article.objects.exists()


def test_the_knowledge_base_is_public_but_members_only_articles_are_not(cast, client_for):
    public = Article.objects.create(
        category="other", title="公开文章", question_text="问", answer_text="答", county=cast.county
    )
    members = Article.objects.create(
        category="other", title="会员文章", question_text="问", answer_text="答", county=cast.county, is_public=False
    )
    anonymous = client_for(None)
    assert anonymous.get("/questions/kb/").status_code == 200
    assert anonymous.get(f"/questions/kb/{public.pk}/").status_code == 200
    assert anonymous.get(f"/questions/kb/{members.pk}/").status_code == 404
    assert client_for("grandma_zhao").get(f"/questions/kb/{members.pk}/").status_code == 200


@pytest.mark.parametrize("persona, status, votes", [("grandma_zhao", 302, 2), ("parent_sun", 404, 1), (None, 302, 1)])
def test_topic_votes(persona, status, votes, cast, client_for, propose):
    topic = propose(cast.parent_zhang, "如何管理孩子用手机")
    assert client_for(persona).post(f"/questions/topics/{topic.pk}/vote/").status_code == status
    assert TopicRequest.objects.get(pk=topic.pk).votes_count == votes


@pytest.mark.parametrize("persona, status", [("grandma_zhao", 200), ("head_teacher_wang", 200), (None, 302)])
def test_the_topics_page(persona, status, cast, client_for):
    assert client_for(persona).get("/questions/topics/").status_code == status


def test_proposing_a_topic_with_bad_input_changes_nothing(cast, client_for):
    c = client_for("grandma_zhao")
    assert c.post("/questions/topics/", {"school": cast.school_b.pk, "title": "别的学校的课题"}).status_code == 422
    assert (
        c.post("/questions/topics/", {"school": cast.school_a.pk, "title": "短", "category": "other"}).status_code
        == 422
    )
    assert not TopicRequest.objects.exists()


def test_topic_status_is_for_the_school_admin(cast, client_for, propose):
    topic = propose(cast.parent_zhang, "青春期亲子沟通")
    client_for("school_admin_wang").post(f"/questions/topics/{topic.pk}/status/", {"status": "held"})
    client_for("grandma_zhao").post(f"/questions/topics/{topic.pk}/status/", {"status": "held"})
    assert TopicRequest.objects.get(pk=topic.pk).status == "open"
    client_for("school_admin_liu").post(f"/questions/topics/{topic.pk}/status/", {"status": "planned"})
    assert TopicRequest.objects.get(pk=topic.pk).status == "planned"


def test_an_alert_is_opened_only_by_its_owner(cast, ask, client_for):
    q = ask()
    alert = Alert.objects.get(question=q, user=cast.head_teacher_li)
    assert client_for("school_admin_liu").post(f"/questions/alerts/{alert.pk}/").status_code == 404
    assert client_for("head_teacher_li").post(f"/questions/alerts/{alert.pk}/").status_code == 302
    assert Alert.objects.get(pk=alert.pk).read_at is not None


def test_asking_with_bad_input_says_why_in_the_page_and_saves_nothing(cast, client_for):
    c = client_for("grandma_zhao")
    response = c.post("/questions/ask/", {"student": cast.students["liu_xiaoyu"].pk, "level": "class", "title": "x"})
    assert response.status_code == 422 and Question.objects.count() == 0
    response = c.post(
        "/questions/ask/",
        {"student": cast.students["sun_hao"].pk, "level": "class", "category": "other", "title": "别人家的孩子",
         "body": "这不是我的孩子,我不能替他提问题的吧?"},
    )  # fmt: skip
    assert response.status_code == 422 and Question.objects.count() == 0
    assert client_for("head_teacher_wang").get("/questions/ask/").status_code == 403  # no child: nothing to ask about


# --- the API ------------------------------------------------------------------------------------------------------


def test_api_ask_list_follow_up_and_rate(cast, client_for):
    c = client_for("grandma_zhao")
    body = {"student_id": cast.students["liu_xiaoyu"].pk, "level": "class", "category": "emotions",
            "title": "孙子想爸妈", "body": "孙子的爸妈在外地打工,他经常偷偷哭,怎么安慰?"}  # fmt: skip
    created = c.post("/api/v1/questions/", json.dumps(body), content_type="application/json")
    assert created.status_code == 201, created.content
    qid = created.json()["id"]
    assert c.get("/api/v1/questions/mine").json()["count"] == 1
    assert client_for("parent_zhang").get(f"/api/v1/questions/{qid}").status_code == 404
    assert client_for(None).get("/api/v1/questions/mine").status_code == 401
    services.question_answer(actor=cast.head_teacher_li, question=Question.objects.get(pk=qid), body=ANSWER["body"])
    follow = c.post(
        f"/api/v1/questions/{qid}/follow-up", json.dumps({"body": "好的,还想问问"}), content_type="application/json"
    )
    assert follow.status_code == 200 and follow.json()["status"] == "open"
    refused = c.post(f"/api/v1/questions/{qid}/rate", json.dumps({"rating": 5}), content_type="application/json")
    assert refused.status_code == 200  # an answer exists, so rating closes it
    bad = c.post("/api/v1/questions/", json.dumps({**body, "title": "x"}), content_type="application/json")
    assert bad.status_code == 422 and Question.objects.count() == 1


def test_api_urgent_answer_carries_the_hotline(cast, client_for):
    body = {"student_id": cast.students["liu_xiaoyu"].pk, "level": "county", "category": "emotions",
            "title": "孙子说不想活了", "body": "孙子最近总说不想活了,我很害怕,怎么办?"}  # fmt: skip
    data = (
        client_for("grandma_zhao").post("/api/v1/questions/", json.dumps(body), content_type="application/json").json()
    )
    assert data["urgent"] is True and data["hotline"] == "12355"


def test_api_topics_and_kb(cast, client_for):
    c = client_for("grandma_zhao")
    created = c.post(
        "/api/v1/questions/topics", json.dumps({"school_id": cast.school_a.pk, "title": "隔代教养怎么做"}),
        content_type="application/json",
    )  # fmt: skip
    assert created.status_code == 201 and created.json()["votes_count"] == 1
    tid = created.json()["id"]
    again = client_for("parent_zhang").post(f"/api/v1/questions/topics/{tid}/vote")
    assert again.status_code == 200 and again.json()["votes_count"] == 2
    assert client_for("parent_zhang").post(f"/api/v1/questions/topics/{tid}/vote").status_code == 422
    assert client_for("parent_sun").post(f"/api/v1/questions/topics/{tid}/vote").status_code == 404
    assert client_for(None).get("/api/v1/questions/kb/search?q=手机").status_code == 200
