"""The arithmetic, checked by hand on small examples."""

from decimal import Decimal

from localpower.simulator import maths
from localpower.simulator.maths import ServiceLine


def test_the_target_as_the_largest_allowed_change():
    assert maths.allowed_change("save", Decimal("4200000"), Decimal("90000000")) == Decimal("-4200000")
    assert maths.allowed_change("within", Decimal("85000000"), Decimal("90000000")) == Decimal("-5000000")
    assert maths.allowed_change("within", Decimal("95000000"), Decimal("90000000")) == Decimal("5000000")


def test_changes_are_exact_to_the_penny():
    # 15% of £333.33 is £49.9995: kept exactly, not rounded before comparing with the target.
    assert maths.change(Decimal("333.33"), -15) == Decimal("-49.9995")
    total = maths.total_change([Decimal("333.33"), Decimal("0.01")], [-15, 100])
    assert total == Decimal("-49.9895")
    assert not maths.is_balanced(total, Decimal("-50"))
    assert maths.is_balanced(Decimal("-50"), Decimal("-50"))


def test_median_is_the_lower_middle_choice_and_mean_is_exact():
    assert maths.median([]) is None
    assert maths.median([-10]) == -10
    assert maths.median([0, -30, -10]) == -10
    assert maths.median([0, -30, -10, 10]) == -10  # even: the lower of -10 and 0
    assert maths.mean([0, -30, -10, 10]) == Decimal("-7.5")
    assert maths.mean([]) is None


def test_distribution_counts_every_level():
    assert maths.distribution([-10, -10, 0], [-20, -10, 0, 10]) == [(-20, 0), (-10, 2), (0, 1), (10, 0)]


def test_community_budget_starts_from_the_medians_and_cuts_where_support_is_strongest():
    """Spends £100, £200, £300 (total £600); save at least £60; steps of 10%.

    Three balanced responses: (-30, 0, -10), (0, -30, 0), (0, 0, -20): each saves exactly £60.
    Medians: A 0, B 0, C -10, saving only £30. One more step is needed; each candidate step (A to -10,
    B to -10, C to -20) has one supporter, so the larger service, C, goes first: C -20 saves £60 in all.
    """
    responses = [(-30, 0, -10), (0, -30, 0), (0, 0, -20)]
    lines = [
        ServiceLine(Decimal(spend), -30, 10, tuple(r[i] for r in responses))
        for i, spend in enumerate([100, 200, 300])
    ]
    assert [maths.median(line.choices) for line in lines] == [0, 0, -10]
    assert maths.community_budget(lines, Decimal(-60)) == [0, 0, -20]
    # The means (-10, -10, -10) meet the target too, as the target is linear.
    means = [maths.mean(line.choices) for line in lines]
    assert maths.total_change([Decimal(100), Decimal(200), Decimal(300)], [int(m) for m in means]) == -60


def test_community_budget_prefers_the_cut_most_people_chose():
    """Spends £100 and £100; save at least £20; steps of 10%. Responses (-20, 0), (-20, 0), (0, -20).

    Medians -20 and 0 already save £20: no further cut. With a £30 target one more step is needed: A to -30
    has no supporter, B to -10 has one, so B goes to -10.
    """
    responses = [(-20, 0), (-20, 0), (0, -20)]
    lines = [ServiceLine(Decimal(100), -30, 10, tuple(r[i] for r in responses)) for i in range(2)]
    assert maths.community_budget(lines, Decimal(-20)) == [-20, 0]
    assert maths.community_budget(lines, Decimal(-30)) == [-20, -10]


def test_community_budget_needs_responses():
    assert maths.community_budget([ServiceLine(Decimal(1), -10, 10, ())], Decimal(0)) is None
    assert maths.community_budget([], Decimal(0)) is None
