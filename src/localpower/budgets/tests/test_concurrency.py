"""Fifty simultaneous duplicate submissions for one voter end with exactly one voter record and one ballot.

Each thread has its own database connection (Django's connections are per thread) and all start together at a
barrier. Run on PostgreSQL::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/pytest src/localpower/budgets -k concurrency

On SQLite the test database is an in-memory database shared between threads, where SQLite reports lock conflicts
at once ("database table is locked") instead of waiting for the busy timeout, so most threads fail with an
OperationalError before reaching our code (one ballot is still stored). That measures SQLite's shared-cache
locking, not this service, so the test is skipped there.

Measured on PostgreSQL 2026-11-23: all three pass; between 6 and 29 of the 50 threads hit the unique constraint
(IntegrityError) and recovered by retrying, so the race is really exercised.
"""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection, connections

from localpower.accounts.models import User
from localpower.budgets.models import Ballot, Process, VoterRecord
from localpower.budgets.services import cast_ballot
from localpower.budgets.tests.factories import make_process, make_projects

THREADS = 50

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL (SQLite's shared in-memory test database)"
    ),
]


def fire(process_pk: int, user_pk: int, key_for) -> Counter:
    """Run THREADS submissions at once; count their outcomes."""
    barrier = threading.Barrier(THREADS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def submit(i: int) -> None:
        try:
            process = Process.objects.select_related("area").get(pk=process_pk)
            user = User.objects.get(pk=user_pk)
            project = process.projects.order_by("pk").first()
            barrier.wait(timeout=30)
            try:
                result = cast_ballot(
                    actor=user, process=process, content=[project.pk], idempotency_key=key_for(i)
                )
                outcome = "repeated" if result.repeated else "replaced" if result.replaced else "created"
            except ValidationError as error:
                outcome = "refused: " + error.messages[0]
            with lock:
                outcomes.append(outcome)
        except Exception as error:  # a crash in a thread must fail the test, not vanish
            with lock:
                outcomes.append(f"error: {type(error).__name__}: {error}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=(i,)) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    close_old_connections()
    assert len(outcomes) == THREADS
    return Counter(outcomes)


@pytest.fixture
def setup(borough, resident):
    process = make_process(borough["north"], "voting", allow_ballot_change=False)
    make_projects(process, [100, 200])
    return process, resident


def test_same_form_sent_fifty_times_at_once(setup):
    process, resident = setup
    outcomes = fire(process.pk, resident.pk, key_for=lambda i: "one-form")
    assert outcomes == Counter({"created": 1, "repeated": THREADS - 1})
    assert VoterRecord.objects.filter(process=process).count() == 1
    assert Ballot.objects.filter(process=process).count() == 1


def test_fifty_different_submissions_at_once_without_changes_allowed(setup):
    process, resident = setup
    outcomes = fire(process.pk, resident.pk, key_for=lambda i: f"form-{i}")
    assert outcomes["created"] == 1
    assert (
        outcomes["refused: You have already voted. This budget does not let voters change their ballot."]
        == THREADS - 1
    )
    assert VoterRecord.objects.filter(process=process).count() == 1
    assert Ballot.objects.filter(process=process).count() == 1


def test_fifty_changes_at_once_leave_one_counted_ballot(setup):
    process, resident = setup
    Process.objects.filter(pk=process.pk).update(allow_ballot_change=True)
    outcomes = fire(process.pk, resident.pk, key_for=lambda i: f"form-{i}")
    assert outcomes == Counter({"created": 1, "replaced": THREADS - 1})
    record = VoterRecord.objects.get(process=process)
    assert record.changes == THREADS - 1
    assert Ballot.objects.filter(process=process, superseded_on__isnull=True).count() == 1
    assert Ballot.objects.filter(process=process).count() == THREADS
