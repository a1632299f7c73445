"""Conversations: a question, short statements people add, their agree / disagree / pass votes, reports,
self-declared tags, and the stored analysis (opinion groups and what bridges them).

A statement's author is kept for moderation and rate limits only: no page, export or API answer shows it.
Participants are numbered within a conversation; the number is the only identity the open data carries.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MIN_STATEMENT_LENGTH = 10
MAX_STATEMENT_LENGTH_LIMIT = 280


class ConversationState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    CLOSED = "closed", _("Closed")


class Phase(models.TextChoices):
    """Where a conversation is now, from its state and dates."""

    DRAFT = "draft", _("Draft")
    UPCOMING = "upcoming", _("Opens soon")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class ModerationMode(models.TextChoices):
    PRE = "pre", _("Check statements before they are shown")
    POST = "post", _("Show statements straight away and check them afterwards")


class Eligibility(models.TextChoices):
    SIGNED_IN = "signed_in", _("Anyone signed in with a confirmed e-mail address")
    RESIDENTS = "residents", _("Only residents of the area with a verified postcode")


class Conversation(models.Model):
    area = models.ForeignKey("places.Area", on_delete=models.PROTECT, related_name="conversations")
    title = models.CharField(_("question"), max_length=200)
    slug = models.SlugField(_("web address name"), max_length=120, unique=True)
    description = models.TextField(_("background"), blank=True)
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=12, choices=ConversationState.choices, default=ConversationState.DRAFT
    )
    moderation = models.CharField(
        _("moderation"), max_length=8, choices=ModerationMode.choices, default=ModerationMode.PRE
    )
    eligibility = models.CharField(
        _("who can take part"), max_length=12, choices=Eligibility.choices, default=Eligibility.RESIDENTS
    )
    allow_statements = models.BooleanField(_("participants can add statements"), default=True)
    max_statement_length = models.PositiveSmallIntegerField(
        _("longest statement, in characters"),
        default=140,
        validators=[MinValueValidator(40), MaxValueValidator(MAX_STATEMENT_LENGTH_LIMIT)],
    )
    vote_events = models.PositiveIntegerField(default=0, editable=False)  # votes cast or changed, ever
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opens_at", "title"]
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        constraints = [
            models.CheckConstraint(condition=~Q(slug=""), name="conversation_slug_not_empty"),
            models.CheckConstraint(condition=~Q(title=""), name="conversation_title_not_empty"),
            models.CheckConstraint(
                condition=Q(closes_at__isnull=True) | Q(closes_at__gt=models.F("opens_at")),
                name="conversation_closes_after_opening",
            ),
            models.CheckConstraint(
                condition=Q(
                    max_statement_length__gte=40, max_statement_length__lte=MAX_STATEMENT_LENGTH_LIMIT
                ),
                name="conversation_statement_length_range",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("conversations:detail", args=[self.slug])

    def clean(self):
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("The closing date must be after the opening date.")})

    def phase_at(self, when=None) -> str:
        when = when or timezone.now()
        if self.state == ConversationState.DRAFT:
            return Phase.DRAFT
        if self.state == ConversationState.CLOSED or (self.closes_at and when >= self.closes_at):
            return Phase.CLOSED
        if when < self.opens_at:
            return Phase.UPCOMING
        return Phase.OPEN

    @property
    def phase(self) -> str:
        return self.phase_at()


class StatementStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a moderator")
    APPROVED = "approved", _("Shown")
    HIDDEN = "hidden", _("Hidden")


class Statement(models.Model):
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="statements")
    number = models.PositiveIntegerField(_("number"))  # 0, 1, 2 ... within the conversation (comment-id)
    text = models.CharField(_("statement"), max_length=MAX_STATEMENT_LENGTH_LIMIT)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    is_seed = models.BooleanField(_("written by the council"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=StatementStatus.choices, default=StatementStatus.PENDING
    )
    hidden_reason = models.CharField(_("reason for hiding"), max_length=300, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["conversation", "number"]
        verbose_name = _("statement")
        verbose_name_plural = _("statements")
        constraints = [
            models.UniqueConstraint(fields=["conversation", "number"], name="statement_number_unique"),
            models.CheckConstraint(condition=~Q(text=""), name="statement_text_not_empty"),
            models.CheckConstraint(
                condition=~Q(status="hidden") | ~Q(hidden_reason=""), name="statement_hidden_has_reason"
            ),
        ]
        indexes = [models.Index(fields=["conversation", "status"])]

    def __str__(self) -> str:
        return self.text[:80]


class Participant(models.Model):
    """A person taking part in one conversation, known publicly only by ``number``."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="conversation_participations",
    )
    number = models.PositiveIntegerField()
    synthetic = models.BooleanField(default=False)  # demo participants with no account
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["conversation", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "user"], name="participant_once_per_conversation"
            ),
            models.UniqueConstraint(fields=["conversation", "number"], name="participant_number_unique"),
        ]

    def __str__(self) -> str:
        return f"Participant {self.number}"


class VoteValue(models.IntegerChoices):
    AGREE = 1, _("Agree")
    DISAGREE = -1, _("Disagree")
    PASS = 0, _("Pass / unsure")


class Vote(models.Model):
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="votes")
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="votes")
    value = models.SmallIntegerField(choices=VoteValue.choices)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["participant", "statement"], name="vote_once_per_statement"),
            models.CheckConstraint(condition=Q(value__in=[-1, 0, 1]), name="vote_value_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.participant} on {self.statement_id}: {self.value}"


class Report(models.Model):
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("what is wrong with it"), max_length=500)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["statement", "reporter"], name="statement_report_once"),
            models.CheckConstraint(condition=~Q(reason=""), name="statement_report_has_reason"),
        ]

    def __str__(self) -> str:
        return f"Report on statement {self.statement_id}"


class Tag(models.Model):
    """Something participants may say about themselves, such as "I run a local business"."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="tags")
    label = models.CharField(_("label"), max_length=80)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["conversation", "order", "label"]
        constraints = [
            models.UniqueConstraint(fields=["conversation", "label"], name="conversation_tag_unique"),
            models.CheckConstraint(condition=~Q(label=""), name="conversation_tag_not_empty"),
        ]

    def __str__(self) -> str:
        return self.label


class ParticipantTag(models.Model):
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="tag_choices")
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="choices")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["participant", "tag"], name="participant_tag_once")]

    def __str__(self) -> str:
        return f"{self.participant}: {self.tag}"

    def clean(self):
        if self.tag.conversation_id != self.participant.conversation_id:
            raise ValidationError(_("Choose a tag from this conversation."))


class Analysis(models.Model):
    """The latest opinion map of a conversation, refreshed when enough votes have arrived (see analysis.py)."""

    conversation = models.OneToOneField(Conversation, on_delete=models.CASCADE, related_name="analysis")
    computed_at = models.DateTimeField()
    vote_events = models.PositiveIntegerField()  # the conversation's vote_events when computed
    votes = models.PositiveIntegerField()
    participants = models.PositiveIntegerField()
    groups = models.PositiveSmallIntegerField()
    reason = models.TextField(blank=True)  # why there are no groups, when there are none
    data = models.JSONField(default=dict)

    class Meta:
        verbose_name_plural = _("analyses")

    def __str__(self) -> str:
        return f"Analysis of {self.conversation_id} at {self.computed_at:%Y-%m-%d %H:%M}"
