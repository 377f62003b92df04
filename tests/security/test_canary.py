"""The canary leak test: markers in every confidential object, looked for in every output of
the site as every role (see ``canary.py`` for the objects, the roles and the outputs).

It fails when a marker reaches a role that may not see it, or a page answers a server error
while probing; and it proves it can fail: each marker must be found by its witness.
"""

import time
from collections import defaultdict
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import TestCase

from . import canary

pytestmark = pytest.mark.canary

# (secret, role) pairs known to leak until the access-policy work lands; strict: an entry
# that no longer leaks fails the test, so the list can only shrink.
KNOWN_LEAKS = set()
KNOWN_SERVER_ERRORS = set()


class CanaryTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        started = time.monotonic()
        with cls.captureOnCommitCallbacks(execute=True):
            call_command("load_initial_data", stdout=StringIO())
        mail.outbox = []
        with cls.captureOnCommitCallbacks(execute=True):
            cls.scenario = canary.Scenario().plant()
        cls.allowed = {**canary.ALLOWED}
        cls.allowed[canary.REVIEW] = canary.ALLOWED[canary.REVIEW] | {cls.scenario.reviewer}
        cls.planted = time.monotonic() - started
        cls.probes = {}
        kinds = canary.page_kinds()
        for role in canary.ROLES:
            user = None if role == canary.ANONYMOUS else cls.scenario.users[role]
            cls.probes[role] = canary.Probe(role, user, cls.scenario.urls, kinds).run()
        cls.mails = canary.mails_by_role(cls.scenario.users)
        cls.outbox = list(mail.outbox)
        cls.elapsed = time.monotonic() - started

    def test_no_marker_reaches_a_role_that_may_not_see_it(self):
        leaks, where = set(), []
        for role, probe in self.probes.items():
            for secret, urls in probe.found.items():
                if role not in self.allowed[secret]:
                    leaks.add((secret, role))
                    where.append(f"{secret} → {role}: {sorted(urls)[:4]}")
        for secret, hits in self.mails.items():
            for role, subject in hits:
                if role not in self.allowed[secret]:
                    leaks.add((secret, role))
                    where.append(f"{secret} → {role}: {subject}")
        self.assertEqual(leaks - KNOWN_LEAKS, set(), "\n".join(sorted(where)))
        self.assertEqual(KNOWN_LEAKS - leaks, set(), "fixed: remove from KNOWN_LEAKS")

    def test_each_marker_is_found_by_its_witness(self):
        """The probe can fail: every secret shows to a role allowed to see it."""
        for secret, witness in canary.WITNESS.items():
            self.assertIn(witness, self.allowed[secret])
            seen = self.probes[witness].found.get(secret) or {
                role for role, _subject in self.mails.get(secret, ()) if role == witness
            }
            self.assertTrue(seen, f"{secret} not found by {witness}")

    def test_no_server_error_while_probing(self):
        errors = {(role, url) for role, probe in self.probes.items() for url in probe.errors}
        self.assertEqual(errors - KNOWN_SERVER_ERRORS, set())
        self.assertEqual(KNOWN_SERVER_ERRORS - errors, set(), "fixed: remove from the list")

    def test_coverage(self):
        """The matrix covered: objects × roles × outputs (printed with -s)."""
        fetched = {role: probe.fetched for role, probe in self.probes.items()}
        print(
            f"\ncanary: {len(canary.ALLOWED)} secrets × {len(self.probes)} roles, "
            f"{sum(fetched.values())} responses ({fetched}), {len(self.outbox)} e-mails, "
            f"planted in {self.planted:.0f} s, all in {self.elapsed:.0f} s"
        )
        slowest = defaultdict(float)
        for probe in self.probes.values():
            for kind, seconds in probe.seconds.items():
                slowest[kind] += seconds
        print(sorted(slowest.items(), key=lambda item: -item[1])[:15])
        self.assertGreater(min(fetched.values()), 40)
