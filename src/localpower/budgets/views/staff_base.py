"""What every staff budget page shares: sign-in, the permission check, finding the process, showing errors."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from localpower.accounts import roles
from localpower.accounts.models import RoleKind
from localpower.budgets.models import Process
from localpower.places.models import Area

STAFF_KINDS = [RoleKind.OFFICER, RoleKind.ADMINISTRATOR]


def staff_areas(user) -> QuerySet[Area]:
    """Areas where ``user`` may set up budgets: where they are an officer or administrator, and areas inside."""
    if user.is_active and user.is_superuser:
        return Area.objects.order_by("name")
    return Area.objects.filter(pk__in=roles.covered_area_ids(user, STAFF_KINDS)).order_by("name")


def budget_staff_page(view):
    """Sign-in required (anonymous people go to sign in); then officers and administrators only (403)."""

    @wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        if not request.user.has_perm("budgets.manage_budgets"):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def process_staff_page(view):
    """Like ``budget_staff_page``, for one process (by slug): the person must manage that process's area."""

    @wraps(view)
    @login_required
    def wrapped(request, slug: str, *args, **kwargs):
        process = get_object_or_404(Process.objects.select_related("area"), slug=slug)
        if not request.user.has_perm("budgets.change_process", process):
            raise PermissionDenied
        request.staff_links = staff_links(process)
        return view(request, process, *args, **kwargs)

    return wrapped


def add_service_error(form, error: Exception, *, hidden: tuple[str, ...] = ()) -> None:
    """Put a service's refusal on the form: field messages by field, the rest (and messages about fields not
    shown on the page, ``hidden``) at the top of the error summary."""
    if isinstance(error, PermissionDenied):
        form.add_error(None, str(error))
        return
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            shown = field in form.fields and field not in hidden
            form.add_error(field if shown else None, errors)
        return
    form.add_error(None, error)


STAFF_PAGES = (
    ("review", "budgets:staff-review", _("Review ideas")),
    ("projects", "budgets:staff-projects", _("Ballot projects")),
    ("paper", "budgets:staff-paper", _("Paper ballots")),
    ("results", "budgets:staff-results", _("Results")),
    ("delivery", "budgets:staff-delivery", _("Delivery")),
    ("public", "budgets:detail", _("Public page")),
)


def staff_links(process: Process) -> list[dict]:
    """Links to the pages for managing ``process``, for the pages that exist."""
    links = []
    for key, name, label in STAFF_PAGES:
        try:
            links.append({"key": key, "url": reverse(name, args=[process.slug]), "label": label})
        except NoReverseMatch:
            continue
    return links


def refusal(error: Exception) -> str:
    """One sentence from a service's refusal, for a django message."""
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)
