"""Test oracle: pabutools (GPL, test-only) and hypothesis strategies for small random elections.

Usable by every tally test module::

    from localpower.tally.tests.oracle import elections_with_profiles, to_pabutools

    @given(elections_with_profiles(kind="approval"))
    def test_something(case):
        election, profile = case
        instance, pb_profile = to_pabutools(election, profile)
"""

from __future__ import annotations

from fractions import Fraction

from hypothesis import strategies as st

from localpower.tally.model import BallotKind, Election, Profile, Project
from localpower.tally.pabulib import write_pabulib

# Project ids mixing numbers and letters, so that lexicographic order ("10" < "2") matters in ties.
PROJECT_IDS = ("1", "2", "3", "10", "11", "20", "a", "b", "B", "x-1", "x_2", "p 7")


def to_pabutools(election: Election, profile: Profile):
    """The same election as a pabutools ``(instance, profile)`` via our own Pabulib text."""
    from pabutools.election.pabulib import parse_pabulib_from_string

    return parse_pabulib_from_string(write_pabulib(election, profile))


def pabutools_sat_class(kind: BallotKind | str, sat: str, ordinal: str = "approval"):
    """The pabutools satisfaction class matching our ``sat`` option for a ballot kind.

    Approval and ordinal ballots: ``Cost_Sat`` / ``Cardinality_Sat`` (a project counts when it is on the
    ballot). Cumulative and scoring ballots: utility = points, times the cost for ``sat="cost"``.
    Ordinal ballots with ``ordinal="borda"``: utility = ballot length minus position (3, 2, 1 for three
    ranked projects; pabutools' own ``Additive_Borda_Sat`` gives 2, 1, 0), times the cost for "cost".
    """
    from pabutools.election import Additive_Cardinal_Sat, AdditiveSatisfaction, Cardinality_Sat, Cost_Sat

    kind = BallotKind(kind)
    if kind is BallotKind.ORDINAL and ordinal == "borda":

        class Borda_Sat(AdditiveSatisfaction):
            def __init__(self, instance, profile, ballot):
                super().__init__(instance, profile, ballot, _borda_func(sat))

        return Borda_Sat
    if kind in (BallotKind.APPROVAL, BallotKind.ORDINAL):
        return Cost_Sat if sat == "cost" else Cardinality_Sat
    if sat == "cardinality":
        return Additive_Cardinal_Sat

    class Points_Cost_Sat(AdditiveSatisfaction):
        def __init__(self, instance, profile, ballot):
            super().__init__(
                instance, profile, ballot, lambda inst, prof, bal, proj, pre: bal.get(proj, 0) * proj.cost
            )

    return Points_Cost_Sat


def _borda_func(sat: str):
    def func(instance, profile, ballot, project, precomputed):
        if project not in ballot:
            return 0
        score = len(ballot) - ballot.index(project)
        return score * project.cost if sat == "cost" else score

    return func


def pabutools_greedy(
    election: Election,
    profile: Profile,
    *,
    sat: str = "cost",
    rule: str = "greedy",
    ordinal: str = "approval",
):
    """Project ids chosen by pabutools' greedy utilitarian welfare (in selection order).

    ``rule`` is "greedy", "greedy-no-skip" (the prefix of pabutools' order up to the first project that
    does not fit) or "greedy-threshold" (pabutools' greedy on the projects reaching the threshold).
    """
    instance, pb_profile = to_pabutools(election, profile)
    return pabutools_greedy_on(instance, pb_profile, profile.kind, sat=sat, rule=rule, ordinal=ordinal)


def pabutools_greedy_on(
    instance, pb_profile, kind, *, sat="cost", rule="greedy", threshold=None, ordinal="approval"
):
    """As :func:`pabutools_greedy`, on an already parsed pabutools instance and profile."""
    from pabutools.election import Instance
    from pabutools.rules import greedy_utilitarian_welfare

    sat_class = pabutools_sat_class(kind, sat, ordinal)
    multi = pb_profile.as_multiprofile() if hasattr(pb_profile, "as_multiprofile") else pb_profile
    if rule == "greedy-threshold":
        if threshold is None:
            threshold = Fraction(instance.meta["min_project_score_threshold"])
        kept = Instance(
            [p for p in instance if _support(pb_profile, p, kind) >= threshold],
            budget_limit=instance.budget_limit,
        )
        return [p.name for p in greedy_utilitarian_welfare(kept, multi, sat_class=sat_class)]
    if rule == "greedy-no-skip":
        outcome = greedy_utilitarian_welfare(instance, multi, sat_class=sat_class, analytics=True)
        considered = outcome.details.projects  # in tie-breaking order, each with its density as score
        order = sorted(range(len(considered)), key=lambda k: (-considered[k].score, k))
        chosen, spent = [], 0
        for k in order:
            project = considered[k].project
            if spent + project.cost > instance.budget_limit:
                break
            chosen.append(project.name)
            spent += project.cost
        return chosen
    if rule != "greedy":
        raise ValueError(f"no pabutools oracle for rule {rule!r}")
    return [p.name for p in greedy_utilitarian_welfare(instance, multi, sat_class=sat_class)]


def _support(pb_profile, project, kind) -> Fraction:
    """Votes (approval, ordinal) or points (cumulative, scoring) for a project in a pabutools profile."""
    kind = BallotKind(kind)
    total = Fraction(0)
    for ballot in pb_profile:
        if project in ballot:
            if kind in (BallotKind.CUMULATIVE, BallotKind.SCORING):
                total += Fraction(ballot[project])
            else:
                total += 1
    return total


# ---------------------------------------------------------------------------------------------- strategies
@st.composite
def elections_with_profiles(
    draw,
    kind: BallotKind | str | None = None,
    *,
    min_projects: int = 1,
    max_projects: int = 7,
    max_voters: int = 12,
    max_cost: int = 10,
    allow_free_projects: bool = True,
    allow_empty_ballots: bool = True,
):
    """A small random ``(Election, Profile)`` of the given ballot kind (any kind if None).

    Costs are whole numbers from 0 (when ``allow_free_projects``) to ``max_cost``; the budget is between
    the cheapest cost and the total cost, so there are real choices to make. Cumulative and scoring
    ballots give 1 to 3 points per listed project (pabutools cannot read an empty points ballot, so those
    ballots always list at least one project).
    """
    kind = BallotKind(kind) if kind is not None else draw(st.sampled_from(list(BallotKind)))
    m = draw(st.integers(min_projects, max_projects))
    ids = draw(st.permutations(PROJECT_IDS))[:m]
    low = 0 if allow_free_projects else 1
    costs = draw(st.lists(st.integers(low, max_cost), min_size=m, max_size=m))
    total = sum(costs)
    budget = draw(st.integers(min(costs), max(total, min(costs))))
    projects = tuple(
        Project(pid, Fraction(c), name=f"Project {pid}") for pid, c in zip(ids, costs, strict=True)
    )
    n = draw(st.integers(1, max_voters))
    min_size = 0 if allow_empty_ballots and kind in (BallotKind.APPROVAL, BallotKind.ORDINAL) else 1
    rows = []
    for _ in range(n):
        cols = draw(st.lists(st.integers(0, m - 1), min_size=min_size, max_size=m, unique=True))
        if kind in (BallotKind.CUMULATIVE, BallotKind.SCORING):
            points = draw(st.lists(st.integers(1, 3), min_size=len(cols), max_size=len(cols)))
            rows.append(dict(zip(cols, points, strict=True)))
        else:
            rows.append(cols)
    meta = {
        "description": "random test election",
        "num_projects": str(m),
        "num_votes": str(n),
        "budget": str(budget),
        "vote_type": kind.value,
    }
    election = Election(projects, Fraction(budget), meta, ("project_id", "cost", "name"))
    voter_columns = (
        ("voter_id", "vote", "points")
        if kind in (BallotKind.CUMULATIVE, BallotKind.SCORING)
        else (
            "voter_id",
            "vote",
        )
    )
    profile = Profile.from_ballots(
        kind, rows, m, voter_ids=[f"v{i}" for i in range(n)], voter_columns=voter_columns
    )
    return election, profile
