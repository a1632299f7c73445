"""Casting and replacing online ballots: one person, one counted ballot.

Read the threat model in ``localpower.budgets.models.voting`` first.

Concurrency: the database's unique constraint on (process, user) of ``VoterRecord`` is what makes "one person,
one ballot" true. Two simultaneous first submissions both try to insert a voter record; the database lets one
through and makes the other fail with ``IntegrityError`` (PostgreSQL makes the second wait for the first to
commit; SQLite runs write transactions one at a time because the settings open them IMMEDIATE). The loser rolls
back its whole transaction (so its ballot row goes too) and tries again: this time it finds the voter record,
locks it (``select_for_update`` on PostgreSQL) and either recognises the same submission (same idempotency key)
or replaces the ballot if the process allows changes. Replacements of one voter's ballot are serialised by the
row lock on their voter record.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from localpower.accounts import roles
from localpower.accounts.models import RoleKind
from localpower.budgets.ballots import validate_ballot
from localpower.budgets.models import Ballot, Channel, Phase, Process, Project, VoterRecord
from localpower.budgets.services._base import insert, select
from localpower.core import audit
from localpower.places.models import Area
from localpower.places.selectors import postcode_within

RECEIPT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I, easy to read aloud
RECEIPT_SALT = "localpower.budgets.receipt"
SEAL_SALT = "localpower.budgets.seal"
KEPT_DIGESTS = 20
ATTEMPTS = 5


@dataclass(frozen=True)
class CastResult:
    receipt: str
    replaced: bool = False  # an earlier ballot of this voter was superseded
    repeated: bool = False  # the same submission arrived again; nothing changed


def format_receipt(raw: bytes, length: int = 12) -> str:
    number = int.from_bytes(raw, "big")
    chars = []
    for _i in range(length):
        number, index = divmod(number, 32)
        chars.append(RECEIPT_ALPHABET[index])
    text = "".join(chars)
    return "-".join(text[i : i + 4] for i in range(0, length, 4))


def make_receipt(process_pk: int, user_pk: int, idempotency_key: str) -> str:
    """The receipt for one submission: unguessable without the server key, the same for a retried submission."""
    digest = salted_hmac(
        RECEIPT_SALT, f"{process_pk}:{user_pk}:{idempotency_key}", algorithm="sha256"
    ).digest()
    return format_receipt(digest[:10])


def seal(receipt: str, *, secret: str | None = None) -> str:
    """What the voter record keeps instead of the receipt: HMAC-SHA256 with the server key."""
    return salted_hmac(SEAL_SALT, normalise_receipt(receipt), secret=secret, algorithm="sha256").hexdigest()


def _server_keys() -> list[str]:
    """The current key first, then any old keys still accepted (``SECRET_KEY_FALLBACKS``) after a key change."""
    return [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]


def normalise_receipt(text: str) -> str:
    compact = "".join(ch for ch in (text or "").upper() if ch.isalnum())
    return "-".join(compact[i : i + 4] for i in range(0, len(compact), 4))


def new_idempotency_key() -> str:
    """A fresh key for a ballot form (a hidden field); sending the same form twice then records one ballot."""
    return secrets.token_urlsafe(24)


def key_digest(idempotency_key: str) -> str:
    return hashlib.sha256(idempotency_key.encode()).hexdigest()


is_resident = roles.lives_in  # a verified resident of the area (see accounts.roles.lives_in)


def _lives_in_area_of(user, process: Process) -> bool:
    """``is_resident(user, process.area)``, without loading the area for the postcode check when it is not loaded.

    ``postcode_within`` needs only the area's id; the role check, rarer, looks at the area's parents.
    """
    if Process.area.is_cached(process):
        return is_resident(user, process.area)
    if getattr(user, "postcode_verified", False) and postcode_within(
        user.home_postcode, Area(pk=process.area_id)
    ):
        return True
    return roles.has_role(user, RoleKind.RESIDENT, process.area)


def ineligibility(user, process: Process, *, when=None) -> str | None:
    """Why ``user`` cannot vote in ``process`` now, in plain English; None when they can."""
    phase = process.phase_at(when)
    if phase != Phase.VOTING:
        if phase == Phase.DRAFT:
            return _("This budget is not open yet.")
        if phase in (Phase.UPCOMING, Phase.IDEAS, Phase.REVIEW):
            return _("Voting has not opened yet. It opens on %(day)s.") % {
                "day": timezone.localtime(process.voting_opens_at).strftime("%-d %B %Y at %H:%M")
            }
        if phase == Phase.PAUSED:
            return _("Voting is paused by the council. Please try again later.")
        if phase == Phase.CANCELLED:
            return _("This budget has been cancelled.")
        return _("Voting has closed.")
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return _("Sign in to vote.")
    if not user.email_verified_at:
        return _("Confirm your e-mail address before voting: follow the link we sent you.")
    if not _lives_in_area_of(user, process):
        return _(
            "Only residents of %(area)s can vote. If you live there, ask the council to verify your home postcode."
        ) % {"area": process.area}
    return None


def ballot_projects(process: Process) -> dict:
    """The projects on the ballot by id, with only what the rules read (a description can be long).

    A plain query: this runs on every ballot, and building it with the ORM costs more than running it.
    """
    found = select(Project, "process_id = %s", [process.pk], only=("process", "title", "cost"))
    return {p.pk: p for p in found}


def cast_ballot(
    *,
    actor,
    process: Process,
    content,
    idempotency_key: str | None = None,
    confirmed_minimum_age: bool = False,
    request=None,
) -> CastResult:
    """Record ``actor``'s ballot, or replace their earlier one if the process allows it (the last one counts).

    Raises ``PermissionDenied`` when the person may not vote now and ``ValidationError`` for a ballot that breaks
    the rules (too many projects, over budget, ...); both carry a message to show as it is.
    """
    reason = ineligibility(actor, process)
    if reason:
        raise PermissionDenied(reason)
    if process.minimum_age and not confirmed_minimum_age:
        raise ValidationError(
            {
                "confirmed_minimum_age": _("Confirm that you are %(age)d or older to vote.")
                % {"age": process.minimum_age}
            }
        )
    projects = ballot_projects(process)
    canonical = validate_ballot(process, content, projects)
    key = (idempotency_key or "").strip() or new_idempotency_key()
    if len(key) > 200:
        raise ValidationError(_("The form's submission key is too long."))
    receipt = make_receipt(process.pk, actor.pk, key)
    digest = key_digest(key)
    for attempt in range(ATTEMPTS):
        try:
            # One transaction for the ballot and its audit entry (one commit, and never one without the other).
            # Called outside a transaction, this is the whole transaction, with no savepoint round trips.
            with transaction.atomic():
                if attempt == 0:
                    # Most submissions are a person's first: insert straight away and let the unique
                    # constraint refuse a duplicate (no look-up first). A refusal lands in the retry below.
                    result = _first_ballot(actor, process, canonical, receipt, digest, confirmed_minimum_age)
                else:
                    result = _cast_in_transaction(
                        actor, process, canonical, receipt, digest, confirmed_minimum_age
                    )
                if not result.repeated:
                    audit.record(
                        actor=actor,
                        action="budgets.ballot.replace" if result.replaced else "budgets.ballot.cast",
                        target=process,
                        summary="Changed their ballot." if result.replaced else "Voted.",
                        request=request,
                    )
            return result
        except IntegrityError:
            # Another submission for this voter committed first: look again and act on what it did.
            if attempt == ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable: the last attempt returns or raises")


def _first_ballot(actor, process, canonical, receipt, digest, confirmed_minimum_age) -> CastResult:
    """Insert the voter record, then the ballot. ``IntegrityError`` when this person already has a voter record.

    The voter record goes in first: a concurrent or earlier submission for the same person fails here, on the
    unique constraint, before any ballot row is written (and the caller's transaction rolls back anyway).
    """
    now = timezone.now()
    today = timezone.localdate(now)
    insert(
        VoterRecord(
            process=process,
            user=actor,
            channel=Channel.ONLINE,
            voted_at=now,
            last_cast_on=today,
            ballot_seal=seal(receipt),
            idempotency_digests=[digest],
            confirmed_minimum_age=process.minimum_age if confirmed_minimum_age else None,
        )
    )
    insert(Ballot(process=process, content=canonical, receipt=receipt, cast_on=today))
    return CastResult(receipt=receipt)


def _cast_in_transaction(actor, process, canonical, receipt, digest, confirmed_minimum_age) -> CastResult:
    today = timezone.localdate()
    record = VoterRecord.objects.select_for_update().filter(process=process, user=actor).first()
    if record is None:
        # The earlier voter record has gone (its transaction rolled back): this is a first ballot after all.
        return _first_ballot(actor, process, canonical, receipt, digest, confirmed_minimum_age)
    if digest in record.idempotency_digests:
        return CastResult(receipt=receipt, repeated=True)
    if record.channel == Channel.PAPER:
        raise ValidationError(
            _("You have already voted on paper, so you cannot vote online as well."), code="already_voted"
        )
    if not process.allow_ballot_change:
        raise ValidationError(
            _("You have already voted. This budget does not let voters change their ballot."),
            code="already_voted",
        )
    old = current_ballot_id(record)
    if old is None and record.ballot_seal:
        # Never leave two counted ballots for one person. This happens only if the server key changed without
        # keeping the old one in SECRET_KEY_FALLBACKS.
        raise ValidationError(
            _(
                "Your earlier ballot could not be found to replace it, so it still counts. Please contact the council."
            )
        )
    if old is not None:
        Ballot.objects.filter(pk=old).update(superseded_on=today)
    Ballot.objects.create(process=process, content=canonical, receipt=receipt, cast_on=today)
    record.ballot_seal = seal(receipt)
    record.last_cast_on = today
    record.idempotency_digests = [*record.idempotency_digests, digest][-KEPT_DIGESTS:]
    record.changes += 1
    if confirmed_minimum_age and process.minimum_age:
        record.confirmed_minimum_age = process.minimum_age
    record.save(
        update_fields=[
            "ballot_seal",
            "last_cast_on",
            "idempotency_digests",
            "changes",
            "confirmed_minimum_age",
        ]
    )
    return CastResult(receipt=receipt, replaced=True)


def current_ballot_id(record: VoterRecord):
    """The id of the voter's current ballot, found by recomputing seals; None if there is none.

    This server-side join (never stored) is used only to replace a ballot and to show voters their own choices.
    """
    if not record.ballot_seal:
        return None
    candidates = list(
        Ballot.objects.filter(
            process_id=record.process_id,
            channel=Channel.ONLINE,
            superseded_on__isnull=True,
            cast_on=record.last_cast_on,
        ).values_list("pk", "receipt")
    )
    for secret in _server_keys():
        for pk, receipt in candidates:
            if hmac.compare_digest(seal(receipt, secret=secret), record.ballot_seal):
                return pk
    return None


def has_voted(user, process: Process) -> bool:
    return bool(getattr(user, "pk", None)) and VoterRecord.objects.filter(process=process, user=user).exists()
