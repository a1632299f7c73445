"""Django admin for places: mainly for officers to rename areas an import could only name by their code."""

from __future__ import annotations

from django.contrib import admin

from localpower.core import audit
from localpower.places.models import Area, BoundarySet, Postcode


class AuditedAdmin(admin.ModelAdmin):
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit.record(
            actor=request.user,
            action=f"places.{obj._meta.model_name}_{'changed' if change else 'created'}",
            target=obj,
            summary=f"{'Changed' if change else 'Created'} {obj._meta.verbose_name} {obj} in the admin",
            changes={field: str(form.cleaned_data.get(field)) for field in form.changed_data},
            request=request,
        )


@admin.register(BoundarySet)
class BoundarySetAdmin(AuditedAdmin):
    list_display = ["name", "valid_from", "valid_to", "source"]
    search_fields = ["name"]


@admin.register(Area)
class AreaAdmin(AuditedAdmin):
    list_display = ["name", "kind", "gss_code", "parent", "valid_from", "valid_to", "needs_name"]
    list_filter = ["kind", "needs_name", "boundary_set"]
    search_fields = ["name", "gss_code", "slug"]
    autocomplete_fields = ["parent"]
    list_select_related = ["parent"]

    def save_model(self, request, obj, form, change):
        if "name" in form.changed_data:
            obj.needs_name = False
        super().save_model(request, obj, form, change)


@admin.register(Postcode)
class PostcodeAdmin(AuditedAdmin):
    list_display = ["postcode", "introduced", "terminated"]
    search_fields = ["postcode"]
    autocomplete_fields = ["areas"]
    list_filter = [("terminated", admin.EmptyFieldListFilter)]
