"""The crisis path: the 12355 hotline while the parent types, the urgent alert on the counsellor's and the school
admin's home with a badge and an SMS at once, the family's phone on the question page for those who handle it, and
escalation when nobody opens the alert within one working hour."""

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from xieyu.accounts import sms
from xieyu.audit.models import AccessEvent
from xieyu.deadlines.services import deadline_for, deadline_resolve, deadline_sweep
from xieyu.deadlines.tests.helpers import at
from xieyu.notices import channels
from xieyu.notices.models import Delivery
from xieyu.questions.asking import access, services
from xieyu.questions.knowledge import search
from xieyu.questions.models import Alert, Article

LOOKUP = "/questions/similar/"


@pytest.fixture(autouse=True)
def _sms(settings):
    settings.SMS_SENDER = "xieyu.accounts.sms.LoggingSender"


@pytest.fixture
def outbox():
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()


@pytest.fixture
def homework_tip(cast):
    a = Article.objects.create(
        category="homework", title="孩子天天玩手机不写作业怎么办", county=cast.county,
        question_text="孙子每天放学就玩手机,作业拖到很晚,老人管不住。",
        answer_text="和孩子一起定好每天用手机的时间,作业写完再用;手机放在客厅充电。",
    )  # fmt: skip
    search.index_document(search.KIND_ARTICLE, a.pk, f"{a.title} {a.question_text} {a.answer_text}")
    return a


# --- while the parent types ---------------------------------------------------------------------------------


def test_alarming_words_show_the_hotline_instead_of_tips_before_sending(homework_tip, client_for):
    client = client_for("grandma_zhao")
    response = client.post(LOOKUP, {"title": "孩子说不想活了", "body": "孩子说不想活了,作业也不写,手机一直玩"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="tel:12355"' in html and "110" in html and "120" in html
    assert "data-similar" not in html and homework_tip.title not in html


def test_a_homework_question_gets_tips(homework_tip, client_for):
    response = client_for("grandma_zhao").post(LOOKUP, {"title": "孩子玩手机不写作业", "body": ""})
    html = response.content.decode()
    assert "data-similar" in html and homework_tip.title in html
    assert "tel:12355" not in html


def test_the_lookup_is_a_post_with_csrf(cast):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.grandma_zhao, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(LOOKUP, {"title": "不想活了"}).status_code == 405
    assert client.post(LOOKUP, {"title": "不想活了"}).status_code == 403  # no CSRF token


@pytest.mark.parametrize(
    "body",
    ["作" * 5000, "作业" * 4000 + "不想活了", "😀🙈 孩子写作业 🎒" * 300, "<script>alert(1)</script>不想活了",
     "<b>孩子</b><img src=x onerror=alert(1)>作业"],
)  # fmt: skip
def test_bad_input_in_the_lookup_is_bounded_and_escaped(body, homework_tip, client_for):
    response = client_for("grandma_zhao").post(LOOKUP, {"title": body, "body": body})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert" not in html and "onerror=alert" not in html


def test_the_lookup_needs_a_login(client_for):
    assert client_for(None).post(LOOKUP, {"title": "不想活了"}).status_code == 302


# --- the alert reaches those who must act -----------------------------------------------------------------------

SELF_HARM = "孙子这几天总说不想活了,昨天还看到他手腕上有划痕,我不知道该怎么办"


@pytest.fixture
def urgent(cast, ask):
    """grandma_zhao's urgent question to the county guidance center, asked on a Monday morning."""
    with time_machine.travel(at("2026-11-16 09:00"), tick=False):
        return ask(title="孩子说不想活了", body=SELF_HARM, level="county", category="emotions")


def test_the_counsellor_sees_the_alert_on_her_home_with_a_badge(urgent, client_for):
    html = client_for("counsellor_zhou").get("/").content.decode()
    assert "data-alerts-card" in html and urgent.title in html
    assert 'data-alert="urgent"' in html
    assert "data-alerts>1<" in html  # the badge next to 问题 in the navigation


def test_the_counsellor_calls_the_family_from_her_home_and_the_view_is_logged(cast, urgent, client_for):
    html = client_for("counsellor_zhou").get("/").content.decode()
    card = html[html.index("data-alerts-card") :]
    assert "data-family-phones" in card and f'href="tel:{cast.grandma_zhao.phone}"' in card
    assert AccessEvent.objects.filter(
        actor=cast.counsellor_zhou, target_id=str(urgent.pk), purpose="question.urgent.phone"
    ).exists()


def test_the_school_admin_sees_it_on_her_home_too(urgent, client_for):
    html = client_for("school_admin_liu").get("/").content.decode()
    assert "data-alerts-card" in html and urgent.title in html


@pytest.mark.parametrize("persona", ["school_admin_wang", "head_teacher_wang", "parent_sun", "parent_zhang"])
def test_a_neighbour_sees_no_alert_and_no_page(persona, urgent, client_for):
    client = client_for(persona)
    html = client.get("/").content.decode()
    assert urgent.title not in html and "data-alerts>" not in html
    assert client.get(f"/questions/{urgent.pk}/").status_code == 404


def test_an_sms_goes_to_the_counsellor_at_once_and_only_once(cast, urgent, outbox, run_tasks):
    run_tasks()
    texts = [t for phone, t in outbox if phone == cast.counsellor_zhou.phone]
    assert len(texts) == 1 and "/notices/" in texts[0]
    assert any(phone == cast.school_admin_liu.phone for phone, _t in outbox)
    assert not any(phone == cast.school_admin_wang.phone for phone, _t in outbox)
    delivery = Delivery.objects.get(notice__topic="question.urgent", user=cast.counsellor_zhou)
    assert delivery.notice.link == f"/questions/{urgent.pk}/"
    assert delivery.sms_sent_at is not None
    channels.sms_unread(delivery.notice)  # a second run (a crashed worker's retry) texts nobody again
    channels.sms_fallback_sweep()
    assert len([t for phone, t in outbox if phone == cast.counsellor_zhou.phone]) == 1


def test_the_counsellor_reaches_the_family_by_phone_and_the_view_is_logged(cast, urgent, client_for):
    html = client_for("counsellor_zhou").get(f"/questions/{urgent.pk}/").content.decode()
    assert "data-family-phones" in html
    assert f'href="tel:{cast.grandma_zhao.phone}"' in html
    assert AccessEvent.objects.filter(
        actor=cast.counsellor_zhou, target_id=str(urgent.pk), purpose="question.urgent.phone"
    ).exists()


@pytest.mark.parametrize("persona", ["grandma_zhao", "head_teacher_li", "parent_zhang"])
def test_the_asker_and_those_who_do_not_handle_it_never_see_the_phone(persona, cast, urgent, client_for):
    response = client_for(persona).get(f"/questions/{urgent.pk}/")
    html = response.content.decode()
    assert "data-family-phones" not in html
    assert not AccessEvent.objects.filter(target_id=str(urgent.pk), purpose="question.urgent.phone").exists()


def test_a_cleared_flag_hides_the_phone(cast, urgent, client_for):
    services.question_clear_flag(actor=cast.counsellor_zhou, question=urgent, reason="孩子在开玩笑,已核实")
    html = client_for("counsellor_zhou").get(f"/questions/{urgent.pk}/").content.decode()
    assert "data-family-phones" not in html


def test_the_home_runs_a_fixed_number_of_queries(cast, ask, client_for, django_assert_max_num_queries):
    client = client_for("counsellor_zhou")
    ask(title="孩子说不想活了", body=SELF_HARM, level="county", category="emotions")
    client.get("/")
    with CaptureQueriesContext(connection) as small:
        client.get("/")
    for i in range(8):
        ask(title=f"孩子说想死{i}", body=SELF_HARM, level="county", category="emotions")
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert "data-alerts>9<" in client.get("/").content.decode()


# --- nothing urgent sits unseen -----------------------------------------------------------------------------


def _sweep(when: str, capture) -> None:
    with time_machine.travel(at(when), tick=False), capture(execute=True):
        deadline_sweep(actor=None)


def test_opening_the_alert_within_the_hour_stops_its_clock(
    cast, urgent, client_for, django_capture_on_commit_callbacks
):
    alert = Alert.objects.get(question=urgent, user=cast.counsellor_zhou, kind="urgent")
    d = deadline_for(alert)
    assert d.policy.name == "alert.urgent" and d.owner == cast.counsellor_zhou
    assert d.first_response_due == at("2026-11-16 10:00")
    with time_machine.travel(at("2026-11-16 09:20"), tick=False):
        assert client_for("counsellor_zhou").post(f"/questions/alerts/{alert.pk}/").status_code == 302
        client_for("school_admin_liu").get(f"/questions/{urgent.pk}/")  # opening the question reads her alert
        client_for("supervisor_zhong").get(f"/questions/{urgent.pk}/")  # the county's other counsellor
    d.refresh_from_db()
    assert d.first_responded_at is not None and not d.is_open
    assert not deadline_for(Alert.objects.get(question=urgent, user=cast.school_admin_liu)).is_open
    _sweep("2026-11-16 12:00", django_capture_on_commit_callbacks)
    assert not Alert.objects.filter(question=urgent, kind="escalated").exists()


def test_an_unopened_alert_escalates_after_one_working_hour(
    cast, urgent, outbox, run_tasks, django_capture_on_commit_callbacks
):
    Alert.objects.filter(question=urgent, user=cast.school_admin_liu).update(read_at=at("2026-11-16 09:05"))
    deadline_resolve(actor=None, deadline=deadline_for(Alert.objects.get(question=urgent, user=cast.school_admin_liu)))
    _sweep("2026-11-16 09:55", django_capture_on_commit_callbacks)
    assert not Alert.objects.filter(question=urgent, kind="escalated").exists()
    _sweep("2026-11-16 10:01", django_capture_on_commit_callbacks)  # the counsellor's alert is unopened
    # a county question has no class: the school's admin is the next rung, then the county admin an hour later
    assert list(Alert.objects.filter(question=urgent, kind="escalated").values_list("user", flat=True)) == [
        cast.school_admin_liu.pk
    ]
    _sweep("2026-11-16 11:01", django_capture_on_commit_callbacks)
    assert Alert.objects.filter(question=urgent, kind="escalated", user=cast.county_admin_chen).exists()
    outbox.clear()
    run_tasks()
    assert any(phone == cast.county_admin_chen.phone for phone, _t in outbox)
    _sweep("2026-11-16 15:00", django_capture_on_commit_callbacks)  # once per person
    assert Alert.objects.filter(question=urgent, kind="escalated").count() == 2


def test_a_friday_evening_alert_escalates_on_monday_morning(cast, ask, django_capture_on_commit_callbacks):
    with time_machine.travel(at("2026-11-20 19:00"), tick=False):  # a Friday, after work
        q = ask(title="孩子说不想活了", body=SELF_HARM, level="class", category="emotions")
    d = deadline_for(Alert.objects.get(question=q, user=cast.counsellor_zhou, kind="urgent"))
    assert d.first_response_due == at("2026-11-23 09:00")  # Monday: the working day starts at 8:00
    _sweep("2026-11-22 20:00", django_capture_on_commit_callbacks)  # Sunday: nothing yet
    assert not Alert.objects.filter(question=q, kind="escalated").exists()
    _sweep("2026-11-23 09:01", django_capture_on_commit_callbacks)
    # a class question: the class's head teacher is told first (she can see it)
    assert Alert.objects.filter(question=q, kind="escalated", user=cast.head_teacher_li).exists()
    assert client_visible(cast.head_teacher_li, q)


def client_visible(user, question) -> bool:
    return question in access.questions_visible_to(user)


def test_a_follow_up_with_alarming_words_texts_the_counsellor(cast, ask, outbox, run_tasks):
    q = ask()
    services.question_answer(actor=cast.head_teacher_li, question=q, body="先和孩子约好写作业的时间。")
    run_tasks()
    outbox.clear()
    services.question_follow_up(actor=cast.grandma_zhao, question=q, body="孩子说不想活了,我很害怕")
    run_tasks()
    assert any(phone == cast.counsellor_zhou.phone for phone, _t in outbox)
    assert deadline_for(Alert.objects.get(question=q, user=cast.counsellor_zhou, kind="urgent")) is not None


def test_flagged_again_after_a_false_alarm_alerts_and_texts_everyone_anew(cast, ask, outbox, run_tasks, client_for):
    q = ask()
    services.question_answer(actor=cast.head_teacher_li, question=q, body="先和孩子约好写作业的时间。")
    services.question_follow_up(actor=cast.grandma_zhao, question=q, body="孩子说不想活了,我很害怕")
    first = Alert.objects.get(question=q, user=cast.counsellor_zhou, kind="urgent")
    services.alert_read(actor=cast.counsellor_zhou, alert=first)
    q.refresh_from_db()
    services.question_clear_flag(actor=cast.counsellor_zhou, question=q, reason="孩子在开玩笑,已核实")
    services.question_answer(actor=cast.head_teacher_li, question=q, body="多陪孩子聊聊。")
    run_tasks()
    outbox.clear()

    services.question_follow_up(actor=cast.grandma_zhao, question=q, body="今天他又说想自杀,还把门锁了")
    run_tasks()

    second = Alert.objects.get(question=q, user=cast.counsellor_zhou, kind="urgent", read_at__isnull=True)
    assert second.pk != first.pk
    assert deadline_for(second) is not None and deadline_for(second).is_open
    assert any(phone == cast.counsellor_zhou.phone for phone, _t in outbox)
    assert 'data-alert="urgent"' in client_for("counsellor_zhou").get("/").content.decode()
