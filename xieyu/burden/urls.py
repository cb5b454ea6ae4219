from django.urls import include, path

app_name = "burden"
urlpatterns = [
    path("diary/", include("xieyu.burden.diary.urls")),
    path("watch/", include("xieyu.burden.watch.urls")),
    path("reports/", include("xieyu.burden.reports.urls")),
    path("after-school/", include("xieyu.burden.afterschool.urls")),
    path("visits/", include("xieyu.burden.visits.urls")),
]
