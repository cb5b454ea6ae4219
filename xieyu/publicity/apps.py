from django.apps import AppConfig


class PublicityConfig(AppConfig):
    """The 家校社协同育人 column: articles and their review, the public column, 新高考 guidance, typical cases."""

    name = "xieyu.publicity"
    label = "publicity"

    def ready(self) -> None:
        from .articles import wiring as articles_wiring
        from .cases import wiring as cases_wiring
        from .column import wiring as column_wiring
        from .gaokao import wiring as gaokao_wiring

        for wiring in (articles_wiring, column_wiring, gaokao_wiring, cases_wiring):
            wiring.connect()
