"""Public list and pages of organisations; members managed by the organisation's administrators."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from localpower.accounts import selectors, services
from localpower.accounts.forms import AddMemberForm
from localpower.accounts.models import Organisation, RoleAssignment


@require_safe
def organisation_list(request):
    page = Paginator(selectors.organisations(), 50).get_page(request.GET.get("page"))
    return render(request, "accounts/organisation_list.html", {"page": page})


@require_safe
def organisation_detail(request, slug: str):
    organisation = get_object_or_404(Organisation.objects.select_related("area"), slug=slug)
    can_see_members = request.user.has_perm("accounts.view_organisation_members", organisation)
    return render(
        request,
        "accounts/organisation_detail.html",
        {
            "organisation": organisation,
            "members": selectors.organisation_members(organisation) if can_see_members else None,
            "can_manage": request.user.has_perm("accounts.manage_organisation", organisation),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_members(request, slug: str):
    organisation = get_object_or_404(Organisation, slug=slug)
    if not request.user.has_perm("accounts.manage_organisation", organisation):
        raise PermissionDenied
    form = AddMemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person = form.cleaned_data["email"]
        try:
            services.add_organisation_member(
                actor=request.user,
                organisation=organisation,
                user=person,
                as_admin=form.cleaned_data["role"] == "admin",
                request=request,
            )
        except ValidationError as error:
            form.add_error("email", error)
        else:
            messages.success(
                request,
                _("%(person)s has been added to %(organisation)s.")
                % {"person": person, "organisation": organisation.name},
            )
            return redirect("accounts:organisation-members", slug=organisation.slug)
    return render(
        request,
        "accounts/organisation_members.html",
        {"organisation": organisation, "members": selectors.organisation_members(organisation), "form": form},
    )


@login_required
@require_POST
def remove_member(request, slug: str, role_id: int):
    organisation = get_object_or_404(Organisation, slug=slug)
    role = get_object_or_404(
        RoleAssignment.objects.select_related("user"), pk=role_id, organisation=organisation
    )
    services.revoke_role(actor=request.user, role=role, request=request)
    messages.success(
        request,
        _("%(person)s has been removed from %(organisation)s.")
        % {"person": role.user, "organisation": organisation.name},
    )
    return redirect("accounts:organisation-members", slug=organisation.slug)
