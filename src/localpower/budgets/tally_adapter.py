"""From a process's projects and ballots to ``localpower.tally`` and back.

The count always runs on exactly what the anonymised Pabulib export contains: ``count_inputs`` builds the
election and profile, ``write_pabulib`` turns them into the export text, the SHA-256 of that text is stored with
the result, and ``run_count`` runs the configured rule on the same objects. Anyone with the export can therefore
check the hash and recompute the outcome (with this software or with pabutools).

Anonymity of the export (see the threat model in ``models.voting``): only current ``Ballot`` rows are read, they
are sorted by their content (never by when they were cast), and voters are numbered 1..n in that order. No user
id, receipt code, date or channel appears in the file.

Project ids in the file are the ``Project`` primary keys as strings. Ties between projects are broken the
Pabulib/pabutools way: lexicographically on those strings ("10" before "9").
"""

from __future__ import annotations

import hashlib
import json
import numbers
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from importlib import metadata

import numpy as np

from localpower.budgets.models import Ballot, BallotKind, OutcomeRule, Process, Project
from localpower.tally import model as tally
from localpower.tally.pabulib import write_pabulib
from localpower.tally.rules import run_rule

PROFILE_KIND = {
    BallotKind.APPROVAL: tally.BallotKind.APPROVAL,
    BallotKind.K_APPROVAL: tally.BallotKind.APPROVAL,
    BallotKind.KNAPSACK: tally.BallotKind.APPROVAL,
    BallotKind.CUMULATIVE: tally.BallotKind.CUMULATIVE,
    BallotKind.RANKED: tally.BallotKind.ORDINAL,
}

# Pabulib's names for the rules, written to META "rule".
PABULIB_RULE = {
    OutcomeRule.MES: "equalshares",
    OutcomeRule.GREEDY: "greedy",
    OutcomeRule.GREEDY_NO_SKIP: "greedy-no-skip",
    OutcomeRule.PHRAGMEN: "phragmen",
    OutcomeRule.MAX_WELFARE: "max-welfare",
}


def library_version() -> str:
    try:
        own = metadata.version("localpower")
    except metadata.PackageNotFoundError:  # running from a source tree without installing
        own = "unknown"
    return f"localpower {own}; numpy {np.__version__}"


def _fraction(amount: Decimal) -> Fraction:
    return Fraction(str(amount))


def _meta(process: Process, n_projects: int, n_votes: int) -> dict[str, str]:
    kind = process.ballot_kind
    meta = {
        "description": process.title,
        "country": "United Kingdom",
        "unit": str(process.area),
        "instance": process.slug,
        "num_projects": str(n_projects),
        "num_votes": str(n_votes),
        "budget": _plain(process.budget),
        "vote_type": PROFILE_KIND[BallotKind(kind)].value,
        "rule": PABULIB_RULE[OutcomeRule(process.rule)]
        + (
            f"/{process.completion}"
            if process.rule == OutcomeRule.MES and process.completion != "none"
            else ""
        ),
        "currency": process.currency,
        "date_begin": process.voting_opens_at.date().isoformat(),
        "date_end": process.voting_closes_at.date().isoformat(),
        "language": "en",
    }
    if kind in (BallotKind.K_APPROVAL, BallotKind.RANKED, BallotKind.APPROVAL):
        if process.min_choices:
            meta["min_length"] = str(process.min_choices)
        if process.max_choices:
            meta["max_length"] = str(process.max_choices)
    if kind == BallotKind.KNAPSACK:
        meta["max_sum_cost"] = _plain(process.effective_max_cost)
    if kind == BallotKind.CUMULATIVE:
        meta["max_sum_points"] = str(process.points_total)
        if process.max_points_per_project:
            meta["max_points"] = str(process.max_points_per_project)
    return meta


def _plain(amount: Decimal) -> str:
    text = format(amount.normalize(), "f")
    return text


@dataclass
class CountInputs:
    election: tally.Election
    profile: tally.Profile
    projects: list[Project]


def _sort_key(content: dict):
    if "points" in content:
        return tuple(sorted((int(k), int(v)) for k, v in content["points"].items()))
    if "ranking" in content:
        return tuple(int(x) for x in content["ranking"])
    return tuple(int(x) for x in content["projects"])


def count_inputs(process: Process) -> CountInputs:
    """The election and the (anonymised, sorted) profile of every current ballot of ``process``."""
    projects = list(process.projects.select_related("category").order_by("pk"))
    election_projects = tuple(
        tally.Project(
            id=str(p.pk),
            cost=_fraction(p.cost),
            name=p.title,
            categories=(p.category.name,) if p.category_id else (),
        )
        for p in projects
    )
    columns = ["project_id", "cost", "name"] + (
        ["categories"] if any(p.category_id for p in projects) else []
    )
    contents = [
        c
        for c in Ballot.objects.filter(process=process, superseded_on__isnull=True).values_list(
            "content", flat=True
        )
    ]
    contents.sort(key=_sort_key)
    index = {p.pk: j for j, p in enumerate(projects)}
    kind = PROFILE_KIND[BallotKind(process.ballot_kind)]
    matrix = np.zeros((len(contents), len(projects)), dtype=np.int64)
    for i, content in enumerate(contents):
        if "points" in content:
            for pid, points in content["points"].items():
                matrix[i, index[int(pid)]] = int(points)
        elif "ranking" in content:
            for rank, pid in enumerate(content["ranking"], start=1):
                matrix[i, index[int(pid)]] = rank
        else:
            for pid in content["projects"]:
                matrix[i, index[int(pid)]] = 1
    meta = _meta(process, len(projects), len(contents))
    limits = {
        "min_length": int(meta["min_length"]) if "min_length" in meta else None,
        "max_length": int(meta["max_length"]) if "max_length" in meta else None,
        "max_sum_cost": Fraction(meta["max_sum_cost"]) if "max_sum_cost" in meta else None,
        "max_points": int(meta["max_points"]) if "max_points" in meta else None,
        "max_sum_points": int(meta["max_sum_points"]) if "max_sum_points" in meta else None,
    }
    profile = tally.Profile.from_matrix(kind, matrix, **limits)
    election = tally.Election(
        projects=election_projects,
        budget=_fraction(process.budget),
        meta=meta,
        project_columns=tuple(columns),
    )
    return CountInputs(election=election, profile=profile, projects=projects)


def pabulib_text(inputs: CountInputs) -> str:
    return write_pabulib(inputs.election, inputs.profile)


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def rule_options(process: Process) -> dict:
    options: dict = {"sat": "cost"}
    if process.rule == OutcomeRule.MES:
        options["completion"] = process.completion
    return options


@dataclass
class Count:
    inputs: CountInputs
    text: str
    input_sha256: str
    outcome: tally.Outcome
    options: dict
    votes: dict[str, int | float]
    explanation: dict
    ejr: dict | None


def _json_safe(value):
    """Fractions and numpy numbers as plain JSON values (exact fractions as text)."""
    return json.loads(json.dumps(value, default=_default))


def _default(value):
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Rational):  # Fraction, or a GMP rational from the counting engine
        exact = Fraction(int(value.numerator), int(value.denominator))
        return str(exact.numerator) if exact.denominator == 1 else str(exact)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    if isinstance(value, np.ndarray):
        return value.tolist()
    raise TypeError(f"cannot store {type(value).__name__} in a result")


def run_count(process: Process) -> Count:
    """Run the process's rule on its current ballots. Raises ``TallyError`` with a plain message on failure."""
    from localpower.tally.checks import is_ejr_up_to_one
    from localpower.tally.explain import explain_outcome

    inputs = count_inputs(process)
    text = pabulib_text(inputs)
    options = rule_options(process)
    outcome = run_rule(process.rule, inputs.election, inputs.profile, **options)
    support = inputs.profile.points_per_project
    votes = {p.id: _default(support[j]) for j, p in enumerate(inputs.election.projects)}
    explanation = _json_safe(explain_outcome(inputs.election, inputs.profile, outcome))
    ejr: dict | None
    if (
        inputs.profile.kind in (tally.BallotKind.APPROVAL, tally.BallotKind.ORDINAL)
        and inputs.profile.n_voters
    ):
        check = is_ejr_up_to_one(inputs.election, inputs.profile, outcome)
        ejr = {"ok": bool(check.ok), "detail": check.detail, "complete": bool(check.complete)}
    else:
        ejr = None
    return Count(
        inputs=inputs,
        text=text,
        input_sha256=sha256(text),
        outcome=outcome,
        options=options,
        votes=votes,
        explanation=explanation,
        ejr=ejr,
    )


def _cache_key(result) -> str:
    return f"budgets:count:{result.pk}:{result.input_sha256}"


def remember(result, count: Count) -> None:
    """Keep the count of ``result`` in the cache (without the export text) for explanations to voters."""
    from django.core.cache import cache

    light = Count(**{**count.__dict__, "text": ""})
    cache.set(_cache_key(result), light, timeout=7 * 24 * 3600)


def count_for(result) -> Count | None:
    """The count behind ``result``: from the cache, or recomputed from the ballots if they are unchanged.

    None when the ballots have changed since the result was computed (the input hash no longer matches), so an
    explanation can never describe a different count from the one published.
    """
    from django.core.cache import cache

    count = cache.get(_cache_key(result))
    if count is None:
        count = run_count(result.process)
        if count.input_sha256 != result.input_sha256:
            return None
        remember(result, count)
    return count


def explain_choices(result, content: dict) -> dict | None:
    """ "What happened to my choices" for a voter whose (canonical) ballot is ``content``; None if not counted."""
    from localpower.tally.explain import explain_voter

    count = count_for(result)
    if count is None:
        return None
    index = {str(p.pk): j for j, p in enumerate(count.inputs.projects)}
    row = np.zeros(len(index), dtype=count.inputs.profile.ballots.dtype)
    if "points" in content:
        for pid, points in content["points"].items():
            row[index[str(pid)]] = int(points)
    elif "ranking" in content:
        for rank, pid in enumerate(content["ranking"], start=1):
            row[index[str(pid)]] = rank
    else:
        for pid in content["projects"]:
            row[index[str(pid)]] = 1
    matches = np.flatnonzero((count.inputs.profile.ballots == row).all(axis=1))
    if not len(matches):
        return None
    voter = int(np.flatnonzero(count.inputs.profile.voter_rows == matches[0])[0])
    report = explain_voter(count.inputs.election, count.inputs.profile, count.outcome, voter)
    report.pop("voter_id", None)  # a position in the sorted export; meaningless to the voter
    return _json_safe(report)
