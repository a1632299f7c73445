"""Background tasks (django-tasks): counting the votes when voting closes, or when an officer asks.

When a process is scheduled, ``schedule_phase_announcements`` queues the "voting opens" and "voting closes"
signals for notifications, and ``schedule_count`` queues a count to run when voting closes (the database backend
supports delayed tasks). If the closing date moves, the queued task notices when it runs and queues itself again
for the new time. ``count_closed_processes`` is a safety net that can be run periodically: it counts any
scheduled process whose voting has closed and that has no result yet. An officer can ask for a recount at any
time after voting closes (``request_count``); each count is a new result version.
"""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import default_task_backend, task

from localpower.budgets.models import Process, ProcessState

log = logging.getLogger(__name__)


@task()
def compute_result_task(process_id: int, actor_id: int | None = None) -> int | None:
    """Count one process; returns the new result's id, or None when there was nothing to do."""
    from django.contrib.auth import get_user_model

    from localpower.budgets.services.results import compute_result

    process = Process.objects.filter(pk=process_id).first()
    if process is None or process.state == ProcessState.CANCELLED:
        return None
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    if actor is None:
        if not process.voting_has_closed():
            schedule_count(process)  # the closing date moved later: try again then
            return None
        if process.results.exists():
            return None  # the system counts once; recounts are asked for by officers
    try:
        return compute_result(actor=actor, process=process).pk
    except (ValidationError, PermissionDenied) as error:
        messages = error.messages if isinstance(error, ValidationError) else [str(error)]
        log.warning("Could not count budget %s: %s", process_id, "; ".join(messages))
        return None


def schedule_count(process: Process) -> bool:
    """Queue the count for when voting closes; False when the task backend cannot delay tasks."""
    if not default_task_backend.supports_defer:
        return False
    compute_result_task.using(run_after=process.voting_closes_at).enqueue(process.pk)
    return True


ANNOUNCED_PHASES = {"voting": "voting_opens_at", "counting": "voting_closes_at"}


@task()
def announce_phase_task(process_id: int, phase: str) -> bool:
    """Send ``phase_started`` when the process really is in ``phase``; queue again if its dates moved later."""
    from localpower.budgets.signals import phase_started

    process = Process.objects.filter(pk=process_id).select_related("area").first()
    if process is None or process.state != ProcessState.SCHEDULED or phase not in ANNOUNCED_PHASES:
        return False
    starts = getattr(process, ANNOUNCED_PHASES[phase])
    if timezone.now() < starts:
        if default_task_backend.supports_defer:
            announce_phase_task.using(run_after=starts).enqueue(process.pk, phase)
        return False
    if process.dated_phase() != phase:
        return False  # that phase is already over: too late to announce it
    phase_started.send(sender=Process, process=process, phase=phase)
    return True


def schedule_phase_announcements(process: Process) -> bool:
    """Queue the "voting opens" and "voting closes" announcements; False when tasks cannot be delayed."""
    if not default_task_backend.supports_defer:
        return False
    for phase, field in ANNOUNCED_PHASES.items():
        announce_phase_task.using(run_after=getattr(process, field)).enqueue(process.pk, phase)
    return True


@task()
def count_closed_processes() -> list[int]:
    """Count every scheduled process whose voting has closed and that has no result yet (safe to repeat)."""
    due = list(
        Process.objects.filter(
            state=ProcessState.SCHEDULED, voting_closes_at__lte=timezone.now(), results__isnull=True
        ).values_list("pk", flat=True)
    )
    for pk in due:
        compute_result_task.enqueue(pk)
    return due


def request_count(*, actor, process: Process):
    """An officer asks for a (re)count now; it runs in the background. Returns the queued task's result handle."""
    if not actor.has_perm("budgets.compute_results", process):
        raise PermissionDenied(
            _(
                "Only council officers and administrators for this area can count the votes, after voting closes."
            )
        )
    return compute_result_task.enqueue(process.pk, actor.pk)
