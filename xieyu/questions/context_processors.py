"""The question alerts of staff who handle questions: the badge next to "Questions" in the navigation and the
alerts card on their home (add to settings.TEMPLATES' context processors).

The directory's home pages sit below questions in the layers and cannot ask for alerts; they include
`questions/_alerts_card.html`, which reads `question_alerts`. Each figure is one query, run only when a page shows it.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.functional import cached_property

from xieyu.audit.services import access_bulk

from .asking.access import alerts_first_urgent, family_phones_of, handles_questions
from .asking.models import Alert

CARD_ALERTS = 5


class QuestionAlerts:
    def __init__(self, user, request=None):
        self.user = user
        self.request = request
        self.url = reverse("questions:queue")

    @cached_property
    def count(self) -> int:
        return alerts_first_urgent(self.user).count()

    @cached_property
    def items(self) -> list[Alert]:
        """The card's alerts; an urgent one carries the family's phones (`family_phones`) for its handler, so she
        can call from her home. Showing them is logged like on the question page (one query and one insert)."""
        items = list(alerts_first_urgent(self.user)[:CARD_ALERTS])
        urgent = {a.question_id: a.question for a in items if a.kind == Alert.Kind.URGENT}
        phones = family_phones_of(self.user, list(urgent.values()))
        for a in items:
            a.family_phones = phones.get(a.question_id, [])  # type: ignore[attr-defined]  # for the template only
        if phones:
            access_bulk(actor=self.user, targets=[urgent[pk] for pk in phones], purpose="question.urgent.phone",
                        request=self.request)  # fmt: skip
        return items

    @cached_property
    def urgent(self) -> bool:
        return any(a.kind == Alert.Kind.URGENT for a in self.items)


def question_alerts(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not handles_questions(user):
        return {}
    return {"question_alerts": QuestionAlerts(user, request)}
