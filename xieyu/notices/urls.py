from django.urls import path

from . import views

app_name = "notices"
urlpatterns = [
    # The recipient's inbox
    path("", views.inbox, name="inbox"),
    path("<id:pk>/", views.detail, name="detail"),
    path("<id:pk>/respond/", views.respond, name="respond"),
    path("attachments/<id:pk>/", views.attachment, name="attachment"),
    # The sender's side
    path("sent/", views.sent_list, name="sent_list"),
    path("new/", views.compose, name="compose"),
    path("<id:pk>/receipts/", views.receipts_page, name="receipts"),
    path("<id:pk>/receipts/counts/", views.receipts_counts, name="receipts_counts"),
    path("<id:pk>/receipts/export.xlsx", views.export, name="export"),
    path("<id:pk>/remind/", views.remind, name="remind"),
    path("<id:pk>/retract/", views.retract, name="retract"),
    # One class: families not reached, hand delivery, the print sheet
    path("<id:pk>/classes/<id:class_pk>/", views.class_page, name="class_page"),
    path("<id:pk>/classes/<id:class_pk>/print/", views.print_sheet, name="print_sheet"),
]
