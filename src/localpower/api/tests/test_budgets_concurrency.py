"""Fifty simultaneous duplicate ballots for one voter, sent to the API, end with one ballot and one voter record.

Each thread has its own test client and its own database connection (Django's connections are per thread);
all wait at a barrier and then post at once with the same API token. Run on PostgreSQL::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/pytest \
        src/localpower/api/tests/test_budgets_concurrency.py

Skipped on SQLite, for the reason given in ``localpower.budgets.tests.test_concurrency``: the in-memory test
database shared between threads reports lock conflicts at once instead of waiting, which measures SQLite's
shared-cache locking rather than this service.
"""

from __future__ import annotations

import json
import threading
from collections import Counter

import pytest
from django.db import close_old_connections, connection, connections
from django.test import Client

from localpower.accounts.services import create_api_token
from localpower.budgets.models import Ballot, Process, VoterRecord
from localpower.budgets.tests.factories import make_process, make_projects
from localpower.core.models import AuditEntry

THREADS = 50

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL (SQLite's shared in-memory test database)"
    ),
]


def fire(slug: str, token: str, body: dict, key_for) -> Counter:
    """Post THREADS ballots at once; count (status, error code or ballot status) of the answers."""
    barrier = threading.Barrier(THREADS)
    outcomes: list[tuple] = []
    receipts: set[str] = set()
    lock = threading.Lock()

    def submit(i: int) -> None:
        try:
            client = Client(HTTP_HOST="localhost")
            barrier.wait(timeout=30)
            response = client.post(
                f"/api/v1/budgets/{slug}/ballot",
                data=json.dumps(body),
                content_type="application/json",
                HTTP_AUTHORIZATION=f"Bearer {token}",
                HTTP_IDEMPOTENCY_KEY=key_for(i),
            )
            answer = response.json()
            if "error" in answer:
                outcome = (response.status_code, answer["error"]["code"], answer["error"]["message"])
            else:
                outcome = (response.status_code, answer["status"])
                with lock:
                    receipts.add(answer["receipt"])
            with lock:
                outcomes.append(outcome)
        except Exception as error:  # a crash in a thread must fail the test, not vanish
            with lock:
                outcomes.append(("crash", f"{type(error).__name__}: {error}"))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=(i,)) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    close_old_connections()
    assert len(outcomes) == THREADS
    return Counter(outcomes), receipts


@pytest.fixture
def setup(borough, resident, settings):
    settings.API_RATE_LIMIT_TOKEN = 10_000
    process = make_process(borough["north"], "voting", slug="race", allow_ballot_change=False)
    project = make_projects(process, [100, 200])[0]
    token = create_api_token(user=resident, name="Race")[1]
    return process, {"projects": [project.pk]}, token


def test_the_same_ballot_posted_fifty_times_at_once_is_stored_once(setup, resident):
    process, body, token = setup
    outcomes, receipts = fire("race", token, body, key_for=lambda i: "one-key")
    assert outcomes == Counter({(201, "created"): 1, (200, "repeated"): THREADS - 1}), outcomes
    assert len(receipts) == 1
    assert VoterRecord.objects.filter(process=process, user=resident).count() == 1
    ballot = Ballot.objects.get(process=process)
    assert ballot.receipt in receipts
    assert AuditEntry.objects.filter(action="budgets.ballot.cast").count() == 1


def test_fifty_different_ballots_at_once_for_one_voter_leave_one(setup, resident):
    process, body, token = setup
    outcomes, receipts = fire("race", token, body, key_for=lambda i: f"key-{i}")
    refused = (
        409,
        "already_voted",
        "You have already voted. This budget does not let voters change their ballot.",
    )
    assert outcomes == Counter({(201, "created"): 1, refused: THREADS - 1}), outcomes
    assert VoterRecord.objects.filter(process=process, user=resident).count() == 1
    assert Ballot.objects.filter(process=process).count() == 1


def test_fifty_changes_at_once_leave_one_counted_ballot(setup, resident):
    process, body, token = setup
    Process.objects.filter(pk=process.pk).update(allow_ballot_change=True)
    outcomes, receipts = fire("race", token, body, key_for=lambda i: f"key-{i}")
    assert outcomes == Counter({(201, "created"): 1, (201, "replaced"): THREADS - 1}), outcomes
    assert VoterRecord.objects.get(process=process, user=resident).changes == THREADS - 1
    assert Ballot.objects.filter(process=process, superseded_on__isnull=True).count() == 1
