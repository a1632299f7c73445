"""The council's review: feasibility with a public reason, final costing, merging duplicates, ballot projects."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from localpower.budgets.models import Category, Idea, IdeaStatus, IdeaSupport, Process, Project
from localpower.budgets.services._base import require, save_clean
from localpower.budgets.signals import idea_status_changed
from localpower.core import audit

REVIEW_MESSAGE = (
    "Only council officers and administrators for this area can review ideas, before voting opens."
)
PROJECT_MESSAGE = (
    "Only council officers and administrators for this area can change ballot projects, before voting opens."
)
ASSESSMENTS = (IdeaStatus.UNDER_REVIEW, IdeaStatus.FEASIBLE, IdeaStatus.NOT_FEASIBLE)


def _announce(idea: Idea, old: str) -> None:
    if old != idea.status:
        transaction.on_commit(
            lambda: idea_status_changed.send(sender=Idea, idea=idea, old_status=old, new_status=idea.status)
        )


@transaction.atomic
def assess_idea(
    *,
    actor,
    idea: Idea,
    status: str,
    public_reason: str = "",
    estimated_cost: Decimal | None = None,
    request=None,
) -> Idea:
    """Mark an idea under review, feasible or not feasible (which needs a public reason)."""
    idea = Idea.objects.select_for_update().select_related("process__area").get(pk=idea.pk)
    require(actor, "budgets.review_ideas", idea.process, _(REVIEW_MESSAGE))
    if status not in ASSESSMENTS:
        raise ValidationError({"status": _("Choose under review, feasible or not feasible.")})
    if idea.status in (IdeaStatus.MERGED, IdeaStatus.ON_BALLOT):
        raise ValidationError(
            _("This idea is already %(status)s.") % {"status": idea.get_status_display().lower()}
        )
    if status == IdeaStatus.NOT_FEASIBLE and not public_reason.strip():
        raise ValidationError(
            {
                "public_reason": _(
                    "Say why the idea is not feasible; its author and everyone else will see it."
                )
            }
        )
    old = idea.status
    idea.status = status
    idea.public_reason = public_reason.strip()
    if estimated_cost is not None:
        idea.estimated_cost = estimated_cost
    save_clean(idea)
    audit.record(
        actor=actor,
        action="budgets.idea.assess",
        target=idea,
        summary=f"Idea marked {status}. {idea.public_reason}".strip(),
        changes={"status": {"from": old, "to": status}},
        request=request,
    )
    _announce(idea, old)
    return idea


@transaction.atomic
def merge_ideas(*, actor, duplicate: Idea, into: Idea, public_reason: str = "", request=None) -> Idea:
    """Merge ``duplicate`` into ``into``: its supporters count for ``into`` from now on."""
    if duplicate.pk == into.pk:
        raise ValidationError(_("An idea cannot be merged with itself."))
    duplicate = Idea.objects.select_for_update().select_related("process__area").get(pk=duplicate.pk)
    into = Idea.objects.select_for_update().get(pk=into.pk)
    require(actor, "budgets.review_ideas", duplicate.process, _(REVIEW_MESSAGE))
    if duplicate.process_id != into.process_id:
        raise ValidationError(_("Only ideas in the same budget can be merged."))
    if into.status == IdeaStatus.MERGED:
        raise ValidationError(
            _("“%(title)s” has itself been merged; merge into the idea it was merged with.")
            % {"title": into.title}
        )
    if duplicate.status in (IdeaStatus.MERGED, IdeaStatus.ON_BALLOT):
        raise ValidationError(
            _("This idea is already %(status)s.") % {"status": duplicate.get_status_display().lower()}
        )
    old = duplicate.status
    already = set(IdeaSupport.objects.filter(idea=into).values_list("user_id", flat=True))
    moved = [
        IdeaSupport(idea=into, user_id=s.user_id)
        for s in duplicate.supports.all()
        if s.user_id not in already
    ]
    IdeaSupport.objects.bulk_create(moved)
    duplicate.status = IdeaStatus.MERGED
    duplicate.merged_into = into
    duplicate.public_reason = public_reason.strip() or _("Merged with a similar idea: “%(title)s”.") % {
        "title": into.title
    }
    save_clean(duplicate)
    Idea.objects.filter(merged_into=duplicate).update(merged_into=into)
    audit.record(
        actor=actor,
        action="budgets.idea.merge",
        target=duplicate,
        summary=f"Merged into idea {into.pk} “{into.title}”; {len(moved)} supporters moved.",
        request=request,
    )
    _announce(duplicate, old)
    return into


@transaction.atomic
def create_project(
    *,
    actor,
    process: Process,
    title: str,
    cost: Decimal,
    ideas: list[Idea] = (),
    description: str = "",
    category: Category | None = None,
    location_text: str = "",
    feasibility_reason: str = "",
    request=None,
) -> Project:
    """Put a project on the ballot, made from zero or more feasible ideas (which become "on the ballot")."""
    require(actor, "budgets.manage_projects", process, _(PROJECT_MESSAGE))
    if category is not None and category.process_id != process.pk:
        raise ValidationError({"category": _("Choose one of this budget's categories.")})
    locked = list(Idea.objects.select_for_update().filter(pk__in=[i.pk for i in ideas]))
    for idea in locked:
        if idea.process_id != process.pk:
            raise ValidationError(_("“%(title)s” belongs to another budget.") % {"title": idea.title})
        if idea.status in (IdeaStatus.NOT_FEASIBLE, IdeaStatus.MERGED, IdeaStatus.ON_BALLOT):
            raise ValidationError(
                _("“%(title)s” is %(status)s, so it cannot become a ballot project.")
                % {"title": idea.title, "status": idea.get_status_display().lower()}
            )
    project = save_clean(
        Project(
            process=process,
            title=title.strip(),
            description=description.strip(),
            cost=cost,
            category=category,
            location_text=location_text.strip(),
            feasibility_reason=feasibility_reason.strip(),
        )
    )
    for idea in locked:
        old = idea.status
        idea.status, idea.project = IdeaStatus.ON_BALLOT, project
        save_clean(idea)
        _announce(idea, old)
    audit.record(
        actor=actor,
        action="budgets.project.create",
        target=project,
        summary=f"Put “{project.title}” on the ballot at {project.cost}.",
        changes={"ideas": [i.pk for i in locked], "cost": str(cost)},
        request=request,
    )
    return project


@transaction.atomic
def update_project(*, actor, project: Project, request=None, **changes) -> Project:
    """Final costing and wording, until voting opens."""
    project = Project.objects.select_for_update().select_related("process__area").get(pk=project.pk)
    require(actor, "budgets.manage_projects", project.process, _(PROJECT_MESSAGE))
    allowed = {"title", "description", "cost", "category", "location_text", "feasibility_reason"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError(
            _("These cannot be changed: %(names)s.") % {"names": ", ".join(sorted(unknown))}
        )
    if project.process.voting_has_opened():
        raise ValidationError(_("Voting has opened, so the ballot projects can no longer change."))
    before = {f: str(getattr(project, f)) for f in changes}
    for field, value in changes.items():
        setattr(project, field, value)
    save_clean(project)
    audit.record(
        actor=actor,
        action="budgets.project.update",
        target=project,
        summary="Changed a ballot project.",
        changes={f: {"from": before[f], "to": str(getattr(project, f))} for f in changes},
        request=request,
    )
    return project
