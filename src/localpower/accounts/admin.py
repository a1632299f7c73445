"""Django admin, for superusers only. Day-to-day work happens on the staff pages, which write the audit log."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _

from localpower.accounts.models import ApiToken, Organisation, RoleAssignment, User


class RoleInline(admin.TabularInline):
    model = RoleAssignment
    fk_name = "user"
    extra = 0
    autocomplete_fields = ["area", "organisation"]
    readonly_fields = ["granted_by", "granted_at"]


class PersonCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email",)


class PersonChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    add_form = PersonCreationForm
    form = PersonChangeForm
    ordering = ["email"]
    list_display = [
        "email",
        "display_name",
        "email_verified_at",
        "home_postcode",
        "postcode_verified_at",
        "is_active",
    ]
    list_filter = ["is_active", "is_staff", "is_superuser"]
    search_fields = ["email", "display_name", "home_postcode"]
    readonly_fields = ["last_login", "date_joined", "postcode_verified_by"]
    inlines = [RoleInline]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Details"), {"fields": ("display_name", "email_verified_at")}),
        (
            _("Home"),
            {"fields": ("home_postcode", "postcode_verified_at", "postcode_verified_by", "postcode_check")},
        ),
        (_("Access"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "usable_password", "password1", "password2")}),
    )

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "area", "charity_number", "company_number"]
    list_filter = ["kind"]
    search_fields = ["name", "charity_number", "company_number"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["area"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    search_fields = ["name", "prefix", "user__email"]
    readonly_fields = ["user", "name", "prefix", "created_at", "last_used_at"]
    exclude = ["token_hash"]

    def has_add_permission(self, request) -> bool:
        return False  # tokens are created by their owner, who sees the secret once
