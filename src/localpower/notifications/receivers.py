"""Receivers for the budgets and consultations signals. They only queue e-mail tasks: deciding who hears, and sending, is done
by the tasks in the background, so a slow mail server never slows down the page that caused the event."""

from __future__ import annotations

from localpower.budgets import signals
from localpower.consultations import signals as consultation_signals
from localpower.notifications import tasks


def on_idea_status_changed(sender, idea, old_status, new_status, hidden=False, **kwargs) -> None:
    if hidden:  # a moderator hid the idea
        tasks.send_idea_hidden_email.enqueue(idea.pk)
    else:
        tasks.send_idea_status_email.enqueue(idea.pk)


def on_phase_started(sender, process, phase, **kwargs) -> None:
    if phase in tasks.PHASE_SUBJECTS:
        tasks.send_phase_emails.enqueue(process.pk, str(phase))


def on_results_published(sender, result, **kwargs) -> None:
    tasks.send_results_emails.enqueue(result.pk)


def on_outcome_published(sender, outcome, **kwargs) -> None:
    tasks.send_outcome_emails.enqueue(outcome.pk)


def connect() -> None:
    signals.idea_status_changed.connect(on_idea_status_changed, dispatch_uid="notifications.idea_status")
    signals.phase_started.connect(on_phase_started, dispatch_uid="notifications.phase_started")
    signals.results_published.connect(on_results_published, dispatch_uid="notifications.results_published")
    consultation_signals.outcome_published.connect(
        on_outcome_published, dispatch_uid="notifications.consultation_outcome_published"
    )
