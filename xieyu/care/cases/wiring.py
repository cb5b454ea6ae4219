"""What the cases subdomain connects when the app loads: the counsellor's home page, and on a clinic appointment
the expert's request for a case."""

from xieyu.accounts.models import Role
from xieyu.directory.home import register_role_home
from xieyu.questions.clinics.views import register_appointment_action

from .views import counsellor_home


def connect() -> None:
    register_role_home(Role.COUNSELLOR, counsellor_home)
    register_appointment_action("care/cases/_clinic_request.html")
