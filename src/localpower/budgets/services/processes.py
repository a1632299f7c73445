"""Setting up a process, changing it, and the frozen settings once voting has opened.

A refused change to a frozen setting is written to the audit log. The refusal is detected inside the
transaction (after locking the process row, so it cannot race with the opening of voting), the transaction is
rolled back, and only then is the refusal recorded, outside the rolled-back block, so the entry survives. If a
caller wraps this service in its own transaction and rolls that back, the entry goes too; the views and API do
not do that.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from localpower.budgets.models import FROZEN_FIELDS, Category, Process, ProcessState
from localpower.budgets.models.process import STATE_TRANSITIONS
from localpower.budgets.services._base import require, save_clean
from localpower.core import audit

EDITABLE_FIELDS = (
    "title",
    "slug",
    "description",
    "budget",
    "currency",
    "ideas_open_at",
    "review_opens_at",
    "voting_opens_at",
    "voting_closes_at",
    "results_at",
    "delivery_starts_at",
    "minimum_age",
    "allow_paper_ballots",
    "ballot_kind",
    "min_choices",
    "max_choices",
    "max_cost",
    "points_total",
    "max_points_per_project",
    "allow_ballot_change",
    "rule",
    "completion",
)


class FrozenSettingsError(Exception):
    def __init__(self, fields: list[str]):
        super().__init__(fields)
        self.fields = fields


def _json(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return value


@transaction.atomic
def create_process(
    *,
    actor,
    area,
    title: str,
    slug: str,
    budget: Decimal,
    ideas_open_at: datetime.datetime,
    review_opens_at: datetime.datetime,
    voting_opens_at: datetime.datetime,
    voting_closes_at: datetime.datetime,
    results_at: datetime.datetime,
    delivery_starts_at: datetime.datetime,
    request=None,
    **options: Any,
) -> Process:
    """Create a draft process for ``area``. ``options`` are any other ``EDITABLE_FIELDS``."""
    require(
        actor,
        "budgets.add_process",
        area,
        _("Only council officers and administrators for this area can set up a budget."),
    )
    unknown = set(options) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown settings: %(names)s.") % {"names": ", ".join(sorted(unknown))})
    process = Process(
        area=area,
        title=title,
        slug=slug,
        budget=budget,
        ideas_open_at=ideas_open_at,
        review_opens_at=review_opens_at,
        voting_opens_at=voting_opens_at,
        voting_closes_at=voting_closes_at,
        results_at=results_at,
        delivery_starts_at=delivery_starts_at,
        **options,
    )
    save_clean(process)
    audit.record(
        actor=actor,
        action="budgets.process.create",
        target=process,
        summary=f"Set up the budget “{process.title}” for {area}.",
        changes={f: _json(getattr(process, f)) for f in EDITABLE_FIELDS},
        request=request,
    )
    return process


def update_process(*, actor, process: Process, changes: dict[str, Any], request=None) -> Process:
    """Change settings of ``process``. Once voting has opened, the ``FROZEN_FIELDS`` cannot change."""
    require(
        actor,
        "budgets.change_process",
        process,
        _("Only council officers and administrators for this area can change this budget."),
    )
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown settings: %(names)s.") % {"names": ", ".join(sorted(unknown))})
    try:
        with transaction.atomic():
            locked = Process.objects.select_for_update().get(pk=process.pk)
            changed = {f: v for f, v in changes.items() if getattr(locked, f) != v}
            frozen = sorted(f for f in changed if f in FROZEN_FIELDS)
            if frozen and locked.voting_has_opened():
                raise FrozenSettingsError(frozen)
            before = {f: _json(getattr(locked, f)) for f in changed}
            for field, value in changed.items():
                setattr(locked, field, value)
            save_clean(locked)
            if changed:
                audit.record(
                    actor=actor,
                    action="budgets.process.update",
                    target=locked,
                    summary=f"Changed {', '.join(sorted(changed))}.",
                    changes={f: {"from": before[f], "to": _json(v)} for f, v in changed.items()},
                    request=request,
                )
    except FrozenSettingsError as refused:
        labels = [str(Process._meta.get_field(f).verbose_name) for f in refused.fields]
        audit.record(
            actor=actor,
            action="budgets.process.change_refused",
            target=process,
            summary="Refused a change to settings frozen since voting opened: " + ", ".join(refused.fields),
            changes={f: {"asked_for": _json(changes[f])} for f in refused.fields},
            request=request,
        )
        raise ValidationError(
            {
                f: _(
                    "Voting has opened, so “%(setting)s” can no longer change. The ballot kind, the outcome "
                    "rule and the budget stay as they were when voting opened, so every vote is counted the same way."
                )
                % {"setting": label}
                for f, label in zip(refused.fields, labels, strict=True)
            }
        ) from None
    process.refresh_from_db()
    return process


@transaction.atomic
def change_state(*, actor, process: Process, state: str, reason: str = "", request=None) -> Process:
    """Move the override state machine: draft -> scheduled <-> paused, any -> cancelled."""
    require(
        actor,
        "budgets.change_process",
        process,
        _("Only council officers and administrators for this area can change this budget."),
    )
    locked = Process.objects.select_for_update().get(pk=process.pk)
    if state not in STATE_TRANSITIONS.get(locked.state, set()):
        raise ValidationError(
            _("A budget that is “%(now)s” cannot become “%(to)s”.")
            % {
                "now": locked.get_state_display(),
                "to": ProcessState(state).label if state in ProcessState.values else state,
            }
        )
    if state == ProcessState.CANCELLED and not reason.strip():
        raise ValidationError(_("Say why the budget is cancelled; residents will see the reason."))
    old = locked.state
    locked.state = state
    save_clean(locked)
    if state == ProcessState.SCHEDULED:
        from localpower.budgets.tasks import schedule_count, schedule_phase_announcements

        transaction.on_commit(lambda: (schedule_phase_announcements(locked), schedule_count(locked)))
    audit.record(
        actor=actor,
        action="budgets.process.state",
        target=locked,
        summary=f"State changed from {old} to {state}. {reason}".strip(),
        changes={"state": {"from": old, "to": state}, "reason": reason},
        request=request,
    )
    process.refresh_from_db()
    return process


@transaction.atomic
def add_category(
    *, actor, process: Process, name: str, target_amount: Decimal | None = None, request=None
) -> Category:
    require(
        actor,
        "budgets.change_process",
        process,
        _("Only council officers and administrators for this area can change this budget."),
    )
    category = save_clean(Category(process=process, name=name.strip(), target_amount=target_amount))
    audit.record(
        actor=actor,
        action="budgets.category.create",
        target=category,
        summary=f"Added category {name}.",
        request=request,
    )
    return category
