"""Places: a council's areas (dated, as boundaries change) and the postcodes in them.

How areas nest (checked by ``Area.clean``; see ``ALLOWED_PARENTS``):

* a county has no parent;
* a district or unitary council has no parent, or a county;
* an area committee sits in a district (or a county);
* a ward sits in an area committee or a district;
* a parish sits in a ward, an area committee or a district (parishes often cross ward boundaries, so imports
  from the ONS put them straight under the district);
* a neighbourhood sits in a parish, a ward, an area committee or a district.

A parent must still exist on the day its child starts (the parent's ``valid_to`` is not before the child's
``valid_from``), and an area can never be its own ancestor.

GSS codes are the nine-character ONS codes: a capital letter and eight digits, such as E05013806. Codes ending
in 99999999 (such as S99999999) are the ONS "not applicable" pseudo-codes and are never stored. Demo and other
made-up areas use codes starting with X, a letter the ONS does not use for any country, so they can never clash
with a real code.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class AreaKind(models.TextChoices):
    # Ordered from largest to smallest; see KIND_ORDER.
    COUNTY = "county", _("County council")
    DISTRICT = "district", _("District or unitary council")
    AREA_COMMITTEE = "area_committee", _("Area committee")
    WARD = "ward", _("Ward")
    PARISH = "parish", _("Parish or town council")
    NEIGHBOURHOOD = "neighbourhood", _("Neighbourhood")


KIND_ORDER = {kind: index for index, kind in enumerate(AreaKind.values)}

# For each kind, the kinds its parent may be. ``None`` in the set means "may have no parent".
ALLOWED_PARENTS: dict[str, set[str | None]] = {
    AreaKind.COUNTY: {None},
    AreaKind.DISTRICT: {None, AreaKind.COUNTY},
    AreaKind.AREA_COMMITTEE: {AreaKind.DISTRICT, AreaKind.COUNTY},
    AreaKind.WARD: {AreaKind.AREA_COMMITTEE, AreaKind.DISTRICT},
    AreaKind.PARISH: {AreaKind.WARD, AreaKind.AREA_COMMITTEE, AreaKind.DISTRICT},
    AreaKind.NEIGHBOURHOOD: {AreaKind.PARISH, AreaKind.WARD, AreaKind.AREA_COMMITTEE, AreaKind.DISTRICT},
}

GSS_CODE_PATTERN = r"^[A-Z][0-9]{8}$"
PSEUDO_CODE_SUFFIX = "99999999"
DEFAULT_VALID_FROM = datetime.date(2000, 1, 1)


class BoundarySet(models.Model):
    """A dated set of boundaries, e.g. the wards created by a 2022 electoral review."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        ordering = ["-valid_from", "name"]
        verbose_name = _("boundary set")
        verbose_name_plural = _("boundary sets")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="boundaryset_dates_in_order",
                violation_error_message=_("The end date must be on or after the start date."),
            )
        ]

    def __str__(self) -> str:
        return self.name


def valid_on_q(day: datetime.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}valid_from__lte": day}) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": day})
    )


class AreaQuerySet(models.QuerySet):
    def valid_on(self, day: datetime.date | None = None) -> AreaQuerySet:
        """Areas whose boundaries apply on ``day`` (today when not given)."""
        return self.filter(valid_on_q(day or datetime.date.today()))

    def current(self) -> AreaQuerySet:
        return self.valid_on(None)


class Area(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("web address name"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=AreaKind.choices)
    gss_code = models.CharField(
        _("GSS code"),
        max_length=9,
        blank=True,
        help_text=_("The ONS code, such as E05013806, where one exists."),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("part of"),
    )
    boundary_set = models.ForeignKey(
        BoundarySet,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="areas",
        verbose_name=_("boundary set"),
    )
    valid_from = models.DateField(_("valid from"), default=DEFAULT_VALID_FROM)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    needs_name = models.BooleanField(
        _("needs a name"),
        default=False,
        help_text=_("Set when an import only knew the area's code; an officer should give it a proper name."),
    )

    objects = AreaQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        indexes = [models.Index(fields=["gss_code"], name="area_gss_code_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="area_dates_in_order",
                violation_error_message=_("The end date must be on or after the start date."),
            ),
            models.UniqueConstraint(
                fields=["gss_code", "valid_from"],
                condition=~Q(gss_code=""),
                name="area_gss_code_unique_per_date",
                violation_error_message=_("Another area already has this GSS code from the same date."),
            ),
            models.CheckConstraint(
                condition=Q(gss_code="") | Q(gss_code__regex=GSS_CODE_PATTERN),
                name="area_gss_code_format",
                violation_error_message=_(
                    "A GSS code is a capital letter followed by 8 digits, like E05013806."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(gss_code__endswith=PSEUDO_CODE_SUFFIX),
                name="area_gss_code_not_pseudo",
                violation_error_message=_(
                    "Codes ending in 99999999 mean 'not applicable' and are not areas."
                ),
            ),
            models.CheckConstraint(condition=Q(kind__in=AreaKind.values), name="area_kind_known"),
            models.CheckConstraint(condition=~Q(parent=models.F("id")), name="area_not_own_parent"),
            models.CheckConstraint(condition=~Q(slug=""), name="area_slug_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("places:area", kwargs={"slug": self.slug})

    @property
    def kind_order(self) -> int:
        return KIND_ORDER.get(self.kind, len(KIND_ORDER))

    def is_valid_on(self, day: datetime.date | None = None) -> bool:
        day = day or datetime.date.today()
        return self.valid_from <= day and (self.valid_to is None or self.valid_to >= day)

    @property
    def is_current(self) -> bool:
        return self.is_valid_on(None)

    def clean(self) -> None:
        super().clean()
        errors: dict[str, list] = {}
        if self.gss_code:
            self.gss_code = self.gss_code.strip().upper()
        if self.gss_code.endswith(PSEUDO_CODE_SUFFIX):
            errors.setdefault("gss_code", []).append(
                _("Codes ending in 99999999 mean 'not applicable' and are not areas.")
            )
        parent = self.parent if self.parent_id else None
        allowed = ALLOWED_PARENTS.get(self.kind, set())
        parent_kind = parent.kind if parent is not None else None
        if self.kind in ALLOWED_PARENTS and parent_kind not in allowed:
            if parent is None:
                message = _("A %(kind)s must be part of a larger area.")
            else:
                message = _("A %(kind)s cannot be part of a %(parent_kind)s.")
            errors.setdefault("parent", []).append(
                ValidationError(
                    message,
                    params={
                        "kind": AreaKind(self.kind).label.lower(),
                        "parent_kind": AreaKind(parent_kind).label.lower() if parent_kind else "",
                    },
                )
            )
        if parent is not None:
            seen = {self.pk} if self.pk else set()
            node = parent
            while node is not None:
                if node.pk in seen:
                    errors.setdefault("parent", []).append(_("An area cannot be part of itself."))
                    break
                seen.add(node.pk)
                node = node.parent if node.parent_id else None
            if self.valid_from and parent.valid_to and parent.valid_to < self.valid_from:
                errors.setdefault("parent", []).append(_("The larger area ended before this area starts."))
        if self.gss_code and self.valid_from:
            overlapping = Area.objects.filter(gss_code=self.gss_code).exclude(pk=self.pk)
            overlapping = overlapping.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=self.valid_from))
            if self.valid_to:
                overlapping = overlapping.filter(valid_from__lte=self.valid_to)
            if overlapping.exists():
                errors.setdefault("gss_code", []).append(
                    _("Another area has this GSS code for some of the same dates.")
                )
        if errors:
            raise ValidationError(errors)


class Postcode(models.Model):
    """A postcode (normalised, e.g. "SW1A 1AA") and the areas it lies in.

    A postcode is linked directly to the smallest areas it is in (ward, parish, and so on); the larger areas
    follow from their parents. Links to areas from past boundary sets are kept, so a postcode can be looked up
    on any date.
    """

    postcode = models.CharField(_("postcode"), max_length=8, unique=True)
    introduced = models.DateField(_("introduced"), null=True, blank=True)
    terminated = models.DateField(_("no longer used from"), null=True, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    areas = models.ManyToManyField(Area, related_name="postcodes", blank=True, verbose_name=_("areas"))

    class Meta:
        ordering = ["postcode"]
        verbose_name = _("postcode")
        verbose_name_plural = _("postcodes")
        constraints = [
            models.CheckConstraint(
                condition=Q(postcode__regex=r"^[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}$"),
                name="postcode_normalised",
                violation_error_message=_("Postcodes are stored in capitals with one space, like DB1 2AA."),
            ),
            models.CheckConstraint(
                condition=Q(terminated__isnull=True)
                | Q(introduced__isnull=True)
                | Q(terminated__gte=models.F("introduced")),
                name="postcode_dates_in_order",
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="postcode_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="postcode_longitude_range",
            ),
        ]

    def __str__(self) -> str:
        return self.postcode

    @property
    def is_terminated(self) -> bool:
        return self.terminated is not None and self.terminated <= datetime.date.today()
