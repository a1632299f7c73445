"""Checking a ballot against its process's ballot kind, and putting it in canonical form.

Pure functions (no database writes): ``validate_ballot`` is used by online voting, paper ballot entry and the
API alike, so every channel gives the same plain-English messages.

Accepted input, with project ids as numbers or digit strings:

* approval, k-approval, knapsack: ``{"projects": [ids]}`` (or a plain list of ids);
* cumulative: ``{"points": {id: points}}`` (or a plain mapping); projects given 0 points are left out;
* ranked: ``{"ranking": [ids, first choice first]}`` (or a plain list).

Canonical output: ``{"projects": [ids ascending]}``, ``{"points": {"id": points}}`` with ids ascending, or
``{"ranking": [ids]}``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from localpower.budgets.models import BallotKind, Process

APPROVAL_KINDS = (BallotKind.APPROVAL, BallotKind.K_APPROVAL, BallotKind.KNAPSACK)


def money(amount: Decimal, currency: str = "GBP") -> str:
    symbol = {"GBP": "£", "EUR": "€"}.get(currency, "")
    text = f"{amount:,.2f}".removesuffix(".00")
    return f"{symbol}{text}" if symbol else f"{text} {currency}"


def _project_id(value, valid: Mapping[int, object]) -> int:
    try:
        pid = int(str(value).strip())
    except (TypeError, ValueError):
        raise ValidationError(_("“%(value)s” is not a project on this ballot.") % {"value": value}) from None
    if pid not in valid:
        raise ValidationError(_("Project %(id)s is not on this ballot.") % {"id": pid})
    return pid


def _ids(raw, key: str) -> list:
    if isinstance(raw, Mapping):
        raw = raw.get(key, [])
    if isinstance(raw, str | bytes) or not isinstance(raw, Iterable):
        raise ValidationError(_("The ballot could not be read. Choose your projects again."))
    return list(raw)


def _no_repeats(ids: list[int], projects: Mapping[int, object]) -> None:
    seen: set[int] = set()
    for pid in ids:
        if pid in seen:
            title = getattr(projects[pid], "title", pid)
            raise ValidationError(_("“%(title)s” is chosen more than once.") % {"title": title})
        seen.add(pid)


def _count_limits(process: Process, n: int, *, default_min: int = 1) -> None:
    low = process.min_choices if process.min_choices is not None else default_min
    high = process.max_choices
    if n == 0:
        raise ValidationError(_("Choose at least one project."))
    if n < low:
        raise ValidationError(
            ngettext(
                "Choose at least %(min)d project (you chose %(n)d).",
                "Choose at least %(min)d projects (you chose %(n)d).",
                low,
            )
            % {"min": low, "n": n}
        )
    if high is not None and n > high:
        raise ValidationError(
            ngettext(
                "Choose no more than %(max)d project (you chose %(n)d).",
                "Choose no more than %(max)d projects (you chose %(n)d).",
                high,
            )
            % {"max": high, "n": n}
        )


def validate_ballot(process: Process, raw, projects: Mapping[int, object]) -> dict:
    """The canonical content of a valid ballot; ``ValidationError`` with a plain message otherwise.

    ``projects`` maps each project id on this process's ballot to its project (anything with ``cost`` and
    ``title``).
    """
    kind = process.ballot_kind
    if kind in APPROVAL_KINDS:
        ids = [_project_id(v, projects) for v in _ids(raw, "projects")]
        _no_repeats(ids, projects)
        _count_limits(process, len(ids))
        if kind == BallotKind.KNAPSACK:
            limit = process.effective_max_cost
            total = sum((Decimal(projects[pid].cost) for pid in ids), Decimal(0))
            if total > limit:
                raise ValidationError(
                    _(
                        "Your projects cost %(total)s, which is more than the %(limit)s you can spend. "
                        "Remove a project to continue."
                    )
                    % {"total": money(total, process.currency), "limit": money(limit, process.currency)}
                )
        return {"projects": sorted(ids)}
    if kind == BallotKind.CUMULATIVE:
        return {"points": _points(process, raw, projects)}
    if kind == BallotKind.RANKED:
        ids = [_project_id(v, projects) for v in _ids(raw, "ranking")]
        _no_repeats(ids, projects)
        _count_limits(process, len(ids))
        return {"ranking": ids}
    raise ValidationError(_("This process has an unknown ballot kind."))


def _points(process: Process, raw, projects: Mapping[int, object]) -> dict[str, int]:
    if isinstance(raw, Mapping) and "points" in raw:
        raw = raw["points"]
    if not isinstance(raw, Mapping):
        raise ValidationError(_("The ballot could not be read. Give your points again."))
    given: dict[int, int] = {}
    for key, value in raw.items():
        pid = _project_id(key, projects)
        if pid in given:
            raise ValidationError(_("Project %(id)s is given points twice.") % {"id": pid})
        try:
            points = int(str(value).strip() or "0")
        except (TypeError, ValueError):
            raise ValidationError(
                _("Points must be whole numbers; “%(value)s” is not.") % {"value": value}
            ) from None
        if str(value).strip() not in ("", str(points)):
            raise ValidationError(_("Points must be whole numbers; “%(value)s” is not.") % {"value": value})
        if points < 0:
            raise ValidationError(_("Points cannot be negative."))
        cap = process.max_points_per_project
        if cap is not None and points > cap:
            title = getattr(projects[pid], "title", pid)
            raise ValidationError(
                _("You can give at most %(cap)d points to one project; “%(title)s” has %(points)d.")
                % {"cap": cap, "title": title, "points": points}
            )
        if points:
            given[pid] = points
    total = sum(given.values())
    if total == 0:
        raise ValidationError(_("Give at least one point to a project."))
    limit = process.points_total or 0
    if total > limit:
        raise ValidationError(
            _("You gave out %(total)d points but you have %(limit)d. Take some points away to continue.")
            % {"total": total, "limit": limit}
        )
    _count_limits(process, len(given))
    return {str(pid): given[pid] for pid in sorted(given)}


def ballot_project_ids(content: Mapping) -> list[int]:
    """The projects a canonical ballot supports (ranked: in rank order)."""
    if "projects" in content:
        return [int(x) for x in content["projects"]]
    if "ranking" in content:
        return [int(x) for x in content["ranking"]]
    return [int(x) for x in content.get("points", {})]
