from django.urls import include, path

app_name = "publicity"
urlpatterns = [
    path("", include("xieyu.publicity.column.urls")),
    path("articles/", include("xieyu.publicity.articles.urls")),
    path("gaokao/", include("xieyu.publicity.gaokao.urls")),
    path("cases/", include("xieyu.publicity.cases.urls")),
]
