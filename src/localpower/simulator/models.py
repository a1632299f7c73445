"""Budget simulators: a council asks residents to balance next year's budget across its services.

* ``Simulator``: one exercise for an area, with a target ("save at least £X" or "keep the total within £Y"),
  the step residents move in (e.g. 5 %), when it is open, and whether responses are anonymous.
* ``Service``: a line of the budget with its current spend and the range residents may choose (e.g. −30 % to
  +10 %). ``Consequence``: what the council says would happen at a level (officers write them).
* Responses are kept like budgets' ballots (see ``localpower.budgets.models.voting``): ``Respondent`` ("has
  responded") holds the person; ``Submission`` and its ``Choice`` rows hold what they chose. For anonymous
  simulators there is no foreign key, shared id or precise shared time between the two: a submission has a
  random UUID and only the day it was made, and ``user`` stays empty. For identified simulators the submission
  names its author too (officers were told who said what). One response per person is enforced by the unique
  constraint on ``Respondent`` (simulator, user). Residual risks, as for ballots: in a small area the day of a
  submission narrows it to the people who responded that day; someone reading the database's physical storage
  may see insertion order. Exports sort rows by content and leave out dates for anonymous simulators.

Money is exact: spends are ``Decimal`` pounds with pence; a change is a whole percentage, so every change in
pounds (spend × percent ÷ 100) is exact to a hundredth of a penny and is never rounded before it is compared
with the target.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from localpower.places.models import Area


class SimulatorState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    CLOSED = "closed", _("Closed")


class Status(models.TextChoices):
    """What a simulator is doing now: its state and its dates together."""

    DRAFT = "draft", _("Draft")
    UPCOMING = "upcoming", _("Not open yet")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class TargetKind(models.TextChoices):
    SAVE = "save", _("Save at least an amount")
    WITHIN = "within", _("Keep the total within an amount")


class Audience(models.TextChoices):
    SIGNED_IN = "signed_in", _("Anyone with an account and a confirmed e-mail address")
    RESIDENTS = "residents", _("Verified residents of the area only")


class Simulator(models.Model):
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="simulators", verbose_name=_("area")
    )
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("web address name"), max_length=120, unique=True)
    introduction = models.TextField(_("introduction"), blank=True)
    state = models.CharField(_("state"), max_length=20, choices=SimulatorState.choices, default="draft")
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    target_kind = models.CharField(_("target"), max_length=10, choices=TargetKind.choices, default="save")
    target_amount = models.DecimalField(_("target amount (£)"), max_digits=14, decimal_places=2)
    step_pct = models.PositiveSmallIntegerField(_("step (%)"), default=5)
    anonymous = models.BooleanField(_("anonymous responses"), default=True)
    audience = models.CharField(
        _("who may respond"), max_length=20, choices=Audience.choices, default="residents"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-opens_at", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="sim_closes_after_opens"
            ),
            models.CheckConstraint(condition=Q(target_amount__gte=0), name="sim_target_not_negative"),
            models.CheckConstraint(condition=Q(step_pct__gte=1, step_pct__lte=50), name="sim_step_1_to_50"),
            models.CheckConstraint(condition=Q(state__in=SimulatorState.values), name="sim_state_known"),
            models.CheckConstraint(
                condition=Q(target_kind__in=TargetKind.values), name="sim_target_kind_known"
            ),
            models.CheckConstraint(condition=Q(audience__in=Audience.values), name="sim_audience_known"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("simulator:detail", args=[self.slug])

    def clean(self) -> None:
        super().clean()
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("The closing date must be after the opening date.")})

    def status_at(self, when=None) -> str:
        when = when or timezone.now()
        if self.state == SimulatorState.DRAFT:
            return Status.DRAFT
        if self.state == SimulatorState.CLOSED or when >= self.closes_at:
            return Status.CLOSED
        if when < self.opens_at:
            return Status.UPCOMING
        return Status.OPEN

    @property
    def status(self) -> str:
        return self.status_at()


class Service(models.Model):
    simulator = models.ForeignKey(Simulator, on_delete=models.CASCADE, related_name="services")
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("what it pays for"), blank=True)
    current_spend = models.DecimalField(_("current spend (£)"), max_digits=14, decimal_places=2)
    min_change_pct = models.SmallIntegerField(_("biggest cut (%)"), default=-30)
    max_change_pct = models.SmallIntegerField(_("biggest increase (%)"), default=10)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["simulator", "name"], name="sim_service_name_unique"),
            models.CheckConstraint(condition=Q(current_spend__gt=0), name="sim_service_spend_positive"),
            models.CheckConstraint(
                condition=Q(min_change_pct__gte=-100, min_change_pct__lte=0), name="sim_service_min_range"
            ),
            models.CheckConstraint(
                condition=Q(max_change_pct__gte=0, max_change_pct__lte=100), name="sim_service_max_range"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.min_change_pct is not None and not -100 <= self.min_change_pct <= 0:
            errors["min_change_pct"] = _("The biggest cut must be between −100 % and 0 %.")
        if self.max_change_pct is not None and not 0 <= self.max_change_pct <= 100:
            errors["max_change_pct"] = _("The biggest increase must be between 0 % and 100 %.")
        step = self.simulator.step_pct if self.simulator_id else None
        if step and not errors:
            for name in ("min_change_pct", "max_change_pct"):
                if getattr(self, name) % step:
                    errors[name] = _("This must be a multiple of the step, %(step)d %%.") % {"step": step}
        if errors:
            raise ValidationError(errors)

    def levels(self) -> list[int]:
        """The changes residents may choose, in percent, from the biggest cut to the biggest increase."""
        step = self.simulator.step_pct
        return list(range(self.min_change_pct, self.max_change_pct + 1, step))

    def change_in_pounds(self, pct: int) -> Decimal:
        return self.current_spend * pct / 100


class Consequence(models.Model):
    """What the council says would happen if a service changed by ``change_pct``.

    A text applies to choices from its level up to the next level with a text further from zero: with texts at
    −10 % and −30 %, a cut of 20 % shows the −10 % text (the biggest change it reaches at least).
    """

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="consequences")
    change_pct = models.SmallIntegerField(_("change (%)"))
    text = models.TextField(_("what would happen"))

    class Meta:
        ordering = ["change_pct"]
        constraints = [
            models.UniqueConstraint(fields=["service", "change_pct"], name="sim_consequence_unique_level"),
        ]

    def __str__(self) -> str:
        return f"{self.service}: {self.change_pct:+d}%"


class Respondent(models.Model):
    """That a person has responded (and when): kept apart from what they chose when the simulator is anonymous."""

    simulator = models.ForeignKey(Simulator, on_delete=models.CASCADE, related_name="respondents")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    responded_at = models.DateTimeField(default=timezone.now)
    key_digest = models.CharField(max_length=64)  # SHA-256 of the form's idempotency key

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["simulator", "user"], name="sim_one_response_per_person"),
        ]

    def __str__(self) -> str:
        return f"{self.user} responded to {self.simulator}"


class Submission(models.Model):
    """One person's balanced budget. ``user`` only for identified simulators; ``submitted_on`` is a day only."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    simulator = models.ForeignKey(Simulator, on_delete=models.CASCADE, related_name="submissions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_on = models.DateField(default=timezone.localdate)
    total_change = models.DecimalField(max_digits=16, decimal_places=4)  # in pounds; negative is a saving

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["simulator", "user"],
                condition=Q(user__isnull=False),
                name="sim_one_submission_per_user",
            ),
        ]

    def __str__(self) -> str:
        return f"Budget {self.pk} for {self.simulator}"


class Choice(models.Model):
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="choices")
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="choices")
    change_pct = models.SmallIntegerField()
    comment = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["submission", "service"], name="sim_one_choice_per_service"),
            models.CheckConstraint(
                condition=Q(change_pct__gte=-100, change_pct__lte=100), name="sim_choice_pct_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service}: {self.change_pct:+d}%"
