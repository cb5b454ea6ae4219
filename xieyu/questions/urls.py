from django.urls import path

from . import views

app_name = "questions"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("ask/", views.ask, name="ask"),
    path("similar/", views.similar, name="similar"),
    path("queue/", views.queue, name="queue"),
    path("overview/", views.overview, name="overview"),
    path("alerts/<int:pk>/", views.alert_open, name="alert_open"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/photo/", views.photo, name="photo"),
    path("<int:pk>/follow-up/", views.follow_up, name="follow_up"),
    path("<int:pk>/rate/", views.rate, name="rate"),
    path("<int:pk>/answer/", views.answer, name="answer"),
    path("<int:pk>/note/", views.note, name="note"),
    path("<int:pk>/claim/", views.claim, name="claim"),
    path("<int:pk>/assign/", views.assign, name="assign"),
    path("<int:pk>/close/", views.close, name="close"),
    path("<int:pk>/clear-flag/", views.clear_flag, name="clear_flag"),
    path("<int:pk>/publish/", views.publish, name="publish"),
    path("kb/", views.knowledge, name="knowledge"),
    path("kb/<int:pk>/", views.article, name="article"),
    path("topics/", views.topics, name="topics"),
    path("topics/<int:pk>/vote/", views.topic_vote, name="topic_vote"),
    path("topics/<int:pk>/status/", views.topic_status, name="topic_status"),
    path("topics/<int:pk>/schedule/", views.topic_schedule, name="topic_schedule"),
]
