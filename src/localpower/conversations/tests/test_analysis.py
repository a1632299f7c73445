"""The stored analysis: groups and bridging consensus from the votes, refreshed only when stale; the openData
export read back by localpower.tally.opinion.polis_io gives the same groups; the fair order of statements."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import timedelta

import numpy as np
import pytest
from django.utils import timezone

from localpower.conversations import analysis, exports, services
from localpower.conversations.models import Analysis, Participant, StatementStatus
from localpower.conversations.selectors import next_statement
from localpower.conversations.tests.factories import add_votes, make_statements, two_camps
from localpower.tally.opinion import compute_groups, read_conversation

pytestmark = pytest.mark.django_db


def test_two_camps_make_two_groups_with_a_bridging_statement(conversation):
    statements, people = two_camps(conversation)
    result = analysis.refresh_analysis(conversation)
    assert result.groups == 2
    assert sorted(g["size"] for g in result.data["groups"]) == [12, 12]
    assert [c["statement"] for c in result.data["consensus"]] == [0]
    assert all(g["agree"] == 100 for g in result.data["consensus"][0]["groups"])
    for group in result.data["groups"]:
        assert group["representative"], "every group has statements that stand for it"
    assert len(result.data["points"]) == 24


def test_refresh_only_when_stale(conversation, immediate_tasks, resident):
    statements, _ = two_camps(conversation)
    first = analysis.refresh_analysis(conversation)
    conversation.refresh_from_db()
    assert not analysis.is_stale(conversation, first)
    assert analysis.request_refresh(conversation) is False
    # a few votes: not stale until a minute has passed
    services.vote(actor=resident, statement=statements[1], value=1)
    conversation.refresh_from_db()
    assert not analysis.is_stale(conversation, first)
    later = timezone.now() + timedelta(seconds=analysis.STALE_SECONDS + 1)
    assert analysis.is_stale(conversation, first, now=later)
    # many votes: stale at once, and the page asks for a refresh (run at once by the immediate backend)
    conversation.vote_events += analysis.STALE_VOTES
    conversation.save(update_fields=["vote_events"])
    assert analysis.request_refresh(conversation) is True
    fresh = Analysis.objects.get(conversation=conversation)
    assert fresh.computed_at > first.computed_at and fresh.participants == 25


def test_current_analysis_does_not_compute_on_page_views(conversation, django_assert_max_num_queries):
    two_camps(conversation)
    stored = analysis.refresh_analysis(conversation)
    conversation.refresh_from_db()
    with django_assert_max_num_queries(2):
        assert analysis.current_analysis(conversation).pk == stored.pk


def test_open_data_export_round_trips_to_the_same_groups(conversation, tmp_path, officer, moderator):
    statements, people = two_camps(conversation, n_statements=10, per_camp=15)
    make_statements(conversation, ["Still waiting for a moderator"], status=StatementStatus.PENDING)
    services.hide_statement(actor=moderator, statement=statements[3], reason="Off topic")
    stored = analysis.refresh_analysis(conversation)
    archive = zipfile.ZipFile(io.BytesIO(exports.export_zip(conversation)))
    folder = tmp_path / "export"
    folder.mkdir()
    for name in exports.FILES:
        (folder / name).write_bytes(archive.read(f"{conversation.slug}/{name}"))
    comments = list(csv.DictReader((folder / "comments.csv").open()))
    assert [c["moderated"] for c in comments].count("-1") == 1
    assert "Still waiting" not in (folder / "comments.csv").read_text()
    assert all(c["author-id"] == "" for c in comments)
    read = read_conversation(folder)
    again = compute_groups(read.matrix)
    ours = analysis.compute_groups(analysis.matrix_for(conversation))
    assert read.matrix.participants == ours.participants and read.matrix.statements == ours.statements
    assert np.array_equal(again.labels, ours.labels)
    assert again.consensus == ours.consensus
    expected = {p: g for p, g in stored.data["participant_groups"].items()}
    assert {p: g for p, g in read.polis_groups.items() if g is not None} == expected


def test_fair_order_prefers_statements_with_fewest_votes_not_yet_seen(conversation, resident):
    a, b, c = make_statements(
        conversation, ["First statement here", "Second statement here", "Third one here"]
    )
    add_votes(conversation, [[1, 1, None], [1, None, None]], [a, b, c])
    assert next_statement(conversation, None) == c
    services.vote(actor=resident, statement=c, value=0)
    me = Participant.objects.get(user=resident)
    assert next_statement(conversation, me) == b
    services.vote(actor=resident, statement=b, value=1)
    assert next_statement(conversation, me) == a
    services.vote(actor=resident, statement=a, value=-1)
    assert next_statement(conversation, me) is None


def test_fair_order_breaks_ties_at_random_but_steadily(conversation):
    statements = make_statements(conversation, [f"Statement {i} for the order" for i in range(6)])
    people = add_votes(conversation, [[None] * 6 for _ in range(30)], statements)
    firsts = {next_statement(conversation, p).number for p in people}
    assert len(firsts) > 2, "different people start at different statements"
    assert next_statement(conversation, people[0]) == next_statement(conversation, people[0])


def test_votes_refresh_the_analysis_only_when_it_is_stale(
    conversation, immediate_tasks, make_resident, django_capture_on_commit_callbacks
):
    statements = make_statements(conversation, [f"Statement {i} for staleness" for i in range(12)])
    voter = make_resident()
    times = []
    for i, statement in enumerate(statements):
        with django_capture_on_commit_callbacks(execute=True):
            services.vote(actor=voter, statement=statement, value=1 if i % 2 else -1)
        times.append(Analysis.objects.get(conversation=conversation).computed_at)
    # the first vote made the first analysis; the next refresh came with the 10th vote after it, not before
    assert len(set(times)) == 2
    assert times[0] == times[9] and times[10] > times[9]


def test_the_analysis_reads_votes_in_the_order_the_open_data_lists_them(
    conversation, resident, make_resident
):
    """Participant 0 adds a statement first but votes last: the export lists votes by participant (not in the order
    cast, see exports.py), and the analysis builds its matrix in that same order, so re-reading gives the same."""
    statement = make_statements(conversation, ["Keep the library open late"])[0]
    services.add_statement(actor=resident, conversation=conversation, text="More benches by the river")
    later = make_resident()
    services.vote(actor=later, statement=statement, value=1)  # participant 1, first to vote
    services.vote(actor=resident, statement=statement, value=-1)  # participant 0
    rows = list(csv.DictReader(io.StringIO(exports.votes_csv(conversation))))
    assert [r["voter-id"] for r in rows] == ["0", "1"]
    assert analysis.matrix_for(conversation).participants == ("0", "1")
