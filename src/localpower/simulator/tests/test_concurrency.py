"""Twenty simultaneous first responses from one person, sent to the API, end with one response.

Each thread has its own client and database connection; all wait at a barrier and post at once with the same
API token, half with one idempotency key and half with others. Run on PostgreSQL (skipped on SQLite for the
reason given in ``localpower.budgets.tests.test_concurrency``)::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/pytest \\
        src/localpower/simulator/tests/test_concurrency.py
"""

from __future__ import annotations

import json
import threading
from collections import Counter

import pytest
from django.db import close_old_connections, connection, connections
from django.test import Client

from localpower.accounts.services import create_api_token
from localpower.simulator.models import Respondent, Submission
from localpower.simulator.tests.factories import levels, make_simulator

THREADS = 20

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL (SQLite's shared in-memory test database)"
    ),
]


def test_one_response_however_many_arrive_at_once(borough, resident):
    simulator = make_simulator(borough["north"])
    token = create_api_token(user=resident, name="race")[1]
    body = {
        "choices": [{"service": pk, "change_pct": p} for pk, p in levels(simulator, -10, -10, -10).items()]
    }
    barrier = threading.Barrier(THREADS)
    outcomes: list = []
    lock = threading.Lock()

    def send(i: int) -> None:
        try:
            client = Client(HTTP_HOST="localhost")
            barrier.wait(timeout=30)
            response = client.post(
                f"/api/v1/simulators/{simulator.slug}/responses",
                data=json.dumps(body),
                content_type="application/json",
                HTTP_AUTHORIZATION=f"Bearer {token}",
                HTTP_IDEMPOTENCY_KEY="same" if i % 2 else f"other-{i}",
            )
            with lock:
                outcomes.append(response.status_code)
        except Exception as error:  # a crash in a thread must fail the test, not vanish
            with lock:
                outcomes.append(f"crash: {error}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send, args=(i,)) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    close_old_connections()
    counts = Counter(outcomes)
    assert counts[201] == 1, counts
    assert set(counts) <= {200, 201, 409}, counts
    assert Respondent.objects.filter(simulator=simulator).count() == 1
    assert Submission.objects.filter(simulator=simulator).count() == 1
