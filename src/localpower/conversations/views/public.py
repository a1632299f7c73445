"""Residents' conversation pages: the list, the conversation (vote on statements one at a time), adding a
statement, reporting one, saying something about yourself, what we have found so far, and the open data."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from localpower.budgets.forms.ideas import add_service_errors
from localpower.conversations import exports, selectors, services
from localpower.conversations.analysis import current_analysis
from localpower.conversations.findings import findings
from localpower.conversations.forms import ReportForm, StatementForm, TagsForm, VoteForm
from localpower.conversations.models import Conversation, Eligibility, Phase, Statement, StatementStatus


def get_conversation(request, slug: str) -> Conversation:
    conversation = get_object_or_404(Conversation.objects.select_related("area"), slug=slug)
    if not request.user.has_perm("conversations.view_conversation", conversation):
        raise Http404
    return conversation


def blocker(user, conversation: Conversation) -> dict:
    """Why the person cannot take part now, and what to do about it (empty when they can)."""
    phase = conversation.phase
    if phase == Phase.UPCOMING:
        return {"reason": _("This conversation has not opened yet.")}
    if phase == Phase.CLOSED:
        return {"reason": _("This conversation has closed. You can still see what people said.")}
    if phase == Phase.DRAFT:
        return {"reason": _("This conversation is a draft and is not shown to the public.")}
    if user.has_perm("conversations.take_part", conversation):
        return {}
    here = reverse("conversations:detail", args=[conversation.slug])
    if not user.is_authenticated:
        return {
            "reason": _("Sign in to vote and add statements."),
            "fix_text": _("Sign in"),
            "fix_url": reverse("accounts:sign-in") + "?next=" + here,
        }
    if not user.email_verified_at:
        return {
            "reason": _("Confirm your e-mail address to take part: follow the link we sent you."),
            "fix_text": _("Go to your account to send the link again"),
            "fix_url": reverse("accounts:account"),
        }
    if conversation.eligibility == Eligibility.RESIDENTS:
        return {
            "reason": _("Only people who live in %(area)s, with a verified home postcode, can take part.")
            % {"area": conversation.area.name},
            "fix_text": _("Give or check your home postcode"),
            "fix_url": reverse("accounts:account-postcode"),
        }
    return {"reason": _("You cannot take part in this conversation.")}


def _card_context(request, conversation: Conversation, form=None) -> dict:
    participant = selectors.participant_of(request.user, conversation)
    can_vote = request.user.has_perm("conversations.take_part", conversation)
    return {
        "conversation": conversation,
        "statement": selectors.next_statement(conversation, participant) if can_vote else None,
        "progress": selectors.progress(conversation, participant),
        "can_vote": can_vote,
        "vote_form": form,
    }


@require_safe
def conversation_list(request):
    conversations = list(selectors.public_conversations())
    return render(
        request,
        "conversations/conversation_list.html",
        {
            "open": [c for c in conversations if c.phase == Phase.OPEN],
            "upcoming": [c for c in conversations if c.phase == Phase.UPCOMING],
            "closed": [c for c in conversations if c.phase == Phase.CLOSED],
        },
    )


@require_safe
def conversation_detail(request, slug: str):
    conversation = get_conversation(request, slug)
    analysis = current_analysis(conversation)
    participant = selectors.participant_of(request.user, conversation)
    my_pending = selectors.my_pending_count(request.user, conversation)
    return render(
        request,
        "conversations/conversation_detail.html",
        {
            **_card_context(request, conversation),
            "you": blocker(request.user, conversation),
            "can_add": request.user.has_perm("conversations.add_statement", conversation),
            "has_tags": conversation.tags.exists(),
            "analysis": analysis,
            "found": findings(conversation, analysis),
            "participant": participant,
            "my_pending": my_pending,
            "can_manage": request.user.has_perm("conversations.change_conversation", conversation)
            or request.user.has_perm("conversations.moderate", conversation),
        },
    )


@require_POST
def vote(request, slug: str):
    """One vote from the card's buttons; with htmx the next card comes back in place, otherwise a redirect."""
    conversation = get_conversation(request, slug)
    htmx = request.headers.get("HX-Request") == "true"
    form = VoteForm(request.POST)
    if not request.user.is_authenticated:
        return redirect(reverse("accounts:sign-in") + "?next=" + conversation.get_absolute_url())
    if form.is_valid():
        statement = conversation.statements.filter(number=form.cleaned_data["statement"]).first()
        try:
            if statement is None:
                raise ValidationError(_("That statement is not part of this conversation."))
            services.vote(actor=request.user, statement=statement, value=form.value(), request=request)
        except (ValidationError, PermissionDenied) as error:
            text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
            form.add_error(None, text)
        else:
            if not htmx:
                messages.success(request, _("Your vote has been saved."))
                return redirect(conversation.get_absolute_url() + "#vote")
            form = None
    if htmx:
        # 200 even for a refusal: htmx does not swap in error responses, and the card shows the error summary.
        return render(
            request, "conversations/includes/vote_card.html", _card_context(request, conversation, form)
        )
    for error in form.non_field_errors() if form else []:
        messages.error(request, error)
    if form is not None and "vote" in form.errors:
        messages.error(request, _("Choose agree, disagree or pass."))
    return redirect(conversation.get_absolute_url() + "#vote")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def statement_new(request, slug: str):
    conversation = get_conversation(request, slug)
    if not request.user.has_perm("conversations.add_statement", conversation):
        return render(
            request,
            "conversations/cannot_take_part.html",
            {"conversation": conversation, "you": blocker(request.user, conversation)},
            status=403,
        )
    form = StatementForm(request.POST or None, conversation=conversation)
    if request.method == "POST" and form.is_valid():
        try:
            statement = services.add_statement(
                actor=request.user, conversation=conversation, text=form.cleaned_data["text"], request=request
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied as error:
            messages.error(request, str(error))
            return redirect(conversation.get_absolute_url())
        else:
            if statement.status == StatementStatus.PENDING:
                messages.success(
                    request,
                    _(
                        "Thank you. Your statement is waiting for a moderator; others can vote on it once it is approved."
                    ),
                )
            else:
                messages.success(
                    request, _("Thank you. Your statement has been added for others to vote on.")
                )
            return redirect(conversation.get_absolute_url())
    return render(
        request,
        "conversations/statement_form.html",
        {"conversation": conversation, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def statement_report(request, slug: str, number: int):
    conversation = get_conversation(request, slug)
    statement = get_object_or_404(
        Statement, conversation=conversation, number=number, status=StatementStatus.APPROVED
    )
    if not request.user.has_perm("conversations.report", conversation):
        raise PermissionDenied(_("Confirm your e-mail address to report a statement."))
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_statement(
                actor=request.user, statement=statement, reason=form.cleaned_data["reason"], request=request
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Thank you. A moderator will look at this statement."))
            return redirect(conversation.get_absolute_url())
    return render(
        request,
        "conversations/report_form.html",
        {"conversation": conversation, "statement": statement, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def about_you(request, slug: str):
    conversation = get_conversation(request, slug)
    if not conversation.tags.exists():
        raise Http404
    if not request.user.has_perm("conversations.take_part", conversation):
        return render(
            request,
            "conversations/cannot_take_part.html",
            {"conversation": conversation, "you": blocker(request.user, conversation)},
            status=403,
        )
    participant = selectors.participant_of(request.user, conversation)
    initial = {"tags": [str(pk) for pk in selectors.my_tag_ids(participant)]}
    form = TagsForm(request.POST or None, initial=initial, conversation=conversation)
    if request.method == "POST" and form.is_valid():
        services.set_my_tags(
            actor=request.user, conversation=conversation, tags=form.chosen(), request=request
        )
        messages.success(request, _("Thank you. Your answers have been saved."))
        return redirect(conversation.get_absolute_url())
    return render(request, "conversations/about_you.html", {"conversation": conversation, "form": form})


@require_safe
def results(request, slug: str):
    conversation = get_conversation(request, slug)
    analysis = current_analysis(conversation)
    return render(
        request,
        "conversations/results.html",
        {"conversation": conversation, "found": findings(conversation, analysis)},
    )


@require_safe
def open_data(request, slug: str, name: str):
    conversation = get_conversation(request, slug)
    if not request.user.has_perm("conversations.export", conversation):
        raise Http404
    url = request.build_absolute_uri(conversation.get_absolute_url())
    if name == f"{conversation.slug}.zip":
        response = HttpResponse(exports.export_zip(conversation, url), content_type="application/zip")
    elif name in exports.FILES:
        response = HttpResponse(
            exports.export_file(conversation, name, url), content_type="text/csv; charset=utf-8"
        )
        name = f"{conversation.slug}-{name}"
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
