"""How much database work one ballot through the API costs: pinned, so it cannot creep back up unnoticed.

Measured on PostgreSQL (the concurrency tests and the load test use it) and on SQLite. The rate limit's cache is
the in-memory one in the tests, so these counts are the database work of the request itself: the token look-up
and its "last used" write, the budget, the residence check, the projects, and one transaction writing the voter
record, the ballot and the audit entry.
"""

from __future__ import annotations

import json

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from localpower.accounts.services import create_api_token
from localpower.accounts.tests.factories import UserFactory
from localpower.budgets.models import Ballot, Process, VoterRecord
from localpower.budgets.tests.factories import make_process, make_projects
from localpower.core.models import AuditEntry
from localpower.places.tests.factories import SMALL_BOROUGH_POSTCODES

pytestmark = pytest.mark.django_db

URL = "/api/v1/budgets/north-budget/ballot"
# Token SELECT + its "last used" UPDATE, budget, residence, projects, then one transaction: voter record INSERT,
# ballot INSERT, audit INSERT. The transaction's two ends count too: BEGIN and COMMIT when serving requests,
# SAVEPOINT and RELEASE here, where each test runs inside a transaction of its own.
FIRST_BALLOT_QUERIES = 10


@pytest.fixture
def voting(borough):
    process = make_process(borough["north"], "voting", title="North budget", slug="north-budget")
    make_projects(process, [4000, 3000, 5000])
    # The content type of a budget is looked up once per process (then kept in memory), not once per ballot.
    ContentType.objects.get_for_model(Process, for_concrete_model=False)
    return process


def post(client, token, projects, key):
    return client.post(
        URL,
        data=json.dumps({"projects": projects}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
        HTTP_IDEMPOTENCY_KEY=key,
    )


def test_a_first_ballot_takes_a_fixed_small_number_of_queries(api_client, voting, resident):
    token = create_api_token(user=resident, name="Voting script")[1]
    first = voting.projects.order_by("pk").first()
    with CaptureQueriesContext(connection) as queries:
        response = post(api_client, token, [first.pk], "first")
    assert response.status_code == 201, response.content
    sql = [q["sql"] for q in queries.captured_queries]
    assert len(sql) <= FIRST_BALLOT_QUERIES, "\n".join(sql)
    # No look-up before the voter record goes in: the unique constraint refuses duplicates.
    assert not any('FROM "budgets_voterrecord"' in q for q in sql), "\n".join(sql)
    # The three rows go in together: nothing is written between opening and closing the transaction but them.
    writes = [q.split()[2].strip('"') for q in sql if q.upper().startswith("INSERT")]
    assert writes == ["budgets_voterrecord", "budgets_ballot", "core_auditentry"], "\n".join(sql)
    assert VoterRecord.objects.filter(process=voting, user=resident).count() == 1
    assert Ballot.objects.filter(process=voting).count() == 1
    assert AuditEntry.objects.filter(action="budgets.ballot.cast", actor_id=resident.pk).count() == 1


def test_the_count_does_not_grow_with_the_number_of_projects_or_voters(
    api_client, django_assert_max_num_queries, voting, resident
):
    make_projects(voting, [100 * i for i in range(1, 30)])
    first = voting.projects.order_by("pk").first().pk
    for n in range(5):
        other = UserFactory(
            email=f"other{n}@example.org", verified_postcode=SMALL_BOROUGH_POSTCODES["castle"]
        )
        token = create_api_token(user=other, name="Voting script")[1]
        with django_assert_max_num_queries(FIRST_BALLOT_QUERIES):
            response = post(api_client, token, [first], f"k{n}")
        assert response.status_code == 201, response.content
    assert Ballot.objects.filter(process=voting).count() == 5


def test_a_repeated_submission_is_recognised_after_the_insert_is_refused(api_client, voting, resident):
    token = create_api_token(user=resident, name="Voting script")[1]
    pk = voting.projects.order_by("pk").first().pk
    first = post(api_client, token, [pk], "same")
    again = post(api_client, token, [pk], "same")
    assert first.status_code == 201 and again.status_code == 200
    assert again.json() == {**first.json(), "status": "repeated"}
    assert Ballot.objects.filter(process=voting).count() == 1
    assert VoterRecord.objects.filter(process=voting, user=resident).count() == 1
    # A repeat writes no second audit entry.
    assert AuditEntry.objects.filter(action__startswith="budgets.ballot", actor_id=resident.pk).count() == 1
