"""Moving the test database to a migration state and back, for the data-migration tests."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate(targets):
    """Migrate to ``targets`` ([(app, migration)]); returns the apps of that state."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def latest():
    """The latest migration of every app."""
    return MigrationExecutor(connection).loader.graph.leaf_nodes()
