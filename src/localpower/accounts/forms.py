"""Forms for signing up and in, the account page, organisations and the staff pages (GOV.UK markup)."""

from __future__ import annotations

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _

from localpower.accounts.models import (
    AREA_ROLES,
    Organisation,
    OrganisationKind,
    PostcodeCheck,
    User,
)
from localpower.accounts.validators import normalise_charity_number, normalise_company_number
from localpower.core.forms import GovukForm, GovukFormMixin, GovukModelForm


def _email_field(**kwargs) -> forms.EmailField:
    return forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        error_messages={
            "required": _("Enter your e-mail address"),
            "invalid": _("Enter an e-mail address in the correct format, like name@example.com"),
        },
        **kwargs,
    )


class SignUpForm(GovukForm):
    govuk_autocomplete = {
        "email": "email",
        "display_name": "name",
        "password1": "new-password",
        "password2": "new-password",
    }
    govuk_widths = {"display_name": "govuk-!-width-two-thirds"}

    email = _email_field(help_text=_("We will send you a link to confirm it is yours."))
    display_name = forms.CharField(
        label=_("Your name"),
        max_length=100,
        help_text=_("Shown next to what you write on the site. It does not have to be your full name."),
        error_messages={"required": _("Enter your name")},
    )
    password1 = forms.CharField(
        label=_("Create a password"),
        strip=False,
        widget=forms.PasswordInput,
        help_text=_("At least 10 characters. A few unrelated words make a good password."),
        error_messages={"required": _("Create a password")},
    )
    password2 = forms.CharField(
        label=_("Type the password again"),
        strip=False,
        widget=forms.PasswordInput,
        error_messages={"required": _("Type your password again")},
    )

    def clean_email(self) -> str:
        email = User.objects.normalise_email(self.cleaned_data["email"])
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                _("An account with this e-mail address already exists. Sign in or reset your password.")
            )
        return email

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The passwords do not match"))
        elif password1:
            candidate = User(email=cleaned.get("email") or "", display_name=cleaned.get("display_name") or "")
            try:
                password_validation.validate_password(password1, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class SignInForm(GovukForm):
    govuk_autocomplete = {"email": "email", "password": "current-password"}

    email = _email_field()
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput,
        error_messages={"required": _("Enter your password")},
    )


class DetailsForm(GovukForm):
    govuk_autocomplete = {"display_name": "name"}
    govuk_widths = {"display_name": "govuk-!-width-two-thirds"}

    display_name = forms.CharField(
        label=_("Your name"), max_length=100, error_messages={"required": _("Enter your name")}
    )


class HomePostcodeForm(GovukForm):
    govuk_widths = {"postcode": "govuk-input--width-10"}
    govuk_autocomplete = {"postcode": "postal-code"}

    postcode = forms.CharField(
        label=_("Home postcode"),
        max_length=16,
        help_text=_("Council staff check it against the electoral register or council tax records."),
        error_messages={"required": _("Enter your home postcode")},
    )

    def clean_postcode(self) -> str:
        from localpower.places.postcodes import InvalidPostcode
        from localpower.places.selectors import areas_for_postcode

        text = self.cleaned_data["postcode"]
        try:
            areas = areas_for_postcode(text)
        except InvalidPostcode as error:
            raise forms.ValidationError(str(error)) from error
        if not areas:
            raise forms.ValidationError(
                _("We could not find this postcode in the council's area. Check it and try again.")
            )
        from localpower.places.postcodes import normalise_postcode

        return normalise_postcode(text)


class ApiTokenForm(GovukForm):
    govuk_widths = {"name": "govuk-!-width-one-half"}

    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        help_text=_("So you can tell your tokens apart, for example 'Ward newsletter script'."),
        error_messages={"required": _("Enter a name for the token")},
    )


class GovukPasswordResetForm(GovukFormMixin, auth_forms.PasswordResetForm):
    govuk_autocomplete = {"email": "email"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("E-mail address")
        self.fields["email"].error_messages["required"] = _("Enter your e-mail address")


def _plain_new_password_wording(form) -> None:
    """Django's default wording lists every rule up front; ours matches the sign-up page."""
    form.fields["new_password1"].label = _("New password")
    form.fields["new_password1"].help_text = _(
        "At least 10 characters. A few unrelated words make a strong password that is easy to remember."
    )
    form.fields["new_password1"].error_messages["required"] = _("Enter a new password")
    form.fields["new_password2"].label = _("Type the new password again")
    form.fields["new_password2"].help_text = ""
    form.fields["new_password2"].error_messages["required"] = _("Type the new password again")


class GovukSetPasswordForm(GovukFormMixin, auth_forms.SetPasswordForm):
    govuk_autocomplete = {"new_password1": "new-password", "new_password2": "new-password"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _plain_new_password_wording(self)


class GovukPasswordChangeForm(GovukFormMixin, auth_forms.PasswordChangeForm):
    govuk_autocomplete = {
        "old_password": "current-password",
        "new_password1": "new-password",
        "new_password2": "new-password",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _plain_new_password_wording(self)
        self.fields["old_password"].label = _("Current password")
        self.fields["old_password"].error_messages["required"] = _("Enter your current password")


class OrganisationForm(GovukModelForm):
    website = forms.URLField(label=_("Website"), required=False, max_length=200, assume_scheme="https")

    govuk_widths = {"charity_number": "govuk-input--width-10", "company_number": "govuk-input--width-10"}

    class Meta:
        model = Organisation
        fields = ["name", "kind", "area", "charity_number", "company_number", "description", "website"]
        widgets = {"kind": forms.RadioSelect}
        error_messages = {
            "name": {"required": _("Enter the organisation's name")},
            "kind": {"required": _("Choose what kind of organisation it is")},
            "area": {"required": _("Choose the area the organisation serves")},
        }

    def __init__(self, *args, areas=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = OrganisationKind.choices
        if areas is not None:
            self.fields["area"].queryset = areas
        self.fields["area"].empty_label = _("Choose an area")

    def clean_charity_number(self) -> str:
        return normalise_charity_number(self.cleaned_data.get("charity_number", ""))

    def clean_company_number(self) -> str:
        return normalise_company_number(self.cleaned_data.get("company_number", ""))

    def validate_unique(self):
        # The service creates the slug; uniqueness of the numbers is checked by the model constraints.
        pass


class AddMemberForm(GovukForm):
    email = _email_field(help_text=_("The person must already have an account."))
    role = forms.ChoiceField(
        label=_("Role in the organisation"),
        choices=[("member", _("Member")), ("admin", _("Administrator: can manage members"))],
        initial="member",
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a role")},
    )

    def clean_email(self) -> User:
        email = User.objects.normalise_email(self.cleaned_data["email"])
        user = User.objects.filter(email=email, is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("There is no account with this e-mail address"))
        return user


class FindPersonForm(GovukForm):
    q = forms.CharField(
        label=_("E-mail address or name"),
        max_length=200,
        required=False,
        help_text=_("Part of it is enough."),
    )


class GrantRoleForm(GovukForm):
    kind = forms.ChoiceField(
        label=_("Role"),
        choices=[(k.value, k.label) for k in AREA_ROLES],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a role")},
    )
    area = forms.ModelChoiceField(
        label=_("Area"),
        queryset=None,
        empty_label=_("Choose an area"),
        help_text=_("The role applies to this area and every area inside it."),
        error_messages={"required": _("Choose an area"), "invalid_choice": _("Choose an area you manage")},
    )

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        from localpower.places.models import Area

        self.fields["area"].queryset = Area.objects.filter(pk__in=[a.pk for a in areas])
        self.fields["area"].choices = [("", _("Choose an area"))] + [
            (a.pk, f"{a.name} ({a.get_kind_display()})") for a in areas
        ]


class PostcodeDecisionForm(GovukForm):
    decision = forms.ChoiceField(
        label=_("What did you find?"),
        choices=[
            (PostcodeCheck.ELECTORAL_REGISTER.value, _("Found on the electoral register at this postcode")),
            (PostcodeCheck.COUNCIL_TAX.value, _("Found in council tax records at this postcode")),
            ("reject", _("Could not find them at this postcode")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what you found")},
    )
    reason = forms.CharField(
        label=_("If you could not find them, say why"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "We send this to the person, so keep it polite and do not include other people's details."
        ),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "reject" and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("Say why the postcode could not be verified"))
        return cleaned


class AuditFilterForm(GovukForm):
    govuk_widths = {"actor": "govuk-!-width-full"}

    actor = forms.CharField(
        label=_("Who"), required=False, max_length=200, help_text=_("E-mail address or part of it")
    )
    action = forms.ChoiceField(label=_("Action"), required=False)
    object_type = forms.ChoiceField(label=_("Object type"), required=False)
    date_from = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter the 'from' date as a real date, like 2026-03-27")},
    )
    date_to = forms.DateField(
        label=_("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter the 'to' date as a real date, like 2026-03-27")},
    )

    def __init__(self, *args, actions: list[str], content_types, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("Any action"))] + [(a, a) for a in actions]
        self.content_types = {str(ct.pk): ct for ct in content_types}
        self.fields["object_type"].choices = [("", _("Any type"))] + [
            (pk, str(ct.name).capitalize()) for pk, ct in self.content_types.items()
        ]

    def clean_object_type(self) -> ContentType | None:
        return self.content_types.get(self.cleaned_data.get("object_type") or "")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The 'to' date must be the same as or after the 'from' date"))
        return cleaned
