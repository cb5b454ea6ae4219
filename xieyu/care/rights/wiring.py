"""What the rights subdomain connects when the app loads: the guardian's link to their child's care record (the
home page's recent group). A school admin reaches the requests from the message each one sends and from the
navigation (the school admin's home shows no sections)."""


def connect() -> None:
    from xieyu.directory.home import RECENT, register_home_section

    from . import home

    register_home_section("care.rights_records", group=RECENT, order=90, provider=home.care_records)
