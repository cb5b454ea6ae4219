"""What the cases subdomain connects when the app loads: home sections, role homes, receivers, scheduled jobs."""


def connect() -> None:
    pass
