"""What each person wants to hear about, and the areas they follow."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    """The kinds of e-mail; each has its own switch and its own unsubscribe link."""

    IDEA_UPDATES = "idea_updates", _("When the council decides about an idea I shared")
    VOTING = "voting", _("When voting opens or closes in an area I live in or follow")
    RESULTS = "results", _("When results are published in an area I live in or follow")
    CONSULTATIONS = (
        "consultations",
        _(
            "When the council says what it did after a consultation in an area I live in or follow, or one I "
            "responded to"
        ),
    )


class Preference(models.Model):
    """A person's choices. Without a row, every kind is on (people who signed up expect to hear)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )
    idea_updates = models.BooleanField(Kind.IDEA_UPDATES.label, default=True)
    voting = models.BooleanField(Kind.VOTING.label, default=True)
    results = models.BooleanField(Kind.RESULTS.label, default=True)
    consultations = models.BooleanField(Kind.CONSULTATIONS.label, default=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return f"notification preference of {self.user_id}"


class AreaFollow(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="area_follows")
    area = models.ForeignKey("places.Area", on_delete=models.CASCADE, related_name="followers")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["area__name"]
        verbose_name = _("followed area")
        verbose_name_plural = _("followed areas")
        constraints = [models.UniqueConstraint(fields=["user", "area"], name="areafollow_once_per_person")]

    def __str__(self) -> str:
        return f"{self.user_id} follows {self.area_id}"
