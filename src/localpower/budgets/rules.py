"""Who may do what in participatory budgeting (django-rules), by role and by phase.

Objects: ``budgets.add_process`` takes an area; idea permissions take an ``Idea``; the rest take a ``Process``.

| permission                       | who                                                  | when                     |
|----------------------------------|------------------------------------------------------|--------------------------|
| manage_budgets (staff pages)     | officers and administrators for any area             | any time                 |
| add_process / change_process     | officers and administrators for the area             | any time                 |
| view_process                     | everyone (not drafts: staff for the area only)       | any time                 |
| submit_idea                      | verified residents of the area                       | ideas phase              |
| edit_idea                        | the idea's author                                    | ideas phase, not reviewed|
| support_idea                     | verified residents of the area                       | ideas and review phases  |
| comment_on_idea / report         | verified residents and staff for the area            | ideas and review phases  |
| review_ideas                     | officers and administrators for the area             | ideas and review phases  |
| manage_projects                  | officers and administrators for the area             | before voting opens      |
| vote                             | verified residents of the area                       | voting phase             |
| enter_paper_ballots              | officers for the area, if paper ballots are allowed  | voting and counting      |
| compute_results                  | officers and administrators for the area             | after voting closes      |
| publish_results                  | officers and administrators for the area             | after voting closes      |
| view_results                     | everyone once published; officers, administrators   | any time                 |
|                                  | and councillors for the area before                  |                          |
| moderate                         | moderators and administrators for the area           | any time                 |
| view_moderation (staff queue)    | moderators and administrators for any area           | any time                 |
| update_delivery                  | officers and administrators for the area             | after results            |

A "verified resident" is a person whose home postcode council staff have verified as being in the area (or who
holds a resident role there), with a verified e-mail address. Superusers pass every check.
"""

from __future__ import annotations

import rules

from localpower.accounts import roles
from localpower.accounts.models import RoleKind
from localpower.accounts.rules import is_council_staff_anywhere as is_staff_anywhere
from localpower.accounts.rules import is_council_staff_for_area as is_staff_for_area
from localpower.accounts.rules import is_email_verified, is_superuser
from localpower.budgets.models import Idea, IdeaStatus, Phase, Process

STAFF = (RoleKind.OFFICER, RoleKind.ADMINISTRATOR)


def _process(obj) -> Process | None:
    if isinstance(obj, Process):
        return obj
    if isinstance(obj, Idea):
        return obj.process
    return None


def _phase_in(*phases: Phase):
    @rules.predicate(name=f"phase_in_{'_'.join(phases)}")
    def predicate(user, obj) -> bool:
        process = _process(obj)
        return process is not None and process.phase in phases

    return predicate


@rules.predicate
def is_process_staff(user, obj) -> bool:
    process = _process(obj)
    return process is not None and roles.has_any_role(user, STAFF, process.area)


@rules.predicate
def is_process_officer(user, obj) -> bool:
    process = _process(obj)
    return process is not None and roles.has_role(user, RoleKind.OFFICER, process.area)


@rules.predicate
def is_process_councillor(user, obj) -> bool:
    process = _process(obj)
    return process is not None and roles.has_role(user, RoleKind.COUNCILLOR, process.area)


@rules.predicate
def is_process_moderator(user, obj) -> bool:
    process = _process(obj)
    return process is not None and roles.has_any_role(
        user, (RoleKind.MODERATOR, RoleKind.ADMINISTRATOR), process.area
    )


@rules.predicate
def is_moderator_anywhere(user) -> bool:
    return roles.has_any_role(user, (RoleKind.MODERATOR, RoleKind.ADMINISTRATOR))


@rules.predicate
def is_resident(user, obj) -> bool:
    """A verified resident of the process's area (checked by ``roles.has_role``: verified postcode or role)."""
    process = _process(obj)
    return process is not None and roles.lives_in(user, process.area)


@rules.predicate
def is_idea_author(user, idea) -> bool:
    return (
        isinstance(idea, Idea) and idea.author_id is not None and idea.author_id == getattr(user, "pk", None)
    )


@rules.predicate
def idea_not_reviewed(user, idea) -> bool:
    return isinstance(idea, Idea) and idea.status == IdeaStatus.SUBMITTED and not idea.is_hidden


@rules.predicate
def is_public(user, obj) -> bool:
    process = _process(obj)
    return process is not None and process.phase != Phase.DRAFT


@rules.predicate
def has_published_result(user, obj) -> bool:
    process = _process(obj)
    return process is not None and process.results.filter(published=True).exists()


@rules.predicate
def paper_ballots_allowed(user, obj) -> bool:
    process = _process(obj)
    return process is not None and process.allow_paper_ballots


@rules.predicate
def voting_has_closed(user, obj) -> bool:
    process = _process(obj)
    return process is not None and process.phase in (Phase.COUNTING, Phase.RESULTS, Phase.DELIVERY)


in_ideas = _phase_in(Phase.IDEAS)
in_ideas_or_review = _phase_in(Phase.IDEAS, Phase.REVIEW)
before_voting = _phase_in(Phase.DRAFT, Phase.UPCOMING, Phase.IDEAS, Phase.REVIEW)
in_voting = _phase_in(Phase.VOTING)
in_voting_or_counting = _phase_in(Phase.VOTING, Phase.COUNTING)
after_results = _phase_in(Phase.RESULTS, Phase.DELIVERY)

resident_taking_part = is_email_verified & is_resident
staff = is_superuser | is_process_staff

rules.add_perm("budgets.manage_budgets", is_superuser | is_staff_anywhere)  # the staff budget pages
rules.add_perm("budgets.add_process", is_superuser | is_staff_for_area)
rules.add_perm("budgets.change_process", staff)
rules.add_perm("budgets.view_process", is_public | staff)
rules.add_perm("budgets.submit_idea", resident_taking_part & in_ideas)
rules.add_perm("budgets.edit_idea", is_idea_author & idea_not_reviewed & in_ideas)
rules.add_perm("budgets.support_idea", resident_taking_part & in_ideas_or_review)
rules.add_perm(
    "budgets.comment_on_idea", (resident_taking_part | staff | is_process_moderator) & in_ideas_or_review
)
rules.add_perm("budgets.report", is_email_verified & is_public)
rules.add_perm("budgets.review_ideas", staff & in_ideas_or_review)
rules.add_perm("budgets.manage_projects", staff & before_voting)
rules.add_perm("budgets.vote", resident_taking_part & in_voting)
rules.add_perm(
    "budgets.enter_paper_ballots",
    (is_superuser | is_process_officer) & paper_ballots_allowed & in_voting_or_counting,
)
rules.add_perm("budgets.compute_results", staff & voting_has_closed)
rules.add_perm("budgets.publish_results", staff & voting_has_closed)
rules.add_perm("budgets.view_results", has_published_result | staff | is_process_councillor)
rules.add_perm("budgets.moderate", is_superuser | is_process_moderator)
rules.add_perm("budgets.update_delivery", staff & after_results)
rules.add_perm("budgets.view_moderation", is_superuser | is_moderator_anywhere)  # the moderation queue
