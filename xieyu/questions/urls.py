from django.urls import path

from .asking import views as asking
from .clinics import views as clinics
from .knowledge import views as knowledge
from .topics import views as topics

app_name = "questions"
urlpatterns = [
    # asking: questions, the thread, the staff queue and alerts, the overview
    path("", asking.mine, name="mine"),
    path("ask/", asking.ask, name="ask"),
    path("similar/", asking.similar, name="similar"),
    path("queue/", asking.queue, name="queue"),
    path("overview/", asking.overview, name="overview"),
    path("alerts/<id:pk>/", asking.alert_open, name="alert_open"),
    path("<id:pk>/", asking.detail, name="detail"),
    path("<id:pk>/photo/", asking.photo, name="photo"),
    path("<id:pk>/follow-up/", asking.follow_up, name="follow_up"),
    path("<id:pk>/rate/", asking.rate, name="rate"),
    path("<id:pk>/answer/", asking.answer, name="answer"),
    path("<id:pk>/note/", asking.note, name="note"),
    path("<id:pk>/claim/", asking.claim, name="claim"),
    path("<id:pk>/assign/", asking.assign, name="assign"),
    path("<id:pk>/close/", asking.close, name="close"),
    path("<id:pk>/clear-flag/", asking.clear_flag, name="clear_flag"),
    # knowledge base
    path("<id:pk>/publish/", knowledge.publish, name="publish"),
    path("kb/", knowledge.knowledge, name="knowledge"),
    path("kb/<id:pk>/", knowledge.article, name="article"),
    # topic requests (点单)
    path("topics/", topics.topics, name="topics"),
    path("topics/<id:pk>/vote/", topics.topic_vote, name="topic_vote"),
    path("topics/<id:pk>/status/", topics.topic_status, name="topic_status"),
    path("topics/<id:pk>/schedule/", topics.topic_schedule, name="topic_schedule"),
    # clinics (教育义诊)
    path("clinics/", clinics.clinic_list, name="clinic_list"),
    path("clinics/slots/<id:pk>/book/", clinics.clinic_book, name="clinic_book"),
    path("clinics/bookings/", clinics.clinic_bookings, name="clinic_bookings"),
    path("clinics/bookings/<id:pk>/cancel/", clinics.clinic_cancel, name="clinic_cancel"),
    path("clinics/mine/", clinics.clinic_mine, name="clinic_mine"),
    path("clinics/new/", clinics.clinic_publish, name="clinic_publish"),
    path("clinics/<id:pk>/", clinics.clinic_detail, name="clinic_detail"),
    path("clinics/appointments/<id:pk>/", clinics.clinic_appointment, name="clinic_appointment"),
    path("clinics/appointments/<id:pk>/outcome/", clinics.clinic_outcome, name="clinic_outcome"),
    path("clinics/appointments/<id:pk>/follow-up/", clinics.clinic_follow_up, name="clinic_follow_up"),
]
