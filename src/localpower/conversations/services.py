"""Writes for conversations: set up and run a conversation, add statements, vote, declare tags, report and
moderate. Every function checks permission, validates, saves in one transaction and records an audit entry.

Refusals are ``PermissionDenied`` (not allowed) or ``ValidationError`` (bad input; ``code="rate_limited"`` when a
person is adding things too fast). The audit log never records what someone voted.

What participants do (vote, add a statement, say what describes them) is audited without naming them
(``actor=None``, shown as "system") and without their network address. Participant numbers are given in the order
people join and statements are numbered in the order they arrive, so an audit log naming the person behind each
of these entries would, by counting, tell staff who wrote which statement and whose votes are whose in the open
data. The statement's author stays in the database for moderation and rate limits; no page shows it.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from localpower.conversations.models import (
    Conversation,
    ConversationState,
    ModerationMode,
    Participant,
    ParticipantTag,
    Report,
    Statement,
    StatementStatus,
    Tag,
    Vote,
    VoteValue,
)
from localpower.core import audit
from localpower.core.ratelimit import RateLimiter
from localpower.core.textcheck import check_text

STATEMENT_LIMITER = RateLimiter("conversation-statement", limit=5, window=60 * 60)
VOTE_LIMITER = RateLimiter("conversation-vote", limit=600, window=10 * 60)
REPORT_LIMITER = RateLimiter("conversation-report", limit=20, window=60 * 60)
RECENT_STATEMENTS = 500  # how many recent statements a new one is compared with for duplicates

CONVERSATION_FIELDS = (
    "title",
    "description",
    "opens_at",
    "closes_at",
    "moderation",
    "eligibility",
    "allow_statements",
    "max_statement_length",
)


def _require(actor, perm: str, obj, message: str) -> None:
    if actor is None or not actor.has_perm(perm, obj):
        raise PermissionDenied(message)


def _save(obj):
    obj.full_clean()
    obj.save()
    return obj


def _limited(
    limiter: RateLimiter, actor, conversation: Conversation, message: str, *, count: bool = True
) -> None:
    """Refuse when ``actor`` has reached the limit; otherwise count this attempt (unless ``count`` is False,
    for a caller that counts only what succeeds, with ``_count``)."""
    key = f"{actor.pk}:{conversation.pk}"
    if limiter.is_limited("user", key):
        raise ValidationError(message, code="rate_limited")
    if count:
        limiter.hit("user", key)


def _count(limiter: RateLimiter, actor, conversation: Conversation) -> None:
    limiter.hit("user", f"{actor.pk}:{conversation.pk}")


# -- setting up ------------------------------------------------------------------------------------------------


@transaction.atomic
def create_conversation(
    *,
    actor,
    area,
    title: str,
    slug: str,
    opens_at: datetime,
    closes_at: datetime | None = None,
    description: str = "",
    moderation: str = ModerationMode.PRE,
    eligibility: str = "residents",
    allow_statements: bool = True,
    max_statement_length: int = 140,
    tags: list[str] | tuple[str, ...] = (),
    request=None,
) -> Conversation:
    _require(
        actor,
        "conversations.add_conversation",
        area,
        _("Only council officers and administrators for %(area)s can start a conversation there.")
        % {"area": area},
    )
    conversation = _save(
        Conversation(
            area=area,
            title=title.strip(),
            slug=slug,
            description=description.strip(),
            opens_at=opens_at,
            closes_at=closes_at,
            moderation=moderation,
            eligibility=eligibility,
            allow_statements=allow_statements,
            max_statement_length=max_statement_length,
            created_by=actor,
        )
    )
    set_conversation_tags(
        actor=actor, conversation=conversation, labels=tags, request=request, audit_it=False
    )
    audit.record(
        actor=actor,
        action="conversations.create",
        target=conversation,
        summary=f"Started the conversation “{conversation.title}”.",
        request=request,
    )
    return conversation


@transaction.atomic
def update_conversation(*, actor, conversation: Conversation, request=None, **changes) -> Conversation:
    _require(
        actor,
        "conversations.change_conversation",
        conversation,
        _("Only council officers and administrators for this area can change the conversation."),
    )
    unknown = set(changes) - set(CONVERSATION_FIELDS)
    if unknown:
        raise ValidationError(
            _("These cannot be changed: %(names)s.") % {"names": ", ".join(sorted(unknown))}
        )
    before = {f: str(getattr(conversation, f)) for f in changes}
    for field, value in changes.items():
        setattr(conversation, field, value.strip() if isinstance(value, str) else value)
    _save(conversation)
    audit.record(
        actor=actor,
        action="conversations.update",
        target=conversation,
        summary="Changed the conversation.",
        changes={f: {"from": before[f], "to": str(getattr(conversation, f))} for f in changes},
        request=request,
    )
    return conversation


def set_conversation_tags(
    *, actor, conversation: Conversation, labels, request=None, audit_it=True
) -> list[Tag]:
    """The tags participants may choose from, in this order. Tags people already chose are kept."""
    _require(
        actor,
        "conversations.change_conversation",
        conversation,
        _("Only council officers and administrators for this area can change the conversation."),
    )
    wanted = []
    for label in labels:
        label = " ".join(str(label).split())[:80]
        if label and label.casefold() not in {w.casefold() for w in wanted}:
            wanted.append(label)
    with transaction.atomic():
        existing = {t.label.casefold(): t for t in conversation.tags.all()}
        tags = []
        for order, label in enumerate(wanted):
            tag = existing.pop(label.casefold(), None) or Tag(conversation=conversation, label=label)
            tag.order = order
            tags.append(_save(tag))
        for tag in existing.values():
            if not tag.choices.exists():
                tag.delete()
        if audit_it:
            audit.record(
                actor=actor,
                action="conversations.tags",
                target=conversation,
                summary="Changed the tags participants can choose.",
                changes={"tags": wanted},
                request=request,
            )
    return tags


@transaction.atomic
def set_state(*, actor, conversation: Conversation, state: str, request=None) -> Conversation:
    """Publish (people can see it, and take part once it opens) or close a conversation."""
    _require(
        actor,
        "conversations.change_conversation",
        conversation,
        _("Only council officers and administrators for this area can publish or close the conversation."),
    )
    if state not in ConversationState.values:
        raise ValidationError(_("Choose a state."))
    if (
        state == ConversationState.PUBLISHED
        and conversation.closes_at
        and conversation.closes_at <= timezone.now()
    ):
        raise ValidationError(
            _("The closing date has passed, so it would still be closed. Change the closing date first.")
        )
    before = conversation.state
    conversation.state = state
    conversation.closed_at = timezone.now() if state == ConversationState.CLOSED else None
    _save(conversation)
    audit.record(
        actor=actor,
        action="conversations.state",
        target=conversation,
        summary=f"State changed from {before} to {state}.",
        changes={"state": {"from": before, "to": state}},
        request=request,
    )
    if state == ConversationState.CLOSED:
        from localpower.conversations.analysis import request_refresh

        transaction.on_commit(lambda: request_refresh(conversation, force=True))
    return conversation


# -- statements ------------------------------------------------------------------------------------------------


def _next_number(conversation: Conversation) -> int:
    top = Statement.objects.filter(conversation=conversation).aggregate(top=Max("number"))["top"]
    return 0 if top is None else top + 1


def _lock(conversation: Conversation) -> Conversation:
    return Conversation.objects.select_for_update().get(pk=conversation.pk)


def _check_statement_text(conversation: Conversation, text: str) -> str:
    text = " ".join(text.split())
    limit = conversation.max_statement_length
    if len(text) < 10:
        raise ValidationError({"text": _("Write a statement of at least 10 characters.")})
    if len(text) > limit:
        raise ValidationError(
            {"text": _("Keep your statement to %(limit)d characters or fewer.") % {"limit": limit}}
        )
    recent = (
        Statement.objects.filter(conversation=conversation)
        .exclude(status=StatementStatus.HIDDEN)
        .order_by("-number")
        .values_list("text", flat=True)[:RECENT_STATEMENTS]
    )
    problems = check_text(text, recent=recent)
    if problems:
        raise ValidationError({"text": [p.message for p in problems]})
    return text


@transaction.atomic
def add_seed_statement(*, actor, conversation: Conversation, text: str, request=None) -> Statement:
    """A statement written by the council to start the conversation off; shown straight away."""
    _require(
        actor,
        "conversations.add_seed_statement",
        conversation,
        _("Only council officers and administrators for this area can add starting statements."),
    )
    conversation = _lock(conversation)
    text = _check_statement_text(conversation, text)
    statement = _save(
        Statement(
            conversation=conversation,
            number=_next_number(conversation),
            text=text,
            author=actor,
            is_seed=True,
            status=StatementStatus.APPROVED,
            moderated_by=actor,
            moderated_at=timezone.now(),
        )
    )
    audit.record(
        actor=actor,
        action="conversations.statement.seed",
        target=statement,
        summary="Added a starting statement.",
        request=request,
    )
    return statement


def add_statement(*, actor, conversation: Conversation, text: str, request=None) -> Statement:
    """A participant adds a statement. With pre-moderation it waits for a moderator before anyone sees it."""
    _require(
        actor,
        "conversations.add_statement",
        conversation,
        _("You cannot add statements to this conversation now."),
    )
    _limited(
        STATEMENT_LIMITER,
        actor,
        conversation,
        _("You have added several statements in the last hour. Please wait a while before adding another."),
        count=False,  # a statement refused for its wording does not use up the person's allowance
    )
    with transaction.atomic():
        conversation = _lock(conversation)
        text = _check_statement_text(conversation, text)
        approved = conversation.moderation == ModerationMode.POST
        statement = _save(
            Statement(
                conversation=conversation,
                number=_next_number(conversation),
                text=text,
                author=actor,
                status=StatementStatus.APPROVED if approved else StatementStatus.PENDING,
            )
        )
        participant_for(actor, conversation)
        # Nobody named, and the conversation as the target: the audit log must not say who wrote which one.
        audit.record(
            actor=None,
            action="conversations.statement.add",
            target=conversation,
            summary="A participant added a statement."
            if approved
            else "A participant added a statement; it waits for a moderator.",
        )
    _count(STATEMENT_LIMITER, actor, conversation)
    return statement


# -- taking part -----------------------------------------------------------------------------------------------


def participant_for(user, conversation: Conversation, *, create: bool = True) -> Participant | None:
    """The person's participant record in the conversation, made (with the next number) when needed."""
    participant = Participant.objects.filter(conversation=conversation, user=user).first()
    if participant is not None or not create:
        return participant
    with transaction.atomic():
        Conversation.objects.select_for_update().filter(pk=conversation.pk).first()
        top = Participant.objects.filter(conversation=conversation).aggregate(top=Max("number"))["top"]
        try:
            with transaction.atomic():
                return Participant.objects.create(
                    conversation=conversation, user=user, number=0 if top is None else top + 1
                )
        except IntegrityError:
            return Participant.objects.get(conversation=conversation, user=user)


def vote(*, actor, statement: Statement, value: int, request=None) -> Vote:
    """Agree (1), disagree (-1) or pass (0) on a statement. Voting again on it replaces the earlier vote."""
    conversation = statement.conversation
    _require(
        actor,
        "conversations.take_part",
        conversation,
        _("You cannot vote in this conversation now."),
    )
    if value not in VoteValue.values:
        raise ValidationError({"value": _("Choose agree, disagree or pass.")})
    if statement.status != StatementStatus.APPROVED:
        raise ValidationError(_("This statement is not open for votes."))
    _limited(VOTE_LIMITER, actor, conversation, _("You are voting very fast. Please wait a few minutes."))
    now = timezone.now()
    with transaction.atomic():
        participant = participant_for(actor, conversation)
        existing = (
            Vote.objects.select_for_update().filter(participant=participant, statement=statement).first()
        )
        if existing is not None:
            if existing.value == value:
                return existing
            existing.value, existing.updated_at = value, now
            existing.save(update_fields=["value", "updated_at"])
            result = existing
        else:
            try:
                with transaction.atomic():
                    result = Vote.objects.create(
                        participant=participant,
                        statement=statement,
                        value=value,
                        created_at=now,
                        updated_at=now,
                    )
            except IntegrityError:  # a second request at the same moment: the later one counts
                result = Vote.objects.get(participant=participant, statement=statement)
                result.value, result.updated_at = value, now
                result.save(update_fields=["value", "updated_at"])
        Conversation.objects.filter(pk=conversation.pk).update(vote_events=F("vote_events") + 1)
        audit.record(  # nobody named: see the module docstring
            actor=None,
            action="conversations.vote",
            target=conversation,
            summary="A participant voted on a statement.",
        )
    from localpower.conversations.analysis import request_refresh

    transaction.on_commit(lambda: request_refresh(conversation))
    return result


@transaction.atomic
def set_my_tags(*, actor, conversation: Conversation, tags, request=None) -> list[Tag]:
    """The tags the person says apply to them (replacing earlier choices); shown only as counts by group."""
    _require(
        actor, "conversations.take_part", conversation, _("You cannot take part in this conversation now.")
    )
    wanted = list(tags)
    if any(t.conversation_id != conversation.pk for t in wanted):
        raise ValidationError({"tags": _("Choose tags from this conversation.")})
    participant = participant_for(actor, conversation)
    ParticipantTag.objects.filter(participant=participant).exclude(tag__in=wanted).delete()
    for tag in wanted:
        ParticipantTag.objects.get_or_create(participant=participant, tag=tag)
    audit.record(  # nobody named: see the module docstring
        actor=None,
        action="conversations.tags.choose",
        target=conversation,
        summary="A participant said what describes them.",
    )
    return wanted


# -- reports and moderation ------------------------------------------------------------------------------------


def report_statement(*, actor, statement: Statement, reason: str, request=None) -> Report:
    """Report a statement as abusive. Reporting the same statement twice keeps the first report."""
    _require(
        actor,
        "conversations.report",
        statement,
        _("Sign in with a confirmed e-mail address to report a statement."),
    )
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say what is wrong with it.")})
    existing = Report.objects.filter(statement=statement, reporter=actor).first()
    if existing is not None:
        return existing
    _limited(
        REPORT_LIMITER, actor, statement.conversation, _("You have sent many reports. Please wait a while.")
    )
    try:
        with transaction.atomic():
            report = _save(Report(statement=statement, reporter=actor, reason=reason[:500]))
            audit.record(
                actor=actor,
                action="conversations.report",
                target=statement,
                summary="Reported.",
                request=request,
            )
    except IntegrityError:
        return Report.objects.get(statement=statement, reporter=actor)
    return report


def _resolve_reports(statement: Statement, actor, now) -> None:
    Report.objects.filter(statement=statement, resolved_at__isnull=True).update(
        resolved_at=now, resolved_by=actor
    )


@transaction.atomic
def approve_statement(*, actor, statement: Statement, request=None) -> Statement:
    """Show a waiting statement (or show a hidden one again). Open reports on it are closed."""
    _require(
        actor, "conversations.moderate", statement, _("Only moderators for this area can approve statements.")
    )
    now = timezone.now()
    was = statement.status
    statement.status, statement.hidden_reason = StatementStatus.APPROVED, ""
    statement.moderated_by, statement.moderated_at = actor, now
    _save(statement)
    _resolve_reports(statement, actor, now)
    audit.record(
        actor=actor,
        action="conversations.moderation.approve",
        target=statement,
        summary="Approved." if was == StatementStatus.PENDING else "Shown again.",
        request=request,
    )
    if was == StatementStatus.HIDDEN:
        _changed_map(statement.conversation)
    return statement


@transaction.atomic
def hide_statement(*, actor, statement: Statement, reason: str, request=None) -> Statement:
    """Hide a statement with a reason: it leaves the voting and the opinion map; its votes are kept."""
    _require(
        actor, "conversations.moderate", statement, _("Only moderators for this area can hide statements.")
    )
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for hiding it.")})
    now = timezone.now()
    was = statement.status
    statement.status, statement.hidden_reason = StatementStatus.HIDDEN, reason[:300]
    statement.moderated_by, statement.moderated_at = actor, now
    _save(statement)
    _resolve_reports(statement, actor, now)
    audit.record(
        actor=actor,
        action="conversations.moderation.hide",
        target=statement,
        summary=f"Hidden: {reason}",
        request=request,
    )
    if was == StatementStatus.APPROVED:
        _changed_map(statement.conversation)
    return statement


def _changed_map(conversation: Conversation) -> None:
    """A statement joined or left the map: the stored analysis is out of date."""
    from localpower.conversations.analysis import request_refresh

    Conversation.objects.filter(pk=conversation.pk).update(vote_events=F("vote_events") + 1)
    transaction.on_commit(lambda: request_refresh(conversation, force=True))


@transaction.atomic
def dismiss_reports(*, actor, statement: Statement, request=None) -> int:
    """A moderator looked at the reports and keeps the statement as it is."""
    _require(
        actor, "conversations.moderate", statement, _("Only moderators for this area can deal with reports.")
    )
    count = Report.objects.filter(statement=statement, resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolved_by=actor
    )
    audit.record(
        actor=actor,
        action="conversations.moderation.dismiss",
        target=statement,
        summary=f"Kept the statement; closed {count} report(s).",
        request=request,
    )
    return count
