"""Forms for officers setting up and running a budget process."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from localpower.budgets.forms.staff_widgets import GovukDateField
from localpower.budgets.models import (
    FROZEN_FIELDS,
    BallotKind,
    Completion,
    OutcomeRule,
    Process,
    ProcessState,
)
from localpower.budgets.models.process import DATE_FIELDS
from localpower.core.forms import GovukForm

DATE_LABELS = {
    "ideas_open_at": (_("Ideas open"), _("Residents can share ideas from the start of this day.")),
    "review_opens_at": (_("Ideas close and council review starts"), None),
    "voting_opens_at": (_("Voting opens"), None),
    "voting_closes_at": (_("Voting closes"), _("Voting ends as this day begins.")),
    "results_at": (_("Results announced by"), None),
    "delivery_starts_at": (_("Delivery starts"), None),
}


# The ballot limits each ballot kind uses; the others are ignored (and cleared) when that kind is chosen. Ranked
# ballots have their own box for the most choices, so that no two boxes on the page share a name.
BALLOT_LIMITS = {
    BallotKind.APPROVAL: (),
    BallotKind.K_APPROVAL: ("min_choices", "max_choices"),
    BallotKind.KNAPSACK: ("max_cost",),
    BallotKind.CUMULATIVE: ("points_total", "max_points_per_project"),
    BallotKind.RANKED: ("ranked_max_choices",),
}
LIMIT_FIELDS = ("min_choices", "max_choices", "max_cost", "points_total", "max_points_per_project")


class ProcessForm(GovukForm):
    """Every setting of a process. With ``frozen=True`` (voting has opened), the frozen settings may be left out
    of the submission, meaning "unchanged"; a value that is sent for one goes to the service, which refuses a
    change and says why."""

    area = forms.ModelChoiceField(
        label=_("Area"),
        queryset=None,
        empty_label=_("Choose an area"),
        error_messages={
            "required": _("Choose the area the budget is for"),
            "invalid_choice": _("Choose one of the areas you manage"),
        },
    )
    title = forms.CharField(label=_("Title"), max_length=200, error_messages={"required": _("Enter a title")})
    slug = forms.SlugField(
        label=_("Web address name"),
        max_length=120,
        required=False,
        help_text=_("Lower-case letters, numbers and hyphens. Made from the title when left empty."),
    )
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
    budget = forms.DecimalField(
        label=_("Budget"),
        min_value=Decimal("0.01"),
        max_digits=12,
        decimal_places=2,
        error_messages={
            "required": _("Enter the budget, such as 20000"),
            "invalid": _("Enter the budget as a number, such as 20000"),
        },
    )
    currency = forms.CharField(
        label=_("Currency"), max_length=3, initial="GBP", help_text=_("A three-letter code, such as GBP.")
    )
    ideas_open_at = GovukDateField(
        label=DATE_LABELS["ideas_open_at"][0], help_text=DATE_LABELS["ideas_open_at"][1]
    )
    review_opens_at = GovukDateField(label=DATE_LABELS["review_opens_at"][0])
    voting_opens_at = GovukDateField(label=DATE_LABELS["voting_opens_at"][0])
    voting_closes_at = GovukDateField(
        label=DATE_LABELS["voting_closes_at"][0], help_text=DATE_LABELS["voting_closes_at"][1]
    )
    results_at = GovukDateField(label=DATE_LABELS["results_at"][0])
    delivery_starts_at = GovukDateField(label=DATE_LABELS["delivery_starts_at"][0])
    minimum_age = forms.IntegerField(
        label=_("Minimum age to vote"),
        required=False,
        min_value=0,
        max_value=120,
        help_text=_("Voters confirm they are at least this age. Leave empty for no minimum."),
    )
    allow_paper_ballots = forms.BooleanField(
        label=_("Allow paper ballots"),
        required=False,
        help_text=_("Council officers can enter paper ballots, checked by a second officer."),
    )
    ballot_kind = forms.ChoiceField(
        label=_("Ballot kind"),
        choices=BallotKind.choices,
        widget=forms.RadioSelect,
        initial=BallotKind.APPROVAL,
        help_text=_(
            "Each kind of ballot has its own limits. Only the limits of the kind you choose are used."
        ),
        error_messages={"required": _("Choose the ballot kind")},
    )
    min_choices = forms.IntegerField(
        label=_("Fewest projects to choose"),
        required=False,
        min_value=0,
        help_text=_("For a limited choice."),
    )
    max_choices = forms.IntegerField(
        label=_("Most projects to choose"),
        required=False,
        min_value=1,
        help_text=_("Needed for a limited choice."),
    )
    max_cost = forms.DecimalField(
        label=_("Most a voter may spend"),
        required=False,
        min_value=Decimal("0.01"),
        max_digits=12,
        decimal_places=2,
        help_text=_("For choosing projects up to a total cost; the whole budget when left empty."),
    )
    points_total = forms.IntegerField(
        label=_("Points each voter shares out"),
        required=False,
        min_value=1,
        help_text=_("For points ballots."),
    )
    max_points_per_project = forms.IntegerField(
        label=_("Most points for one project"),
        required=False,
        min_value=1,
        help_text=_("For points ballots."),
    )
    allow_ballot_change = forms.BooleanField(
        label=_("Voters may change their ballot until voting closes"), required=False, initial=True
    )
    rule = forms.ChoiceField(label=_("Outcome rule"), choices=OutcomeRule.choices, initial=OutcomeRule.MES)
    completion = forms.ChoiceField(
        label=_("Completion"),
        choices=Completion.choices,
        initial=Completion.ADD1,
        help_text=_(
            "Only for the Method of Equal Shares: how to spend money left over. Choose “None” otherwise."
        ),
    )

    govuk_widths = {
        "budget": "govuk-input--width-10",
        "currency": "govuk-input--width-4",
        "minimum_age": "govuk-input--width-3",
        "min_choices": "govuk-input--width-3",
        "max_choices": "govuk-input--width-3",
        "max_cost": "govuk-input--width-10",
        "points_total": "govuk-input--width-5",
        "max_points_per_project": "govuk-input--width-5",
        "slug": "govuk-input--width-20",
    }

    def __init__(self, *args, areas, process: Process | None = None, frozen: bool = False, **kwargs):
        self.process = process
        self.frozen = frozen
        if process is not None:
            kwargs.setdefault("initial", {f: getattr(process, f) for f in self.base_fields if f != "area"})
        super().__init__(*args, **kwargs)
        if process is None:
            self.fields["area"].queryset = areas
        else:
            del self.fields["area"]
            self.fields["slug"].required = True
            self.fields["slug"].help_text = _("Changing it changes the page's web address.")
        if frozen:
            for name in FROZEN_FIELDS:
                if name in self.fields:
                    self.fields[name].required = False
        self.fields["ranked_max_choices"] = forms.IntegerField(
            label=_("Most projects a voter may rank"),
            required=False,
            min_value=1,
            initial=process.max_choices if process is not None else None,
            help_text=_("Voters put up to this many projects in order, their favourite first."),
        )
        self.fields["ranked_max_choices"].widget.attrs["class"] = "govuk-input govuk-input--width-3"
        self._route_service_errors = False

    def ballot_kind_options(self) -> list[dict]:
        """Each ballot kind's radio with the limit fields it reveals (GOV.UK conditional radios)."""
        return [
            {"choice": choice, "fields": [self[n] for n in BALLOT_LIMITS.get(choice.data["value"], ())]}
            for choice in self["ballot_kind"]
        ]

    def conditional_names(self) -> set[str]:
        return {name for names in BALLOT_LIMITS.values() for name in names}

    def _chosen_kind(self) -> str:
        return (self.cleaned_data or {}).get("ballot_kind") or self.data.get(
            self.add_prefix("ballot_kind"), ""
        )

    def full_clean(self):
        self._route_service_errors = False
        super().full_clean()
        self._route_service_errors = True

    def add_error(self, field, error):
        # After cleaning, the services' messages about the most choices go to the box that ranked ballots show.
        if self._route_service_errors and field == "max_choices" and self._chosen_kind() == BallotKind.RANKED:
            field = "ranked_max_choices"
        super().add_error(field, error)

    SECTIONS = (
        (_("About the budget"), ("area", "title", "slug", "description", "budget", "currency", "categories")),
        (
            _("Timetable"),
            (
                "ideas_open_at",
                "review_opens_at",
                "voting_opens_at",
                "voting_closes_at",
                "results_at",
                "delivery_starts_at",
            ),
        ),
        (_("Who can vote"), ("minimum_age", "allow_paper_ballots")),
        (
            _("The ballot"),
            (
                "ballot_kind",
                "min_choices",
                "max_choices",
                "max_cost",
                "points_total",
                "max_points_per_project",
                "allow_ballot_change",
            ),
        ),
        (_("Choosing the winners"), ("rule", "completion")),
    )

    def sections(self) -> list[tuple[str, list]]:
        """The fields to show, under headings; frozen settings are left out once voting has opened."""
        frozen = set(self.frozen_names())
        found = []
        for heading, names in self.SECTIONS:
            fields = [self[n] for n in names if n in self.fields and n not in frozen]
            if fields:
                found.append((heading, fields))
        return found

    def frozen_names(self) -> list[str]:
        return [f for f in FROZEN_FIELDS if f in self.fields] if self.frozen else []

    def clean_slug(self) -> str:
        value = self.cleaned_data.get("slug") or ""
        if value.lower() in RESERVED_SLUGS:
            raise forms.ValidationError(
                _("“%(slug)s” is used by the staff pages; choose another web address name.") % {"slug": value}
            )
        return value

    def clean_currency(self) -> str:
        value = (self.cleaned_data.get("currency") or "").strip().upper()
        if value and (len(value) != 3 or not value.isalpha()):
            raise forms.ValidationError(_("Enter a three-letter currency code, such as GBP."))
        return value

    def clean(self):
        cleaned = super().clean()
        for name in self.frozen_names():
            field = self.fields[name]
            key = self.add_prefix(name)
            if isinstance(field, forms.BooleanField):
                omitted = key not in self.data
            else:
                omitted = field.widget.value_omitted_from_data(self.data, self.files, key)
            if omitted:
                self.errors.pop(name, None)
                cleaned[name] = getattr(self.process, name)
        ranked_most = cleaned.pop("ranked_max_choices", None)
        kind = cleaned.get("ballot_kind")
        if kind in BALLOT_LIMITS and "ballot_kind" not in self.frozen_names():
            # Only the chosen kind's limits count: the boxes of the other kinds (all shown without JavaScript)
            # are ignored, whatever they hold.
            if kind == BallotKind.RANKED:
                self.errors.pop("max_choices", None)
                cleaned["max_choices"] = ranked_most
            relevant = set(BALLOT_LIMITS[kind]) | ({"max_choices"} if kind == BallotKind.RANKED else set())
            for name in LIMIT_FIELDS:
                if name not in relevant:
                    self.errors.pop(name, None)
                    cleaned[name] = None
            if kind != BallotKind.RANKED:
                self.errors.pop("ranked_max_choices", None)
        if self.process is None and not cleaned.get("slug") and cleaned.get("title"):
            cleaned["slug"] = unique_slug(cleaned["title"])
        return cleaned

    def settings(self) -> dict:
        """The cleaned values as keyword arguments for the services (without the area)."""
        values = {k: v for k, v in self.cleaned_data.items() if k != "area"}
        values["currency"] = values.get("currency") or "GBP"
        return values


# Words the staff pages use after /staff/budgets/, so they cannot be a budget's web address name.
RESERVED_SLUGS = {"new", "moderation"}


def unique_slug(title: str) -> str:
    base = slugify(title)[:100] or "budget"
    slug, n = base, 2
    while slug in RESERVED_SLUGS or Process.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def parse_categories(text: str) -> list[tuple[str, Decimal | None]]:
    """Lines of "Name" or "Name: target" into (name, target); raises ValidationError with the bad line."""
    found: list[tuple[str, Decimal | None]] = []
    seen: set[str] = set()
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        name, _sep, target_text = line.partition(":")
        name = name.strip()
        target = None
        if target_text.strip():
            try:
                target = Decimal(target_text.strip().replace(",", "").lstrip("£"))
            except InvalidOperation:
                target = None
            if target is None or target <= 0:
                raise forms.ValidationError(
                    _("Line %(n)d: the target after the colon must be an amount above zero, like 2000.")
                    % {"n": number}
                )
        if not name or len(name) > 100:
            raise forms.ValidationError(
                _("Line %(n)d: give a category name of up to 100 characters.") % {"n": number}
            )
        if name.lower() in seen:
            raise forms.ValidationError(
                _("Line %(n)d: “%(name)s” is listed twice.") % {"n": number, "name": name}
            )
        seen.add(name.lower())
        found.append((name, target))
    return found


class NewProcessForm(ProcessForm):
    categories = forms.CharField(
        label=_("Categories (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "One a line. Add a spending target after a colon if there is one, like “Young people: 2000”."
        ),
    )

    def clean_categories(self) -> list[tuple[str, Decimal | None]]:
        return parse_categories(self.cleaned_data.get("categories") or "")

    def settings(self) -> dict:
        values = super().settings()
        values.pop("categories", None)
        return values


class CategoryForm(GovukForm):
    name = forms.CharField(label=_("Category name"), max_length=100)
    target_amount = forms.DecimalField(
        label=_("Spending target (optional)"),
        required=False,
        min_value=Decimal("0.01"),
        max_digits=12,
        decimal_places=2,
    )
    govuk_widths = {"name": "govuk-input--width-20", "target_amount": "govuk-input--width-10"}


STATE_ACTIONS = {
    ProcessState.SCHEDULED: _("Publish and follow the dates"),
    ProcessState.PAUSED: _("Pause"),
    ProcessState.CANCELLED: _("Cancel the budget"),
}


class StateForm(GovukForm):
    state = forms.ChoiceField(label=_("Change the state"), widget=forms.RadioSelect, choices=())
    reason = forms.CharField(
        label=_("Reason (needed to cancel)"),
        required=False,
        max_length=500,
        help_text=_("Residents will see it."),
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = choices


def state_choices(process: Process) -> list[tuple[str, str]]:
    from localpower.budgets.models.process import STATE_TRANSITIONS

    labels = {
        ProcessState.SCHEDULED: _("Resume and follow the dates")
        if process.state == ProcessState.PAUSED
        else STATE_ACTIONS[ProcessState.SCHEDULED],
        ProcessState.PAUSED: STATE_ACTIONS[ProcessState.PAUSED],
        ProcessState.CANCELLED: STATE_ACTIONS[ProcessState.CANCELLED],
    }
    return [
        (s, labels[s])
        for s in (ProcessState.SCHEDULED, ProcessState.PAUSED, ProcessState.CANCELLED)
        if s in STATE_TRANSITIONS.get(process.state, set())
    ]


__all__ = ["DATE_FIELDS", "CategoryForm", "NewProcessForm", "ProcessForm", "StateForm", "state_choices"]
