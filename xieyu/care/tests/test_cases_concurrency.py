"""Two people move one case at the same moment (real connections, real row locks): one move wins, the other is
refused with its reason, and the version counts one change."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from xieyu.care.cases import services
from xieyu.care.models import Approval, Case

from .cases_fixtures import open_case

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks across connections: PostgreSQL"),
]


def _race(calls) -> list[str]:
    barrier = threading.Barrier(len(calls))
    outcomes: list[str] = []

    def run(call):
        from django.db import connections

        try:
            barrier.wait()
            call()
            outcomes.append("won")
        except ValidationError as exc:
            outcomes.append(exc.code or "refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(c,)) for c in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sorted(outcomes)


def test_two_moves_at_once_one_wins(cast):
    case = open_case(cast)
    owner, supervisor = cast.counsellor_zhou, cast.supervisor_zhong
    outcomes = _race([
        lambda: services.case_move(actor=owner, case=Case.objects.get(pk=case.pk), to_state="assessment"),
        lambda: services.case_move(actor=supervisor, case=Case.objects.get(pk=case.pk), to_state="assessment"),
    ])  # fmt: skip
    assert outcomes == ["move", "won"]
    case.refresh_from_db()
    assert case.state == Case.State.ASSESSMENT and case.version == 1


def test_two_decisions_at_once_one_wins(cast):
    case = open_case(cast)
    services.case_move(actor=cast.counsellor_zhou, case=case, to_state="assessment")
    services.case_move(actor=cast.counsellor_zhou, case=case, to_state="plan")
    approval = services.approval_request(
        actor=cast.counsellor_zhou, case=case, kind="plan", text="每两周家访一次,每周一次电话。"
    )
    zhong = cast.supervisor_zhong
    outcomes = _race([
        lambda: services.approval_decide(actor=zhong, approval=Approval.objects.get(pk=approval.pk), approve=True),
        lambda: services.approval_decide(actor=zhong, approval=Approval.objects.get(pk=approval.pk), approve=False,
                                         comment="频次太低"),
    ])  # fmt: skip
    assert outcomes == ["decided", "won"]
