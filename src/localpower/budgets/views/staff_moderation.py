"""The moderators' queue: reported and recent ideas and comments, across the budgets a person may moderate.

Moderators and administrators (``budgets.view_moderation``) see the queue; each action checks
``budgets.moderate`` for the item's budget in the service. Reporters' names are never shown: only the reasons.
"""

from __future__ import annotations

import datetime
from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from localpower.budgets import selectors, services
from localpower.budgets.forms.staff_moderation import HideForm, QueueFilterForm
from localpower.budgets.models import Comment, Idea, Report
from localpower.budgets.services.ideas import dismiss_reports
from localpower.budgets.views.staff_base import add_service_error, refusal

PER_PAGE = 25
RECENT_DAYS = 7


def moderation_page(view):
    """Sign-in required; then moderators and administrators of some area (403 for everyone else)."""

    @wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        if not request.user.has_perm("budgets.view_moderation"):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


@moderation_page
@require_safe
def queue(request):
    processes = list(selectors.moderated_processes(request.user).order_by("title"))
    form = QueueFilterForm(request.GET or None, processes=processes)
    slug, show = form.value("process"), form.value("show", "reported")
    chosen = [p for p in processes if p.slug == slug] if slug else processes
    since = timezone.now() - datetime.timedelta(days=RECENT_DAYS)
    items = selectors.moderation_queue(chosen, show=show, since=since) if chosen else []
    page = Paginator(items, PER_PAGE).get_page(request.GET.get("page"))
    query = urlencode({k: v for k, v in (("process", slug), ("show", show)) if v})
    return render(
        request,
        "budgets/staff/moderation_queue.html",
        {
            "form": form,
            "page": page,
            "items": page.object_list,
            "show": show,
            "query": query,
            "has_processes": bool(processes),
            "open_total": Report.objects.filter(resolved_at__isnull=True, idea__process__in=processes).count()
            + Report.objects.filter(resolved_at__isnull=True, comment__idea__process__in=processes).count(),
        },
    )


def _item(kind: str, pk: int):
    if kind == "idea":
        item = get_object_or_404(
            Idea.objects.select_related("process__area", "author").annotate(
                support_count=Count("supports", distinct=True)
            ),
            pk=pk,
        )
        return item, item.process
    item = get_object_or_404(Comment.objects.select_related("idea__process__area", "author"), pk=pk)
    return item, item.idea.process


def _moderate(request, kind: str, pk: int):
    item, process = _item(kind, pk)
    if not request.user.has_perm("budgets.moderate", process):
        raise PermissionDenied
    target = {"idea": item} if kind == "idea" else {"comment": item}
    form = HideForm(request.POST if request.POST.get("action") == "hide" else None)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "hide":
                if form.is_valid():
                    services.hide(
                        actor=request.user,
                        reason=form.cleaned_data["hidden_reason"],
                        request=request,
                        **target,
                    )
                    messages.success(request, _("Hidden. The reason is shown in its place."))
                    return redirect(request.path)
            elif action == "restore":
                services.unhide(actor=request.user, request=request, **target)
                messages.success(request, _("Shown again."))
                return redirect(request.path)
            elif action == "dismiss":
                closed = dismiss_reports(actor=request.user, request=request, **target)
                messages.success(
                    request,
                    _("Reports dismissed: %(n)d. The content stays as it is.") % {"n": closed}
                    if closed
                    else _("There were no open reports to dismiss."),
                )
                return redirect(request.path)
            else:
                messages.error(request, _("Choose hide, show again or dismiss the reports."))
        except ValidationError as error:
            if action == "hide":
                add_service_error(form, error)
            else:
                messages.error(request, refusal(error))
        except PermissionDenied as error:
            raise PermissionDenied(str(error)) from error
    reports = list(
        (item.reports.all()).order_by("resolved_at", "created_at").only("reason", "created_at", "resolved_at")
    )
    return render(
        request,
        "budgets/staff/moderation_item.html",
        {
            "kind": kind,
            "item": item,
            "process": process,
            "form": form,
            "open_reports": [r for r in reports if r.resolved_at is None],
            "closed_reports": [r for r in reports if r.resolved_at is not None],
        },
        status=400 if form.errors else 200,
    )


@moderation_page
@require_http_methods(["GET", "HEAD", "POST"])
def moderate_idea(request, idea_id: int):
    return _moderate(request, "idea", idea_id)


@moderation_page
@require_http_methods(["GET", "HEAD", "POST"])
def moderate_comment(request, comment_id: int):
    return _moderate(request, "comment", comment_id)
