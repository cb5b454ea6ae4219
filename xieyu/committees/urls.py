from django.urls import include, path

app_name = "committees"
urlpatterns = [
    path("", include("xieyu.committees.bodies.urls")),
    path("inquiries/", include("xieyu.committees.inquiries.urls")),
    path("appraisals/", include("xieyu.committees.appraisals.urls")),
]
