"""Participatory budgeting: an area's residents share ideas, the council reviews them, residents vote, the
counting engine (``localpower.tally``) picks the funded projects, and the council tracks their delivery.

Where things are (the domain layer; pages, API and notifications build on it):

* ``models/``: ``Process`` (timetable, eligibility, ballot kind, outcome rule; phase from the dates plus an
  override state), ``Category``, ``Idea`` / ``IdeaSupport`` / ``Comment`` / ``Report``, ``Project`` (on the ballot),
  ``VoterRecord`` (has voted) kept apart from ``Ballot`` (what was voted; read the threat model in
  ``models/voting.py``), ``PaperBallotEntry``, ``Result`` (versioned, reproducible), ``Delivery`` /
  ``DeliveryUpdate`` / ``Milestone``.
* ``ballots.py``: ``validate_ballot`` for every ballot kind, the messages voters see.
* ``services/``: every write (keyword-only, atomic, audited). Services check permissions themselves and raise
  ``PermissionDenied`` or ``ValidationError`` with a message to show as it is.
  ``cast_ballot(actor=, process=, content=, idempotency_key=, confirmed_minimum_age=)`` returns a ``CastResult``
  (receipt, replaced, repeated); ``new_idempotency_key()`` makes the key a ballot form carries.
* ``selectors.py``: reads for pages and the API (``receipt_status``, ``turnout``, ``published_result``,
  ``my_choices`` for a voter's "what happened to my choices", ...).
* ``rules.py``: permissions, with the role x phase table in its docstring.
* ``tally_adapter.py`` / ``exports.py``: the count and the anonymised Pabulib and CSV exports.
* ``tasks.py``: counting in the background when voting closes (``schedule_count``) or when an officer asks.
* ``signals.py``: ``idea_status_changed`` and ``results_published`` for notifications.
* ``demo.py``: ``build_demo_budgets(areas)`` for the demo borough.
"""
