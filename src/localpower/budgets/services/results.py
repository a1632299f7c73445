"""Counting (a new result version each time), publishing, and tracking the delivery of funded projects."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from localpower.budgets.models import (
    Delivery,
    DeliveryStatus,
    DeliveryUpdate,
    Milestone,
    Process,
    Project,
    Result,
)
from localpower.budgets.services._base import require, save_clean
from localpower.budgets.signals import results_published
from localpower.budgets.tally_adapter import library_version, remember, run_count
from localpower.core import audit
from localpower.tally.model import TallyError

COUNT_MESSAGE = (
    "Only council officers and administrators for this area can count the votes, after voting closes."
)
DELIVERY_MESSAGE = (
    "Only council officers and administrators for this area can update delivery, once results are out."
)


def compute_result(*, actor=None, process: Process, request=None) -> Result:
    """Count the current ballots with the process's rule and store the next result version (unpublished).

    ``actor=None`` is the system (the background task when voting closes); it may count only after voting has
    closed, as officers may. The count itself runs outside any transaction (it reads the ballots in one query,
    and the projects cannot change once voting has opened), so a long count never holds a database lock;
    only storing the new version is a transaction. The input hash records exactly which ballots were counted.
    """
    if actor is not None:
        require(actor, "budgets.compute_results", process, _(COUNT_MESSAGE))
    process = Process.objects.select_related("area").get(pk=process.pk)
    if not process.voting_has_closed():
        raise ValidationError(_("Votes can be counted only after voting closes."))
    try:
        count = run_count(process)
    except TallyError as error:
        raise ValidationError(_("The votes could not be counted: %(error)s") % {"error": error}) from None
    with transaction.atomic():
        return _store(actor, process, count, request)


def _store(actor, process: Process, count, request) -> Result:
    locked = Process.objects.select_for_update().get(pk=process.pk)
    version = (Result.objects.filter(process=locked).aggregate(v=Max("version"))["v"] or 0) + 1
    selected = count.outcome.selected_ids(count.inputs.election)
    result = save_clean(
        Result(
            process=locked,
            version=version,
            rule=locked.rule,
            options=count.options,
            input_sha256=count.input_sha256,
            library_version=library_version(),
            voters=count.inputs.profile.n_voters,
            selected=selected,
            votes=count.votes,
            total_cost=sum((p.cost for p in count.inputs.projects if str(p.pk) in set(selected)), start=0),
            explanation=count.explanation,
            ejr=count.ejr,
            computed_by=actor,
        )
    )
    transaction.on_commit(lambda: remember(result, count))
    audit.record(
        actor=actor,
        action="budgets.result.compute",
        target=result,
        summary=f"Counted {result.voters} ballots with {result.rule}: version {version}, {len(selected)} projects funded.",
        changes={"input_sha256": result.input_sha256, "selected": selected},
        request=request,
    )
    return result


@transaction.atomic
def publish_result(*, actor, result: Result, request=None) -> Result:
    """Publish ``result`` (replacing any earlier published version) and start delivery tracking."""
    result = Result.objects.select_for_update().select_related("process__area").get(pk=result.pk)
    require(actor, "budgets.publish_results", result.process, _(COUNT_MESSAGE))
    if result.published:
        return result
    latest = Result.objects.filter(process=result.process).aggregate(v=Max("version"))["v"]
    if result.version != latest:
        raise ValidationError(_("Only the latest count can be published (version %(v)d).") % {"v": latest})
    return mark_published(result, actor=actor, request=request)


def mark_published(result: Result, *, actor, request=None) -> Result:
    """Publish without the permission check: for ``publish_result`` and for building demo data."""
    Result.objects.filter(process=result.process, published=True).update(published=False)
    result.published = True
    result.published_at = timezone.now()
    save_clean(result)
    funded = Project.objects.filter(process=result.process, pk__in=result.selected_ids)
    Delivery.objects.bulk_create([Delivery(project=p) for p in funded], ignore_conflicts=True)
    audit.record(
        actor=actor,
        action="budgets.result.publish",
        target=result,
        summary=f"Published result version {result.version}.",
        request=request,
    )
    transaction.on_commit(lambda: results_published.send(sender=Result, result=result))
    return result


@transaction.atomic
def update_delivery(
    *, actor, project: Project, status: str, note: str = "", cancelled_reason: str = "", request=None
) -> Delivery:
    """Change a funded project's delivery status, with a public note."""
    delivery = (
        Delivery.objects.select_for_update()
        .select_related("project__process__area")
        .filter(project=project)
        .first()
    )
    if delivery is None:
        raise ValidationError(_("Only funded projects of a published result have delivery tracking."))
    require(actor, "budgets.update_delivery", delivery.project.process, _(DELIVERY_MESSAGE))
    if status not in DeliveryStatus.values:
        raise ValidationError({"status": _("Choose planned, in progress, delivered or cancelled.")})
    if status == DeliveryStatus.CANCELLED and not cancelled_reason.strip():
        raise ValidationError(
            {"cancelled_reason": _("Say why the project was cancelled; residents will see it.")}
        )
    old = delivery.status
    delivery.status = status
    delivery.cancelled_reason = cancelled_reason.strip() if status == DeliveryStatus.CANCELLED else ""
    delivery.updated_at = timezone.now()
    save_clean(delivery)
    save_clean(
        DeliveryUpdate(
            delivery=delivery, status=status, note=note.strip() or delivery.cancelled_reason, author=actor
        )
    )
    audit.record(
        actor=actor,
        action="budgets.delivery.update",
        target=delivery.project,
        summary=f"Delivery {old} -> {status}.",
        changes={"status": {"from": old, "to": status}},
        request=request,
    )
    return delivery


@transaction.atomic
def add_milestone(
    *, actor, project: Project, title: str, due_on: datetime.date | None = None, request=None
) -> Milestone:
    delivery = Delivery.objects.select_related("project__process__area").filter(project=project).first()
    if delivery is None:
        raise ValidationError(_("Only funded projects of a published result have delivery tracking."))
    require(actor, "budgets.update_delivery", delivery.project.process, _(DELIVERY_MESSAGE))
    milestone = save_clean(Milestone(delivery=delivery, title=title.strip(), due_on=due_on))
    audit.record(
        actor=actor,
        action="budgets.milestone.add",
        target=project,
        summary=f"Milestone: {title}",
        request=request,
    )
    return milestone


@transaction.atomic
def complete_milestone(
    *, actor, milestone: Milestone, on: datetime.date | None = None, request=None
) -> Milestone:
    milestone = Milestone.objects.select_related("delivery__project__process__area").get(pk=milestone.pk)
    require(actor, "budgets.update_delivery", milestone.delivery.project.process, _(DELIVERY_MESSAGE))
    milestone.completed_on = on or timezone.localdate()
    save_clean(milestone)
    audit.record(
        actor=actor,
        action="budgets.milestone.complete",
        target=milestone.delivery.project,
        summary=f"Done: {milestone.title}",
        request=request,
    )
    return milestone
