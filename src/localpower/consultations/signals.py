"""Signals for other apps to hook into (sent after the transaction commits).

- ``outcome_published(sender=Outcome, outcome)``: the council published its "You said, we did" response for the
  first time (not when it later corrects it). The notifications app e-mails the area's residents and followers
  and the people who sent an identified response.
"""

from __future__ import annotations

from django.dispatch import Signal

outcome_published = Signal()
