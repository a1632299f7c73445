"""Shapes of the ideas and delivery answers of the API (they appear in the OpenAPI description).

Hidden ideas and comments keep their place in lists, but without their content: only that they are hidden and
the moderator's public reason.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.urls import reverse
from ninja import Field, Schema

from localpower.api.budgets_schemas import money, web_url
from localpower.budgets.models import DeliveryStatus, IdeaStatus


def _name(user) -> str:
    return (getattr(user, "display_name", "") or "").strip() or "A resident"


class IdeaSummary(Schema):
    id: int
    hidden: bool = Field(description="A moderator hid it: the content is left out, hidden_reason says why.")
    hidden_reason: str | None = Field(description="The moderator's public reason, when hidden.")
    title: str | None = Field(description="null when hidden.")
    status: IdeaStatus | None = Field(description="Where the council's review is; null when hidden.")
    status_label: str | None
    public_reason: str | None = Field(description="The council's public reason for its decision, if any.")
    estimated_cost: str | None = Field(description="The resident's rough estimate, such as '1500.00'.")
    category: str | None
    location: str | None = Field(description="Where, in words (may be empty); null when hidden.")
    supporters: int
    author: str | None = Field(description="The name the author shows publicly; null when hidden.")
    created_at: datetime.datetime
    url: str = Field(description="This idea in the API.")
    web_url: str | None = Field(description="This idea's page on the website.")

    @staticmethod
    def build(request, idea, *, supporters: int) -> dict:
        slug = idea.process.slug
        base = {
            "id": idea.pk,
            "hidden": idea.is_hidden,
            "hidden_reason": idea.hidden_reason if idea.is_hidden else None,
            "supporters": supporters,
            "created_at": idea.created_at,
            "url": request.build_absolute_uri(
                reverse("api:budget-idea", kwargs={"slug": slug, "idea_id": idea.pk})
            ),
            "web_url": web_url(request, "budgets:idea-detail", slug=slug, idea_id=idea.pk),
        }
        if idea.is_hidden:
            empty = ("title", "status", "status_label", "public_reason", "estimated_cost", "category")
            return base | dict.fromkeys(empty + ("location", "author"))
        return base | {
            "title": idea.title,
            "status": idea.status,
            "status_label": str(idea.get_status_display()),
            "public_reason": idea.public_reason or None,
            "estimated_cost": money(idea.estimated_cost),
            "category": idea.category.name if idea.category_id else None,
            "location": idea.location_text,
            "author": _name(idea.author),
        }


class CommentOut(Schema):
    id: int
    hidden: bool
    hidden_reason: str | None
    body: str | None = Field(description="null when hidden.")
    author: str | None = Field(description="null when hidden.")
    created_at: datetime.datetime

    @staticmethod
    def build(comment) -> dict:
        hidden = comment.is_hidden
        return {
            "id": comment.pk,
            "hidden": hidden,
            "hidden_reason": comment.hidden_reason if hidden else None,
            "body": None if hidden else comment.body,
            "author": None if hidden else _name(comment.author),
            "created_at": comment.created_at,
        }


class IdeaDetail(IdeaSummary):
    description: str | None = Field(description="null when hidden.")
    merged_into: int | None = Field(description="The idea this one was merged with, if any.")
    project: int | None = Field(description="The ballot project made from this idea, if any.")
    comments: list[CommentOut] = Field(description="Oldest first; hidden ones keep their place.")


class IdeaPage(Schema):
    count: int = Field(description="How many ideas match, on all pages.")
    page: int
    page_size: int
    pages: int
    next: str | None
    previous: str | None
    items: list[IdeaSummary]


class IdeaIn(Schema):
    """The same fields, limits and messages as the website's form (without the picture)."""

    title: str = Field(max_length=200, description="A short name for the idea.")
    description: str = Field(max_length=5000, description="What should be done, and who would it help?")
    estimated_cost: Decimal | None = Field(
        None, description='A rough cost in pounds, such as 1500 or "1500.00"; optional.'
    )
    category: int | None = Field(None, description="The id of one of the budget's categories; optional.")
    location: str = Field("", max_length=200, description="A street, park or building in the area.")


class CommentIn(Schema):
    body: str = Field(max_length=2000, description="Comments are public and show your name.")


class SupportOut(Schema):
    supported: bool = Field(description="Whether you support the idea now.")
    changed: bool = Field(description="false when nothing changed (you already supported it, or did not).")
    supporters: int


class MilestoneOut(Schema):
    id: int
    title: str
    due_on: datetime.date | None
    completed_on: datetime.date | None


class DeliveryUpdateOut(Schema):
    id: int
    status: DeliveryStatus
    status_label: str
    note: str
    created_at: datetime.datetime

    @staticmethod
    def build(update) -> dict:
        return {
            "id": update.pk,
            "status": update.status,
            "status_label": str(update.get_status_display()),
            "note": update.note,
            "created_at": update.created_at,
        }


class DeliveryOut(Schema):
    project: int = Field(description="The funded project's id.")
    title: str
    cost: str
    status: DeliveryStatus
    status_label: str
    cancelled_reason: str | None = Field(description="Why it was cancelled, when it was.")
    updated_at: datetime.datetime
    milestones: list[MilestoneOut]
    updates: list[DeliveryUpdateOut] = Field(description="Newest first.")

    @staticmethod
    def build(delivery) -> dict:
        return {
            "project": delivery.project_id,
            "title": delivery.project.title,
            "cost": money(delivery.project.cost),
            "status": delivery.status,
            "status_label": str(delivery.get_status_display()),
            "cancelled_reason": delivery.cancelled_reason or None,
            "updated_at": delivery.updated_at,
            "milestones": [
                {"id": m.pk, "title": m.title, "due_on": m.due_on, "completed_on": m.completed_on}
                for m in delivery.milestones.all()
            ],
            "updates": [DeliveryUpdateOut.build(u) for u in delivery.updates.all()],
        }


class DeliveryList(Schema):
    budget: str = Field(description="The budget's slug.")
    projects: list[DeliveryOut] = Field(description="Every funded project of the published result.")


class DeliveryUpdateIn(Schema):
    status: DeliveryStatus = Field(description="planned, in_progress, delivered or cancelled.")
    note: str = Field("", max_length=5000, description="A public note on progress.")
    cancelled_reason: str = Field(
        "", max_length=5000, description="Needed when the status is cancelled; residents see it."
    )
