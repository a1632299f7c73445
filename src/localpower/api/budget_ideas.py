"""Ideas and delivery updates of participatory budgets in the JSON API.

Reads are public (hidden ideas and comments keep their place without their content). Writes go through the same
services as the website, after the same form validation, so the rules and the messages are the same: sharing an
idea, supporting it and commenting need a verified resident of the budget's area (a personal API token, or a
signed-in browser session with the CSRF token); posting a delivery update needs an officer or administrator for
the area once results are out. Refusals: ``forbidden`` (403), ``validation_error`` (422), ``not_found`` (404).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from ninja import Field, Path, Query, Router, Schema
from ninja.responses import Status

from localpower.api.auth import signed_in
from localpower.api.budget_ideas_schemas import (
    CommentIn,
    CommentOut,
    DeliveryList,
    DeliveryOut,
    DeliveryUpdateIn,
    IdeaDetail,
    IdeaIn,
    IdeaPage,
    IdeaSummary,
    SupportOut,
)
from localpower.api.budgets import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, find_process
from localpower.api.errors import ApiError
from localpower.api.pagination import paginate
from localpower.api.schemas import ErrorOut
from localpower.budgets.models import Comment, Delivery, IdeaStatus, IdeaSupport, Process

router = Router(tags=["Budgets"])

ERRORS = {404: ErrorOut, 422: ErrorOut}
WRITE_ERRORS = {401: ErrorOut, 403: ErrorOut, **ERRORS}
MAX_ID = 2**31 - 1
NO_IDEA = "This budget has no idea with that number. List its ideas at /api/v1/budgets/{slug}/ideas."


class IdeaPath(Schema):
    slug: str
    idea_id: int = Field(..., ge=1, le=MAX_ID)


class ProjectPath(Schema):
    slug: str
    project_id: int = Field(..., ge=1, le=MAX_ID)


class IdeaFilters(Schema):
    status: IdeaStatus | None = Field(None, description="Only ideas with this review status (not hidden).")
    page: int = Field(1, ge=1, le=100_000, description="Which page, starting at 1.")
    page_size: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="How many ideas on a page.")


def _ideas(process: Process):
    from localpower.budgets.selectors import visible_ideas

    return visible_ideas(process).select_related("process")


def _find_idea(process: Process, idea_id: int):
    idea = _ideas(process).filter(pk=idea_id).first()
    if idea is None:
        raise ApiError(404, NO_IDEA.replace("{slug}", process.slug))
    return idea


def _refusal(error: Exception) -> ApiError:
    """A service's or a form's refusal as an API error, keeping its plain-English message."""
    if isinstance(error, PermissionDenied):
        return ApiError(403, str(error) or None)
    if hasattr(error, "error_dict"):
        details = [
            {"location": "body", "field": field, "message": message}
            for field, messages in error.message_dict.items()
            for message in messages
        ]
        return ApiError(422, " ".join(d["message"] for d in details), details=details)
    return ApiError(422, " ".join(error.messages))


def _form_refusal(form, names: dict[str, str] | None = None) -> ApiError:
    names = names or {}
    details = [
        {
            "location": "body",
            "field": names.get(field, field) if field != "__all__" else "",
            "message": message,
        }
        for field, messages in form.errors.items()
        for message in messages
    ]
    return ApiError(422, " ".join(d["message"] for d in details), details=details)


@router.get(
    "/budgets/{slug}/ideas",
    response={200: IdeaPage, **ERRORS},
    url_name="budget-ideas",
    operation_id="listBudgetIdeas",
    summary="List a budget's ideas",
)
def list_ideas(request, slug: str, filters: Query[IdeaFilters]):
    """Residents' ideas, most supported first. Hidden ones are listed as hidden, without their content."""
    process = find_process(slug)
    ideas = _ideas(process)
    if filters.status:
        ideas = ideas.filter(status=filters.status, hidden_at__isnull=True)
    return paginate(
        request,
        ideas,
        page=filters.page,
        page_size=filters.page_size,
        build=lambda idea: IdeaSummary.build(request, idea, supporters=idea.support_count),
    )


def _detail(request, idea) -> dict:
    hidden = idea.is_hidden
    comments = Comment.objects.filter(idea=idea).select_related("author")
    return {
        **IdeaSummary.build(request, idea, supporters=idea.support_count),
        "description": None if hidden else idea.description,
        "merged_into": None if hidden else idea.merged_into_id,
        "project": None if hidden else idea.project_id,
        "comments": [CommentOut.build(c) for c in comments],
    }


@router.get(
    "/budgets/{slug}/ideas/{idea_id}",
    response={200: IdeaDetail, **ERRORS},
    url_name="budget-idea",
    operation_id="getBudgetIdea",
    summary="One idea, with its comments",
)
def get_idea(request, path: Path[IdeaPath]):
    """An idea with its description, the council's decision and its comments (oldest first)."""
    process = find_process(path.slug)
    return _detail(request, _find_idea(process, path.idea_id))


@router.post(
    "/budgets/{slug}/ideas",
    response={201: IdeaDetail, **WRITE_ERRORS},
    auth=signed_in,
    url_name="budget-idea-submit",
    operation_id="submitBudgetIdea",
    summary="Share an idea",
)
def submit(request, slug: str, body: IdeaIn):
    """Share an idea while the budget is in its ideas phase, as a verified resident of its area.

    The same checks and messages as the website's form. Pictures can be added on the website only.
    """
    from localpower.budgets.forms.ideas import IdeaForm
    from localpower.budgets.services import submit_idea

    process = find_process(slug)
    if not request.auth.has_perm("budgets.submit_idea", process):
        raise ApiError(
            403,
            f"Only residents of {process.area} with a verified postcode can share ideas, while ideas are open.",
        )
    data = {
        "title": body.title,
        "description": body.description,
        "estimated_cost": "" if body.estimated_cost is None else str(body.estimated_cost),
        "location_text": body.location,
        "image_alt": "",
    }
    if body.category is not None:
        data["category"] = str(body.category)
    form = IdeaForm(data, process=process)
    if body.category is not None and "category" not in form.fields:
        raise ApiError(
            422,
            "This budget has no categories; leave category out.",
            details=[{"location": "body", "field": "category", "message": "is not one of the categories"}],
        )
    if not form.is_valid():
        raise _form_refusal(form, {"location_text": "location"})
    try:
        idea = submit_idea(actor=request.auth, process=process, request=request, **form.values())
    except (PermissionDenied, ValidationError) as error:
        raise _refusal(error) from None
    return Status(201, _detail(request, _find_idea(process, idea.pk)))


@router.post(
    "/budgets/{slug}/ideas/{idea_id}/support",
    response={200: SupportOut, 201: SupportOut, **WRITE_ERRORS},
    auth=signed_in,
    url_name="budget-idea-support",
    operation_id="supportBudgetIdea",
    summary="Support an idea",
)
def support(request, path: Path[IdeaPath]):
    """Add your support (201), as a verified resident while ideas are open or in review. Supporting twice
    changes nothing (200, `changed` false)."""
    from localpower.budgets.services import support_idea

    process = find_process(path.slug)
    idea = _find_idea(process, path.idea_id)
    try:
        changed = support_idea(actor=request.auth, idea=idea, request=request)
    except (PermissionDenied, ValidationError) as error:
        raise _refusal(error) from None
    supporters = IdeaSupport.objects.filter(idea=idea).count()
    return Status(201 if changed else 200, {"supported": True, "changed": changed, "supporters": supporters})


@router.delete(
    "/budgets/{slug}/ideas/{idea_id}/support",
    response={200: SupportOut, **WRITE_ERRORS},
    auth=signed_in,
    url_name="budget-idea-unsupport",
    operation_id="withdrawBudgetIdeaSupport",
    summary="Withdraw your support",
)
def withdraw(request, path: Path[IdeaPath]):
    """Withdraw your support for an idea (nothing changes if you did not support it)."""
    from localpower.budgets.services import withdraw_support

    process = find_process(path.slug)
    idea = _find_idea(process, path.idea_id)
    changed = withdraw_support(actor=request.auth, idea=idea, request=request)
    supporters = IdeaSupport.objects.filter(idea=idea).count()
    return {"supported": False, "changed": changed, "supporters": supporters}


@router.post(
    "/budgets/{slug}/ideas/{idea_id}/comments",
    response={201: CommentOut, **WRITE_ERRORS},
    auth=signed_in,
    url_name="budget-idea-comment",
    operation_id="commentOnBudgetIdea",
    summary="Comment on an idea",
)
def comment(request, path: Path[IdeaPath], body: CommentIn):
    """Add a public comment, as a verified resident of the area or council staff, while ideas are open or in
    review."""
    from localpower.budgets.forms.ideas import CommentForm
    from localpower.budgets.services import comment_on_idea

    process = find_process(path.slug)
    idea = _find_idea(process, path.idea_id)
    if not request.auth.has_perm("budgets.comment_on_idea", idea):
        raise ApiError(
            403,
            "Only residents of the area and council staff can comment, while ideas are open or in review.",
        )
    form = CommentForm({"body": body.body})
    if not form.is_valid():
        raise _form_refusal(form)
    try:
        made = comment_on_idea(actor=request.auth, idea=idea, body=form.cleaned_data["body"], request=request)
    except (PermissionDenied, ValidationError) as error:
        raise _refusal(error) from None
    return Status(201, CommentOut.build(made))


def _deliveries(process: Process):
    from localpower.budgets.models import DeliveryUpdate

    return (
        Delivery.objects.filter(project__process=process)
        .select_related("project")
        .prefetch_related(
            "milestones", Prefetch("updates", queryset=DeliveryUpdate.objects.order_by("-created_at", "-id"))
        )
        .order_by("project__pk")
    )


@router.get(
    "/budgets/{slug}/delivery",
    response={200: DeliveryList, **ERRORS},
    url_name="budget-delivery",
    operation_id="listBudgetDelivery",
    summary="How the funded projects are getting on",
)
def list_delivery(request, slug: str):
    """Every funded project of the published result, with its delivery status, milestones and updates.

    Empty until a result is published.
    """
    process = find_process(slug)
    return {"budget": process.slug, "projects": [DeliveryOut.build(d) for d in _deliveries(process)]}


@router.post(
    "/budgets/{slug}/delivery/{project_id}/updates",
    response={201: DeliveryOut, **WRITE_ERRORS},
    auth=signed_in,
    url_name="budget-delivery-update",
    operation_id="postBudgetDeliveryUpdate",
    summary="Post a delivery update (officers)",
)
def post_delivery_update(request, path: Path[ProjectPath], body: DeliveryUpdateIn):
    """Set a funded project's delivery status with a public note, as a council officer or administrator for the
    area, once results are out. Cancelling needs `cancelled_reason`."""
    from localpower.budgets.services import update_delivery

    process = find_process(path.slug)
    project = process.projects.filter(pk=path.project_id).first()
    if project is None:
        raise ApiError(404, "This budget has no project with that number.")
    for name in ("note", "cancelled_reason"):
        if "\x00" in getattr(body, name):
            raise ApiError(
                422,
                "The text must not contain null characters.",
                details=[{"location": "body", "field": name, "message": "contains a null character"}],
            )
    if not request.auth.has_perm("budgets.update_delivery", process):
        raise ApiError(
            403,
            "Only council officers and administrators for this area can post delivery updates, once results "
            "are out.",
        )
    try:
        update_delivery(
            actor=request.auth,
            project=project,
            status=body.status,
            note=body.note,
            cancelled_reason=body.cancelled_reason,
            request=request,
        )
    except (PermissionDenied, ValidationError) as error:
        raise _refusal(error) from None
    return Status(201, DeliveryOut.build(_deliveries(process).get(project=project)))


__all__ = ["router"]
