"""Property-based run of schemathesis against the OpenAPI description, in process (the WSGI
application on the test site with its canary markers).

Marked ``schemathesis``: ``make test`` leaves it out and ``.ci/run`` runs it once, bounded by
``max_examples`` per operation (about a minute on an idle machine). Every generated request
must get no server error, a documented status and content type, and a body valid against
its schema.
"""

import os

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis import checks

pytestmark = pytest.mark.schemathesis

# A longer exploration: SCHEMATHESIS_EXAMPLES=500 make schemathesis
EXAMPLES_PER_OPERATION = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "40"))


@pytest.fixture
def open_data_schema(open_site):
    # Like Django's test client: requests must not close the test's database connection
    # (harmless on SQLite in memory, fatal to the test transaction on PostgreSQL).
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi("/api/v2/schema/", get_wsgi_application())
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


schema = schemathesis.pytest.from_fixture("open_data_schema")


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=False,
)
def test_every_operation_conforms(case):
    case.call_and_validate(
        checks=[
            checks.not_a_server_error,
            checks.status_code_conformance,
            checks.content_type_conformance,
            checks.response_schema_conformance,
        ]
    )
