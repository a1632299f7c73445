"""Greedy rules: fund the projects in order of support per unit of cost until the money runs out.

These match pabutools 1.2.3 (``greedy_utilitarian_welfare`` with an additive satisfaction) exactly,
including its tie-breaking and its treatment of unsupported projects.

Utility of a voter for a project:

* approval ballots: 1 if approved, else 0;
* cumulative and scoring ballots: the points given to the project;
* ordinal ballots, by default (``ordinal="approval"``): 1 if the project is ranked at all, else 0; the
  position in the ranking is not used. This is what pabutools does with ``Cost_Sat`` /
  ``Cardinality_Sat`` on ordinal ballots (they only ask "is the project on the ballot?").
* ordinal ballots with ``ordinal="borda"``: the project's Borda score on that ballot, i.e. the ballot's
  length minus the project's position (first of three gets 3, then 2, then 1), as pabutools'
  ``Additive_Borda_Sat``. This is how Krakow counts (its file's ``score`` column is exactly this sum and
  greedy on it gives exactly the projects Krakow funded).

With ``sat="cost"`` the welfare a project brings is utility x cost, so projects are ordered by their
total support (votes, or points); this is the rule most cities run ("most votes first"). With
``sat="cardinality"`` the welfare is the utility itself, so projects are ordered by support divided by
cost (cheap projects favoured).

Ordering: highest ``total welfare / cost`` first, where a project nobody supports scores 0 and a free
project somebody supports scores infinity; ties are broken by ``election.tie_rank`` (lexicographic on the
project id, as pabutools does). A project with no support at all is still funded by the skipping rule
if money remains at the end, exactly as pabutools does; the trace says so.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from localpower.tally.model import BallotKind, Election, Outcome, Profile, Round, TallyError

SATISFACTIONS = ("cost", "cardinality")
ORDINAL_SCORES = ("approval", "borda")


def _check_options(rule: str, sat: str, completion: str, ordinal: str, options: dict) -> None:
    if options:
        names = ", ".join(sorted(options))
        raise TallyError(f"rule {rule} does not take the option(s): {names}")
    if ordinal not in ORDINAL_SCORES:
        raise TallyError(f"ordinal ballots are scored as 'approval' or 'borda', not {ordinal!r}")
    if sat not in SATISFACTIONS:
        raise TallyError(f"rule {rule} supports sat 'cost' or 'cardinality', not {sat!r}")
    if completion not in ("none", None):
        raise TallyError(
            f"rule {rule} funds projects until nothing more fits, so it has no completion method "
            f"(asked for {completion!r}; use 'none')"
        )


def _exact_totals(profile: Profile, ordinal: str = "approval") -> list[Fraction]:
    """Total utility per project (weighted by ballot multiplicity), exactly."""
    if profile.kind is BallotKind.ORDINAL and ordinal == "borda":
        ranks = profile.ballots.astype(np.int64)
        borda = np.where(ranks > 0, profile.ballot_lengths[:, None] + 1 - ranks, 0)
        return [Fraction(int(t)) for t in profile.weights @ borda]
    if profile.kind in (BallotKind.CUMULATIVE, BallotKind.SCORING):
        totals = profile.weights @ profile.ballots
        if totals.dtype.kind == "f":
            # Non-integral points: sum exactly, ballot by ballot.
            exact = [Fraction(0)] * profile.n_projects
            for r in range(profile.n_unique):
                w = int(profile.weights[r])
                for j in np.flatnonzero(profile.ballots[r]):
                    exact[j] += w * Fraction(float(profile.ballots[r, j])).limit_denominator(10**9)
            return exact
        return [Fraction(int(t)) for t in totals]
    return [Fraction(int(t)) for t in profile.approvals_per_project]


def welfare_order(
    election: Election, profile: Profile, sat: str = "cost", ordinal: str = "approval"
) -> tuple[list[int], list[Fraction | float], list[Fraction]]:
    """Projects in greedy order, with each one's welfare-per-cost and total support.

    Returns ``(order, density, support)`` where ``density[j]`` is a Fraction or ``math.inf``.
    """
    support = _exact_totals(profile, ordinal)
    density: list[Fraction | float] = []
    for j, project in enumerate(election.projects):
        total = support[j] * project.cost if sat == "cost" else support[j]
        if total > 0:
            density.append(total / project.cost if project.cost > 0 else float("inf"))
        else:
            density.append(Fraction(0))
    rank = election.tie_rank
    order = sorted(range(election.n_projects), key=lambda j: (-density[j], int(rank[j])))
    return order, density, support


def _support_words(profile: Profile, support: Fraction, ordinal: str) -> str:
    unit = "votes"
    if profile.kind in (BallotKind.CUMULATIVE, BallotKind.SCORING):
        unit = "points"
    elif profile.kind is BallotKind.ORDINAL and ordinal == "borda":
        unit = "Borda points"
    value = int(support) if support.denominator == 1 else float(support)
    return f"{value} {unit}"


def _run(
    rule: str,
    election: Election,
    profile: Profile,
    sat: str,
    *,
    stop_at_first_misfit: bool,
    threshold: Fraction | None = None,
    ordinal: str = "approval",
) -> Outcome:
    order, density, support = welfare_order(election, profile, sat, ordinal)
    remaining = election.budget
    selected: list[int] = []
    trace: list[Round] = []
    stopped = False
    for j in order:
        project = election.projects[j]
        votes = float(support[j])
        words = _support_words(profile, support[j], ordinal)
        if stopped:
            trace.append(Round(j, "main", None, votes, "not considered: the rule stopped earlier"))
            continue
        if threshold is not None and support[j] < threshold:
            trace.append(
                Round(j, "main", None, votes, f"excluded: {words}, below the threshold of {_num(threshold)}")
            )
            continue
        if project.cost <= remaining:
            selected.append(j)
            remaining -= project.cost
            note = f"funded: {words}"
            if support[j] <= 0:
                note = "funded: nobody supports it, but it fits in the money left over"
            trace.append(Round(j, "main", None, votes, note))
        elif stop_at_first_misfit:
            trace.append(
                Round(
                    j,
                    "main",
                    None,
                    votes,
                    f"not funded: costs {_num(project.cost)} but only {_num(remaining)} is left; "
                    "the rule stops here",
                )
            )
            stopped = True
        else:
            trace.append(
                Round(
                    j,
                    "main",
                    None,
                    votes,
                    f"skipped: costs {_num(project.cost)} but only {_num(remaining)} is left",
                )
            )
    details = {
        "sat": sat,
        "completion": "none",
        "order": order,
        "density": density,
        "support": support,
        "budget_left": remaining,
    }
    if profile.kind is BallotKind.ORDINAL:
        details["ordinal"] = ordinal
    if threshold is not None:
        details["threshold"] = threshold
    return Outcome(rule=rule, selected=tuple(selected), trace=tuple(trace), details=details)


def _num(value: Fraction) -> str:
    return str(int(value)) if value.denominator == 1 else f"{float(value):.2f}"


def greedy(
    election: Election,
    profile: Profile,
    *,
    sat: str = "cost",
    completion: str = "none",
    ordinal: str = "approval",
    **options,
):
    """Greedy with skipping: a project that does not fit is passed over and the next one is tried."""
    _check_options("greedy", sat, completion, ordinal, options)
    return _run("greedy", election, profile, sat, stop_at_first_misfit=False, ordinal=ordinal)


def greedy_no_skip(
    election: Election,
    profile: Profile,
    *,
    sat: str = "cost",
    completion: str = "none",
    ordinal: str = "approval",
    **options,
):
    """Greedy without skipping: stop at the first project that does not fit in the money left."""
    _check_options("greedy-no-skip", sat, completion, ordinal, options)
    return _run("greedy-no-skip", election, profile, sat, stop_at_first_misfit=True, ordinal=ordinal)


def greedy_threshold(
    election: Election,
    profile: Profile,
    *,
    sat: str = "cost",
    completion: str = "none",
    threshold: Fraction | int | str | None = None,
    ordinal: str = "approval",
    **options,
):
    """Greedy with skipping among the projects whose support reaches a minimum threshold.

    The threshold is compared with the project's total support (votes for approval and ordinal ballots,
    points for cumulative and scoring ballots); a project with support equal to the threshold is eligible.
    It comes from the ``threshold`` option or, failing that, META ``min_project_score_threshold``.
    """
    _check_options("greedy-threshold", sat, completion, ordinal, options)
    if threshold is None:
        threshold = election.meta.get("min_project_score_threshold")
    if threshold is None:
        raise TallyError(
            "rule greedy-threshold needs a threshold: give the threshold option or META "
            "min_project_score_threshold"
        )
    try:
        value = Fraction(str(threshold).strip())
    except (ValueError, ZeroDivisionError):
        raise TallyError(f"the threshold {threshold!r} is not a number") from None
    return _run(
        "greedy-threshold",
        election,
        profile,
        sat,
        stop_at_first_misfit=False,
        threshold=value,
        ordinal=ordinal,
    )
