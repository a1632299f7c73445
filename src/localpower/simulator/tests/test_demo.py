"""The demo simulator: balanced synthetic responses, a community budget, the demo resident can respond, and
building it again changes nothing."""

from __future__ import annotations

import pytest

from localpower.simulator import selectors
from localpower.simulator.demo import NORTH_RESPONSES, NORTH_SLUG, RESPONSES, SLUG, build_demo_simulators
from localpower.simulator.models import Choice, Simulator, Submission

pytestmark = pytest.mark.django_db


def test_demo_simulator():
    from localpower.accounts.demo import build_demo_people
    from localpower.accounts.models import User
    from localpower.places.demo import build_demo_places

    areas = build_demo_places()
    build_demo_people(areas)
    build_demo_simulators(areas)
    simulator = Simulator.objects.get(slug=SLUG)
    assert simulator.status == "open"
    assert simulator.services.count() == 10
    submissions = Submission.objects.filter(simulator=simulator)
    assert submissions.count() == RESPONSES
    services = selectors.services_of(simulator)
    allowed = selectors.totals(simulator, services, {}).allowed
    assert all(s.total_change <= allowed for s in submissions)
    for service in services:
        pcts = set(Choice.objects.filter(service=service).values_list("change_pct", flat=True))
        assert pcts <= set(service.levels())
    assert Choice.objects.filter(submission__simulator=simulator).exclude(comment="").count() > 50
    results = selectors.results(simulator)
    assert results.community_totals.balanced
    first = [(row.service.name, row.community, row.median) for row in results.services]

    build_demo_simulators(areas)  # again: nothing added
    assert Submission.objects.filter(simulator=simulator).count() == RESPONSES
    assert [(r.service.name, r.community, r.median) for r in selectors.results(simulator).services] == first

    rosa = User.objects.get(email="resident.castle@demo.example.org")
    assert rosa.has_perm("simulator.respond", simulator)

    # The North Area Committee's, closed: results public, and its own officer manages it.
    north = Simulator.objects.get(slug=NORTH_SLUG)
    assert north.status == "closed" and north.target_kind == "within"
    assert north.submissions.count() == NORTH_RESPONSES
    assert rosa.has_perm("simulator.view_results", north)
    assert selectors.results(north).community_totals.new <= north.target_amount
    officer = User.objects.get(email="officer@demo.example.org")
    assert officer.has_perm("simulator.change_simulator", north)
