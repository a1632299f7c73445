"""Staff pages: what a person can manage, people and roles, postcode checks, organisations, the audit log.

Anonymous visitors are sent to sign in; signed-in people without the permission get the 403 page.
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from localpower.accounts import roles, selectors, services
from localpower.accounts.forms import (
    AuditFilterForm,
    FindPersonForm,
    GrantRoleForm,
    OrganisationForm,
    PostcodeDecisionForm,
)
from localpower.accounts.models import STAFF_ROLES, RoleAssignment, User

PAGE_SIZE = 50


def staff_page(permission: str = "accounts.view_staff_pages"):
    """Sign-in required, then ``permission`` (403 without it)."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(request, *args, **kwargs):
            if not request.user.has_perm(permission):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


@staff_page()
@require_safe
def home(request):
    user = request.user
    held = selectors.roles_of(user)
    return render(
        request,
        "accounts/staff/home.html",
        {
            "staff_roles": [r for r in held if r.kind in STAFF_ROLES and r.area_id],
            "managed_organisations": [
                r.organisation for r in held if r.organisation_id and r.kind == "administrator"
            ],
            "pending_postcodes": selectors.pending_postcodes(user).count()
            if user.has_perm("accounts.verify_postcode")
            else None,
        },
    )


@staff_page("accounts.view_people")
@require_safe
def people(request):
    form = FindPersonForm(request.GET or None)
    results = None
    if form.is_valid() and form.cleaned_data["q"]:
        results = Paginator(selectors.find_people(form.cleaned_data["q"]), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
    return render(request, "accounts/staff/people.html", {"form": form, "page": results})


@staff_page("accounts.view_people")
@require_http_methods(["GET", "POST"])
def person(request, user_id: int):
    person = get_object_or_404(User, pk=user_id)
    areas = selectors.manageable_areas(request.user)
    form = GrantRoleForm(request.POST or None, areas=areas)
    if request.method == "POST" and form.is_valid():
        try:
            services.grant_role(
                actor=request.user,
                user=person,
                kind=form.cleaned_data["kind"],
                area=form.cleaned_data["area"],
                request=request,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The role has been given to %(person)s.") % {"person": person})
            return redirect("accounts:staff-person", user_id=person.pk)
    person_roles = selectors.roles_of(person)
    for role in person_roles:
        role.can_revoke = (
            request.user.has_perm("accounts.manage_roles", role.area)
            if role.area_id
            else request.user.has_perm("accounts.manage_organisation", role.organisation)
        )
    return render(
        request,
        "accounts/staff/person.html",
        {"person": person, "roles": person_roles, "form": form, "home_areas": person.home_areas()},
    )


@staff_page("accounts.view_people")
@require_POST
def revoke_role(request, user_id: int, role_id: int):
    role = get_object_or_404(
        RoleAssignment.objects.select_related("area", "organisation"), pk=role_id, user_id=user_id
    )
    services.revoke_role(actor=request.user, role=role, request=request)
    messages.success(request, _("The role has been removed."))
    return redirect("accounts:staff-person", user_id=user_id)


@staff_page("accounts.verify_postcode")
@require_safe
def postcodes(request):
    page = Paginator(selectors.pending_postcodes(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "accounts/staff/postcodes.html", {"page": page, "form": PostcodeDecisionForm()})


@staff_page("accounts.verify_postcode")
@require_http_methods(["GET", "POST"])
def postcode_decision(request, user_id: int):
    person = get_object_or_404(User, pk=user_id, is_active=True)
    if not selectors.pending_postcodes(request.user).filter(pk=person.pk).exists():
        if person.postcode_verified:
            messages.info(request, _("%(person)s's postcode is already verified.") % {"person": person})
            return redirect("accounts:staff-postcodes")
        raise PermissionDenied
    form = PostcodeDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        decision = form.cleaned_data["decision"]
        try:
            if decision == "reject":
                services.reject_home_postcode(
                    actor=request.user, user=person, reason=form.cleaned_data["reason"], request=request
                )
                messages.success(
                    request,
                    _("%(person)s's postcode was not verified. We have told them why.") % {"person": person},
                )
            else:
                services.verify_home_postcode(
                    actor=request.user, user=person, check=decision, request=request
                )
                messages.success(request, _("%(person)s's home postcode is verified.") % {"person": person})
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("accounts:staff-postcodes")
    return render(request, "accounts/staff/postcode_decision.html", {"person": person, "form": form})


@staff_page()
@require_safe
def organisations(request):
    page = Paginator(selectors.organisations(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/staff/organisations.html",
        {"page": page, "can_add": request.user.has_perm("accounts.add_organisation")},
    )


@staff_page("accounts.add_organisation")
@require_http_methods(["GET", "POST"])
def organisation_create(request):
    from localpower.places.models import Area

    user = request.user
    if user.is_superuser:
        areas = Area.objects.all()
    else:
        from localpower.accounts.models import RoleKind

        areas = Area.objects.filter(
            pk__in=roles.covered_area_ids(user, [RoleKind.OFFICER, RoleKind.ADMINISTRATOR])
        )
    form = OrganisationForm(request.POST or None, areas=areas.order_by("name"))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            organisation = services.create_organisation(
                actor=user,
                name=data["name"],
                kind=data["kind"],
                area=data["area"],
                charity_number=data["charity_number"],
                company_number=data["company_number"],
                description=data["description"],
                website=data["website"],
                request=request,
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error)
        else:
            messages.success(request, _("%(name)s has been added.") % {"name": organisation.name})
            return redirect(reverse("accounts:organisation-detail", args=[organisation.slug]))
    return render(request, "accounts/staff/organisation_form.html", {"form": form})


@staff_page("core.view_auditentry")
@require_safe
def audit_log(request):
    form = AuditFilterForm(
        request.GET or None, actions=selectors.audit_actions(), content_types=selectors.audit_content_types()
    )
    filters = {}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = {
            "actor": data["actor"],
            "action": data["action"],
            "content_type": data["object_type"],
            "date_from": data["date_from"],
            "date_to": data["date_to"],
        }
    entries = (
        selectors.audit_entries(**filters)
        if not form.is_bound or form.is_valid()
        else selectors.audit_entries().none()
    )
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "accounts/staff/audit_log.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )
