from django.urls import path

from . import views

app_name = "surveys"
urlpatterns = [
    path("", views.questionnaire_list, name="list"),
    path("new/", views.questionnaire_new, name="new"),
    path("<id:pk>/", views.questionnaire_detail, name="detail"),
    path("<id:pk>/draft/", views.version_new, name="version_new"),
    path("version/<id:pk>/publish/", views.version_publish, name="publish"),
    path("version/<id:pk>/section/", views.section_add, name="section_add"),
    path("section/<id:pk>/edit/", views.section_edit, name="section_edit"),
    path("section/<id:pk>/remove/", views.section_remove, name="section_remove"),
    path("section/<id:pk>/move/", views.section_move, name="section_move"),
    path("version/<id:pk>/question/", views.question_add, name="question_add"),
    path("question/<id:pk>/edit/", views.question_edit, name="question_edit"),
    path("question/<id:pk>/remove/", views.question_remove, name="question_remove"),
    path("question/<id:pk>/move/", views.question_move, name="question_move"),
    path("<id:pk>/wave/", views.wave_new, name="wave_new"),
    path("wave/<id:pk>/", views.wave_detail, name="wave"),
    path("wave/<id:pk>/remind/", views.wave_remind, name="wave_remind"),
    path("wave/<id:pk>/close/", views.wave_close, name="wave_close"),
    path("wave/<id:pk>/export.<str:fmt>", views.wave_export, name="wave_export"),
    path("wave/<id:pk>/compare/", views.wave_compare, name="wave_compare"),
    path("mine/", views.my_surveys, name="mine"),
    path("answer/<id:pk>/", views.answer, name="answer"),
    path("answer/<id:pk>/skip/", views.skip, name="skip"),
]
