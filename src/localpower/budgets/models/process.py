"""A participatory budgeting process: an area's pot of money, its timetable and its voting rules.

The phase is worked out from the dates (see ``Process.phase_at``) unless an officer has paused or cancelled
the process (``state``). Once voting has opened, the ballot kind, its limits, the outcome rule and the budget
are frozen (see ``FROZEN_FIELDS`` and ``services.processes.update_process``).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class BallotKind(models.TextChoices):
    APPROVAL = "approval", _("Approval: choose any number of projects")
    K_APPROVAL = "k_approval", _("Choose between a minimum and a maximum number of projects")
    KNAPSACK = "knapsack", _("Choose projects up to a total cost")
    CUMULATIVE = "cumulative", _("Share out points between projects")
    RANKED = "ranked", _("Rank your top projects")


class OutcomeRule(models.TextChoices):
    MES = "mes", _("Method of Equal Shares")
    GREEDY = "greedy", _("Most votes first, skipping projects that do not fit")
    GREEDY_NO_SKIP = "greedy-no-skip", _("Most votes first, stopping at the first project that does not fit")
    PHRAGMEN = "phragmen", _("Sequential Phragmén")
    MAX_WELFARE = "max-welfare", _("Greatest total support within the budget")


class Completion(models.TextChoices):
    NONE = "none", _("None")
    ADD1 = "add1", _("Raise every voter's share by £1 at a time (add-one)")
    UTILITARIAN = "utilitarian", _("Fund what still fits by support")
    ADD1_UTILITARIAN = "add1-utilitarian", _("Add-one, then fund what still fits by support")


class ProcessState(models.TextChoices):
    """The officer's override on top of the dates."""

    DRAFT = "draft", _("Draft: not shown to the public")
    SCHEDULED = "scheduled", _("Scheduled: follows its dates")
    PAUSED = "paused", _("Paused: nobody can submit, support or vote")
    CANCELLED = "cancelled", _("Cancelled")


# Allowed moves of the override state machine.
STATE_TRANSITIONS: dict[str, set[str]] = {
    ProcessState.DRAFT: {ProcessState.SCHEDULED, ProcessState.CANCELLED},
    ProcessState.SCHEDULED: {ProcessState.PAUSED, ProcessState.CANCELLED},
    ProcessState.PAUSED: {ProcessState.SCHEDULED, ProcessState.CANCELLED},
    ProcessState.CANCELLED: set(),
}


class Phase(models.TextChoices):
    DRAFT = "draft", _("Draft")
    UPCOMING = "upcoming", _("Not started yet")
    IDEAS = "ideas", _("Sharing ideas")
    REVIEW = "review", _("Council review")
    VOTING = "voting", _("Voting")
    COUNTING = "counting", _("Counting the votes")
    RESULTS = "results", _("Results")
    DELIVERY = "delivery", _("Delivering the projects")
    PAUSED = "paused", _("Paused")
    CANCELLED = "cancelled", _("Cancelled")


# Settings that may not change once voting has opened.
FROZEN_FIELDS = (
    "ballot_kind",
    "min_choices",
    "max_choices",
    "max_cost",
    "points_total",
    "max_points_per_project",
    "rule",
    "completion",
    "budget",
    "currency",
    "voting_opens_at",
    "minimum_age",
    "allow_paper_ballots",
)

DATE_FIELDS = (
    "ideas_open_at",
    "review_opens_at",
    "voting_opens_at",
    "voting_closes_at",
    "results_at",
    "delivery_starts_at",
)


class Process(models.Model):
    area = models.ForeignKey(
        "places.Area", on_delete=models.PROTECT, related_name="budget_processes", verbose_name=_("area")
    )
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("web address name"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)
    budget = models.DecimalField(
        _("budget"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    currency = models.CharField(_("currency"), max_length=3, default="GBP")
    state = models.CharField(
        _("state"), max_length=20, choices=ProcessState.choices, default=ProcessState.DRAFT
    )

    # Timetable: each phase starts when the previous one ends.
    ideas_open_at = models.DateTimeField(_("ideas open"))
    review_opens_at = models.DateTimeField(_("ideas close and council review starts"))
    voting_opens_at = models.DateTimeField(_("voting opens"))
    voting_closes_at = models.DateTimeField(_("voting closes"))
    results_at = models.DateTimeField(_("results announced by"))
    delivery_starts_at = models.DateTimeField(_("delivery starts"))

    # Eligibility.
    minimum_age = models.PositiveSmallIntegerField(
        _("minimum age to vote"),
        null=True,
        blank=True,
        help_text=_("Voters confirm they are at least this age. Leave empty for no minimum."),
    )
    allow_paper_ballots = models.BooleanField(
        _("paper ballots"),
        default=False,
        help_text=_("Council officers can enter paper ballots, checked by a second officer."),
    )

    # The ballot.
    ballot_kind = models.CharField(
        _("ballot kind"), max_length=20, choices=BallotKind.choices, default=BallotKind.APPROVAL
    )
    min_choices = models.PositiveSmallIntegerField(_("fewest projects to choose"), null=True, blank=True)
    max_choices = models.PositiveSmallIntegerField(_("most projects to choose"), null=True, blank=True)
    max_cost = models.DecimalField(
        _("most a voter may spend"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("For knapsack ballots; the budget when left empty."),
    )
    points_total = models.PositiveIntegerField(_("points each voter shares out"), null=True, blank=True)
    max_points_per_project = models.PositiveIntegerField(
        _("most points for one project"), null=True, blank=True
    )
    allow_ballot_change = models.BooleanField(
        _("voters may change their ballot until voting closes"), default=True
    )

    # How the winners are chosen.
    rule = models.CharField(
        _("outcome rule"), max_length=20, choices=OutcomeRule.choices, default=OutcomeRule.MES
    )
    completion = models.CharField(
        _("completion"), max_length=20, choices=Completion.choices, default=Completion.ADD1
    )

    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-voting_opens_at", "title"]
        verbose_name = _("budget process")
        verbose_name_plural = _("budget processes")
        constraints = [
            models.CheckConstraint(condition=Q(budget__gt=0), name="process_budget_positive"),
            models.CheckConstraint(condition=~Q(title=""), name="process_title_not_empty"),
            models.CheckConstraint(condition=~Q(slug=""), name="process_slug_not_empty"),
            models.CheckConstraint(condition=Q(currency__regex=r"^[A-Z]{3}$"), name="process_currency_code"),
            models.CheckConstraint(condition=Q(state__in=ProcessState.values), name="process_state_known"),
            models.CheckConstraint(
                condition=Q(ballot_kind__in=BallotKind.values), name="process_ballot_kind_known"
            ),
            models.CheckConstraint(condition=Q(rule__in=OutcomeRule.values), name="process_rule_known"),
            models.CheckConstraint(
                condition=Q(completion__in=Completion.values), name="process_completion_known"
            ),
            models.CheckConstraint(
                condition=Q(review_opens_at__gte=F("ideas_open_at"))
                & Q(voting_opens_at__gte=F("review_opens_at"))
                & Q(voting_closes_at__gt=F("voting_opens_at"))
                & Q(results_at__gte=F("voting_closes_at"))
                & Q(delivery_starts_at__gte=F("results_at")),
                name="process_phases_in_order",
                violation_error_message=_(
                    "The phases must follow each other: ideas, review, voting, results, delivery."
                ),
            ),
            models.CheckConstraint(
                condition=Q(min_choices__isnull=True)
                | Q(max_choices__isnull=True)
                | Q(min_choices__lte=F("max_choices")),
                name="process_choices_in_order",
                violation_error_message=_("The fewest projects to choose cannot be more than the most."),
            ),
            models.CheckConstraint(
                condition=Q(max_cost__isnull=True) | Q(max_cost__gt=0), name="process_max_cost_positive"
            ),
            models.CheckConstraint(
                condition=~Q(ballot_kind=BallotKind.CUMULATIVE)
                | Q(points_total__isnull=False, points_total__gt=0),
                name="process_cumulative_has_points",
                violation_error_message=_(
                    "A points ballot needs the number of points each voter shares out."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(ballot_kind__in=[BallotKind.K_APPROVAL, BallotKind.RANKED])
                | Q(max_choices__isnull=False, max_choices__gt=0),
                name="process_limited_ballot_has_max",
                violation_error_message=_("This ballot kind needs the most projects a voter may choose."),
            ),
            models.CheckConstraint(
                condition=Q(rule=OutcomeRule.MES) | Q(completion=Completion.NONE),
                name="process_completion_only_for_mes",
                violation_error_message=_("Only the Method of Equal Shares has a completion method."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    # ------------------------------------------------------------------ phases
    def phase_at(self, when: datetime.datetime | None = None) -> Phase:
        """The phase at ``when`` (now by default), from the dates and the officer's override."""
        if self.state == ProcessState.DRAFT:
            return Phase.DRAFT
        if self.state == ProcessState.CANCELLED:
            return Phase.CANCELLED
        if self.state == ProcessState.PAUSED:
            return Phase.PAUSED
        return self.dated_phase(when)

    def dated_phase(self, when: datetime.datetime | None = None) -> Phase:
        """The phase from the dates alone."""
        now = when or timezone.now()
        if now < self.ideas_open_at:
            return Phase.UPCOMING
        if now < self.review_opens_at:
            return Phase.IDEAS
        if now < self.voting_opens_at:
            return Phase.REVIEW
        if now < self.voting_closes_at:
            return Phase.VOTING
        if now < self.results_at:
            return Phase.COUNTING
        if now < self.delivery_starts_at:
            return Phase.RESULTS
        return Phase.DELIVERY

    @property
    def phase(self) -> Phase:
        return self.phase_at()

    def voting_has_opened(self, when: datetime.datetime | None = None) -> bool:
        """True once the voting date has passed (whatever the override), or any ballot exists."""
        if self.pk is None:
            return False
        now = when or timezone.now()
        if self.state != ProcessState.DRAFT and now >= self.voting_opens_at:
            return True
        return self.voter_records.exists() or self.ballots.exists()

    def voting_has_closed(self, when: datetime.datetime | None = None) -> bool:
        return (when or timezone.now()) >= self.voting_closes_at

    # ------------------------------------------------------------------ ballot limits
    @property
    def effective_max_cost(self) -> Decimal:
        return self.max_cost if self.max_cost is not None else self.budget

    def clean(self) -> None:
        super().clean()
        errors: dict[str, list] = {}
        self.currency = (self.currency or "").strip().upper()
        if all(getattr(self, f) is not None for f in DATE_FIELDS):
            pairs = list(zip(DATE_FIELDS, DATE_FIELDS[1:], strict=False))
            for earlier, later in pairs:
                a, b = getattr(self, earlier), getattr(self, later)
                if b < a or (later == "voting_closes_at" and b == a):
                    label = self._meta.get_field(later).verbose_name
                    before = self._meta.get_field(earlier).verbose_name
                    errors.setdefault(later, []).append(
                        _("“%(later)s” must be after “%(earlier)s”.") % {"later": label, "earlier": before}
                    )
        kind = self.ballot_kind
        if kind in (BallotKind.K_APPROVAL, BallotKind.RANKED) and not self.max_choices:
            errors.setdefault("max_choices", []).append(_("Give the most projects a voter may choose."))
        if kind == BallotKind.CUMULATIVE and not self.points_total:
            errors.setdefault("points_total", []).append(
                _("Give the number of points each voter shares out.")
            )
        if (
            kind == BallotKind.CUMULATIVE
            and self.points_total
            and self.max_points_per_project
            and self.max_points_per_project > self.points_total
        ):
            errors.setdefault("max_points_per_project", []).append(
                _("The most points for one project cannot be more than the points each voter has.")
            )
        if self.max_cost is not None and self.budget is not None and self.max_cost > self.budget:
            errors.setdefault("max_cost", []).append(_("A voter cannot spend more than the whole budget."))
        if self.rule == OutcomeRule.PHRAGMEN and kind in (BallotKind.CUMULATIVE, BallotKind.RANKED):
            errors.setdefault("rule", []).append(
                _("Sequential Phragmén counts approval ballots only; choose another rule or ballot kind.")
            )
        if self.rule != OutcomeRule.MES and self.completion != Completion.NONE:
            errors.setdefault("completion", []).append(
                _("Only the Method of Equal Shares has a completion method; choose “None”.")
            )
        if errors:
            raise ValidationError(errors)


class Category(models.Model):
    """A theme for ideas and projects (such as "Young people"), with an optional spending target."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="categories")
    name = models.CharField(_("name"), max_length=100)
    target_amount = models.DecimalField(
        _("spending target"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("An amount the council hopes to spend on this theme, if any."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        constraints = [
            models.UniqueConstraint(fields=["process", "name"], name="category_unique_name_per_process"),
            models.CheckConstraint(condition=~Q(name=""), name="category_name_not_empty"),
            models.CheckConstraint(
                condition=Q(target_amount__isnull=True) | Q(target_amount__gt=0),
                name="category_target_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.name
