from django.urls import path

from . import views

urlpatterns = [
    # the guardian
    path("consents/", views.consent_list, name="consent_list"),
    path("consents/<id:pk>/", views.consent_detail, name="consent_detail"),
    path("consents/<id:pk>/code/", views.consent_code, name="consent_code"),
    path("consents/<id:pk>/give/", views.consent_give, name="consent_give"),
    path("consents/<id:pk>/decline/", views.consent_decline, name="consent_decline"),
    path("consents/<id:pk>/revoke/", views.consent_revoke, name="consent_revoke"),
    path("consents/<id:pk>/scan/", views.consent_scan, name="consent_scan"),
    # the case team
    path("case/<id:pk>/", views.referral_case, name="referral_case"),
    path("case/<id:pk>/consent/", views.consent_new, name="consent_new"),
    path("case/<id:pk>/consent/paper/", views.consent_paper, name="consent_paper"),
    path("case/<id:pk>/refer/", views.referral_new, name="referral_new"),
    path("sent/", views.referral_sent, name="referral_sent"),
    path("<id:pk>/revoke/", views.referral_revoke, name="referral_revoke"),
    path("<id:pk>/links/", views.referral_link_new, name="referral_link_new"),
    path("links/<id:pk>/revoke/", views.referral_link_revoke, name="referral_link_revoke"),
    # the partner
    path("inbox/", views.referral_inbox, name="referral_inbox"),
    path("<id:pk>/", views.referral_detail, name="referral_detail"),
    path("<id:pk>/accept/", views.referral_accept, name="referral_accept"),
    path("<id:pk>/reject/", views.referral_reject, name="referral_reject"),
    path("<id:pk>/done/", views.referral_done, name="referral_done"),
    # a person at an agency without an account
    path("link/<str:token>/", views.link_open, name="link_open"),
    path("link/<str:token>/accept/", views.link_accept, name="link_accept"),
    path("link/<str:token>/reject/", views.link_reject, name="link_reject"),
    path("link/<str:token>/done/", views.link_done, name="link_done"),
]
