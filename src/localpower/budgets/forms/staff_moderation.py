"""Forms for moderators: filtering the queue, and the public reason for hiding something."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from localpower.core.forms import GovukForm

SHOW_CHOICES = (
    ("reported", _("Reported and not yet dealt with")),
    ("recent", _("Posted in the last 7 days")),
    ("hidden", _("Hidden")),
)


class QueueFilterForm(GovukForm):
    """The queue's filters (GET). Unknown values fall back to the defaults rather than failing."""

    process = forms.ChoiceField(label=_("Budget"), required=False, choices=())
    show = forms.ChoiceField(label=_("Show"), required=False, choices=SHOW_CHOICES)

    def __init__(self, *args, processes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["process"].choices = [("", _("All the budgets you moderate"))] + [
            (p.slug, f"{p.title} ({p.area.name})") for p in processes
        ]

    def value(self, name: str, default: str = "") -> str:
        if self.is_valid():
            return self.cleaned_data.get(name) or default
        return default


class HideForm(GovukForm):
    hidden_reason = forms.CharField(
        label=_("Reason for hiding, shown to everyone"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "It appears in place of the content, and the author of an idea is told by e-mail. "
            "Do not name the people who reported it."
        ),
        error_messages={"required": _("Give the reason for hiding it; people will see it.")},
    )
