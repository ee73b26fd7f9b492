"""Contract tests: schemathesis generates requests from the live OpenAPI schema and checks that no
answer is a server error or breaks the schema (status codes, content types, bodies), for
anonymous reads and for writes with a staff token, on the test database.

Each operation gets its own Hypothesis run; the failures of all of them are reported together.
"""

import pytest
import schemathesis
from django.contrib.auth import get_user_model
from django.core import signals
from django.core.cache import cache
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import positive_data_acceptance

from tests.gates.factories import GateFactory
from tests.investment.factories import InvestmentFactory
from tests.projects.factories import ProjectFactory

EXAMPLES = 20
# Schemathesis also asks that every request the schema allows succeed. The filters' validators
# are stricter than their documented types (a currency must be one of the codes, a range the
# right way round…) and answer 400 with the reason, as the issue wants; that check is left out.
EXCLUDED = [positive_data_acceptance]

pytestmark = pytest.mark.django_db


@pytest.fixture
def some_records(db):
    # Called as a WSGI app (not through Django's test client), Django would close the database
    # connection after each request, and with it the test's transaction: keep it, as the test
    # client does.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    cache.clear()
    gate = GateFactory(slug="tra-linh", latitude=22.85, longitude=106.6)
    ProjectFactory(slug="p", gates=[gate])
    InvestmentFactory(slug="i")
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def run_contract(methods: set[str], headers: dict) -> list[str]:
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", get_wsgi_application())
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.method.upper() not in methods:
            continue

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
        )
        def check(case):
            case.call_and_validate(headers=headers, excluded_checks=EXCLUDED)

        try:
            check()
        except BaseException as error:  # noqa: BLE001 (failures come as exception groups)
            failures.append(f"{operation.label}: {str(error)[:2000]}")
    return failures


def test_anonymous_reads_keep_the_contract(some_records):
    failures = run_contract({"GET"}, {})
    assert failures == [], "\n\n".join(failures)


def test_staff_writes_keep_the_contract(some_records):
    user = get_user_model().objects.create_superuser("api-staff", "s@example.org", "pw-123456")
    token = Token.objects.create(user=user).key
    failures = run_contract({"POST", "PUT", "PATCH", "DELETE"}, {"Authorization": f"Token {token}"})
    assert failures == [], "\n\n".join(failures)
