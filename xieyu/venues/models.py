"""Every model of the venues app, for Django (which loads an app's models from here). Each subdomain keeps its own:

- catalogue/models.py: venues (爱国主义教育基地, 劳动实践基地, 科技馆 …), their themes, opening times, terms, photos;
- bookings/models.py: schools' class visits within each slot's capacity, and open family days;
- tours/models.py: lecture tours (巡讲) and their stops.
"""

from .bookings.models import Booking, FamilyDay
from .catalogue.models import Part, Venue, VenuePhoto, VenueSlot, VenueTheme
from .tours.models import Tour, TourStop

__all__ = ["Booking", "FamilyDay", "Part", "Tour", "TourStop", "Venue", "VenuePhoto", "VenueSlot", "VenueTheme"]
