"""Moving the test database to a migration state and back, for the data-migration tests."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor


class Executor(MigrationExecutor):
    """Django's executor, with a cheaper way to compute the states of a backwards move.

    To unapply migrations, Django needs the project state before each of them. It walks the
    whole plan (every migration of every app, 240-odd here), renders the models once at the
    first migration to unapply, and then mutates that rendered state through every later
    migration, reloading the affected models each time: 20 to 40 s per backwards move on
    this project, for half a dozen migrations actually unapplied. Here the walk mutates
    unrendered states (cheap), and each migration to unapply renders its own state once,
    just before it is unapplied. The states are the same; only when they are rendered
    changes.
    """

    def _migrate_all_backwards(self, plan, full_plan, fake):
        migrations_to_run = {migration for migration, _backwards in plan}
        applied_migrations = {
            self.loader.graph.nodes[key]
            for key in self.loader.applied_migrations
            if key in self.loader.graph.nodes
        }
        states = {}
        state = self._create_project_state()
        for migration, _backwards in full_plan:
            if not migrations_to_run:
                break
            if migration in migrations_to_run:
                states[migration] = state  # the state before this migration
                state = migration.mutate_state(state, preserve=True)
                migrations_to_run.remove(migration)
            elif migration in applied_migrations:
                migration.mutate_state(state, preserve=False)

        for migration, _backwards in plan:
            states[migration].apps  # noqa: B018 - rendered once, then cloned per operation
            self.unapply_migration(states[migration], migration, fake=fake)
            applied_migrations.remove(migration)

        # The state after the move (what Django returns): the state before the last migration
        # unapplied, plus every migration still applied after it in the plan.
        last_unapplied = plan[-1][0]
        state = states[last_unapplied]
        state.__dict__.pop("apps", None)  # mutating rendered models is the slow part
        index = next(i for i, (migration, _) in enumerate(full_plan) if migration == last_unapplied)
        for migration, _backwards in full_plan[index:]:
            if migration in applied_migrations:
                migration.mutate_state(state, preserve=False)
        return state


def migrate(targets):
    """Migrate to ``targets`` ([(app, migration)]); returns the apps of that state."""
    executor = Executor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def latest():
    """The latest migration of every app."""
    return MigrationExecutor(connection).loader.graph.leaf_nodes()
