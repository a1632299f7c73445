"""Data model of a participatory budgeting election: projects, ballots and outcomes.

Everything the counting rules need lives here, in a form that is both exact (costs and budgets are
``Fraction``) and fast (ballots are numpy arrays with identical ballots collapsed into one row with a
multiplicity).

Conventions shared by every rule:

* Column ``j`` of every ballot matrix is ``election.projects[j]`` (the order of the PROJECTS section).
* Ties are broken by ``election.tie_rank``: a lower rank wins. The default order is the lexicographic
  order of the project id strings, which is what pabutools does, so outcomes match pabutools.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from fractions import Fraction
from functools import cached_property

import numpy as np

__all__ = [
    "BallotKind",
    "TallyError",
    "Election",
    "Outcome",
    "Profile",
    "Project",
    "Round",
]


class TallyError(ValueError):
    """A request the counting engine cannot carry out (unknown rule, option not valid for a rule, ...).

    The message is plain English and meant to be shown to the user as it is.
    """


class BallotKind(StrEnum):
    """What a ballot expresses.

    Pabulib's ``choose-1`` vote type is read as APPROVAL with ``max_length`` 1; the election's ``meta``
    keeps the original ``vote_type`` so that writing the file back gives ``choose-1`` again.
    """

    APPROVAL = "approval"
    CUMULATIVE = "cumulative"
    SCORING = "scoring"
    ORDINAL = "ordinal"


@dataclass(frozen=True, slots=True)
class Project:
    """One project on the ballot paper."""

    id: str
    cost: Fraction
    name: str = ""
    categories: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()
    # Every other PROJECTS column as read (votes, score, selected, latitude, ...), keyed by column name.
    fields: Mapping[str, str] = field(default_factory=dict, hash=False)


@dataclass
class Election:
    """The projects, the budget and the descriptive metadata of one election."""

    projects: tuple[Project, ...]
    budget: Fraction
    meta: dict[str, str] = field(default_factory=dict)
    project_columns: tuple[str, ...] = ("project_id", "cost", "name")

    @cached_property
    def n_projects(self) -> int:
        return len(self.projects)

    @cached_property
    def costs(self) -> np.ndarray:
        """Project costs as an array: int64 when every cost is a whole number, float64 otherwise.

        Rules that need exact arithmetic use ``project.cost`` (a Fraction) instead.
        """
        if all(p.cost.denominator == 1 for p in self.projects):
            return np.array([int(p.cost) for p in self.projects], dtype=np.int64)
        return np.array([float(p.cost) for p in self.projects], dtype=np.float64)

    @cached_property
    def index(self) -> dict[str, int]:
        """Project id -> column index."""
        return {p.id: j for j, p in enumerate(self.projects)}

    @cached_property
    def tie_rank(self) -> np.ndarray:
        """Tie-breaking rank of each column; a lower rank wins a tie (lexicographic on the id string)."""
        order = sorted(range(len(self.projects)), key=lambda j: self.projects[j].id)
        rank = np.empty(len(self.projects), dtype=np.int64)
        rank[order] = np.arange(len(self.projects), dtype=np.int64)
        return rank

    @property
    def total_cost(self) -> Fraction:
        return sum((p.cost for p in self.projects), Fraction(0))

    def cost_of(self, columns: Sequence[int]) -> Fraction:
        """Exact total cost of the given project columns."""
        return sum((self.projects[j].cost for j in columns), Fraction(0))


def _points_dtype(values: np.ndarray) -> np.ndarray:
    """Use int64 when every value is whole, float64 otherwise."""
    if values.dtype.kind == "f" and values.size and np.all(np.mod(values, 1) == 0):
        return values.astype(np.int64)
    return values


@dataclass(eq=False)
class Profile:
    """The ballots of one election, identical ballots collapsed.

    ``ballots`` has one row per distinct ballot and one column per project:

    * approval: bool, True where the voter approves the project;
    * cumulative / scoring: int64 points (float64 if any value is not a whole number), 0 = no points;
    * ordinal: int32 rank, 1 = first choice, 0 = not ranked.

    ``weights[r]`` is how many voters cast ballot ``r``; ``voter_rows[i]`` is the ballot row of the
    i-th voter in file order.
    """

    kind: BallotKind
    ballots: np.ndarray
    weights: np.ndarray
    voter_ids: tuple[str, ...]
    voter_rows: np.ndarray
    voter_columns: tuple[str, ...] = ("voter_id", "vote")
    voter_fields: dict[str, list[str]] = field(default_factory=dict)
    min_length: int | None = None
    max_length: int | None = None
    max_sum_cost: Fraction | None = None
    min_points: int | None = None
    max_points: int | None = None
    min_sum_points: int | None = None
    max_sum_points: int | None = None

    # ------------------------------------------------------------------ derived figures
    @property
    def n_voters(self) -> int:
        return int(self.weights.sum())

    @property
    def n_unique(self) -> int:
        return int(self.ballots.shape[0])

    @property
    def n_projects(self) -> int:
        return int(self.ballots.shape[1])

    @cached_property
    def supports(self) -> np.ndarray:
        """(u, m) bool: the ballot approves, gives points to, or ranks the project."""
        if self.ballots.dtype == np.bool_:
            return self.ballots
        return self.ballots != 0

    @cached_property
    def approvals_per_project(self) -> np.ndarray:
        """(m,) int64: how many voters support (approve / give points to / rank) each project."""
        return (self.weights @ self.supports.astype(np.int64)).astype(np.int64)

    @cached_property
    def points_per_project(self) -> np.ndarray:
        """(m,) total points per project (approval: approvals; ordinal: number of voters ranking it)."""
        if self.kind in (BallotKind.CUMULATIVE, BallotKind.SCORING):
            return self.weights @ self.ballots
        return self.approvals_per_project

    @cached_property
    def ballot_lengths(self) -> np.ndarray:
        """(u,) number of projects supported on each distinct ballot."""
        return self.supports.sum(axis=1).astype(np.int64)

    def voter_ballot(self, voter_index: int) -> np.ndarray:
        """The ballot row (length m) of the voter at ``voter_index`` (file order)."""
        return self.ballots[self.voter_rows[voter_index]]

    def voter_projects(self, voter_index: int) -> list[int]:
        """Columns the voter supports; for ordinal ballots in rank order (first choice first)."""
        row = self.voter_ballot(voter_index)
        cols = np.flatnonzero(row)
        if self.kind is BallotKind.ORDINAL:
            cols = cols[np.argsort(row[cols], kind="stable")]
        return [int(c) for c in cols]

    def voter_index(self, voter_id: str) -> int:
        """File position of the voter with this id; KeyError if there is none."""
        try:
            return self._voter_positions[voter_id]
        except KeyError:
            raise KeyError(f"no voter with id {voter_id!r}") from None

    @cached_property
    def _voter_positions(self) -> dict[str, int]:
        return {v: i for i, v in enumerate(self.voter_ids)}

    # ------------------------------------------------------------------ comparison
    def per_voter_ballots(self) -> np.ndarray:
        """(n, m) ballot of every voter in file order (expands the collapsed form; use on small profiles)."""
        return self.ballots[self.voter_rows]

    def __eq__(self, other: object) -> bool:
        """Same kind, same voters in the same order with the same ballots, extra columns and constraints."""
        if not isinstance(other, Profile):
            return NotImplemented
        constraints = (
            "min_length",
            "max_length",
            "max_sum_cost",
            "min_points",
            "max_points",
            "min_sum_points",
            "max_sum_points",
        )
        return (
            self.kind == other.kind
            and self.voter_ids == other.voter_ids
            and self.voter_columns == other.voter_columns
            and self.voter_fields == other.voter_fields
            and self.ballots.shape[1] == other.ballots.shape[1]
            and all(getattr(self, c) == getattr(other, c) for c in constraints)
            and np.array_equal(self.per_voter_ballots(), other.per_voter_ballots())
        )

    __hash__ = None  # type: ignore[assignment]

    # ------------------------------------------------------------------ construction
    @classmethod
    def from_matrix(
        cls,
        kind: BallotKind | str,
        matrix: np.ndarray,
        *,
        voter_ids: Sequence[str] | None = None,
        **extra,
    ) -> Profile:
        """Build a profile from one row per voter (n, m), collapsing identical rows."""
        kind = BallotKind(kind)
        matrix = np.asarray(matrix)
        if kind is BallotKind.APPROVAL:
            matrix = matrix.astype(np.bool_)
        elif kind is BallotKind.ORDINAL:
            matrix = matrix.astype(np.int32)
        else:
            matrix = _points_dtype(matrix.astype(np.int64 if matrix.dtype.kind in "biu" else np.float64))
        n, m = matrix.shape
        if n == 0:
            unique = np.zeros((0, m), dtype=matrix.dtype)
            inverse = np.zeros(0, dtype=np.int32)
            counts = np.zeros(0, dtype=np.int64)
        else:
            unique, inverse, counts = np.unique(matrix, axis=0, return_inverse=True, return_counts=True)
        if voter_ids is None:
            voter_ids = [str(i + 1) for i in range(n)]
        if len(voter_ids) != n:
            raise ValueError(f"{len(voter_ids)} voter ids for {n} ballots")
        return cls(
            kind=kind,
            ballots=unique,
            weights=counts.astype(np.int64),
            voter_ids=tuple(str(v) for v in voter_ids),
            voter_rows=np.asarray(inverse, dtype=np.int32).reshape(-1),
            **extra,
        )

    @classmethod
    def from_ballots(
        cls,
        kind: BallotKind | str,
        rows: Sequence[Mapping[int, float] | Sequence[int]],
        m: int,
        *,
        voter_ids: Sequence[str] | None = None,
        **extra,
    ) -> Profile:
        """Build a profile from one ballot per voter.

        Each ballot is either a sequence of project columns (approval: the approved projects; ordinal:
        the ranking, first choice first; cumulative/scoring: one point each) or a mapping column ->
        points (approval: truthy = approved; ordinal: column -> rank with 1 = first choice).
        Identical ballots are collapsed into one row with a multiplicity.
        """
        kind = BallotKind(kind)
        is_float = False
        matrix = np.zeros((len(rows), m), dtype=np.float64)
        for i, row in enumerate(rows):
            if isinstance(row, Mapping):
                for j, value in row.items():
                    matrix[i, j] = float(value)
                    if float(value) != int(value):
                        is_float = True
            elif kind is BallotKind.ORDINAL:
                for rank, j in enumerate(row, start=1):
                    matrix[i, j] = rank
            else:
                for j in row:
                    matrix[i, j] = 1
        if not is_float:
            matrix = matrix.astype(np.int64)
        return cls.from_matrix(kind, matrix, voter_ids=voter_ids, **extra)


@dataclass(frozen=True, slots=True)
class Round:
    """One step of a rule: a project chosen (or considered and passed over)."""

    project: int
    stage: str = "main"  # "main" | "completion"
    price: Fraction | float | None = None
    effective_votes: float | None = None
    note: str = ""


@dataclass(frozen=True, slots=True)
class Outcome:
    """The result of running a rule on an election."""

    rule: str
    selected: tuple[int, ...]
    trace: tuple[Round, ...] = ()
    details: dict = field(default_factory=dict, hash=False)

    def selected_ids(self, election: Election) -> list[str]:
        """The ids of the selected projects, in the order they were chosen."""
        return [election.projects[j].id for j in self.selected]

    def cost(self, election: Election) -> Fraction:
        """Exact total cost of the selected projects."""
        return election.cost_of(self.selected)
