"""The participants x statements vote matrix behind a Pol.is-style conversation.

Each cell holds agree (+1), disagree (-1) or pass (0), or is *missing* when the participant has not
voted on the statement. Missing and pass are both stored as 0 in ``votes``; ``seen`` tells them apart.
When a participant votes more than once on a statement, the last vote counts.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from localpower.tally.model import TallyError

__all__ = ["AGREE", "DISAGREE", "PASS", "OpinionDataError", "VoteMatrix"]

AGREE, DISAGREE, PASS = 1, -1, 0


class OpinionDataError(TallyError):
    """Conversation data that cannot be read or used; the message is plain English."""


@dataclass
class VoteMatrix:
    """Votes of ``participants`` (rows) on ``statements`` (columns).

    ``hidden[j]`` is True for a statement the moderator removed: its votes are kept (they still count
    towards how many votes a participant has cast) but it takes no part in the opinion map.
    """

    participants: tuple[str, ...]
    statements: tuple[str, ...]
    votes: np.ndarray  # (n, m) int8: +1 agree, -1 disagree, 0 pass or missing
    seen: np.ndarray  # (n, m) bool: True where the participant voted (agree, disagree or pass)
    hidden: np.ndarray = field(default=None)  # (m,) bool

    def __post_init__(self) -> None:
        n, m = len(self.participants), len(self.statements)
        self.votes = np.asarray(self.votes, dtype=np.int8).reshape(n, m)
        self.seen = np.asarray(self.seen, dtype=bool).reshape(n, m)
        if self.hidden is None:
            self.hidden = np.zeros(m, dtype=bool)
        self.hidden = np.asarray(self.hidden, dtype=bool).reshape(m)
        if np.any(self.votes[~self.seen] != 0):
            raise OpinionDataError("a vote is recorded where the participant has not voted")
        if np.any(np.abs(self.votes.astype(np.int16)) > 1):
            raise OpinionDataError("votes must be 1 (agree), -1 (disagree) or 0 (pass)")

    @property
    def n_participants(self) -> int:
        return len(self.participants)

    @property
    def n_statements(self) -> int:
        return len(self.statements)

    @property
    def votes_per_participant(self) -> np.ndarray:
        """How many statements each participant voted on (passes and hidden statements included)."""
        return self.seen.sum(axis=1)

    @property
    def voted_statements(self) -> np.ndarray:
        """True for statements at least one participant voted on."""
        return self.seen.any(axis=0)

    def group_votes(self, labels: np.ndarray, k: int):
        """Agree, disagree and any-vote counts per group (``labels``: group per participant, -1 none)."""
        from localpower.tally.opinion.consensus import group_votes

        return group_votes(self.votes, self.seen, labels, k)

    def index_of_statement(self, statement: str) -> int:
        try:
            return self.statements.index(statement)
        except ValueError:
            raise OpinionDataError(f"unknown statement {statement!r}") from None

    @classmethod
    def from_votes(
        cls,
        events: Iterable[tuple[str, str, int]],
        *,
        statements: Sequence[str] | None = None,
        hidden: Iterable[str] = (),
        participants: Sequence[str] | None = None,
    ) -> VoteMatrix:
        """Build the matrix from ``(participant, statement, vote)`` events in time order.

        The last vote of a participant on a statement counts. Participants are ordered by their first
        vote unless ``participants`` gives the order; statements follow ``statements`` when given
        (statements nobody voted on become empty columns), then any others in order of first vote.
        """
        p_index: dict[str, int] = {p: i for i, p in enumerate(participants or ())}
        s_index: dict[str, int] = {s: j for j, s in enumerate(statements or ())}
        last: dict[tuple[int, int], int] = {}
        for participant, statement, vote in events:
            if vote not in (AGREE, DISAGREE, PASS):
                raise OpinionDataError(f"vote {vote!r} is not 1 (agree), -1 (disagree) or 0 (pass)")
            i = p_index.setdefault(participant, len(p_index))
            j = s_index.setdefault(statement, len(s_index))
            last[(i, j)] = vote
        n, m = len(p_index), len(s_index)
        votes = np.zeros((n, m), dtype=np.int8)
        seen = np.zeros((n, m), dtype=bool)
        if last:
            cells = np.array(list(last.keys()), dtype=np.int64)
            votes[cells[:, 0], cells[:, 1]] = np.fromiter(last.values(), dtype=np.int8, count=len(last))
            seen[cells[:, 0], cells[:, 1]] = True
        statement_ids = tuple(s_index)
        hidden_set = set(hidden)
        hidden_mask = np.array([s in hidden_set for s in statement_ids], dtype=bool)
        return cls(tuple(p_index), statement_ids, votes, seen, hidden_mask)

    @classmethod
    def from_dense(
        cls,
        rows: Sequence[Sequence[float | None]],
        *,
        participants: Sequence[str] | None = None,
        statements: Sequence[str] | None = None,
        hidden: Iterable[int] = (),
    ) -> VoteMatrix:
        """Build from rows of +1 / -1 / 0 with ``None`` (or NaN) for missing; handy for tests."""
        arr = np.array([[np.nan if v is None else float(v) for v in row] for row in rows], dtype=float)
        if arr.ndim != 2:
            arr = np.zeros((len(rows), 0)) if arr.size == 0 else arr.reshape(len(rows), -1)
        n, m = arr.shape
        seen = ~np.isnan(arr)
        votes = np.where(seen, arr, 0.0)
        if np.any((votes != 0) & (np.abs(votes) != 1)):
            raise OpinionDataError("votes must be 1 (agree), -1 (disagree) or 0 (pass)")
        hidden_mask = np.zeros(m, dtype=bool)
        hidden_mask[list(hidden)] = True
        return cls(
            tuple(participants) if participants is not None else tuple(str(i) for i in range(n)),
            tuple(statements) if statements is not None else tuple(str(j) for j in range(m)),
            votes.astype(np.int8),
            seen,
            hidden_mask,
        )
