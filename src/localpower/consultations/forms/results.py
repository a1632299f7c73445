"""Forms for the results pages: filtering the summary, browsing and tagging free text, "You said, we did"."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from localpower.budgets.forms.staff_widgets import GovukDateField
from localpower.consultations.models import Consultation, Outcome, Question, Tag
from localpower.consultations.selectors_results import ResultFilters, filter_options
from localpower.consultations.services.results import TAG_MAX
from localpower.core.forms import GovukForm, GovukModelForm


class DayField(GovukDateField):
    """GOV.UK day, month and year boxes giving a date (not a moment in time)."""

    def clean(self, value):
        moment = super().clean(value)
        return None if moment is None else moment.date()


class SummaryFilterForm(GovukForm):
    """Narrow the summary to people who gave one answer, and to responses sent between two dates."""

    option = forms.TypedChoiceField(
        label=_("Only people who answered"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("For example, only people who said they use the library."),
    )
    since = DayField(label=_("Sent on or after"), required=False, help_text=_("For example, 1 10 2026."))
    until = DayField(label=_("Sent on or before"), required=False, help_text=_("For example, 31 10 2026."))

    def __init__(self, *args, consultation: Consultation, **kwargs):
        super().__init__(*args, **kwargs)
        self.groups = filter_options(consultation)
        self.options = {o.pk: o for _q, options in self.groups for o in options}
        self.fields["option"].choices = [("", _("Everyone"))] + [
            (question.text[:80], [(o.pk, o.text) for o in options]) for question, options in self.groups
        ]

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            self.add_error("until", _("The end date must be on or after the start date."))
        return data

    def filters(self) -> ResultFilters:
        if not self.is_bound or not self.is_valid():
            return ResultFilters()
        data = self.cleaned_data
        return ResultFilters(
            option=self.options.get(data.get("option")), since=data.get("since"), until=data.get("until")
        )


class BrowseForm(GovukForm):
    """Search the answers to one written question, and show only those with a tag (or with none)."""

    UNTAGGED = "untagged"

    q = forms.CharField(label=_("Search the answers"), required=False, max_length=200)

    govuk_widths = {"q": "govuk-!-width-two-thirds"}
    tag = forms.ChoiceField(label=_("Tag"), required=False)

    def __init__(self, *args, tags: list[Tag], **kwargs):
        super().__init__(*args, **kwargs)
        self.tags = {str(t.pk): t for t in tags}
        self.fields["tag"].choices = [
            ("", _("Any tag or none")),
            (self.UNTAGGED, _("Not tagged yet")),
            *[(str(t.pk), t.name) for t in tags],
        ]

    def criteria(self) -> dict:
        if not self.is_valid():
            return {}
        tag = self.cleaned_data.get("tag") or ""
        return {
            "search": self.cleaned_data.get("q", "").strip(),
            "tag": self.tags.get(tag),
            "untagged": tag == self.UNTAGGED,
        }


class TagForm(GovukForm):
    name = forms.CharField(
        label=_("Add a tag"),
        max_length=TAG_MAX,
        help_text=_("Choose an existing tag or type a new one."),
    )


class QuestionChoiceForm(GovukForm):
    question = forms.TypedChoiceField(label=_("Question"), coerce=int)

    def __init__(self, *args, questions: list[Question], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["question"].choices = [(q.pk, q.text) for q in questions]


class OutcomeForm(GovukModelForm):
    decision_date = DayField(
        label=_("Date of the decision"), required=False, help_text=_("For example, 27 3 2027.")
    )
    decision_url = forms.URLField(
        label=_("Link to the decision"),
        required=False,
        assume_scheme="https",
        max_length=200,
        help_text=_("A link to the decision notice or the meeting's minutes."),
    )

    class Meta:
        model = Outcome
        fields = ["you_said", "we_did", "decision_title", "decision_url", "decided_by", "decision_date"]
        widgets = {
            "you_said": forms.Textarea(attrs={"rows": 6}),
            "we_did": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {
            "decision_title": _("For example, “Cabinet decision: library opening hours 2027”."),
            "decided_by": _("For example, Cabinet, or the North Area Committee."),
        }
        labels = {"decision_title": _("Name of the decision")}

    govuk_widths = {"decided_by": "govuk-!-width-two-thirds", "decision_title": "govuk-!-width-full"}
