from django.urls import path

from . import views

app_name = "notices"
urlpatterns = [
    # The recipient's inbox
    path("", views.inbox, name="inbox"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/respond/", views.respond, name="respond"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    # The sender's side
    path("sent/", views.sent_list, name="sent_list"),
    path("new/", views.compose, name="compose"),
    path("<int:pk>/receipts/", views.receipts_page, name="receipts"),
    path("<int:pk>/receipts/counts/", views.receipts_counts, name="receipts_counts"),
    path("<int:pk>/receipts/export.xlsx", views.export, name="export"),
    path("<int:pk>/remind/", views.remind, name="remind"),
    path("<int:pk>/retract/", views.retract, name="retract"),
    # One class: families not reached, hand delivery, the print sheet
    path("<int:pk>/classes/<int:class_pk>/", views.class_page, name="class_page"),
    path("<int:pk>/classes/<int:class_pk>/print/", views.print_sheet, name="print_sheet"),
]
