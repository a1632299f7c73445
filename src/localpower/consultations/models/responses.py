"""Responses to a consultation's survey: the response, its answers, who took part, and officers' tags."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from localpower.consultations.models.consultation import Consultation, Option, Question, Section


class ResponseStatus(models.TextChoices):
    DRAFT = "draft", _("Saved, not sent")
    SUBMITTED = "submitted", _("Sent")


class Response(models.Model):
    """One person's response. ``respondent`` is set only in identified consultations. A draft can be picked up
    again by its respondent (or ``Participation``) when signed in, or with a return link whose token is
    stored only as a SHA-256 hash (``resume_token_hash``)."""

    consultation = models.ForeignKey(Consultation, on_delete=models.PROTECT, related_name="responses")
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="consultation_responses",
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="consultation_responses",
        verbose_name=_("responding on behalf of"),
    )
    status = models.CharField(max_length=20, choices=ResponseStatus.choices, default=ResponseStatus.DRAFT)
    reference = models.CharField(_("reference"), max_length=20, unique=True)
    resume_token_hash = models.CharField(max_length=64, blank=True)
    current_section = models.ForeignKey(
        Section, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["submitted_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(status="submitted") & Q(submitted_at__isnull=False))
                | (Q(status="draft") & Q(submitted_at__isnull=True)),
                name="response_submitted_has_date",
            ),
            models.UniqueConstraint(
                fields=["consultation", "respondent"],
                condition=Q(respondent__isnull=False),
                name="response_one_per_respondent",
            ),
            models.UniqueConstraint(
                fields=["resume_token_hash"],
                condition=~Q(resume_token_hash=""),
                name="response_resume_token_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_submitted(self) -> bool:
        return self.status == ResponseStatus.SUBMITTED


class Participation(models.Model):
    """That a signed-in person took part in an anonymous consultation: one per person. ``draft`` points at their
    response only while it is in progress; it is cleared when they send it, so nothing links the sent response
    to them."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="participations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    draft = models.OneToOneField(Response, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["consultation", "user"], name="participation_one_per_person"),
            models.CheckConstraint(
                condition=Q(submitted_at__isnull=True) | Q(draft__isnull=True),
                name="participation_sent_has_no_draft",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.consultation}"


class Tag(models.Model):
    """An officer's label for free-text answers, such as "Parking" or "Opening hours"."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="tags")
    name = models.CharField(_("tag"), max_length=60)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["consultation", "name"], name="tag_name_unique_per_consultation")
        ]

    def __str__(self) -> str:
        return self.name


class Answer(models.Model):
    """The answer to one question: ``text`` for text, postcode and a map point's description; ``number``;
    ``choices`` (through ``Choice``, with ``rank`` for ranking questions); a point's latitude and longitude;
    an uploaded ``file``."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    text = models.TextField(blank=True)
    number = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    choices = models.ManyToManyField(Option, through="Choice", blank=True, related_name="answers")
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    file = models.FileField(upload_to="consultations/evidence/%Y/", blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="answers")

    class Meta:
        ordering = ["question__section__order", "question__order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="answer_one_per_question"),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="answer_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="answer_longitude_range",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="answer_point_has_both_coordinates",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.response} / {self.question}"


class Choice(models.Model):
    """An option picked in an answer; ``rank`` (1 = first) for ranking questions."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="picked")
    option = models.ForeignKey(Option, on_delete=models.PROTECT, related_name="picked")
    rank = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["rank", "option__order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["answer", "option"], name="choice_option_once_per_answer"),
            models.UniqueConstraint(
                fields=["answer", "rank"], condition=Q(rank__isnull=False), name="choice_rank_once_per_answer"
            ),
            models.CheckConstraint(
                condition=Q(rank__isnull=True) | Q(rank__gte=1), name="choice_rank_positive"
            ),
        ]

    def __str__(self) -> str:
        return str(self.option)
