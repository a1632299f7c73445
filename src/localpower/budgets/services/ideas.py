"""Residents' ideas: submit, edit until review, support, comment, report; moderators hide with a reason."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from localpower.budgets.models import Category, Comment, Idea, IdeaSupport, Process, Report
from localpower.budgets.services._base import require, save_clean
from localpower.core import audit

IDEA_FIELDS = (
    "title",
    "description",
    "estimated_cost",
    "category",
    "location_text",
    "latitude",
    "longitude",
    "image",
    "image_alt",
)


def _check_category(process: Process, category: Category | None) -> None:
    if category is not None and category.process_id != process.pk:
        raise ValidationError({"category": _("Choose one of this budget's categories.")})


@transaction.atomic
def submit_idea(
    *,
    actor,
    process: Process,
    title: str,
    description: str,
    estimated_cost: Decimal | None = None,
    category: Category | None = None,
    location_text: str = "",
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    image=None,
    image_alt: str = "",
    request=None,
) -> Idea:
    require(
        actor,
        "budgets.submit_idea",
        process,
        _("Only residents of %(area)s with a verified postcode can share ideas, while ideas are open.")
        % {"area": process.area},
    )
    _check_category(process, category)
    idea = save_clean(
        Idea(
            process=process,
            author=actor,
            title=title.strip(),
            description=description.strip(),
            estimated_cost=estimated_cost,
            category=category,
            location_text=location_text.strip(),
            latitude=latitude,
            longitude=longitude,
            image=image or "",
            image_alt=image_alt.strip(),
        )
    )
    audit.record(
        actor=actor,
        action="budgets.idea.submit",
        target=idea,
        summary=f"Shared the idea “{idea.title}”.",
        request=request,
    )
    return idea


@transaction.atomic
def edit_idea(*, actor, idea: Idea, request=None, **changes) -> Idea:
    """The author changes their idea, until the council starts reviewing it."""
    idea = Idea.objects.select_for_update().select_related("process__area").get(pk=idea.pk)
    require(
        actor,
        "budgets.edit_idea",
        idea,
        _("You can change an idea only while it waits for review, and only your own."),
    )
    unknown = set(changes) - set(IDEA_FIELDS)
    if unknown:
        raise ValidationError(
            _("These cannot be changed: %(names)s.") % {"names": ", ".join(sorted(unknown))}
        )
    if "category" in changes:
        _check_category(idea.process, changes["category"])
    before = {f: str(getattr(idea, f)) for f in changes}
    old_image = idea.image.name if "image" in changes else ""
    for field, value in changes.items():
        setattr(idea, field, value.strip() if isinstance(value, str) else value)
    save_clean(idea)
    if old_image and old_image != idea.image.name:
        # The replaced or removed picture is deleted once the change is saved for good.
        storage = idea.image.storage
        transaction.on_commit(lambda: storage.delete(old_image))
    audit.record(
        actor=actor,
        action="budgets.idea.edit",
        target=idea,
        summary="Changed the idea.",
        changes={f: {"from": before[f], "to": str(getattr(idea, f))} for f in changes},
        request=request,
    )
    return idea


def support_idea(*, actor, idea: Idea, request=None) -> bool:
    """Add the actor's support; returns False if they already supported it (a double click is harmless)."""
    require(
        actor,
        "budgets.support_idea",
        idea,
        _("Only residents of the area can support ideas, while ideas are open or in review."),
    )
    if idea.is_hidden:
        raise ValidationError(_("This idea has been hidden by a moderator and cannot be supported."))
    try:
        with transaction.atomic():
            IdeaSupport.objects.create(idea=idea, user=actor)
    except IntegrityError:
        return False
    audit.record(
        actor=actor,
        action="budgets.idea.support",
        target=idea,
        summary="Supported the idea.",
        request=request,
    )
    return True


@transaction.atomic
def withdraw_support(*, actor, idea: Idea, request=None) -> bool:
    deleted, _count = IdeaSupport.objects.filter(idea=idea, user=actor).delete()
    if deleted:
        audit.record(
            actor=actor,
            action="budgets.idea.unsupport",
            target=idea,
            summary="Withdrew support.",
            request=request,
        )
    return bool(deleted)


@transaction.atomic
def comment_on_idea(*, actor, idea: Idea, body: str, request=None) -> Comment:
    require(
        actor,
        "budgets.comment_on_idea",
        idea,
        _("Only residents of the area and council staff can comment, while ideas are open or in review."),
    )
    if idea.is_hidden:
        raise ValidationError(_("This idea has been hidden by a moderator, so it cannot take new comments."))
    comment = save_clean(Comment(idea=idea, author=actor, body=body.strip()))
    audit.record(
        actor=actor,
        action="budgets.comment.create",
        target=comment,
        summary="Commented on an idea.",
        request=request,
    )
    return comment


def report(
    *, actor, reason: str, idea: Idea | None = None, comment: Comment | None = None, request=None
) -> Report:
    """Report an idea or a comment as abusive. Reporting the same thing twice keeps the first report."""
    if (idea is None) == (comment is None):
        raise ValidationError(_("Report either an idea or a comment."))
    process = idea.process if idea is not None else comment.idea.process
    require(actor, "budgets.report", process, _("Sign in with a verified e-mail address to report abuse."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say what is wrong with it.")})
    existing = Report.objects.filter(idea=idea, comment=comment, reporter=actor).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            item = save_clean(Report(idea=idea, comment=comment, reporter=actor, reason=reason.strip()[:500]))
    except IntegrityError:
        return Report.objects.get(idea=idea, comment=comment, reporter=actor)
    audit.record(
        actor=actor,
        action="budgets.report",
        target=idea or comment,
        summary="Reported as abusive.",
        request=request,
    )
    return item


def _target(idea: Idea | None, comment: Comment | None, verb: str):
    """(item, process) for a moderation action on exactly one of an idea or a comment."""
    if (idea is None) == (comment is None):
        raise ValidationError(_("%(verb)s either an idea or a comment.") % {"verb": verb})
    item = idea if idea is not None else comment
    process = idea.process if idea is not None else comment.idea.process
    return item, process


def _announce_hidden(idea: Idea) -> None:
    """Tell the idea's author it was hidden (after the transaction commits), through the notifications."""
    from localpower.budgets.signals import idea_status_changed

    transaction.on_commit(
        lambda: idea_status_changed.send(
            sender=Idea, idea=idea, old_status=idea.status, new_status=idea.status, hidden=True
        )
    )


@transaction.atomic
def hide(*, actor, reason: str, idea: Idea | None = None, comment: Comment | None = None, request=None):
    """A moderator hides an idea or a comment; the public reason is shown in its place. Open reports close.

    The author of a hidden idea is told, with the reason (``idea_status_changed`` with ``hidden=True``).
    """
    item, process = _target(idea, comment, _("Hide"))
    require(actor, "budgets.moderate", process, _("Only moderators for this area can hide content."))
    if not reason.strip():
        raise ValidationError({"hidden_reason": _("Give the reason for hiding it; people will see it.")})
    now = timezone.now()
    was_hidden = item.is_hidden
    item.hidden_at, item.hidden_reason, item.hidden_by = now, reason.strip()[:300], actor
    save_clean(item)
    Report.objects.filter(idea=idea, comment=comment, resolved_at__isnull=True).update(
        resolved_at=now, resolved_by=actor
    )
    audit.record(
        actor=actor,
        action="budgets.moderation.hide",
        target=item,
        summary=f"Hidden: {reason.strip()}",
        request=request,
    )
    if idea is not None and not was_hidden:
        _announce_hidden(idea)
    return item


@transaction.atomic
def unhide(*, actor, idea: Idea | None = None, comment: Comment | None = None, request=None):
    """A moderator shows hidden content again (the reason is cleared)."""
    item, process = _target(idea, comment, _("Restore"))
    require(actor, "budgets.moderate", process, _("Only moderators for this area can show hidden content."))
    if not item.is_hidden:
        return item
    before = item.hidden_reason
    item.hidden_at, item.hidden_reason, item.hidden_by = None, "", None
    save_clean(item)
    audit.record(
        actor=actor,
        action="budgets.moderation.unhide",
        target=item,
        summary="Shown again.",
        changes={"hidden_reason": {"from": before, "to": ""}},
        request=request,
    )
    return item


@transaction.atomic
def dismiss_reports(*, actor, idea: Idea | None = None, comment: Comment | None = None, request=None) -> int:
    """A moderator decides the open reports about an idea or a comment need no action; returns how many closed.

    The content stays as it is; the reports stay on record as resolved by the moderator.
    """
    item, process = _target(idea, comment, _("Dismiss the reports on"))
    require(actor, "budgets.moderate", process, _("Only moderators for this area can dismiss reports."))
    closed = Report.objects.filter(idea=idea, comment=comment, resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolved_by=actor
    )
    if closed:
        audit.record(
            actor=actor,
            action="budgets.moderation.dismiss",
            target=item,
            summary=f"Dismissed {closed} report{'s' if closed != 1 else ''}: no action needed.",
            request=request,
        )
    return closed
