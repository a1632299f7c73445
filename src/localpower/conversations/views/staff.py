"""Staff pages for conversations at /staff/conversations/: set up, starting statements, moderation, analysis,
open data and closing."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from localpower.accounts import roles
from localpower.budgets.forms.ideas import add_service_errors
from localpower.conversations import selectors, services
from localpower.conversations.analysis import refresh_analysis
from localpower.conversations.findings import findings
from localpower.conversations.forms import ConversationForm, HideForm, SeedStatementForm
from localpower.conversations.models import Analysis, Conversation, ConversationState, Statement
from localpower.conversations.rules import MODERATORS, STAFF
from localpower.places.models import Area


def _areas(user, kinds):
    if user.is_active and user.is_superuser:
        return Area.objects.order_by("name")
    return Area.objects.filter(pk__in=roles.covered_area_ids(user, kinds)).order_by("name")


def staff_page(view):
    @wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        if not request.user.has_perm("conversations.manage_conversations"):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def conversation_page(perm: str):
    """Sign-in required; then ``perm`` on the conversation (by slug), else 403."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(request, slug: str, *args, **kwargs):
            conversation = get_object_or_404(Conversation.objects.select_related("area"), slug=slug)
            if not request.user.has_perm(perm, conversation):
                raise PermissionDenied
            return view(request, conversation, *args, **kwargs)

        return wrapped

    return decorator


def _nav(request, conversation) -> dict:
    return {
        "conversation": conversation,
        "can_change": request.user.has_perm("conversations.change_conversation", conversation),
        "can_moderate": request.user.has_perm("conversations.moderate", conversation),
    }


@staff_page
def conversation_list(request):
    area_ids = [a.pk for a in _areas(request.user, MODERATORS)]
    conversations = (
        Conversation.objects.filter(area_id__in=area_ids).select_related("area").order_by("-opens_at")
    )
    return render(
        request,
        "conversations/staff/list.html",
        {
            "conversations": conversations,
            "can_add": request.user.is_superuser or bool(roles.covered_area_ids(request.user, STAFF)),
        },
    )


@staff_page
@require_http_methods(["GET", "HEAD", "POST"])
def conversation_new(request):
    areas = _areas(request.user, STAFF)
    if not areas.exists():
        raise PermissionDenied
    form = ConversationForm(request.POST or None, areas=areas)
    if request.method == "POST" and form.is_valid():
        try:
            conversation = services.create_conversation(
                actor=request.user, tags=form.tag_labels(), request=request, **form.values()
            )
        except (ValidationError, PermissionDenied) as error:
            add_service_errors(
                form, error if isinstance(error, ValidationError) else ValidationError(str(error))
            )
        else:
            messages.success(
                request, _("The conversation has been set up as a draft. Add starting statements next.")
            )
            return redirect("conversations:staff-overview", slug=conversation.slug)
    return render(
        request, "conversations/staff/form.html", {"form": form}, status=400 if form.errors else 200
    )


@conversation_page("conversations.moderate")
def overview(request, conversation):
    analysis = Analysis.objects.filter(conversation=conversation).first()
    queue = selectors.moderation_queue(conversation)
    return render(
        request,
        "conversations/staff/overview.html",
        {
            **_nav(request, conversation),
            "analysis": analysis,
            "pending": len(queue["pending"]),
            "reported": len(queue["reported"]),
            "statements": conversation.statements.count(),
            "participants": conversation.participants.count(),
            "states": ConversationState,
        },
    )


@conversation_page("conversations.change_conversation")
@require_http_methods(["GET", "HEAD", "POST"])
def edit(request, conversation):
    initial = {
        f: getattr(conversation, f)
        for f in (
            "title",
            "description",
            "opens_at",
            "closes_at",
            "moderation",
            "eligibility",
            "allow_statements",
            "max_statement_length",
        )
    }
    initial["tags"] = "\n".join(conversation.tags.values_list("label", flat=True))
    form = ConversationForm(
        request.POST or None, initial=initial, areas=Area.objects.none(), conversation=conversation
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_conversation(
                actor=request.user, conversation=conversation, request=request, **form.values()
            )
            services.set_conversation_tags(
                actor=request.user, conversation=conversation, labels=form.tag_labels(), request=request
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The conversation has been changed."))
            return redirect("conversations:staff-overview", slug=conversation.slug)
    return render(
        request,
        "conversations/staff/form.html",
        {"form": form, **_nav(request, conversation)},
        status=400 if form.errors else 200,
    )


@conversation_page("conversations.change_conversation")
@require_POST
def change_state(request, conversation):
    state = request.POST.get("state", "")
    try:
        services.set_state(actor=request.user, conversation=conversation, state=state, request=request)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        labels = {
            ConversationState.PUBLISHED: _("The conversation is published."),
            ConversationState.CLOSED: _("The conversation is closed. Nobody can vote or add statements now."),
            ConversationState.DRAFT: _("The conversation is a draft again."),
        }
        messages.success(request, labels.get(state, _("Saved.")))
    return redirect("conversations:staff-overview", slug=conversation.slug)


@conversation_page("conversations.moderate")
@require_http_methods(["GET", "HEAD", "POST"])
def statements(request, conversation):
    can_seed = request.user.has_perm("conversations.add_seed_statement", conversation)
    form = SeedStatementForm(request.POST or None)
    if request.method == "POST":
        if not can_seed:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.add_seed_statement(
                    actor=request.user,
                    conversation=conversation,
                    text=form.cleaned_data["text"],
                    request=request,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The statement has been added."))
                return redirect("conversations:staff-statements", slug=conversation.slug)
    return render(
        request,
        "conversations/staff/statements.html",
        {
            **_nav(request, conversation),
            "form": form,
            "can_seed": can_seed,
            "statements": selectors.statement_totals(conversation),
        },
        status=400 if form.errors else 200,
    )


@conversation_page("conversations.moderate")
def moderation(request, conversation):
    return render(
        request,
        "conversations/staff/moderation.html",
        {**_nav(request, conversation), **selectors.moderation_queue(conversation), "hide_form": HideForm()},
    )


@conversation_page("conversations.moderate")
@require_http_methods(["GET", "HEAD", "POST"])
def moderate_statement(request, conversation, number: int):
    statement = get_object_or_404(Statement, conversation=conversation, number=number)
    action = request.POST.get("action", "")
    form = HideForm(request.POST if action == "hide" else None)
    if request.method == "POST":
        try:
            if action == "approve":
                services.approve_statement(actor=request.user, statement=statement, request=request)
                messages.success(request, _("The statement is shown for voting."))
            elif action == "dismiss":
                services.dismiss_reports(actor=request.user, statement=statement, request=request)
                messages.success(request, _("The reports are closed and the statement is kept."))
            elif action == "hide" and form.is_valid():
                services.hide_statement(
                    actor=request.user,
                    statement=statement,
                    reason=form.cleaned_data["reason"],
                    request=request,
                )
                messages.success(request, _("The statement is hidden."))
            else:
                raise ValidationError(
                    _("Give the reason for hiding it.") if action == "hide" else _("Choose an action.")
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("conversations:staff-moderation", slug=conversation.slug)
    return render(
        request,
        "conversations/staff/moderate_statement.html",
        {
            **_nav(request, conversation),
            "statement": statement,
            "hide_form": form,
            "reports": statement.reports.all(),
        },
        status=400 if form.errors else 200,
    )


@conversation_page("conversations.moderate")
@require_http_methods(["GET", "HEAD", "POST"])
def analysis_page(request, conversation):
    if request.method == "POST":
        if not request.user.has_perm("conversations.change_conversation", conversation):
            raise PermissionDenied
        refresh_analysis(conversation)
        messages.success(request, _("The analysis has been brought up to date."))
        return redirect("conversations:staff-analysis", slug=conversation.slug)
    analysis = Analysis.objects.filter(conversation=conversation).first()
    conversation.refresh_from_db(fields=["vote_events"])
    return render(
        request,
        "conversations/staff/analysis.html",
        {
            **_nav(request, conversation),
            "found": findings(conversation, analysis),
            "analysis": analysis,
            "behind": conversation.vote_events - analysis.vote_events
            if analysis
            else conversation.vote_events,
            "statements": selectors.statement_totals(conversation).filter(status="approved"),
        },
    )
