"""People, organisations, roles and API tokens.

- ``User``: e-mail address as login (unique whatever the letter case, enforced by the database), a name to show,
  a declared home postcode that council staff verify.
- ``Organisation``: a parish council, community group or charity, linked to an area.
- ``RoleAssignment``: a role held by a person over an area (and every area inside it) or over an organisation.
- ``ApiToken``: a secret for the JSON API; only a hash of it is stored.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from localpower.accounts.validators import (
    CHARITY_NUMBER_PATTERN,
    COMPANY_NUMBER_PATTERN,
    validate_charity_number,
    validate_company_number,
)


class UserManager(BaseUserManager):
    use_in_migrations = True

    @staticmethod
    def normalise_email(email: str) -> str:
        """Addresses are kept in lower case, so sign-in and uniqueness ignore letter case."""
        return (email or "").strip().lower()

    def get_by_natural_key(self, username):
        return self.get(email=self.normalise_email(username))

    def create_user(self, email: str, password: str | None = None, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalise_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        extra.setdefault("email_verified_at", timezone.now())
        return self.create_user(email, password, **extra)


class PostcodeCheck(models.TextChoices):
    """The council record a member of staff checked before verifying a home postcode."""

    ELECTORAL_REGISTER = "electoral_register", _("Electoral register")
    COUNCIL_TAX = "council_tax", _("Council tax record")


class User(AbstractBaseUser, PermissionsMixin):
    # unique=True gives Django's checks an exact-match unique index; the constraint below adds letter case.
    email = models.EmailField(_("e-mail address"), unique=True)
    display_name = models.CharField(_("name to show"), max_length=100, blank=True)
    email_verified_at = models.DateTimeField(_("e-mail verified"), null=True, blank=True)
    home_postcode = models.CharField(_("home postcode"), max_length=8, blank=True)
    postcode_verified_at = models.DateTimeField(_("postcode verified"), null=True, blank=True)
    postcode_verified_by = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("postcode verified by"),
    )
    postcode_check = models.CharField(
        _("postcode checked against"), max_length=20, choices=PostcodeCheck.choices, blank=True
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("can use the Django admin"), default=False)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="user_email_unique_any_case",
                violation_error_message=_("An account with this e-mail address already exists."),
            ),
            models.CheckConstraint(condition=~Q(email=""), name="user_email_not_empty"),
            # A verified postcode must be a postcode, checked against a named record.
            models.CheckConstraint(
                condition=Q(postcode_verified_at__isnull=True)
                | (~Q(home_postcode="") & ~Q(postcode_check="")),
                name="user_verified_postcode_has_check",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name or self.email

    def clean(self):
        super().clean()
        self.email = UserManager.normalise_email(self.email)

    def get_full_name(self) -> str:
        return self.display_name or self.email

    def get_short_name(self) -> str:
        return self.display_name or self.email

    @property
    def email_verified(self) -> bool:
        return self.email_verified_at is not None

    @property
    def postcode_verified(self) -> bool:
        return bool(self.home_postcode) and self.postcode_verified_at is not None

    def home_areas(self) -> list:
        """The areas (largest first) of the person's verified home postcode; empty until it is verified."""
        if not self.postcode_verified:
            return []
        cached = getattr(self, "_home_areas_cache", None)
        if cached is None or cached[0] != self.home_postcode:
            from localpower.places.postcodes import InvalidPostcode
            from localpower.places.selectors import areas_for_postcode

            try:
                areas = areas_for_postcode(self.home_postcode)
            except InvalidPostcode:
                areas = []
            cached = (self.home_postcode, areas)
            self._home_areas_cache = cached
        return list(cached[1])


class OrganisationKind(models.TextChoices):
    PARISH_COUNCIL = "parish_council", _("Parish or town council")
    COMMUNITY_GROUP = "community_group", _("Community group")
    CHARITY = "charity", _("Charity")
    OTHER = "other", _("Other organisation")


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("web address name"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    area = models.ForeignKey(
        "places.Area", on_delete=models.PROTECT, related_name="organisations", verbose_name=_("area")
    )
    charity_number = models.CharField(
        _("Charity Commission number"),
        max_length=12,
        blank=True,
        validators=[validate_charity_number],
        help_text=_("If it is a registered charity, for example 1234567 or SC012345."),
    )
    company_number = models.CharField(
        _("Companies House number"),
        max_length=8,
        blank=True,
        validators=[validate_company_number],
        help_text=_("If it is a registered company, 8 characters, for example 01234567 or SC123456."),
    )
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="organisation_name_not_empty"),
            models.CheckConstraint(
                condition=Q(charity_number="") | Q(charity_number__regex=CHARITY_NUMBER_PATTERN),
                name="organisation_charity_number_format",
            ),
            models.CheckConstraint(
                condition=Q(company_number="") | Q(company_number__regex=COMPANY_NUMBER_PATTERN),
                name="organisation_company_number_format",
            ),
            models.UniqueConstraint(
                fields=["charity_number"],
                condition=~Q(charity_number=""),
                name="organisation_charity_number_unique",
                violation_error_message=_("An organisation with this charity number already exists."),
            ),
            models.UniqueConstraint(
                fields=["company_number"],
                condition=~Q(company_number=""),
                name="organisation_company_number_unique",
                violation_error_message=_("An organisation with this company number already exists."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class RoleKind(models.TextChoices):
    RESIDENT = "resident", _("Resident")
    ORGANISATION_MEMBER = "organisation_member", _("Organisation member")
    OFFICER = "officer", _("Council officer")
    COUNCILLOR = "councillor", _("Councillor")
    MODERATOR = "moderator", _("Moderator")
    ADMINISTRATOR = "administrator", _("Administrator")


# Roles held over an area (and every area inside it).
AREA_ROLES = (
    RoleKind.RESIDENT,
    RoleKind.OFFICER,
    RoleKind.COUNCILLOR,
    RoleKind.MODERATOR,
    RoleKind.ADMINISTRATOR,
)
# Roles held over an organisation: its members, and its administrators who manage the members.
ORGANISATION_ROLES = (RoleKind.ORGANISATION_MEMBER, RoleKind.ADMINISTRATOR)
# Roles that open the staff pages.
STAFF_ROLES = (RoleKind.OFFICER, RoleKind.COUNCILLOR, RoleKind.MODERATOR, RoleKind.ADMINISTRATOR)


class RoleAssignment(models.Model):
    """A person's role over exactly one area or one organisation."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="roles", verbose_name=_("person")
    )
    kind = models.CharField(_("role"), max_length=20, choices=RoleKind.choices)
    area = models.ForeignKey(
        "places.Area",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name=_("area"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_assignments",
        verbose_name=_("organisation"),
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("granted by"),
    )
    granted_at = models.DateTimeField(_("granted"), default=timezone.now)

    class Meta:
        ordering = ["kind", "id"]
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.CheckConstraint(
                condition=(Q(area__isnull=False) & Q(organisation__isnull=True))
                | (Q(area__isnull=True) & Q(organisation__isnull=False)),
                name="role_exactly_one_scope",
                violation_error_message=_("A role is held over either an area or an organisation."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in RoleKind]),
                name="role_kind_known",
            ),
            models.CheckConstraint(
                condition=Q(area__isnull=True) | Q(kind__in=[k.value for k in AREA_ROLES]),
                name="role_area_kind",
                violation_error_message=_("This role cannot be held over an area."),
            ),
            models.CheckConstraint(
                condition=Q(organisation__isnull=True) | Q(kind__in=[k.value for k in ORGANISATION_ROLES]),
                name="role_organisation_kind",
                violation_error_message=_("This role cannot be held over an organisation."),
            ),
            models.UniqueConstraint(
                fields=["user", "kind", "area"],
                condition=Q(area__isnull=False),
                name="role_unique_per_area",
                violation_error_message=_("This person already has this role in this area."),
            ),
            models.UniqueConstraint(
                fields=["user", "kind", "organisation"],
                condition=Q(organisation__isnull=False),
                name="role_unique_per_organisation",
                violation_error_message=_("This person already has this role in this organisation."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.scope}"

    @property
    def scope(self):
        return self.area if self.area_id else self.organisation


class ApiToken(models.Model):
    """A personal token for the JSON API. Only the SHA-256 hash of the secret is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("person"),
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("starts with"), max_length=16, db_index=True)
    token_hash = models.CharField(_("hash of the token"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="apitoken_name_not_empty"),
            models.CheckConstraint(
                condition=Q(token_hash__regex=r"^[0-9a-f]{64}$"), name="apitoken_hash_is_sha256"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
