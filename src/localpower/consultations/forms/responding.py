"""The form for one page (section) of a survey: a field for each question, GOV.UK markup, and answers checked
by the same rules the service applies (``services.responding.validate_value``).

Ranking questions are a "position" select for each option (no JavaScript needed), checked for repeated
positions. Map points are a postcode (looked up) or a latitude and longitude, with an optional description.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from localpower.consultations.models import Answer, Question, QuestionKind
from localpower.consultations.services.responding import is_empty, plain_number, validate_value
from localpower.consultations.validators import ACCEPT
from localpower.core.forms import GovukForm
from localpower.places.models import Postcode
from localpower.places.postcodes import InvalidPostcode, normalise_postcode


def _name(question: Question) -> str:
    return f"q{question.pk}"


class SectionAnswersForm(GovukForm):
    """``questions``: the section's questions (options prefetched); ``answers``: saved answers by question id."""

    def __init__(
        self,
        *args,
        questions: list[Question],
        answers: dict[int, Answer] | None = None,
        enforce_required: bool = True,
        **kwargs,
    ):
        self.questions = list(questions)
        self.saved = answers or {}
        self.enforce_required = enforce_required
        kwargs.setdefault("initial", {})
        super().__init__(*args, **kwargs)
        for question in self.questions:
            self._add_fields(question, self.saved.get(question.pk))
        # GovukFormMixin set classes in its __init__, before these fields existed: set them now.
        self._style_fields()

    def _style_fields(self) -> None:
        from localpower.core.forms import _INPUT_CLASSES

        for name, field in self.fields.items():
            widget_type = self[name].widget_type
            css = _INPUT_CLASSES.get(widget_type, "govuk-input")
            extra = field.widget.attrs.pop("width", "")
            field.widget.attrs["class"] = " ".join(filter(None, [css, extra]))

    # ------------------------------------------------------------------ building fields

    def _add_fields(self, question: Question, answer: Answer | None) -> None:
        name = _name(question)
        label = question.label
        hint = question.hint
        kind = question.kind
        options = list(question.options.all())
        picked = (
            [c.option_id for c in answer.picked.all()] if answer is not None and question.has_options else []
        )
        if kind in (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT):
            if question.max_length and kind == QuestionKind.SHORT_TEXT:  # long text: a character count
                limit = str(
                    _("You can enter up to %(max)s characters.") % {"max": f"{question.max_length:,}"}
                )
                hint = f"{hint} {limit}".strip()
            widget = (
                forms.Textarea(attrs={"rows": 5}) if kind == QuestionKind.LONG_TEXT else forms.TextInput()
            )
            self.fields[name] = forms.CharField(
                label=label, help_text=hint, required=False, widget=widget, strip=False
            )
            self.initial[name] = answer.text if answer else ""
        elif kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.SCALE):
            self.fields[name] = forms.ChoiceField(
                label=label,
                help_text=hint,
                required=False,
                widget=forms.RadioSelect,
                choices=[(str(o.pk), o.text) for o in options],
            )
            self.initial[name] = str(picked[0]) if picked else None
        elif kind == QuestionKind.MULTIPLE_CHOICE:
            if question.max_choices:
                limit = str(_("Choose up to %(max)d.") % {"max": question.max_choices})
                hint = f"{hint} {limit}".strip()
            self.fields[name] = forms.MultipleChoiceField(
                label=label,
                help_text=hint,
                required=False,
                widget=forms.CheckboxSelectMultiple,
                choices=[(str(o.pk), o.text) for o in options],
            )
            self.initial[name] = [str(p) for p in picked]
        elif kind == QuestionKind.RANKING:
            ranks = {c.option_id: c.rank for c in answer.picked.all()} if answer is not None else {}
            positions = [("", _("Not ranked"))] + [(str(i), str(i)) for i in range(1, len(options) + 1)]
            for option in options:
                sub = f"{name}_{option.pk}"
                self.fields[sub] = forms.ChoiceField(label=option.text, required=False, choices=positions)
                self.initial[sub] = str(ranks[option.pk]) if option.pk in ranks else ""
        elif kind == QuestionKind.NUMBER:
            low, high = question.number_min, question.number_max
            if low is not None and high is not None:
                limit = _("Enter a number from %(min)s to %(max)s.") % {
                    "min": plain_number(low),
                    "max": plain_number(high),
                }
            elif low is not None:
                limit = _("Enter a number of %(min)s or more.") % {"min": plain_number(low)}
            elif high is not None:
                limit = _("Enter a number of %(max)s or less.") % {"max": plain_number(high)}
            else:
                limit = ""
            hint = f"{hint} {limit}".strip()
            self.fields[name] = forms.CharField(
                label=label,
                help_text=hint,
                required=False,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "width": "govuk-input--width-10"}),
            )
            self.initial[name] = (
                f"{answer.number.normalize():f}" if answer and answer.number is not None else ""
            )
        elif kind == QuestionKind.POSTCODE:
            self.fields[name] = forms.CharField(
                label=label,
                help_text=hint,
                required=False,
                widget=forms.TextInput(
                    attrs={"autocomplete": "postal-code", "width": "govuk-input--width-10"}
                ),
            )
            self.initial[name] = answer.text if answer else ""
        elif kind == QuestionKind.FILE:
            if answer is not None and answer.file:
                kept = str(_("You have already uploaded %(name)s. Choose a file only to replace it."))
                hint = f"{hint} {kept % {'name': answer.file.name.rsplit('/', 1)[-1]}}".strip()
            self.fields[name] = forms.FileField(
                label=label,
                help_text=hint or _("PDF, Word, OpenDocument text, JPEG or PNG, up to 10 MB."),
                required=False,
                widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
            )
        elif kind == QuestionKind.MAP_POINT:
            self.fields[f"{name}_postcode"] = forms.CharField(
                label=_("Postcode of the place"),
                required=False,
                help_text=_("We will use the middle of the postcode area."),
                widget=forms.TextInput(attrs={"width": "govuk-input--width-10"}),
            )
            self.fields[f"{name}_latitude"] = forms.CharField(
                label=_("Latitude"),
                required=False,
                help_text=_("For example, 52.2053"),
                widget=forms.TextInput(attrs={"inputmode": "decimal", "width": "govuk-input--width-10"}),
            )
            self.fields[f"{name}_longitude"] = forms.CharField(
                label=_("Longitude"),
                required=False,
                help_text=_("For example, 0.1218 or -1.2577"),
                widget=forms.TextInput(attrs={"inputmode": "decimal", "width": "govuk-input--width-10"}),
            )
            self.fields[f"{name}_text"] = forms.CharField(
                label=_("Describe the place (optional)"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
            if answer is not None:
                if answer.latitude is not None:
                    self.initial[f"{name}_latitude"] = f"{answer.latitude.normalize():f}"
                    self.initial[f"{name}_longitude"] = f"{answer.longitude.normalize():f}"
                self.initial[f"{name}_text"] = answer.text

    # ------------------------------------------------------------------ reading answers

    def anchor(self, question: Question) -> str:
        """The field that carries the question's errors (the first of a group)."""
        if question.kind == QuestionKind.RANKING:
            first = next(iter(question.options.all()), None)
            return f"{_name(question)}_{first.pk}" if first else _name(question)
        if question.kind == QuestionKind.MAP_POINT:
            return f"{_name(question)}_postcode"
        return _name(question)

    def _raw(self, question: Question):
        name = _name(question)
        data = self.cleaned_data
        kind = question.kind
        if kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.SCALE):
            chosen = data.get(name)
            return [o for o in question.options.all() if str(o.pk) == chosen]
        if kind == QuestionKind.MULTIPLE_CHOICE:
            chosen = set(data.get(name) or [])
            return [o for o in question.options.all() if str(o.pk) in chosen]
        if kind == QuestionKind.RANKING:
            ranked = []
            for option in question.options.all():
                position = data.get(f"{name}_{option.pk}")
                if position:
                    ranked.append((int(position), option))
            positions = [p for p, _o in ranked]
            if len(set(positions)) != len(positions):
                raise ValidationError(_("Give each option a different position."))
            return [option for _p, option in sorted(ranked, key=lambda pair: pair[0])]
        if kind == QuestionKind.NUMBER:
            text = (data.get(name) or "").strip().replace(",", "")
            if not text:
                return None
            try:
                return Decimal(text.lstrip("£"))
            except InvalidOperation:
                raise ValidationError(_("Enter a number, like 12 or 3.5.")) from None
        if kind == QuestionKind.FILE:
            return data.get(name) or None
        if kind == QuestionKind.MAP_POINT:
            return self._point(question)
        return data.get(name) or ""

    def _point(self, question: Question) -> dict:
        name = _name(question)
        data = self.cleaned_data
        latitude, longitude = (data.get(f"{name}_{part}", "").strip() for part in ("latitude", "longitude"))
        postcode = data.get(f"{name}_postcode", "").strip()
        point = {"latitude": None, "longitude": None, "text": data.get(f"{name}_text", "").strip()}
        if latitude or longitude:
            try:
                point["latitude"] = Decimal(latitude).quantize(Decimal("0.000001"))
                point["longitude"] = Decimal(longitude).quantize(Decimal("0.000001"))
            except InvalidOperation:
                raise ValidationError(
                    {
                        f"{name}_latitude": _(
                            "Enter the latitude and longitude as numbers, like 52.2053 and 0.1218."
                        )
                    }
                ) from None
        elif postcode:
            try:
                normalised = normalise_postcode(postcode)
            except InvalidPostcode as error:
                raise ValidationError({f"{name}_postcode": str(error)}) from None
            found = Postcode.objects.filter(postcode=normalised, latitude__isnull=False).first()
            if found is None:
                raise ValidationError(
                    {
                        f"{name}_postcode": _(
                            "We could not find where %(postcode)s is. Enter a latitude and longitude instead."
                        )
                        % {"postcode": normalised}
                    }
                )
            point["latitude"], point["longitude"] = found.latitude, found.longitude
        return point

    def clean(self):
        data = super().clean()
        self.values: dict[Question, object] = {}
        for question in self.questions:
            anchor = self.anchor(question)
            try:
                value = validate_value(question, self._raw(question))
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    for field, messages in error.error_dict.items():
                        self.add_error(field, messages)
                else:
                    self.add_error(anchor, error.messages)
                continue
            if self.enforce_required and question.required and is_empty(question, value):
                if question.kind != QuestionKind.FILE or not self._has_saved_file(question):
                    self.add_error(anchor, self._required_message(question))
                    continue
            self.values[question] = value
        return data

    def _has_saved_file(self, question: Question) -> bool:
        answer = self.saved.get(question.pk)
        return answer is not None and bool(answer.file)

    @staticmethod
    def _required_message(question: Question) -> str:
        kind = question.kind
        if kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.SCALE, QuestionKind.MULTIPLE_CHOICE):
            return _("Select an answer to “%(text)s”.") % {"text": question.text}
        if kind == QuestionKind.RANKING:
            return _("Give a position to at least one option for “%(text)s”.") % {"text": question.text}
        if kind == QuestionKind.FILE:
            return _("Upload a file for “%(text)s”.") % {"text": question.text}
        if kind == QuestionKind.MAP_POINT:
            return _("Enter a postcode or a latitude and longitude for “%(text)s”.") % {"text": question.text}
        return _("Enter your answer to “%(text)s”.") % {"text": question.text}

    def rows(self) -> list[dict]:
        """Each question with its bound field(s), for the page template."""
        rows = []
        for question in self.questions:
            name = _name(question)
            row = {"question": question, "kind": question.kind}
            if question.kind == QuestionKind.RANKING:
                row["fields"] = [self[f"{name}_{o.pk}"] for o in question.options.all()]
                row["anchor"] = self[self.anchor(question)]
            elif question.kind == QuestionKind.MAP_POINT:
                row["fields"] = {
                    part: self[f"{name}_{part}"] for part in ("postcode", "latitude", "longitude", "text")
                }
            else:
                row["field"] = self[name]
            rows.append(row)
        return rows


class SaveForLaterForm(GovukForm):
    email = forms.EmailField(
        label=_("E-mail address (optional)"),
        required=False,
        help_text=_("We will send the link to this address. We do not keep it."),
    )
    govuk_autocomplete = {"email": "email"}


class SubmitForm(GovukForm):
    """The "check your answers" page: who the response is from (identified consultations) and send."""

    organisation = forms.ChoiceField(
        label=_("Who is this response from?"), required=False, widget=forms.RadioSelect
    )

    def __init__(self, *args, organisations=(), person_name: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = {str(o.pk): o for o in organisations}
        if self.organisations:
            self.fields["organisation"].choices = [("", _("Me, as %(name)s") % {"name": person_name})] + [
                (pk, _("On behalf of %(name)s") % {"name": o.name}) for pk, o in self.organisations.items()
            ]
            self.fields["organisation"].initial = ""
        else:
            del self.fields["organisation"]

    def chosen_organisation(self):
        return self.organisations.get(self.cleaned_data.get("organisation") or "")
