"""The question alerts of staff who handle questions: the badge next to "Questions" in the navigation and the
alerts card on their home (add to settings.TEMPLATES' context processors).

The directory's home pages sit below questions in the layers and cannot ask for alerts; they include
`questions/_alerts_card.html`, which reads `question_alerts`. Each figure is one query, run only when a page shows it.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.functional import cached_property

from .asking.access import alerts_first_urgent, handles_questions
from .asking.models import Alert

CARD_ALERTS = 5


class QuestionAlerts:
    def __init__(self, user):
        self.user = user
        self.url = reverse("questions:queue")

    @cached_property
    def count(self) -> int:
        return alerts_first_urgent(self.user).count()

    @cached_property
    def items(self) -> list[Alert]:
        return list(alerts_first_urgent(self.user)[:CARD_ALERTS])

    @cached_property
    def urgent(self) -> bool:
        return any(a.kind == Alert.Kind.URGENT for a in self.items)


def question_alerts(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not handles_questions(user):
        return {}
    return {"question_alerts": QuestionAlerts(user)}
