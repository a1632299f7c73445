"""Signals for the notifications work to hook into (sent after the transaction commits).

- ``idea_status_changed(sender=Idea, idea, old_status, new_status, hidden=False)``: the council reviewed, merged
  or put an idea on the ballot, or (``hidden=True``, status unchanged) a moderator hid it; its author should hear
  about it.
- ``results_published(sender=Result, result)``: a result was published.
- ``phase_started(sender=Process, process, phase)``: voting opened (``phase="voting"``) or closed
  (``phase="counting"``) for a scheduled process; sent by a background task at that time.
"""

from __future__ import annotations

from django.dispatch import Signal

idea_status_changed = Signal()
results_published = Signal()
phase_started = Signal()
