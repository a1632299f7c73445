"""pabutools reference outcomes for the proportional rules (MES, Phragmén, maximum welfare).

Test-only: pabutools is GPL and is never imported by the counting engine itself.
"""

from __future__ import annotations

import os
from dataclasses import replace
from fractions import Fraction

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from localpower.tally.model import BallotKind, Election, Profile
from localpower.tally.tests.oracle import elections_with_profiles, pabutools_sat_class, to_pabutools

# Default runs stay quick; LOCALPOWER_HYPOTHESIS_SCALE=10 (say) runs ten times as many random elections.
SCALE = max(1, int(os.environ.get("LOCALPOWER_HYPOTHESIS_SCALE", "1") or 1))


def fair_settings(examples: int) -> settings:
    """The hypothesis settings of the proportional-rule tests: ``examples`` x SCALE random elections."""
    return settings(
        max_examples=examples * SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow]
    )


def pabutools_mes_on(instance, pb_profile, kind, sat="cost", completion="none") -> list[str]:
    """Project ids chosen by pabutools' MES with one of our completion methods, in pabutools' order."""
    from pabutools.rules import greedy_utilitarian_welfare, method_of_equal_shares

    sat_class = pabutools_sat_class(kind, sat)
    multi = pb_profile.as_multiprofile()
    if completion == "add1-full":
        return _pabutools_add1_full(instance, multi, sat_class)
    increment = 1 if completion.startswith("add1") else None
    outcome = method_of_equal_shares(instance, multi, sat_class=sat_class, voter_budget_increment=increment)
    if completion.endswith("utilitarian"):
        outcome = greedy_utilitarian_welfare(
            instance, multi, sat_class=sat_class, initial_budget_allocation=outcome
        )
    return [p.name for p in outcome]


def _pabutools_add1_full(instance, multi, sat_class) -> list[str]:
    """pabutools' MES at shares budget/n + k for k = 0, 1, ... until the outcome overspends; the last
    outcome that fits (our ``add1-full``; pabutools itself also stops at an exhaustive outcome)."""
    from pabutools.fractions import frac
    from pabutools.rules.budgetallocation import BudgetAllocation
    from pabutools.rules.mes.mes_rule import method_of_equal_shares_scheme
    from pabutools.tiebreaking import lexico_tie_breaking

    if multi.num_ballots() == 0:
        return []
    sat_profile = multi.as_sat_profile(sat_class=sat_class)
    share = frac(instance.budget_limit, multi.num_ballots())
    previous = None
    while True:
        outcome = method_of_equal_shares_scheme(
            instance, multi, sat_profile, share, BudgetAllocation(), lexico_tie_breaking
        )
        if sum(p.cost for p in outcome) > instance.budget_limit:
            return [p.name for p in previous]
        supported = [p for p in instance if p.cost > 0 and sat_profile.total_satisfaction_project(p) > 0]
        if all(p in outcome for p in supported):
            return [p.name for p in outcome]
        previous = outcome
        share += 1


def pabutools_mes(election: Election, profile: Profile, *, sat="cost", completion="none") -> list[str]:
    instance, pb_profile = to_pabutools(election, profile)
    return pabutools_mes_on(instance, pb_profile, profile.kind, sat=sat, completion=completion)


def pabutools_phragmen(election: Election, profile: Profile) -> list[str]:
    from pabutools.rules import sequential_phragmen

    instance, pb_profile = to_pabutools(election, profile)
    return [p.name for p in sequential_phragmen(instance, pb_profile.as_multiprofile())]


def pabutools_max_welfare(election: Election, profile: Profile, *, sat="cost") -> list[str]:
    from pabutools.rules import max_additive_utilitarian_welfare
    from pabutools.rules.maxwelfare import MaxAddUtilWelfareAlgo

    instance, pb_profile = to_pabutools(election, profile)
    sat_class = pabutools_sat_class(profile.kind, sat)
    try:
        outcome = max_additive_utilitarian_welfare(instance, pb_profile, sat_class=sat_class)
    except IndexError:
        # pabutools' primal-dual knapsack crashes when no project has both a cost and support; its
        # integer programme handles that case.
        outcome = max_additive_utilitarian_welfare(
            instance, pb_profile, sat_class=sat_class, inner_algo=MaxAddUtilWelfareAlgo.ILP_SOLVER
        )
    return [p.name for p in outcome]


def same_order(ours: list[str], theirs: list[str], free: set[str]) -> bool:
    """Same projects; same order apart from free projects (pabutools lists those in set order)."""
    return set(ours) == set(theirs) and [p for p in ours if p not in free] == [
        p for p in theirs if p not in free
    ]


def free_ids(election: Election) -> set[str]:
    return {p.id for p in election.projects if p.cost == 0}


@st.composite
def tie_heavy(draw, kind: BallotKind | str | None = None, **kwargs):
    """Random elections where ties are likely: often all costs equal, few distinct ballots."""
    election, profile = draw(elections_with_profiles(kind=kind, **kwargs))
    if draw(st.booleans()):
        cost = Fraction(draw(st.integers(1, 4)))
        projects = tuple(replace(p, cost=cost) for p in election.projects)
        budget = cost * draw(st.integers(1, max(1, len(projects))))
        election = Election(
            projects, budget, dict(election.meta, budget=str(budget)), election.project_columns
        )
    return election, profile


# ------------------------------------------------------------------------------ recording (bench script)
RECORD_TIME_LIMIT = 900.0  # seconds per pabutools run when recording; slower runs are not recorded


def _in_child(function, *args, limit: float = RECORD_TIME_LIMIT):
    """function(*args) in a forked child process (arguments inherited, not copied); None when it takes
    longer than ``limit`` seconds."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)

    def work():
        sender.send(function(*args))

    child = context.Process(target=work)
    child.start()
    ready = receiver.poll(limit)
    result = receiver.recv() if ready else None
    if not ready:
        child.kill()
        print(f"  (pabutools took more than {limit:.0f} s: not recorded)")
    child.join()
    return result


def record_mes(case, sat: str, completion: str):
    """Recorder for bench/record_pabutools_outcomes.py: pabutools MES on one file (``add1-full`` only
    for files counted with equal shares)."""
    if completion == "add1-full" and not case.election.meta.get("rule", "").startswith("equalshares"):
        return None
    instance, pb_profile = case.pabutools
    return _in_child(pabutools_mes_on, instance, pb_profile, case.profile.kind, sat, completion)


def record_phragmen(case, sat: str, completion: str):
    """Recorder: pabutools sequential Phragmén (approval files only)."""
    from pabutools.rules import sequential_phragmen

    if case.profile.kind is not BallotKind.APPROVAL:
        return None
    instance, pb_profile = case.pabutools
    return _in_child(_phragmen_ids, sequential_phragmen, instance, pb_profile)


def _phragmen_ids(rule, instance, pb_profile):
    return [p.name for p in rule(instance, pb_profile.as_multiprofile())]


MES_RECORDINGS = (
    ("cost", "none"),
    ("cardinality", "none"),
    ("cost", "add1"),
    ("cost", "utilitarian"),
    ("cost", "add1-full"),
)
