from django.urls import include, path

app_name = "venues"
urlpatterns = [
    path("", include("xieyu.venues.catalogue.urls")),
    path("bookings/", include("xieyu.venues.bookings.urls")),
    path("tours/", include("xieyu.venues.tours.urls")),
]
