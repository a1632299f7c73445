"""Paper ballots: marking paper voters and entering paper ballots with a double-entry check.

Each ballot paper carries a printed number. Two different officers type the same paper in; when the second entry
matches the first, one ``Ballot`` (channel "paper") is created and both entries are marked confirmed. When they
differ, both are marked as a mismatch and a third officer's entry that matches either of them settles it. A paper
number is counted at most once: the ballot's receipt is derived from the process and paper number and receipts
are unique in the database.

Paper voters are marked separately (``mark_paper_voter``), before or as they are handed a paper, so that a person
with an account cannot vote both on paper and online. Nothing links a paper number to a paper voter.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from localpower.budgets.ballots import validate_ballot
from localpower.budgets.models import (
    Ballot,
    Channel,
    PaperBallotEntry,
    PaperEntryStatus,
    Process,
    VoterRecord,
)
from localpower.budgets.services._base import require
from localpower.core import audit

MESSAGE = (
    "Only council officers for this area can enter paper ballots, while voting is open or being counted."
)


@dataclass(frozen=True)
class PaperOutcome:
    entry: PaperBallotEntry
    status: str  # waiting | confirmed | mismatch
    message: str


def paper_receipt(process: Process, paper_number: str) -> str:
    return f"PAPER-{process.pk}-{paper_number}"


def _clean_number(paper_number: str) -> str:
    number = "".join((paper_number or "").split()).upper()
    if not number or len(number) > 30 or not number.replace("-", "").isalnum():
        raise ValidationError(
            {"paper_number": _("Enter the number printed on the ballot paper, such as 000123.")}
        )
    return number


@transaction.atomic
def enter_paper_ballot(*, actor, process: Process, paper_number: str, content, request=None) -> PaperOutcome:
    require(actor, "budgets.enter_paper_ballots", process, _(MESSAGE))
    number = _clean_number(paper_number)
    projects = {p.pk: p for p in process.projects.all()}
    canonical = validate_ballot(process, content, projects)
    Process.objects.select_for_update().filter(pk=process.pk).first()  # one paper entry at a time per process
    if Ballot.objects.filter(receipt=paper_receipt(process, number)).exists():
        raise ValidationError(
            {"paper_number": _("Ballot paper %(number)s has already been counted.") % {"number": number}}
        )
    others = list(
        PaperBallotEntry.objects.filter(process=process, paper_number=number).exclude(
            status=PaperEntryStatus.CONFIRMED
        )
    )
    if any(e.entered_by_id == actor.pk for e in others):
        raise ValidationError(
            {
                "paper_number": _(
                    "You have already entered ballot paper %(number)s; a second officer must check it."
                )
                % {"number": number}
            }
        )
    try:
        with transaction.atomic():
            entry = PaperBallotEntry.objects.create(
                process=process, paper_number=number, content=canonical, entered_by=actor
            )
    except IntegrityError:
        raise ValidationError({"paper_number": _("You have already entered this ballot paper.")}) from None
    match = next((e for e in others if e.content == canonical), None)
    if match is not None:
        Ballot.objects.create(
            process=process,
            content=canonical,
            receipt=paper_receipt(process, number),
            channel=Channel.PAPER,
            cast_on=timezone.localdate(),
        )
        PaperBallotEntry.objects.filter(pk__in=[entry.pk, match.pk]).update(status=PaperEntryStatus.CONFIRMED)
        entry.status = PaperEntryStatus.CONFIRMED
        status, message = (
            PaperEntryStatus.CONFIRMED,
            _("Both entries match. Ballot paper %(number)s is counted."),
        )
    elif others:
        PaperBallotEntry.objects.filter(pk__in=[entry.pk, *(e.pk for e in others)]).update(
            status=PaperEntryStatus.MISMATCH
        )
        entry.status = PaperEntryStatus.MISMATCH
        status, message = (
            PaperEntryStatus.MISMATCH,
            _(
                "This entry does not match the earlier one for ballot paper %(number)s. Ask another officer to enter it."
            ),
        )
    else:
        status, message = (
            PaperEntryStatus.WAITING,
            _("Saved. A second officer must now enter ballot paper %(number)s."),
        )
    audit.record(
        actor=actor,
        action="budgets.paper.enter",
        target=process,
        summary=f"Entered ballot paper {number}: {status}.",
        request=request,
    )
    return PaperOutcome(entry=entry, status=str(status), message=message % {"number": number})


@transaction.atomic
def mark_paper_voter(
    *, actor, process: Process, user=None, paper_reference: str = "", request=None
) -> VoterRecord:
    """Record that someone was given a ballot paper, so they cannot also vote online (or get a second paper)."""
    require(actor, "budgets.enter_paper_ballots", process, _(MESSAGE))
    reference = paper_reference.strip()
    if (user is None) == (not reference):
        raise ValidationError(_("Choose the person's account or give their paper voter reference, not both."))
    if user is not None and VoterRecord.objects.filter(process=process, user=user).exists():
        raise ValidationError(_("This person has already voted."))
    if reference and VoterRecord.objects.filter(process=process, paper_reference=reference).exists():
        raise ValidationError(_("This paper voter has already been given a ballot paper."))
    try:
        with transaction.atomic():
            record = VoterRecord.objects.create(
                process=process, user=user, paper_reference=reference, channel=Channel.PAPER
            )
    except IntegrityError:
        raise ValidationError(_("This person has already voted.")) from None
    audit.record(
        actor=actor,
        action="budgets.paper.voter",
        target=process,
        summary="Marked a paper voter.",
        request=request,
    )
    return record
