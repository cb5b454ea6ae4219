from django.apps import AppConfig


class VenuesConfig(AppConfig):
    """Cultural and practice venues, bookable class visits and family days, lecture tours."""

    name = "xieyu.venues"
    label = "venues"

    def ready(self) -> None:
        from .bookings import wiring as bookings_wiring
        from .catalogue import wiring as catalogue_wiring
        from .tours import wiring as tours_wiring

        for wiring in (catalogue_wiring, bookings_wiring, tours_wiring):
            wiring.connect()
