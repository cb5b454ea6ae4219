from django.urls import include, path

app_name = "care"
urlpatterns = [
    path("registry/", include("xieyu.care.registry.urls")),
    path("cases/", include("xieyu.care.cases.urls")),
    path("referrals/", include("xieyu.care.referrals.urls")),
    path("rights/", include("xieyu.care.rights.urls")),
    path("figures/", include("xieyu.care.figures.urls")),
]
