"""Fixtures of the network and programme tests, reused by the workspace tests."""

from tests.network.conftest import (  # noqa: F401
    calls_index,
    dla10,
    dla51,
    grand_est,
    officer51,
)
from tests.workflows.conftest import committee, pilotage  # noqa: F401
