"""Voting: who has voted, kept apart from what was voted.

Threat model
============

What we protect: nobody who reads the database tables, an export, a results page, the API or the admin can tell
how a named person voted. What we also guarantee: one person, one counted ballot, enforced by the database.

How:

* ``VoterRecord`` ("has voted") holds the person and when they voted. ``Ballot`` holds what was voted. There is
  no foreign key, shared id, shared value or precise shared time between the two tables:

  - a ballot's primary key is a random UUID, so row ids do not follow the order people voted in;
  - a ballot keeps only the *day* it was cast (``cast_on``), never the time, so it cannot be matched to the
    precise ``VoterRecord.voted_at`` (the day still narrows it to the people who voted that day);
  - the voter record keeps ``ballot_seal`` = HMAC-SHA256(server key, receipt code). Without the server key the
    seal is a random-looking string that matches nothing in the ballot table.

* The receipt code is shown to the voter once. It lets them check on the public list that their ballot was
  counted (or that it was replaced by a later one), without revealing who they are.

* Changing a ballot (when the process allows it): the server, which holds the key, recomputes the seal of each
  current ballot cast on the voter's last voting day and supersedes the one matching the voter record. This is
  one of only two places the two are joined; the other is showing a signed-in voter "what happened to my
  choices" (``selectors.my_choices``), for that voter only. The join is never stored. After a change of server
  key, keep the old key in ``SECRET_KEY_FALLBACKS`` until voting closes, or voters cannot change their ballot
  (the service refuses rather than count two ballots).

* Exports and results (``exports.py``, ``tally_adapter.py``) read only ``Ballot`` rows, sorted by their content,
  with voter ids numbered 1..n after sorting, so file order cannot be matched to the order people voted in.

Who can still link a ballot to a person (residual risks, accepted and documented for the council):

* someone holding both the database and the server key (``SECRET_KEY``): they can recompute seals, exactly as
  the replace step does. Keep the key out of backups of the database.
* someone reading the database's physical storage or write-ahead log, which may keep rows in insertion order;
  ordinary queries, exports and backups made with ``dumpdata`` do not expose that order.
* in a very small area, the day a ballot was cast narrows it to the few people who voted that day.

Minimum age: we do not store anyone's date of birth. A voter confirms "I am at least N years old" when voting,
and the voter record keeps the age they confirmed (``confirmed_minimum_age``). This is enough to show the rule
was applied and keeps to data minimisation.

Idempotency: a ballot form carries a random key. The voter record keeps only its SHA-256 digest. The same key
submitted again (a double click, a retried request) returns the first outcome and the same receipt, which is
derived from the process, the person and the key with the server secret (HMAC), so the receipt never has to be
stored next to the person.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from localpower.budgets.models.process import Process


class Channel(models.TextChoices):
    ONLINE = "online", _("Online")
    PAPER = "paper", _("Paper")


class VoterRecord(models.Model):
    """ "This person has voted in this process." Never links to the ballot itself (see the module docstring)."""

    process = models.ForeignKey(Process, on_delete=models.PROTECT, related_name="voter_records")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # For paper voters without an account: the reference the council uses, such as an electoral roll number.
    paper_reference = models.CharField(_("paper voter reference"), max_length=50, blank=True)
    channel = models.CharField(_("how"), max_length=10, choices=Channel.choices, default=Channel.ONLINE)
    voted_at = models.DateTimeField(_("first voted"), default=timezone.now)
    last_cast_on = models.DateField(_("day of the latest ballot"), default=timezone.localdate)
    ballot_seal = models.CharField(_("sealed receipt"), max_length=64, blank=True)
    # SHA-256 digests of the idempotency keys of this voter's submissions (the latest few).
    idempotency_digests = models.JSONField(default=list, blank=True)
    confirmed_minimum_age = models.PositiveSmallIntegerField(
        _("confirmed being at least"), null=True, blank=True
    )
    changes = models.PositiveIntegerField(_("times the ballot was changed"), default=0)

    class Meta:
        verbose_name = _("voter record")
        verbose_name_plural = _("voter records")
        constraints = [
            models.UniqueConstraint(
                fields=["process", "user"],
                condition=Q(user__isnull=False),
                name="voterrecord_one_per_person",
                violation_error_message=_("This person has already voted in this process."),
            ),
            models.UniqueConstraint(
                fields=["process", "paper_reference"],
                condition=~Q(paper_reference=""),
                name="voterrecord_one_per_paper_voter",
                violation_error_message=_("This paper voter has already been marked as voted."),
            ),
            models.UniqueConstraint(
                fields=["ballot_seal"], condition=~Q(ballot_seal=""), name="voterrecord_seal_unique"
            ),
            models.CheckConstraint(
                condition=Q(ballot_seal="") | Q(ballot_seal__regex=r"^[0-9a-f]{64}$"),
                name="voterrecord_seal_hex",
            ),
            models.CheckConstraint(condition=Q(channel__in=Channel.values), name="voterrecord_channel_known"),
        ]

    def __str__(self) -> str:
        return f"voter record {self.pk} in {self.process_id}"


class Ballot(models.Model):
    """What one voter chose. No link to any person: see the module docstring.

    ``content`` is canonical JSON: ``{"projects": [ids, ascending]}`` for approval, k-approval and knapsack
    ballots, ``{"points": {"id": points, ...}}`` (ids ascending) for cumulative ballots and
    ``{"ranking": [ids, first choice first]}`` for ranked ballots. Ids are ``Project`` ids.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    process = models.ForeignKey(Process, on_delete=models.PROTECT, related_name="ballots")
    content = models.JSONField(_("choices"))
    receipt = models.CharField(_("receipt code"), max_length=40, unique=True)
    channel = models.CharField(_("how"), max_length=10, choices=Channel.choices, default=Channel.ONLINE)
    cast_on = models.DateField(_("day cast"), default=timezone.localdate)
    superseded_on = models.DateField(_("day replaced by a later ballot"), null=True, blank=True)

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        indexes = [models.Index(fields=["process", "superseded_on", "cast_on"], name="ballot_current_idx")]
        constraints = [
            models.CheckConstraint(condition=~Q(receipt=""), name="ballot_receipt_not_empty"),
            models.CheckConstraint(condition=Q(channel__in=Channel.values), name="ballot_channel_known"),
            models.CheckConstraint(
                condition=Q(superseded_on__isnull=True) | Q(superseded_on__gte=models.F("cast_on")),
                name="ballot_superseded_after_cast",
            ),
        ]

    def __str__(self) -> str:
        return f"ballot {self.receipt}"

    @property
    def is_current(self) -> bool:
        return self.superseded_on is None


class PaperEntryStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting for a second officer")
    CONFIRMED = "confirmed", _("Confirmed and counted")
    MISMATCH = "mismatch", _("Does not match another entry")


class PaperBallotEntry(models.Model):
    """One officer's typing of one paper ballot. Two officers' entries must match before the ballot counts."""

    process = models.ForeignKey(Process, on_delete=models.PROTECT, related_name="paper_entries")
    paper_number = models.CharField(_("number printed on the ballot paper"), max_length=30)
    content = models.JSONField(_("choices"))
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        max_length=10, choices=PaperEntryStatus.choices, default=PaperEntryStatus.WAITING
    )

    class Meta:
        ordering = ["paper_number", "entered_at", "id"]
        verbose_name = _("paper ballot entry")
        verbose_name_plural = _("paper ballot entries")
        constraints = [
            models.UniqueConstraint(
                fields=["process", "paper_number", "entered_by"],
                name="paperentry_once_per_officer",
                violation_error_message=_(
                    "You have already entered this ballot paper; a second officer must check it."
                ),
            ),
            models.CheckConstraint(condition=~Q(paper_number=""), name="paperentry_number_not_empty"),
            models.CheckConstraint(
                condition=Q(status__in=PaperEntryStatus.values), name="paperentry_status_known"
            ),
        ]

    def __str__(self) -> str:
        return f"paper {self.paper_number} ({self.get_status_display()})"
