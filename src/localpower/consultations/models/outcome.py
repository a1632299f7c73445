"""'You said, we did': the council's published response to a consultation, linked to the decision it led to."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from localpower.consultations.models.consultation import Consultation


class Outcome(models.Model):
    consultation = models.OneToOneField(Consultation, on_delete=models.CASCADE, related_name="outcome")
    you_said = models.TextField(_("You said"), help_text=_("A summary of what people told us."))
    we_did = models.TextField(_("We did"), help_text=_("What the council decided and did because of it."))
    decision_title = models.CharField(_("decision"), max_length=300, blank=True)
    decision_url = models.URLField(_("link to the decision"), blank=True)
    decided_by = models.CharField(_("decided by"), max_length=200, blank=True)
    decision_date = models.DateField(_("date of the decision"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return str(self.consultation)
