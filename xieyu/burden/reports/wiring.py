"""What the reports subdomain connects when the app loads: nothing yet (the county's inbox is a nav entry, the clock
runs on the deadline engine's sweep)."""


def connect() -> None:
    pass
