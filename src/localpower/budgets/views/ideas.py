"""Residents' ideas: the list, sharing and changing an idea, support, comments and reports of abuse."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from localpower.budgets import selectors, services
from localpower.budgets.forms.ideas import CommentForm, IdeaForm, ReportForm, add_service_errors
from localpower.budgets.models import Comment, Idea, IdeaStatus, IdeaSupport
from localpower.budgets.views._common import get_process, participation

IDEAS_PER_PAGE = 20


def _idea(process, idea_id: int) -> Idea:
    return get_object_or_404(
        Idea.objects.select_related("category", "author", "merged_into", "project").annotate(
            support_count=Count("supports", distinct=True)
        ),
        pk=idea_id,
        process=process,
    )


@require_safe
def idea_list(request, slug: str):
    process = get_process(request, slug)
    ideas = selectors.visible_ideas(process)
    status = request.GET.get("status", "")
    if status in IdeaStatus.values:
        ideas = ideas.filter(status=status)
    else:
        status = ""
    page = Paginator(ideas, IDEAS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "budgets/idea_list.html",
        {
            "process": process,
            "ideas": page.object_list,
            "page": page,
            "query": urlencode({"status": status}) if status else "",
            "status": status,
            "statuses": IdeaStatus.choices,
            "you": participation(request.user, process),
            "can_submit": request.user.has_perm("budgets.submit_idea", process),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def idea_new(request, slug: str):
    process = get_process(request, slug)
    if not request.user.has_perm("budgets.submit_idea", process):
        you = participation(request.user, process)
        return render(
            request, "budgets/vote_closed.html", {"process": process, "you": you, "ideas": True}, status=403
        )
    form = IdeaForm(request.POST or None, request.FILES or None, process=process)
    if request.method == "POST" and form.is_valid():
        try:
            idea = services.submit_idea(actor=request.user, process=process, request=request, **form.values())
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied as error:
            messages.error(request, str(error))
            return redirect("budgets:detail", slug=process.slug)
        else:
            messages.success(request, _("Thank you. Your idea has been shared."))
            return redirect("budgets:idea-detail", slug=process.slug, idea_id=idea.pk)
    return render(
        request,
        "budgets/idea_form.html",
        {"process": process, "form": form, "idea": None},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def idea_edit(request, slug: str, idea_id: int):
    process = get_process(request, slug)
    idea = _idea(process, idea_id)
    if not request.user.has_perm("budgets.edit_idea", idea):
        raise PermissionDenied(_("You can change an idea only while it waits for review, and only your own."))
    initial = {
        f: getattr(idea, f) for f in ("title", "description", "estimated_cost", "location_text", "image_alt")
    }
    initial["category"] = idea.category_id
    form = IdeaForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        process=process,
        current_image=idea.image or None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_idea(actor=request.user, idea=idea, request=request, **form.values())
        except ValidationError as error:
            add_service_errors(form, error)
        except PermissionDenied as error:
            messages.error(request, str(error))
            return redirect("budgets:idea-detail", slug=process.slug, idea_id=idea.pk)
        else:
            messages.success(request, _("Your idea has been changed."))
            return redirect("budgets:idea-detail", slug=process.slug, idea_id=idea.pk)
    return render(
        request,
        "budgets/idea_form.html",
        {"process": process, "form": form, "idea": idea},
        status=400 if form.errors else 200,
    )


def _detail(request, process, idea, comment_form=None, status=200):
    user = request.user
    return render(
        request,
        "budgets/idea_detail.html",
        {
            "process": process,
            "idea": idea,
            "comments": list(Comment.objects.filter(idea=idea).select_related("author")),
            "comment_form": comment_form or CommentForm(),
            "can_comment": user.has_perm("budgets.comment_on_idea", idea),
            "can_support": user.has_perm("budgets.support_idea", idea) and not idea.is_hidden,
            "can_edit": user.has_perm("budgets.edit_idea", idea),
            "can_report": user.has_perm("budgets.report", process),
            "supported": user.is_authenticated and IdeaSupport.objects.filter(idea=idea, user=user).exists(),
            "you": participation(user, process),
        },
        status=status,
    )


@require_safe
def idea_detail(request, slug: str, idea_id: int):
    process = get_process(request, slug)
    return _detail(request, process, _idea(process, idea_id))


@require_safe
def idea_picture(request, slug: str, idea_id: int):
    """An idea's picture. Uploads are not in a public folder: a hidden idea's picture is shown only to its
    author, moderators and the budget's staff, like the rest of the idea."""
    process = get_process(request, slug)
    idea = get_object_or_404(Idea, pk=idea_id, process=process)
    user = request.user
    if not idea.image:
        raise Http404
    if idea.is_hidden and not (
        (user.is_authenticated and idea.author_id == user.pk)
        or user.has_perm("budgets.moderate", idea)
        or user.has_perm("budgets.change_process", process)
    ):
        raise Http404
    try:
        handle = idea.image.open("rb")
    except OSError:
        raise Http404 from None
    response = FileResponse(handle)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
@require_POST
def idea_support(request, slug: str, idea_id: int):
    process = get_process(request, slug)
    idea = _idea(process, idea_id)
    try:
        if request.POST.get("action") == "withdraw":
            services.withdraw_support(actor=request.user, idea=idea, request=request)
            messages.success(request, _("You no longer support this idea."))
        else:
            services.support_idea(actor=request.user, idea=idea, request=request)
            messages.success(request, _("You support this idea."))
    except (PermissionDenied, ValidationError) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    return redirect("budgets:idea-detail", slug=process.slug, idea_id=idea.pk)


@login_required
@require_POST
def idea_comment(request, slug: str, idea_id: int):
    process = get_process(request, slug)
    idea = _idea(process, idea_id)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.comment_on_idea(
                actor=request.user, idea=idea, body=form.cleaned_data["body"], request=request
            )
        except PermissionDenied as error:
            raise PermissionDenied(str(error)) from error
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your comment has been added."))
            return redirect("budgets:idea-detail", slug=process.slug, idea_id=idea.pk)
    return _detail(request, process, idea, comment_form=form, status=400)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def idea_report(request, slug: str, idea_id: int):
    """Report the idea, or one of its comments (``?comment=<id>``), as abusive."""
    process = get_process(request, slug)
    idea = _idea(process, idea_id)
    comment = None
    comment_id = request.GET.get("comment") or request.POST.get("comment")
    if comment_id:
        if not str(comment_id).isdigit():
            raise PermissionDenied(_("That comment cannot be found."))
        comment = get_object_or_404(Comment, pk=int(comment_id), idea=idea)
    if not request.user.has_perm("budgets.report", process):
        raise PermissionDenied(_("Confirm your e-mail address to report abuse."))
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report(
                actor=request.user,
                reason=form.cleaned_data["reason"],
                idea=None if comment else idea,
                comment=comment,
                request=request,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Thank you. A moderator will look at your report."))
            return redirect("budgets:idea-detail", slug=process.slug, idea_id=idea.pk)
    return render(
        request,
        "budgets/idea_report.html",
        {"process": process, "idea": idea, "comment": comment, "form": form},
        status=400 if form.errors else 200,
    )
