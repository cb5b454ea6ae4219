"""What the bodies subdomain connects when the app loads: home sections, receivers, scheduled jobs."""


def connect() -> None:
    pass
