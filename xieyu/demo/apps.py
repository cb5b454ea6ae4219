from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo county: the named cast shared with the tests and a generated county around it (demo mode only)."""

    name = "xieyu.demo"
    label = "demo"
