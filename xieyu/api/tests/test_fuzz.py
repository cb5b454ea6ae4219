"""The API against its own OpenAPI document, fuzzed by schemathesis as a guardian and as a head teacher.

Every operation of /api/v1/openapi.json gets a small, derandomized batch of generated requests, valid ones and
invalid ones, through the real WSGI stack with a bearer token: no answer may be a server error, every status must
be one the document lists for that operation, and every content type one it declares. Writes are allowed: it is the
test database.

(The schemathesis pytest plugin's lazy fixtures do not run on this pytest, so the operations are walked here with
schemathesis's own strategies and checks, one Hypothesis run per operation and generation mode.)
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, status_code_conformance

from xieyu.accounts.tokens import token_create

MAX_EXAMPLES = 8  # per operation and generation mode: about 30 s a role on a busy two-core machine
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance]
FUZZ_SETTINGS = settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    print_blob=False,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture
def wsgi_app():
    """Django's WSGI handler, without closing the test's database connection at the end of each request."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def operations(schema) -> list:
    found = []
    for result in schema.get_all_operations():
        found.append(result.ok())  # a schema error fails here, naming the operation
    return found


def fuzz(operation, mode: GenerationMode, headers: dict[str, str]) -> None:
    @FUZZ_SETTINGS
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case) -> None:
        case.call_and_validate(headers=headers, checks=CHECKS)

    run()


@pytest.mark.fuzz
@pytest.mark.once("postgresql")
@pytest.mark.parametrize("persona", ["grandma_zhao", "head_teacher_li"])
def test_no_input_is_a_server_error_and_every_status_is_documented(cast, wsgi_app, persona):
    _token, plain = token_create(actor=None, user=getattr(cast, persona), name="fuzz")
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi_app)
    found = operations(schema)
    assert len(found) > 20
    headers = {"Authorization": f"Bearer {plain}"}
    failures = []
    for operation in found:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            try:
                fuzz(operation, mode, headers)
            except (Exception, BaseExceptionGroup) as exc:  # every operation is tried; failures are reported together
                failures.append(f"{operation.label} ({mode.value}): {exc}")
    assert not failures, "\n\n".join(failures)
