"""Forms for budget simulators: the resident's budget, and the officers' simulator and service forms."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from localpower.budgets.forms.staff_widgets import GovukDateField
from localpower.core.forms import GovukForm
from localpower.simulator import selectors
from localpower.simulator.models import Audience, Service, Simulator, TargetKind
from localpower.simulator.services import COMMENT_MAX, FROZEN_FIELDS


def end_of_day(start: datetime.datetime) -> datetime.datetime:
    """The last second of the day that begins at ``start`` (an aware datetime at midnight, local time)."""
    return start + datetime.timedelta(days=1) - datetime.timedelta(seconds=1)


def level_label(pct: int) -> str:
    if pct == 0:
        return str(_("No change"))
    return f"{pct:+d}%".replace("-", "−")


def consequence_text(service: Service, pct: int) -> str:
    """What the council says would happen at ``pct`` ("" when it has not said; a plain line for no change)."""
    consequence = selectors.consequence_for(service, pct)
    if consequence is not None:
        return consequence.text
    return str(_("The service stays as it is.")) if pct == 0 else ""


class BudgetForm(GovukForm):
    """A level (radio buttons) and an optional comment for every service."""

    def __init__(self, *args, simulator: Simulator, services: list[Service], **kwargs):
        super().__init__(*args, **kwargs)
        self.simulator = simulator
        self.services = services
        for service in services:
            self.fields[f"service_{service.pk}"] = forms.TypedChoiceField(
                label=service.name,
                choices=[(pct, level_label(pct)) for pct in service.levels()],
                coerce=int,
                initial=0,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Choose a level for %(name)s.") % {"name": service.name},
                    "invalid_choice": _("Choose one of the levels shown for %(name)s.")
                    % {"name": service.name},
                },
            )
            self.fields[f"comment_{service.pk}"] = forms.CharField(
                label=_("Why? (optional)"),
                required=False,
                max_length=COMMENT_MAX,
                widget=forms.Textarea(attrs={"rows": 2}),
                error_messages={
                    "max_length": _("Your comment on %(name)s must be %(max)d characters or fewer.")
                    % {"name": service.name, "max": COMMENT_MAX}
                },
            )

    def pcts(self) -> dict[int, int]:
        """The chosen levels, as far as they can be read (unreadable ones count as no change)."""
        data = self.cleaned_data if self.is_bound and hasattr(self, "cleaned_data") else {}
        chosen = {}
        for service in self.services:
            value = data.get(f"service_{service.pk}")
            if value is None and self.is_bound:
                try:
                    value = int(self.data.get(f"service_{service.pk}", 0))
                except (TypeError, ValueError):
                    value = 0
                if value not in service.levels():
                    value = 0
            chosen[service.pk] = value if value is not None else 0
        return chosen

    def comments(self) -> dict[int, str]:
        data = getattr(self, "cleaned_data", {})
        return {s.pk: (data.get(f"comment_{s.pk}") or "").strip() for s in self.services}

    def rows(self) -> list[dict]:
        pcts = self.pcts() if self.is_bound else {s.pk: 0 for s in self.services}
        rows = []
        for service in self.services:
            pct = pcts[service.pk]
            rows.append(
                {
                    "service": service,
                    "field": self[f"service_{service.pk}"],
                    "comment": self[f"comment_{service.pk}"],
                    "pct": pct,
                    "label": level_label(pct),
                    "new_spend": service.current_spend + service.change_in_pounds(pct),
                    "change": service.change_in_pounds(pct),
                    "consequence": consequence_text(service, pct),
                    "levels": [
                        {
                            "pct": level,
                            "label": level_label(level),
                            "checked": level == pct,
                            "consequence": consequence_text(service, level),
                        }
                        for level in service.levels()
                    ],
                }
            )
        return rows


class ReviewForm(GovukForm):
    """The reviewed budget carried in hidden fields, with the key that makes sending it twice harmless."""

    choices = forms.CharField(widget=forms.HiddenInput)
    key = forms.CharField(widget=forms.HiddenInput, max_length=200)

    def clean_choices(self) -> dict:
        try:
            data = json.loads(self.cleaned_data["choices"])
            pcts = {int(k): int(v) for k, v in data["levels"].items()}
            comments = {int(k): str(v) for k, v in data.get("comments", {}).items()}
        except (ValueError, KeyError, TypeError, AttributeError):
            raise forms.ValidationError(_("Your choices could not be read. Make them again.")) from None
        return {"levels": pcts, "comments": comments}


def pack(pcts: dict[int, int], comments: dict[int, str]) -> str:
    return json.dumps(
        {
            "levels": {str(k): v for k, v in pcts.items()},
            "comments": {str(k): v for k, v in comments.items() if v},
        }
    )


class SimulatorForm(GovukForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    slug = forms.SlugField(
        label=_("Web address name"),
        max_length=120,
        help_text=_(
            "Letters, numbers and hyphens, such as balancing-2027. It becomes part of the page address."
        ),
    )
    area = forms.ModelChoiceField(label=_("Area"), queryset=None, empty_label=None)
    introduction = forms.CharField(
        label=_("Introduction"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Why the council is asking, and what it will do with the answers."),
    )
    opens_at = GovukDateField(label=_("Opens"), help_text=_("It opens as this day begins."))
    closes_at = GovukDateField(
        label=_("Closes"),
        help_text=_("The last day people can respond. It closes at the end of this day."),
    )
    target_kind = forms.ChoiceField(label=_("Target"), choices=TargetKind.choices, widget=forms.RadioSelect)
    target_amount = forms.DecimalField(
        label=_("Target amount in pounds"),
        min_value=Decimal(0),
        max_digits=14,
        decimal_places=2,
        help_text=_("The saving to find, or the most the services may cost in total."),
    )
    step_pct = forms.IntegerField(
        label=_("Step in percent"),
        min_value=1,
        max_value=50,
        initial=5,
        help_text=_("Residents move each service up or down in steps of this size, such as 5."),
    )
    audience = forms.ChoiceField(
        label=_("Who may respond"), choices=Audience.choices, widget=forms.RadioSelect
    )
    anonymous = forms.BooleanField(
        label=_("Keep responses anonymous"),
        required=False,
        initial=True,
        help_text=_("Officers see what was chosen and said, never by whom."),
    )
    govuk_widths = {
        "slug": "govuk-input--width-20",
        "target_amount": "govuk-input--width-10",
        "step_pct": "govuk-input--width-3",
    }

    def __init__(self, *args, areas, frozen: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas
        self.frozen = frozen
        if frozen:
            for name in FROZEN_FIELDS:
                self.fields[name].disabled = True
                self.fields[name].help_text = _("Cannot change: people have already responded.")

    def clean(self):
        data = super().clean()
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if closes:
            # The date field gives the start of the day; the pages say "open until" that day, so it is the last.
            data["closes_at"] = closes = end_of_day(closes)
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("The closing date must be on or after the opening date."))
        return data

    @staticmethod
    def initial_for(simulator: Simulator) -> dict:
        return {name: getattr(simulator, name) for name in SimulatorForm.base_fields}


class ServiceForm(GovukForm):
    name = forms.CharField(label=_("Service"), max_length=200)
    description = forms.CharField(
        label=_("What it pays for"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    current_spend = forms.DecimalField(
        label=_("Current spend in pounds"), min_value=Decimal("0.01"), max_digits=14, decimal_places=2
    )
    min_change_pct = forms.IntegerField(
        label=_("Biggest cut residents may choose, in percent"),
        min_value=-100,
        max_value=0,
        initial=-30,
        help_text=_("A negative number or 0, such as -30."),
    )
    max_change_pct = forms.IntegerField(
        label=_("Biggest increase residents may choose, in percent"),
        min_value=0,
        max_value=100,
        initial=10,
        help_text=_("A positive number or 0, such as 10."),
    )
    order = forms.IntegerField(label=_("Position in the list"), min_value=0, max_value=1000, initial=0)
    govuk_widths = {
        "current_spend": "govuk-input--width-10",
        "min_change_pct": "govuk-input--width-4",
        "max_change_pct": "govuk-input--width-4",
        "order": "govuk-input--width-4",
    }

    def __init__(self, *args, simulator: Simulator, service: Service | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.simulator = simulator
        step = simulator.step_pct
        low, high = (service.min_change_pct, service.max_change_pct) if service else (-30, 10)
        if self.is_bound:
            try:
                low = min(low, int(self.data.get("min_change_pct")))
                high = max(high, int(self.data.get("max_change_pct")))
            except (TypeError, ValueError):
                pass
        low, high = max(-100, low - low % step), min(100, high - high % step)
        self.level_names = []
        for pct in range(low, high + 1, step):
            name = f"level_{pct}".replace("-", "m")
            # Added after GovukForm has styled the fields, so the GOV.UK class is given here.
            self.fields[name] = forms.CharField(
                label=_("What would happen with no change")
                if pct == 0
                else _("What would happen at %(level)s") % {"level": level_label(pct)},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2, "class": "govuk-textarea"}),
            )
            self.fields[name].level = pct
            self.level_names.append(name)

    def clean(self):
        data = super().clean()
        step = self.simulator.step_pct
        for name in ("min_change_pct", "max_change_pct"):
            value = data.get(name)
            if value is not None and value % step:
                self.add_error(name, _("This must be a multiple of the step, %(step)d %%.") % {"step": step})
        return data

    def service_fields(self) -> dict:
        return {
            name: self.cleaned_data[name]
            for name in ("name", "description", "current_spend", "min_change_pct", "max_change_pct", "order")
        }

    def consequences(self) -> dict[int, str]:
        return {self.fields[name].level: self.cleaned_data.get(name) or "" for name in self.level_names}

    def basic_fields(self):
        return [
            self[name]
            for name in ("name", "description", "current_spend", "min_change_pct", "max_change_pct", "order")
        ]

    def level_fields(self):
        return [self[name] for name in self.level_names]
