"""Counted results (versioned, reproducible) and the delivery of funded projects."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from localpower.budgets.models.ideas import Project
from localpower.budgets.models.process import Process


class Result(models.Model):
    """One count of a process's ballots. Every recount is a new version; the inputs make it reproducible.

    ``input_sha256`` is the SHA-256 of the anonymised Pabulib export the count was run on, so anyone holding the
    export can check they have the same ballots and recompute the same outcome.
    """

    process = models.ForeignKey(Process, on_delete=models.PROTECT, related_name="results")
    version = models.PositiveIntegerField(_("version"))
    rule = models.CharField(_("outcome rule"), max_length=30)
    options = models.JSONField(_("rule options"), default=dict, blank=True)
    input_sha256 = models.CharField(_("SHA-256 of the ballots file"), max_length=64)
    library_version = models.CharField(_("software version"), max_length=100)
    voters = models.PositiveIntegerField(_("ballots counted"))
    selected = models.JSONField(
        _("funded projects"), default=list, blank=True
    )  # project ids, in the order chosen
    votes = models.JSONField(
        _("votes per project"), default=dict, blank=True
    )  # project id -> votes (or points)
    total_cost = models.DecimalField(_("cost of the funded projects"), max_digits=14, decimal_places=2)
    explanation = models.JSONField(_("round by round"), default=dict, blank=True)
    ejr = models.JSONField(_("proportionality check"), null=True, blank=True)
    computed_at = models.DateTimeField(_("computed"), default=timezone.now)
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        ordering = ["process", "-version"]
        verbose_name = _("result")
        verbose_name_plural = _("results")
        constraints = [
            models.UniqueConstraint(fields=["process", "version"], name="result_version_unique"),
            models.UniqueConstraint(
                fields=["process"], condition=Q(published=True), name="result_one_published_per_process"
            ),
            models.CheckConstraint(
                condition=Q(input_sha256__regex=r"^[0-9a-f]{64}$"), name="result_hash_hex"
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="result_version_positive"),
            models.CheckConstraint(
                condition=Q(published=False) | Q(published_at__isnull=False), name="result_published_has_time"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.process} result v{self.version}"

    @property
    def selected_ids(self) -> list[int]:
        return [int(x) for x in self.selected]


class DeliveryStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DELIVERED = "delivered", _("Delivered")
    CANCELLED = "cancelled", _("Cancelled")


class Delivery(models.Model):
    """How a funded project is getting on. One per funded project, created when results are published."""

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="delivery")
    status = models.CharField(max_length=20, choices=DeliveryStatus.choices, default=DeliveryStatus.PLANNED)
    cancelled_reason = models.TextField(_("why it was cancelled"), blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("project delivery")
        verbose_name_plural = _("project deliveries")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=DeliveryStatus.values), name="delivery_status_known"
            ),
            models.CheckConstraint(
                condition=~Q(status=DeliveryStatus.CANCELLED) | ~Q(cancelled_reason=""),
                name="delivery_cancelled_has_reason",
                violation_error_message=_("Say why the project was cancelled."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project}: {self.get_status_display()}"


class DeliveryUpdate(models.Model):
    """A public note on a funded project's progress, optionally changing its status."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="updates")
    status = models.CharField(max_length=20, choices=DeliveryStatus.choices)
    note = models.TextField(_("update"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=DeliveryStatus.values), name="deliveryupdate_status_known"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_status_display()}: {self.note[:60]}"


class Milestone(models.Model):
    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("milestone"), max_length=200)
    due_on = models.DateField(_("due"), null=True, blank=True)
    completed_on = models.DateField(_("done"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [models.CheckConstraint(condition=~Q(title=""), name="milestone_title_not_empty")]

    def __str__(self) -> str:
        return self.title
