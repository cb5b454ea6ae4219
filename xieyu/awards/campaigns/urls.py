from django.urls import path

from . import views

urlpatterns = [
    path("", views.campaign_list, name="campaign_list"),
    path("new/", views.campaign_create, name="campaign_create"),
    path("review/", views.review_queue, name="review_queue"),
    path("scoring/", views.score_queue, name="score_queue"),
    path("<id:pk>/", views.campaign_detail, name="campaign_detail"),
    path("<id:pk>/open/", views.campaign_open, name="campaign_open"),
    path("<id:pk>/advance/", views.campaign_advance, name="campaign_advance"),
    path("<id:pk>/cancel/", views.campaign_cancel, name="campaign_cancel"),
    path("<id:pk>/shortlist/", views.campaign_shortlist, name="campaign_shortlist"),
    path("<id:pk>/nominate/", views.nominate, name="nominate"),
    path("<id:pk>/result/", views.campaign_result, name="campaign_result"),
    path("<id:pk>/nominations/<id:nomination_pk>/shortlist/", views.nomination_shortlist, name="nomination_shortlist"),
    path("<id:pk>/nominations/<id:nomination_pk>/object/", views.objection_submit, name="objection_submit"),
    path("nominations/<id:pk>/", views.nomination_detail, name="nomination_detail"),
    path("nominations/<id:pk>/review/", views.school_review, name="school_review"),
    path("nominations/<id:pk>/score/", views.score_submit, name="score_submit"),
    path("nominations/<id:pk>/certificate/", views.certificate, name="certificate"),
    path("nominations/<id:pk>/promote/", views.nomination_promote, name="nomination_promote"),
    path("objections/<id:pk>/decide/", views.objection_decide, name="objection_decide"),
    path("materials/<str:token>/", views.material_download, name="material_download"),
]
