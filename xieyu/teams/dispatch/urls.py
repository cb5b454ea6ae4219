from django.urls import path

from . import views

urlpatterns = [
    path("", views.need_list, name="need_list"),
    path("new/", views.need_new, name="need_new"),
    path("<id:pk>/", views.need_detail, name="need_detail"),
    path("<id:pk>/invite/", views.need_invite, name="need_invite"),
    path("<id:pk>/cancel/", views.need_cancel, name="need_cancel"),
    path("assignments/<id:pk>/cancel/", views.assignment_cancel, name="assignment_cancel"),
    path("invitations/", views.my_invitations, name="my_invitations"),
    path("invitations/<id:pk>/accept/", views.assignment_accept, name="assignment_accept"),
    path("invitations/<id:pk>/decline/", views.assignment_decline, name="assignment_decline"),
    path("invitations/<id:pk>/withdraw/", views.assignment_withdraw, name="assignment_withdraw"),
]
