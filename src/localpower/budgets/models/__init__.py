"""Models of participatory budgeting, split by concern; import them from here."""

from localpower.budgets.models.ideas import Comment, Idea, IdeaStatus, IdeaSupport, Project, Report
from localpower.budgets.models.process import (
    FROZEN_FIELDS,
    BallotKind,
    Category,
    Completion,
    OutcomeRule,
    Phase,
    Process,
    ProcessState,
)
from localpower.budgets.models.results import Delivery, DeliveryStatus, DeliveryUpdate, Milestone, Result
from localpower.budgets.models.voting import Ballot, Channel, PaperBallotEntry, PaperEntryStatus, VoterRecord

__all__ = [
    "FROZEN_FIELDS",
    "Ballot",
    "BallotKind",
    "Category",
    "Channel",
    "Comment",
    "Completion",
    "Delivery",
    "DeliveryStatus",
    "DeliveryUpdate",
    "Idea",
    "IdeaStatus",
    "IdeaSupport",
    "Milestone",
    "OutcomeRule",
    "PaperBallotEntry",
    "PaperEntryStatus",
    "Phase",
    "Process",
    "ProcessState",
    "Project",
    "Report",
    "Result",
    "VoterRecord",
]
