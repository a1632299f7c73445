"""A consultation or call for evidence, its documents and its survey (sections, questions, options)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ConsultationKind(models.TextChoices):
    CONSULTATION = "consultation", _("Consultation")
    CALL_FOR_EVIDENCE = "call_for_evidence", _("Call for evidence")


class Audience(models.TextChoices):
    EVERYONE = "everyone", _("Anyone, without signing in")
    SIGNED_IN = "signed_in", _("Anyone with an account")
    RESIDENTS = "residents", _("Residents of the area (verified postcode)")
    ORGANISATIONS = "organisations", _("Invited organisations only")


class Anonymity(models.TextChoices):
    IDENTIFIED = "identified", _("Identified: officers see who responded")
    ANONYMOUS = "anonymous", _("Anonymous: responses are never linked to a person")


class ConsultationState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Status(models.TextChoices):
    """Where a consultation is now: its state and its dates together."""

    DRAFT = "draft", _("Draft")
    UPCOMING = "upcoming", _("Not open yet")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")
    RESPONDED = "responded", _("Council has responded")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Consultation(models.Model):
    area = models.ForeignKey(
        "places.Area", on_delete=models.PROTECT, related_name="consultations", verbose_name=_("area")
    )
    run_by = models.CharField(
        _("run by"), max_length=200, blank=True, help_text=_("The committee, council or team running it.")
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=ConsultationKind.choices, default=ConsultationKind.CONSULTATION
    )
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("web address name"), max_length=120, unique=True)
    summary = models.CharField(_("summary"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    audience = models.CharField(_("who can respond"), max_length=20, choices=Audience.choices)
    invited_organisations = models.ManyToManyField(
        "accounts.Organisation",
        blank=True,
        related_name="consultation_invitations",
        verbose_name=_("invited organisations"),
    )
    anonymity = models.CharField(
        _("responses"), max_length=20, choices=Anonymity.choices, default=Anonymity.IDENTIFIED
    )
    state = models.CharField(
        _("state"), max_length=20, choices=ConsultationState.choices, default=ConsultationState.DRAFT
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-opens_at", "title"]
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=F("opens_at")), name="consultation_closes_after_opening"
            ),
            models.CheckConstraint(
                condition=Q(state="draft") | Q(published_at__isnull=False),
                name="consultation_published_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("consultations:detail", args=[self.slug])

    def clean(self) -> None:
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("The closing date must be after the opening date.")})

    def status_at(self, when: datetime.datetime | None = None) -> Status:
        when = when or timezone.now()
        if self.state == ConsultationState.DRAFT:
            return Status.DRAFT
        if self.state == ConsultationState.WITHDRAWN:
            return Status.WITHDRAWN
        if when < self.opens_at:
            return Status.UPCOMING
        if when < self.closes_at:
            return Status.OPEN
        outcome = getattr(self, "outcome", None)
        if outcome is not None and outcome.published_at is not None:
            return Status.RESPONDED
        return Status.CLOSED

    @property
    def status(self) -> Status:
        return self.status_at()

    @property
    def is_open(self) -> bool:
        return self.status == Status.OPEN

    @property
    def last_day(self) -> datetime.date:
        """The last day on which responses are taken: a consultation that closes at midnight closes as the
        next day begins, so people are told the day before."""
        return (timezone.localtime(self.closes_at) - datetime.timedelta(microseconds=1)).date()


class Document(models.Model):
    """A document people should read before responding: an uploaded file or a link."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="consultations/documents/%Y/", blank=True)
    url = models.URLField(_("web address"), blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(file="") & ~Q(url="")) | (~Q(file="") & Q(url="")), name="document_file_or_link"
            )
        ]

    def __str__(self) -> str:
        return self.title


class Section(models.Model):
    """A page of the survey. With a condition, it is shown only to people whose answer to an earlier choice
    question is one of ``condition_options``."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="sections")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("introduction"), blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    condition_question = models.ForeignKey(
        "consultations.Question",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("show only when this question..."),
    )
    condition_options = models.ManyToManyField(
        "consultations.Option", blank=True, related_name="+", verbose_name=_("...was answered with one of")
    )

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.title


class QuestionKind(models.TextChoices):
    SHORT_TEXT = "short_text", _("Short text")
    LONG_TEXT = "long_text", _("Long text")
    SINGLE_CHOICE = "single_choice", _("Choose one")
    MULTIPLE_CHOICE = "multiple_choice", _("Choose any")
    SCALE = "scale", _("Scale (for example, strongly agree to strongly disagree)")
    RANKING = "ranking", _("Put in order")
    NUMBER = "number", _("Number")
    POSTCODE = "postcode", _("Postcode")
    FILE = "file", _("File upload (evidence)")
    MAP_POINT = "map_point", _("Place on a map")


CHOICE_KINDS = (
    QuestionKind.SINGLE_CHOICE,
    QuestionKind.MULTIPLE_CHOICE,
    QuestionKind.SCALE,
    QuestionKind.RANKING,
)
TEXT_KINDS = (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT)


class Question(models.Model):
    """One question. Choice, scale and ranking questions have options (a scale's options are its points, in
    order); ``max_choices`` limits how many a "choose any" or "put in order" answer may pick; number
    questions may have a range; text questions a length limit."""

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="questions")
    kind = models.CharField(_("kind of question"), max_length=20, choices=QuestionKind.choices)
    text = models.CharField(_("question"), max_length=500)
    hint = models.TextField(_("hint"), blank=True)
    required = models.BooleanField(_("an answer is required"), default=False)
    order = models.PositiveIntegerField(_("order"), default=0)
    max_choices = models.PositiveSmallIntegerField(
        _("most choices"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    number_min = models.DecimalField(
        _("smallest number"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    number_max = models.DecimalField(
        _("largest number"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    max_length = models.PositiveIntegerField(
        _("most characters"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100_000)],
    )

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(number_min__isnull=True)
                | Q(number_max__isnull=True)
                | Q(number_min__lte=F("number_max")),
                name="question_number_range_in_order",
            ),
            models.CheckConstraint(
                condition=Q(max_choices__isnull=True) | Q(max_choices__gte=1),
                name="question_max_choices_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def label(self) -> str:
        """The question as people see it: "(optional)" added to optional ones, unless the officer wrote it."""
        if self.required or self.text.rstrip().lower().endswith(str(_("(optional)")).lower()):
            return self.text
        return _("%(text)s (optional)") % {"text": self.text}

    @property
    def has_options(self) -> bool:
        return self.kind in CHOICE_KINDS

    @property
    def is_free_text(self) -> bool:
        return self.kind in TEXT_KINDS

    def clean(self) -> None:
        if self.number_min is not None and self.number_max is not None and self.number_min > self.number_max:
            raise ValidationError(
                {"number_max": _("The largest number must not be smaller than the smallest.")}
            )
        if self.max_choices is not None and self.kind not in (
            QuestionKind.MULTIPLE_CHOICE,
            QuestionKind.RANKING,
        ):
            raise ValidationError(
                {"max_choices": _("Only 'choose any' and 'put in order' questions have a limit.")}
            )


class Option(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    text = models.CharField(_("option"), max_length=300)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["question", "text"], name="option_text_unique_per_question")
        ]

    def __str__(self) -> str:
        return self.text
