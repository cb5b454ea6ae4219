from django.urls import include, path

app_name = "teams"
urlpatterns = [
    path("", include("xieyu.teams.members.urls")),
    path("needs/", include("xieyu.teams.dispatch.urls")),
    path("hours/", include("xieyu.teams.hours.urls")),
    path("talent/", include("xieyu.teams.talent.urls")),
    path("communities/", include("xieyu.teams.communities.urls")),
]
