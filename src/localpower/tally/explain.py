"""Plain-English explanations of an outcome, for everyone and for one voter.

Both functions return JSON-serialisable dicts (strings, numbers, lists, dicts): exact amounts are
given as text (``"1234"`` or ``"1234.57"``), prices and vote counts as numbers.

* :func:`explain_outcome` goes round by round: which project was funded, at what price per supporter
  (MES) or load (Phragmén), how many effective votes it had, how much money was left, and which
  projects dropped out at that point and why.
* :func:`explain_voter` answers "which of my projects won, and why did the others not?", with, for
  the Method of Equal Shares, what the voter paid towards each funded project and how much of the
  voter's share was left.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from localpower.tally.model import BallotKind, Election, Outcome, Profile

_SYMBOLS = {"GBP": "£", "EUR": "€", "USD": "$"}


def money(election: Election, amount: Fraction | int | float) -> str:
    """An amount in the election's currency, e.g. "£1,250" or "1,250.50 PLN"."""
    value = Fraction(amount) if not isinstance(amount, float) else Fraction(amount).limit_denominator(100)
    text = f"{int(value):,}" if value.denominator == 1 else f"{float(value):,.2f}"
    currency = election.meta.get("currency", "").strip().upper()
    if currency in _SYMBOLS:
        return _SYMBOLS[currency] + text
    return f"{text} {currency}" if currency else text


def _amount(value: Fraction) -> str:
    value = Fraction(value)
    return str(value.numerator) if value.denominator == 1 else f"{float(value):.2f}"


def _name(election: Election, j: int) -> dict:
    project = election.projects[j]
    return {"project_id": project.id, "name": project.name, "cost": _amount(project.cost)}


def _reasons(election: Election, profile: Profile, outcome: Outcome) -> dict[int, str]:
    """Why each unfunded project was not funded."""
    details = outcome.details
    support = profile.approvals_per_project
    chosen = set(outcome.selected)
    left = Fraction(election.budget) - outcome.cost(election)
    reasons: dict[int, str] = {}
    # Notes the rule itself wrote (greedy: "skipped: costs ... but only ... is left", Phragmén: ...).
    for step in outcome.trace:
        if step.project not in chosen and step.note:
            reasons[step.project] = step.note
    if outcome.rule == "mes":
        funded = details.get("mes_selected", [])
        for q, after in details.get("dropped_after", {}).items():
            if after == 0:
                text = "not funded: its supporters' equal shares together came to less than its cost"
            else:
                x = election.projects[funded[after - 1]]
                text = f"not funded: its supporters had run out of money after funding {x.id}" + (
                    f" ({x.name})" if x.name else ""
                )
            reasons[q] = text
    for j, project in enumerate(election.projects):
        if j in chosen or j in reasons:
            continue
        if support[j] == 0:
            reasons[j] = "not funded: nobody supports it"
        elif project.cost > left:
            if outcome.rule == "max-welfare":
                reasons[j] = (
                    "not funded: the projects funded instead bring more total satisfaction for the money"
                )
            else:
                reasons[j] = f"not funded: did not fit in the remaining budget of {money(election, left)}"
        else:
            reasons[j] = "not funded"
    # A project the completion step could have afforded is explained by the step's own rule.
    if outcome.rule == "mes" and str(details.get("completion", "")).endswith("utilitarian"):
        for j, project in enumerate(election.projects):
            if j not in chosen and project.cost > left:
                reasons[j] += f"; the completion step then had only {money(election, left)} left"
    return reasons


def explain_outcome(election: Election, profile: Profile, outcome: Outcome) -> dict:
    """Round-by-round account of an outcome (JSON-serialisable)."""
    budget = Fraction(election.budget)
    reasons = _reasons(election, profile, outcome)
    chosen = set(outcome.selected)
    dropped_at: dict[int, list[int]] = {}
    if outcome.rule == "mes":
        for q, after in outcome.details.get("dropped_after", {}).items():
            dropped_at.setdefault(after, []).append(q)
    rounds = []
    spent = Fraction(0)
    mes_round = 0
    start = [{**_name(election, q), "reason": reasons[q]} for q in sorted(dropped_at.get(0, []))]
    for step in outcome.trace:
        if step.project not in chosen:
            continue
        spent += election.projects[step.project].cost
        entry = {
            "round": len(rounds) + 1,
            "stage": step.stage,
            **_name(election, step.project),
            "price_per_voter": float(step.price) if step.price is not None else None,
            "effective_votes": step.effective_votes,
            "remaining_budget": _amount(budget - spent),
            "note": step.note,
        }
        if outcome.rule == "mes" and step.stage == "main" and step.price:
            mes_round += 1
            entry["dropped"] = [
                {**_name(election, q), "reason": reasons[q]} for q in sorted(dropped_at.get(mes_round, []))
            ]
        rounds.append(entry)
    report = {
        "rule": outcome.rule,
        "budget": _amount(budget),
        "budget_text": money(election, budget),
        "spent": _amount(spent),
        "left": _amount(budget - spent),
        "voters": profile.n_voters,
        "funded": [{**_name(election, j)} for j in outcome.selected],
        "rounds": rounds,
        "not_funded": [{**_name(election, j), "reason": reasons[j]} for j in sorted(set(reasons) - chosen)],
    }
    if start:
        report["dropped_at_start"] = start
    for key in ("sat", "completion", "raises", "welfare"):
        if key in outcome.details:
            value = outcome.details[key]
            report[key] = _amount(value) if isinstance(value, Fraction) else value
    if outcome.rule == "mes" and "share" in outcome.details:
        report["share_per_voter"] = _amount(outcome.details["share"])
        if outcome.details.get("raises"):
            report["note"] = (
                f"every voter's share was raised {outcome.details['raises']} time(s) by "
                f"{money(election, outcome.details['increment'])}, from "
                f"{money(election, outcome.details['initial_share'])} to "
                f"{money(election, outcome.details['share'])} (add1)"
            )
    return report


def _utility(election: Election, profile: Profile, sat: str, row: int, q: int) -> Fraction:
    value = profile.ballots[row, q]
    if profile.kind in (BallotKind.CUMULATIVE, BallotKind.SCORING):
        base = Fraction(repr(float(value))) if profile.ballots.dtype.kind == "f" else Fraction(int(value))
    else:
        base = Fraction(1 if value else 0)
    return base * election.projects[q].cost if sat == "cost" else base


def explain_voter(election: Election, profile: Profile, outcome: Outcome, voter_index: int) -> dict:
    """Which of the voter's projects won, and why the others did not (JSON-serialisable)."""
    if not 0 <= voter_index < len(profile.voter_rows):
        raise IndexError(
            f"there is no voter number {voter_index} (the election has {len(profile.voter_rows)})"
        )
    row = int(profile.voter_rows[voter_index])
    supported = [int(j) for j in np.flatnonzero(profile.ballots[row] > 0)]
    if profile.kind is BallotKind.ORDINAL:
        supported.sort(key=lambda j: int(profile.ballots[row, j]))
    chosen = set(outcome.selected)
    reasons = _reasons(election, profile, outcome)
    paid: dict[int, Fraction] = {}
    report: dict = {"voter_id": profile.voter_ids[voter_index], "rule": outcome.rule}
    if outcome.rule == "mes" and "share" in outcome.details:
        sat = outcome.details.get("sat", "cost")
        left = Fraction(outcome.details["share"])
        left_after = [left]  # the voter's money after each MES round
        for q, rho in zip(outcome.details["mes_selected"], outcome.details["rhos"], strict=True):
            u = _utility(election, profile, sat, row, q)
            if u > 0:
                pay = min(left, rho * u)
                paid[q] = pay
                left -= pay
            left_after.append(left)
        report["share"] = _amount(outcome.details["share"])
        report["share_text"] = money(election, outcome.details["share"])
        report["spent"] = _amount(outcome.details["share"] - left)
        report["left"] = _amount(left)
    projects = []
    for j in supported:
        entry = {**_name(election, j), "funded": j in chosen}
        if j in chosen:
            stage = next((s.stage for s in outcome.trace if s.project == j), "main")
            if j in paid:
                entry["you_paid"] = _amount(paid[j])
                entry["reason"] = f"won: funded, and you paid {money(election, paid[j])} towards it"
            elif stage == "completion":
                entry["reason"] = "won: funded by the completion step from the money left over"
            else:
                entry["reason"] = "won: funded"
        else:
            entry["reason"] = reasons.get(j, "not funded")
            after = outcome.details.get("dropped_after", {}).get(j) if outcome.rule == "mes" else None
            if after is not None and paid is not None and "share" in outcome.details:
                entry["reason"] += f" (you had {money(election, left_after[after])} of your share left then)"
        projects.append(entry)
    report["projects"] = projects
    won = sum(1 for p in projects if p["funded"])
    report["summary"] = (
        f"{won} of the {len(projects)} projects you supported won"
        if projects
        else "you did not support any project"
    )
    return report


__all__ = ["explain_outcome", "explain_voter", "money"]
