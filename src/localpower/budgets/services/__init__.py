"""Every write in participatory budgeting goes through these services (keyword-only, atomic, audited)."""

from localpower.budgets.services.ideas import (
    comment_on_idea,
    edit_idea,
    hide,
    report,
    submit_idea,
    support_idea,
    unhide,
    withdraw_support,
)
from localpower.budgets.services.paper import enter_paper_ballot, mark_paper_voter
from localpower.budgets.services.processes import add_category, change_state, create_process, update_process
from localpower.budgets.services.results import (
    add_milestone,
    complete_milestone,
    compute_result,
    publish_result,
    update_delivery,
)
from localpower.budgets.services.review import assess_idea, create_project, merge_ideas, update_project
from localpower.budgets.services.voting import CastResult, cast_ballot, ineligibility, new_idempotency_key

__all__ = [
    "CastResult",
    "add_category",
    "add_milestone",
    "assess_idea",
    "cast_ballot",
    "change_state",
    "comment_on_idea",
    "complete_milestone",
    "compute_result",
    "create_process",
    "create_project",
    "edit_idea",
    "enter_paper_ballot",
    "hide",
    "ineligibility",
    "mark_paper_voter",
    "merge_ideas",
    "new_idempotency_key",
    "publish_result",
    "report",
    "submit_idea",
    "support_idea",
    "unhide",
    "update_delivery",
    "update_process",
    "update_project",
    "withdraw_support",
]
