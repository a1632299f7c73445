"""Pol.is-style opinion maps for deliberation: vote matrix, opinion groups, representative statements,
bridging consensus, incremental updates and the Pol.is openData reader. Pure Python + numpy."""

from localpower.tally.opinion.groups import OpinionGroups, compute_groups
from localpower.tally.opinion.matrix import OpinionDataError, VoteMatrix
from localpower.tally.opinion.metrics import adjusted_rand_index
from localpower.tally.opinion.polis_io import Conversation, read_conversation

__all__ = [
    "Conversation",
    "OpinionDataError",
    "OpinionGroups",
    "VoteMatrix",
    "adjusted_rand_index",
    "compute_groups",
    "read_conversation",
]
