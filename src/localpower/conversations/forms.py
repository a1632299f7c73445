"""Forms for conversations: voting, adding a statement, reporting, tags, and the staff pages."""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from localpower.budgets.forms.staff_widgets import GovukDateField
from localpower.conversations.models import (
    MAX_STATEMENT_LENGTH_LIMIT,
    Conversation,
    Eligibility,
    ModerationMode,
    VoteValue,
)
from localpower.core.forms import GovukForm


def end_of_day(start: datetime.datetime) -> datetime.datetime:
    """The last second of the day that begins at ``start`` (an aware datetime at midnight, local time)."""
    return start + datetime.timedelta(days=1) - datetime.timedelta(seconds=1)


VOTE_CHOICES = {"agree": VoteValue.AGREE, "disagree": VoteValue.DISAGREE, "pass": VoteValue.PASS}


class VoteForm(GovukForm):
    statement = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    vote = forms.ChoiceField(
        choices=[(k, k) for k in VOTE_CHOICES],
        error_messages={"required": _("Choose agree, disagree or pass.")},
    )

    def value(self) -> int:
        return int(VOTE_CHOICES[self.cleaned_data["vote"]])


class StatementForm(GovukForm):
    text = forms.CharField(
        label=_("Your statement"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write your statement.")},
    )

    def __init__(self, *args, conversation: Conversation, **kwargs):
        super().__init__(*args, **kwargs)
        limit = conversation.max_statement_length
        field = self.fields["text"]
        field.max_length = limit
        field.validators.append(forms.CharField(max_length=limit).validators[0])
        # No maxlength attribute: the browser would cut a pasted statement short without saying so. The limit is
        # checked on sending, with a message, and the text comes back to be shortened.
        field.error_messages["max_length"] = _("Keep your statement to %(limit)d characters or fewer.") % {
            "limit": limit
        }
        field.help_text = _(
            "One short opinion others can agree or disagree with, up to %(limit)d characters. Your name is never "
            "shown with it. Do not include anyone’s personal details."
        ) % {"limit": limit}


class ReportForm(GovukForm):
    reason = forms.CharField(
        label=_("What is wrong with it?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=500,
        help_text=_(
            "For example, it is abusive, shares someone’s personal details, or advertises something."
        ),
        error_messages={"required": _("Say what is wrong with it.")},
    )


class TagsForm(GovukForm):
    tags = forms.MultipleChoiceField(
        label=_("Which of these describe you? (optional)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("We show only how many people in each opinion group chose each one, never who."),
    )

    def __init__(self, *args, conversation: Conversation, **kwargs):
        super().__init__(*args, **kwargs)
        self.tag_objects = {str(t.pk): t for t in conversation.tags.all()}
        self.fields["tags"].choices = [(pk, t.label) for pk, t in self.tag_objects.items()]

    def chosen(self):
        return [self.tag_objects[pk] for pk in self.cleaned_data["tags"]]


class ConversationForm(GovukForm):
    area = forms.ModelChoiceField(
        label=_("Area"),
        queryset=None,
        empty_label=_("Choose an area"),
        error_messages={"required": _("Choose an area.")},
    )
    title = forms.CharField(
        label=_("Question"),
        max_length=200,
        help_text=_(
            "What you want to talk about, as a question, such as “How should we make the town centre better?”"
        ),
        error_messages={"required": _("Enter the question.")},
    )
    slug = forms.SlugField(
        label=_("Web address name (optional)"),
        max_length=120,
        required=False,
        help_text=_("Lower-case letters, numbers and dashes. Left empty, it is made from the question."),
    )
    description = forms.CharField(
        label=_("Background (optional)"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=5000,
        help_text=_("What people need to know to take part, and what the council will do with the answers."),
    )
    opens_at = GovukDateField(label=_("Opens"))
    closes_at = GovukDateField(
        label=_("Closes (optional)"),
        required=False,
        help_text=_("The last day people can take part. It closes at the end of this day."),
    )
    moderation = forms.ChoiceField(
        label=_("Checking statements"),
        choices=ModerationMode.choices,
        widget=forms.RadioSelect,
        initial="pre",
    )
    eligibility = forms.ChoiceField(
        label=_("Who can take part"),
        choices=Eligibility.choices,
        widget=forms.RadioSelect,
        initial="residents",
    )
    allow_statements = forms.BooleanField(
        label=_("Participants can add their own statements"), required=False, initial=True
    )
    max_statement_length = forms.IntegerField(
        label=_("Longest statement, in characters"),
        min_value=40,
        max_value=MAX_STATEMENT_LENGTH_LIMIT,
        initial=140,
        error_messages={
            "min_value": _("Allow at least 40 characters."),
            "max_value": _("Allow no more than %(limit)d characters.")
            % {"limit": MAX_STATEMENT_LENGTH_LIMIT},
            "invalid": _("Enter a whole number, such as 140."),
            "required": _("Enter the longest statement allowed, such as 140."),
        },
    )
    tags = forms.CharField(
        label=_("Tags people can choose about themselves (optional)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=2000,
        help_text=_(
            "One a line, such as “I run a local business” or “Under 25”. Shown only as counts by group."
        ),
    )
    govuk_widths = {"max_statement_length": "govuk-input--width-4", "slug": "govuk-input--width-20"}

    def __init__(self, *args, areas, conversation: Conversation | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.conversation = conversation
        self.fields["area"].queryset = areas
        if conversation is not None:
            del self.fields["area"]
            del self.fields["slug"]

    def clean_slug(self):
        slug = self.cleaned_data.get("slug") or ""
        if slug and Conversation.objects.filter(slug=slug).exists():
            raise ValidationError(_("Another conversation uses this web address name. Choose another."))
        return slug

    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("opens_at"), cleaned.get("closes_at")
        if closes:
            # The date field gives the start of the day; the pages say "open until" that day, so it is the last.
            cleaned["closes_at"] = closes = end_of_day(closes)
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("The closing date must be on or after the opening date."))
        if self.conversation is None and not cleaned.get("slug") and cleaned.get("title"):
            cleaned["slug"] = unique_slug(cleaned["title"])
        return cleaned

    def tag_labels(self) -> list[str]:
        return [line.strip() for line in (self.cleaned_data.get("tags") or "").splitlines() if line.strip()]

    def values(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k != "tags"}
        return data


def unique_slug(title: str) -> str:
    base = slugify(title)[:100] or "conversation"
    slug, n = base, 2
    while Conversation.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


class SeedStatementForm(GovukForm):
    text = forms.CharField(
        label=_("Starting statement"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=MAX_STATEMENT_LENGTH_LIMIT,
        help_text=_(
            "A statement to start people off. It is shown straight away, without the council’s name."
        ),
        error_messages={"required": _("Write the statement.")},
    )


class HideForm(GovukForm):
    reason = forms.CharField(
        label=_("Reason for hiding"),
        max_length=300,
        help_text=_("Recorded for the audit log and shown to moderators."),
        error_messages={"required": _("Give the reason for hiding it.")},
    )
