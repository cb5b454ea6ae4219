"""Each session's before/after questionnaire moves onto the questionnaire engine.

Per session with statements: a guardian questionnaire owned by the session's school, version 1 with the statements
as 1–5 scale questions (published when anyone answered, else still a draft), and once answered the waves 课前 (1)
and 课后 (2) for the session's families, a respondent per guardian, a response per guardian and wave and an answer
per score. The reverse turns the engine's rows back into statements and scores."""

import datetime

from django.db import migrations

AFTER_DAYS = 14
CHECKIN_OPENS_BEFORE_MINUTES = 30  # when check-in opens, before the start


def _times(event):
    before_opens = min(event.created_at, event.starts_at - datetime.timedelta(minutes=1))
    after_opens = event.starts_at - datetime.timedelta(minutes=CHECKIN_OPENS_BEFORE_MINUTES)
    return (before_opens, event.ends_at), (after_opens, event.ends_at + datetime.timedelta(days=AFTER_DAYS))


def forward(apps, schema_editor):
    Session = apps.get_model("parentschool", "Session")
    SurveyQuestion = apps.get_model("parentschool", "SurveyQuestion")
    SurveyAnswer = apps.get_model("parentschool", "SurveyAnswer")
    Questionnaire = apps.get_model("surveys", "Questionnaire")
    Version = apps.get_model("surveys", "Version")
    Question = apps.get_model("surveys", "Question")
    Wave = apps.get_model("surveys", "Wave")
    Respondent = apps.get_model("surveys", "Respondent")
    Response = apps.get_model("surveys", "Response")
    Answer = apps.get_model("surveys", "Answer")
    Guardian = apps.get_model("directory", "Guardian")

    ids = SurveyQuestion.objects.values_list("session_id", flat=True).distinct()
    for session in Session.objects.filter(pk__in=list(ids)).select_related("event", "parent_school__school"):
        event, school = session.event, session.parent_school.school
        old = list(SurveyQuestion.objects.filter(session=session).order_by("position", "pk"))
        answers = list(SurveyAnswer.objects.filter(question__session=session).order_by("pk"))
        questionnaire = Questionnaire.objects.create(
            title=event.title[:80], respondent_kind="guardian", county_id=school.county_id, school_id=school.pk,
            created_by_id=event.created_by_id, created_at=event.created_at, key="parentschool.session",
        )
        version = Version.objects.create(
            questionnaire=questionnaire, number=1, status="published" if answers else "draft",
            created_at=event.created_at, published_at=min(a.created_at for a in answers) if answers else None,
        )
        question_of = {}
        for n, q in enumerate(old, start=1):
            question_of[q.pk] = Question.objects.create(
                version=version, position=n, code=f"q{n}", kind="scale", text=q.text, required=True,
                scale_min=1, scale_max=5,
            )
        session.questionnaire = questionnaire
        session.save(update_fields=["questionnaire"])
        if not answers:
            continue
        (b_open, b_close), (a_open, a_close) = _times(event)
        hook = f"parentschool.session:{session.pk}"
        waves = {
            "before": Wave.objects.create(questionnaire=questionnaire, version=version, number=1, title="课前",
                                          opens_at=b_open, closes_at=b_close, audience="hook", hook=hook,
                                          county_id=school.county_id, school_id=school.pk),
            "after": Wave.objects.create(questionnaire=questionnaire, version=version, number=2, title="课后",
                                         opens_at=a_open, closes_at=a_close, audience="hook", hook=f"{hook}:came",
                                         county_id=school.county_id, school_id=school.pk),
        }  # fmt: skip
        users = dict(Guardian.objects.filter(pk__in={a.guardian_id for a in answers}).values_list("pk", "user_id"))
        respondents = {}
        responses = {}
        for a in answers:
            if a.guardian_id not in respondents:
                respondents[a.guardian_id] = Respondent.objects.create(
                    questionnaire=questionnaire, guardian_id=a.guardian_id
                )
            key = (a.phase, a.guardian_id)
            if key not in responses:
                responses[key] = Response.objects.create(
                    wave=waves[a.phase], respondent=respondents[a.guardian_id], status="submitted",
                    school_id=school.pk, answered_by_id=users.get(a.guardian_id), consent=True,
                    submitted_at=a.created_at,
                )
            elif a.created_at > responses[key].submitted_at:
                responses[key].submitted_at = a.created_at
                responses[key].save(update_fields=["submitted_at"])
            Answer.objects.create(response=responses[key], question=question_of[a.question_id], number=a.score)
        for wave in waves.values():
            wave.invited = wave.responses.count()
            wave.save(update_fields=["invited"])


def backward(apps, schema_editor):
    Session = apps.get_model("parentschool", "Session")
    SurveyQuestion = apps.get_model("parentschool", "SurveyQuestion")
    SurveyAnswer = apps.get_model("parentschool", "SurveyAnswer")
    Answer = apps.get_model("surveys", "Answer")
    for session in Session.objects.exclude(questionnaire=None).select_related("questionnaire"):
        version = session.questionnaire.versions.order_by("-number").first()
        if version is None:
            continue
        old = {}
        for q in version.questions.order_by("position"):
            old[q.pk] = SurveyQuestion.objects.create(session=session, text=q.text[:60], position=q.position)
        rows = Answer.objects.filter(question__in=list(old), response__status="submitted").select_related(
            "response__wave", "response__respondent"
        )
        for a in rows:
            if a.number is None or a.response.respondent.guardian_id is None:
                continue
            SurveyAnswer.objects.create(
                question=old[a.question_id], guardian_id=a.response.respondent.guardian_id,
                phase="before" if a.response.wave.number == 1 else "after", score=int(a.number),
                created_at=a.response.submitted_at,
            )
        questionnaire = session.questionnaire
        session.questionnaire = None
        session.save(update_fields=["questionnaire"])
        Answer.objects.filter(response__wave__questionnaire=questionnaire).delete()
        questionnaire.waves.all().delete()
        questionnaire.versions.all().delete()
        questionnaire.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("parentschool", "0004_session_questionnaire"),
        ("surveys", "0002_wave_policy"),
        ("directory", "0002_rosterimport"),
    ]

    operations = [migrations.RunPython(forward, backward)]
