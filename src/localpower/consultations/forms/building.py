"""Staff forms for building a consultation: its details, documents, sections and questions.

They are plain forms (not model forms): the services write, so nothing changes an object until it is saved.
"""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from localpower.accounts.models import Organisation
from localpower.budgets.forms.staff_widgets import GovukDateField
from localpower.consultations.models import (
    Anonymity,
    Audience,
    Consultation,
    ConsultationKind,
    Question,
    QuestionKind,
)
from localpower.consultations.models.consultation import CHOICE_KINDS
from localpower.consultations.validators import ACCEPT, validate_document
from localpower.core.forms import GovukForm

LIKERT = ["Strongly agree", "Agree", "Neither agree nor disagree", "Disagree", "Strongly disagree"]
DAY = datetime.timedelta(days=1)
# Words the staff pages use after /staff/consultations/.
RESERVED_SLUGS = {"new"}


class ConsultationForm(GovukForm):
    area = forms.ModelChoiceField(
        label=_("Area"), queryset=None, empty_label=None, help_text=_("Who the consultation is about.")
    )
    run_by = forms.CharField(
        label=_("Run by (optional)"),
        max_length=200,
        required=False,
        help_text=_("The committee, council or team running it, for example “Libraries team”."),
    )
    kind = forms.ChoiceField(
        label=_("What is it?"), choices=ConsultationKind.choices, widget=forms.RadioSelect
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    slug = forms.SlugField(
        label=_("Web address name"),
        max_length=120,
        help_text=_("Lower-case letters, numbers and hyphens, for example “library-future”."),
    )
    summary = forms.CharField(
        label=_("Summary"), max_length=300, help_text=_("One or two sentences shown in lists.")
    )
    description = forms.CharField(
        label=_("Description (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What the council proposes, why, and what it will do with the responses."),
    )
    opens_at = GovukDateField(
        label=_("Opens on"), help_text=_("For example, 1 6 2027. It opens as that day begins.")
    )
    closes_at = GovukDateField(
        label=_("Last day for responses"), help_text=_("Responses are accepted until the end of that day.")
    )
    audience = forms.ChoiceField(
        label=_("Who can respond?"), choices=Audience.choices, widget=forms.RadioSelect
    )
    invited_organisations = forms.ModelMultipleChoiceField(
        label=_("Invited organisations"),
        queryset=Organisation.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only for “Invited organisations only”: members of these organisations can respond."),
    )
    anonymity = forms.ChoiceField(label=_("Responses"), choices=Anonymity.choices, widget=forms.RadioSelect)

    govuk_widths = {"slug": "govuk-input--width-20", "run_by": "govuk-input--width-30"}

    def __init__(
        self, *args, areas, consultation: Consultation | None = None, frozen: bool = False, **kwargs
    ):
        self.consultation = consultation
        if consultation is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "area": consultation.area_id,
                "run_by": consultation.run_by,
                "kind": consultation.kind,
                "title": consultation.title,
                "slug": consultation.slug,
                "summary": consultation.summary,
                "description": consultation.description,
                "opens_at": consultation.opens_at,
                "closes_at": consultation.closes_at - DAY,
                "audience": consultation.audience,
                "invited_organisations": list(
                    consultation.invited_organisations.values_list("pk", flat=True)
                ),
                "anonymity": consultation.anonymity,
            }
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas
        if consultation is None:
            self.fields["kind"].initial = ConsultationKind.CONSULTATION
            self.fields["audience"].initial = Audience.EVERYONE
            self.fields["anonymity"].initial = Anonymity.IDENTIFIED
        self.frozen_fields = []
        if frozen:
            for name in ("area", "kind", "slug", "opens_at", "audience", "anonymity"):
                self.frozen_fields.append((self.fields[name].label, self._shown(name)))
                del self.fields[name]

    def _shown(self, name):
        value = getattr(self.consultation, name)
        if name == "opens_at":
            return timezone.localtime(value).strftime("%-d %B %Y")
        display = getattr(self.consultation, f"get_{name}_display", None)
        return display() if display else value

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if slug in RESERVED_SLUGS:
            raise forms.ValidationError(
                _("“%(slug)s” is used by the service itself. Choose another.") % {"slug": slug}
            )
        clash = Consultation.objects.filter(slug=slug)
        if self.consultation is not None:
            clash = clash.exclude(pk=self.consultation.pk)
        if clash.exists():
            raise forms.ValidationError(_("Another consultation uses this web address name. Choose another."))
        return slug

    def clean_closes_at(self):
        value = self.cleaned_data.get("closes_at")
        return value + DAY if value else value

    def clean(self):
        data = super().clean()
        opens = data.get("opens_at", self.consultation.opens_at if self.consultation else None)
        closes = data.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("The last day for responses must be on or after the opening day."))
        if data.get("audience") == Audience.ORGANISATIONS and not data.get("invited_organisations"):
            self.add_error("invited_organisations", _("Choose the organisations invited to respond."))
        return data

    def values(self) -> dict:
        names = ["area", "run_by", "kind", "title", "slug", "summary", "description"]
        names += ["opens_at", "closes_at", "audience", "anonymity"]
        return {name: self.cleaned_data[name] for name in names if name in self.cleaned_data}


class DocumentForm(GovukForm):
    title = forms.CharField(label=_("Title of the document"), max_length=200)
    file = forms.FileField(
        label=_("Upload a file"),
        required=False,
        validators=[validate_document],
        help_text=_("PDF, Word, OpenDocument text, JPEG or PNG, up to 20 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )
    url = forms.URLField(
        label=_("Or give a link to it"),
        required=False,
        assume_scheme="https",
        help_text=_("For example, a page on the council's website."),
    )

    def clean(self):
        data = super().clean()
        if not self.errors and bool(data.get("file")) == bool(data.get("url")):
            self.add_error("file", _("Upload a file or give a link, but not both."))
        return data


class SectionForm(GovukForm):
    title = forms.CharField(label=_("Section title"), max_length=200)
    description = forms.CharField(
        label=_("Introduction (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Shown at the top of the page, above the questions."),
    )
    condition_question = forms.ChoiceField(
        label=_("Show this section"),
        required=False,
        widget=forms.RadioSelect,
        help_text=_(
            "A section can depend on a 'choose one', 'choose any' or scale question in an earlier section."
        ),
    )
    condition_options = forms.MultipleChoiceField(
        label=_("…when the answer is one of"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick the answers to the chosen question that make this section appear."),
    )

    def __init__(self, *args, earlier_questions: list[Question] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = {str(q.pk): q for q in earlier_questions}
        self.fields["condition_question"].choices = [("", _("Always"))] + [
            (str(q.pk), _("Only after the question “%(text)s”") % {"text": q.text}) for q in earlier_questions
        ]
        self.fields["condition_options"].choices = [
            (str(option.pk), f"{q.text}: {option.text}")
            for q in earlier_questions
            for option in q.options.all()
        ]
        if not earlier_questions:
            del self.fields["condition_question"]
            del self.fields["condition_options"]

    def clean(self):
        data = super().clean()
        chosen = self.questions.get(data.get("condition_question") or "")
        picked = set(data.get("condition_options") or [])
        data["question"] = chosen
        data["options"] = []
        if chosen is not None:
            own = [o for o in chosen.options.all() if str(o.pk) in picked]
            if not own:
                self.add_error("condition_options", _("Tick at least one answer to the chosen question."))
            elif len(own) != len(picked):
                self.add_error("condition_options", _("Tick only answers to the chosen question."))
            data["options"] = own
        elif picked:
            self.add_error("condition_question", _("Choose the question this section depends on."))
        return data


class QuestionKindForm(GovukForm):
    kind = forms.ChoiceField(
        label=_("What kind of question?"), choices=QuestionKind.choices, widget=forms.RadioSelect
    )


class QuestionForm(GovukForm):
    text = forms.CharField(label=_("Question"), max_length=500)
    hint = forms.CharField(
        label=_("Hint (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Extra help shown under the question."),
    )
    required = forms.BooleanField(label=_("An answer is required"), required=False)
    options = forms.CharField(
        label=_("Options"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One option on each line, in the order people should see them."),
    )
    max_choices = forms.IntegerField(
        label=_("Most options a person may pick (optional)"), required=False, min_value=1
    )
    number_min = forms.DecimalField(
        label=_("Smallest number allowed (optional)"), required=False, max_digits=14, decimal_places=2
    )
    number_max = forms.DecimalField(
        label=_("Largest number allowed (optional)"), required=False, max_digits=14, decimal_places=2
    )
    max_length = forms.IntegerField(
        label=_("Most characters allowed (optional)"), required=False, min_value=1, max_value=100_000
    )

    govuk_widths = {
        "max_choices": "govuk-input--width-3",
        "number_min": "govuk-input--width-10",
        "number_max": "govuk-input--width-10",
        "max_length": "govuk-input--width-5",
    }

    def __init__(self, *args, kind: str, question: Question | None = None, **kwargs):
        if question is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "text": question.text,
                "hint": question.hint,
                "required": question.required,
                "options": "\n".join(o.text for o in question.options.all()),
                "max_choices": question.max_choices,
                "number_min": question.number_min,
                "number_max": question.number_max,
                "max_length": question.max_length,
            }
        elif kind == QuestionKind.SCALE and "initial" not in kwargs:
            kwargs["initial"] = {"options": "\n".join(LIKERT)}
        super().__init__(*args, **kwargs)
        self.kind = kind
        if kind == QuestionKind.SCALE:
            self.fields["options"].help_text = _("The points of the scale, one on each line, in order.")
        keep = {"text", "hint", "required"}
        if kind in CHOICE_KINDS:
            keep.add("options")
        if kind in (QuestionKind.MULTIPLE_CHOICE, QuestionKind.RANKING):
            keep.add("max_choices")
        if kind == QuestionKind.NUMBER:
            keep |= {"number_min", "number_max"}
        if kind in (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT, QuestionKind.MAP_POINT):
            keep.add("max_length")
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]

    def clean_options(self):
        lines = [line.strip() for line in self.cleaned_data["options"].splitlines() if line.strip()]
        if len(lines) < 2:
            raise forms.ValidationError(_("Enter at least 2 options, one on each line."))
        if len({line.casefold() for line in lines}) != len(lines):
            raise forms.ValidationError(_("Each option must be different."))
        if any(len(line) > 300 for line in lines):
            raise forms.ValidationError(_("Each option must be 300 characters or fewer."))
        return lines

    def clean(self):
        data = super().clean()
        low, high = data.get("number_min"), data.get("number_max")
        if low is not None and high is not None and low > high:
            self.add_error("number_max", _("The largest number must not be smaller than the smallest."))
        options = data.get("options")
        if data.get("max_choices") and options and data["max_choices"] > len(options):
            self.add_error("max_choices", _("The limit cannot be more than the number of options."))
        return data

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "kind": self.kind,
            "text": data["text"],
            "hint": data.get("hint", ""),
            "required": data.get("required", False),
            "options": data.get("options", []),
            "max_choices": data.get("max_choices"),
            "number_min": data.get("number_min"),
            "number_max": data.get("number_max"),
            "max_length": data.get("max_length"),
        }


class MoveForm(GovukForm):
    direction = forms.ChoiceField(choices=[("up", "up"), ("down", "down")])
