from django.urls import include, path

app_name = "awards"
urlpatterns = [
    path("", include("xieyu.awards.campaigns.urls")),
    path("votes/", include("xieyu.awards.votes.urls")),
]
