"""Places: a council's areas (dated, as boundaries change) and the postcodes in them."""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Q
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


class BoundarySet(models.Model):
    """A dated set of boundaries, e.g. the wards created by a 2022 electoral review."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        ordering = ["-valid_from", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="boundaryset_dates_in_order",
            )
        ]

    def __str__(self) -> str:
        return self.name


class AreaQuerySet(models.QuerySet):
    def valid_on(self, day: datetime.date | None = None) -> AreaQuerySet:
        day = day or datetime.date.today()
        return self.filter(Q(valid_from__lte=day), Q(valid_to__isnull=True) | Q(valid_to__gte=day))


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
        BoundarySet, on_delete=models.PROTECT, null=True, blank=True, related_name="areas"
    )
    valid_from = models.DateField(_("valid from"), default=datetime.date(2000, 1, 1))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)

    objects = AreaQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="area_dates_in_order",
            ),
            models.UniqueConstraint(
                fields=["gss_code", "valid_from"],
                condition=~Q(gss_code=""),
                name="area_gss_code_unique_per_date",
            ),
            models.CheckConstraint(condition=~Q(parent=models.F("id")), name="area_not_own_parent"),
        ]

    def __str__(self) -> str:
        return self.name


class Postcode(models.Model):
    """A postcode (normalised, e.g. "SW1A 1AA") and the areas it lies in."""

    postcode = models.CharField(_("postcode"), max_length=8, unique=True)
    introduced = models.DateField(_("introduced"), null=True, blank=True)
    terminated = models.DateField(_("terminated"), null=True, blank=True)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    areas = models.ManyToManyField(Area, related_name="postcodes", blank=True)

    class Meta:
        ordering = ["postcode"]

    def __str__(self) -> str:
        return self.postcode
