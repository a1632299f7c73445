"""Residents' ideas, their support and comments, moderation, and the projects put on the ballot."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from localpower.budgets.models.process import Category, Process
from localpower.budgets.validators import validate_idea_image


class IdeaStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    UNDER_REVIEW = "under_review", _("Under review")
    FEASIBLE = "feasible", _("Feasible")
    NOT_FEASIBLE = "not_feasible", _("Not feasible")
    MERGED = "merged", _("Merged with another idea")
    ON_BALLOT = "on_ballot", _("On the ballot")


class Moderated(models.Model):
    """Fields shared by things a moderator can hide. Hidden content keeps its reason, shown in its place."""

    hidden_at = models.DateTimeField(_("hidden"), null=True, blank=True)
    hidden_reason = models.CharField(_("reason for hiding"), max_length=300, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        abstract = True

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class Project(models.Model):
    """A project on the ballot paper, made from one or more ideas (or by officers directly)."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="projects")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    cost = models.DecimalField(
        _("final cost"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    category = models.ForeignKey(
        Category, on_delete=models.SET_NULL, null=True, blank=True, related_name="projects"
    )
    location_text = models.CharField(_("where"), max_length=200, blank=True)
    feasibility_reason = models.TextField(_("council's assessment"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["id"]
        verbose_name = _("ballot project")
        verbose_name_plural = _("ballot projects")
        constraints = [
            models.CheckConstraint(condition=Q(cost__gt=0), name="project_cost_positive"),
            models.CheckConstraint(condition=~Q(title=""), name="project_title_not_empty"),
        ]

    def __str__(self) -> str:
        return self.title


class Idea(Moderated):
    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="ideas")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="budget_ideas"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    estimated_cost = models.DecimalField(
        _("estimated cost"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    category = models.ForeignKey(
        Category, on_delete=models.SET_NULL, null=True, blank=True, related_name="ideas"
    )
    location_text = models.CharField(_("where"), max_length=200, blank=True)
    latitude = models.DecimalField(
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("49")), MaxValueValidator(Decimal("61"))],
    )
    longitude = models.DecimalField(
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("-9")), MaxValueValidator(Decimal("3"))],
    )
    image = models.FileField(
        _("picture"), upload_to="budgets/ideas/%Y/", blank=True, validators=[validate_idea_image]
    )
    image_alt = models.CharField(
        _("what the picture shows"), max_length=200, blank=True, help_text=_("For people who cannot see it.")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=IdeaStatus.choices, default=IdeaStatus.SUBMITTED
    )
    public_reason = models.TextField(_("council's reason"), blank=True)
    merged_into = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="merged_ideas"
    )
    project = models.ForeignKey(
        Project, on_delete=models.SET_NULL, null=True, blank=True, related_name="ideas"
    )
    created_at = models.DateTimeField(_("submitted"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("idea")
        verbose_name_plural = _("ideas")
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="idea_title_not_empty"),
            models.CheckConstraint(condition=Q(status__in=IdeaStatus.values), name="idea_status_known"),
            models.CheckConstraint(
                condition=Q(estimated_cost__isnull=True) | Q(estimated_cost__gte=0),
                name="idea_cost_not_negative",
            ),
            models.CheckConstraint(
                condition=~Q(status=IdeaStatus.MERGED) | Q(merged_into__isnull=False),
                name="idea_merged_has_target",
            ),
            models.CheckConstraint(
                condition=~Q(merged_into=models.F("id")), name="idea_not_merged_into_itself"
            ),
            models.CheckConstraint(
                condition=~Q(status=IdeaStatus.ON_BALLOT) | Q(project__isnull=False),
                name="idea_on_ballot_has_project",
            ),
            models.CheckConstraint(
                condition=~Q(status=IdeaStatus.NOT_FEASIBLE) | ~Q(public_reason=""),
                name="idea_not_feasible_has_reason",
                violation_error_message=_("Give a public reason when an idea is not feasible."),
            ),
            models.CheckConstraint(
                condition=Q(hidden_at__isnull=True) | ~Q(hidden_reason=""), name="idea_hidden_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        if self.image and not self.image_alt.strip():
            raise ValidationError(
                {"image_alt": _("Say what the picture shows, for people who cannot see it.")}
            )


class IdeaSupport(models.Model):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["idea", "user"], name="ideasupport_one_per_person")]

    def __str__(self) -> str:
        return f"support for idea {self.idea_id}"


class Comment(Moderated):
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField(_("comment"), max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(body=""), name="comment_body_not_empty"),
            models.CheckConstraint(
                condition=Q(hidden_at__isnull=True) | ~Q(hidden_reason=""), name="comment_hidden_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return self.body[:60]


class Report(models.Model):
    """Someone's report that an idea or a comment is abusive. One report per person per item."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, null=True, blank=True, related_name="reports")
    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, null=True, blank=True, related_name="reports"
    )
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("what is wrong"), max_length=500)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(idea__isnull=False) & Q(comment__isnull=True))
                | (Q(idea__isnull=True) & Q(comment__isnull=False)),
                name="report_exactly_one_target",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="report_reason_not_empty"),
            models.UniqueConstraint(
                fields=["idea", "reporter"], condition=Q(idea__isnull=False), name="report_once_per_idea"
            ),
            models.UniqueConstraint(
                fields=["comment", "reporter"],
                condition=Q(comment__isnull=False),
                name="report_once_per_comment",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"report on {'idea ' + str(self.idea_id) if self.idea_id else 'comment ' + str(self.comment_id)}"
        )
