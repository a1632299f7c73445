"""Yes/no ballots: simple majority and dual majority (Business Improvement District ballots).

All arithmetic is exact (``int`` and ``Fraction``), so a result never hinges on rounding.

Rules applied, in plain terms:

* Only valid votes count towards a majority. Spoilt ballots (blank, unclear, both boxes marked) count
  towards turnout, because the voter did take part, but never for or against.
* A proposal carries only with *more* yes than no. A tie does not carry: the status quo stays.
* With no valid votes at all the proposal does not carry.
* When a turnout threshold is given, turnout is (valid + spoilt ballots) / electorate and must reach the
  threshold (equal is enough), otherwise the proposal fails whatever the votes say.
* Dual majority (as for a BID ballot under the Business Improvement Districts (England) Regulations
  2004): the proposal carries only if the yes votes are more than half of the valid votes by number AND
  the rateable value of the yes voters is more than half of the rateable value of all valid votes. In
  Scotland a BID ballot also needs a turnout of at least 25% by number and by rateable value: pass
  ``turnout_threshold=Fraction(1, 4)`` with ``electorate`` and ``electorate_weight``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from localpower.tally.model import TallyError

__all__ = ["MajorityResult", "dual_majority", "simple_majority"]

YES_WORDS = {"yes", "y", "for", "true", "1"}
NO_WORDS = {"no", "n", "against", "false", "0"}
SPOILT_WORDS = {"spoilt", "spoiled", "void", "invalid", "rejected", ""}


@dataclass(frozen=True, slots=True)
class MajorityResult:
    """Outcome of a yes/no ballot with every figure used to decide it."""

    passed: bool
    reason: str
    yes: int
    no: int
    spoilt: int = 0
    electorate: int | None = None
    turnout: Fraction | None = None
    yes_weight: Fraction | None = None
    no_weight: Fraction | None = None
    spoilt_weight: Fraction | None = None
    electorate_weight: Fraction | None = None
    turnout_weight: Fraction | None = None

    @property
    def valid(self) -> int:
        return self.yes + self.no

    @property
    def ballots_cast(self) -> int:
        return self.yes + self.no + self.spoilt

    def as_dict(self) -> dict:
        """JSON-friendly figures (fractions as strings such as "3/7", plus a float percentage)."""
        out: dict = {"passed": self.passed, "reason": self.reason}
        for name in (
            "yes",
            "no",
            "spoilt",
            "electorate",
            "turnout",
            "yes_weight",
            "no_weight",
            "spoilt_weight",
            "electorate_weight",
            "turnout_weight",
        ):
            value = getattr(self, name)
            if isinstance(value, Fraction):
                out[name] = str(value) if value.denominator != 1 else int(value)
            else:
                out[name] = value
        return out


def _count(value, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TallyError(f"{what} must be a whole number, not {value!r}")
    if value < 0:
        raise TallyError(f"{what} cannot be negative (got {value})")
    return value


def _amount(value, what: str) -> Fraction:
    if isinstance(value, bool):
        raise TallyError(f"{what} must be a number, not {value!r}")
    try:
        if isinstance(value, float):
            amount = Fraction(Decimal(repr(value)))
        elif isinstance(value, int | Fraction | Decimal):
            amount = Fraction(value)
        else:
            amount = Fraction(str(value).strip().replace(",", "").lstrip("£"))
    except (ValueError, ZeroDivisionError, TypeError):
        raise TallyError(f"{what} {value!r} is not a number") from None
    if amount < 0:
        raise TallyError(f"{what} cannot be negative (got {value})")
    return amount


def _threshold(value) -> Fraction:
    threshold = _amount(value, "the turnout threshold")
    if threshold > 1:
        raise TallyError(f"the turnout threshold is a share between 0 and 1, not {value}")
    return threshold


def _pct(share: Fraction) -> str:
    """Percentage to one decimal place, rounded down so that 49.96% never reads as 50.0%."""
    tenths = (share * 1000).__floor__()
    return f"{tenths // 10}.{tenths % 10}%"


def _turnout_failure(label: str, cast, electorate, threshold: Fraction) -> tuple[Fraction, str | None]:
    turnout = Fraction(cast) / electorate if electorate else Fraction(0)
    if turnout < threshold:
        return turnout, (
            f"turnout {label}was {_pct(turnout)}, below the required {_pct(threshold)}, "
            "so the proposal fails whatever the votes"
        )
    return turnout, None


def simple_majority(
    yes: int,
    no: int,
    *,
    spoilt: int = 0,
    electorate: int | None = None,
    turnout_threshold: Fraction | float | str | None = None,
) -> MajorityResult:
    """A proposal carries with more yes than no votes (and, optionally, enough turnout)."""
    yes, no, spoilt = _count(yes, "yes votes"), _count(no, "no votes"), _count(spoilt, "spoilt ballots")
    cast = yes + no + spoilt
    turnout = None
    if electorate is not None:
        electorate = _count(electorate, "the electorate")
        if cast > electorate:
            raise TallyError(f"{cast} ballots were cast but the electorate is only {electorate}")
        turnout = Fraction(cast, electorate) if electorate else Fraction(0)
    if turnout_threshold is not None:
        if electorate is None:
            raise TallyError("a turnout threshold needs the size of the electorate")
        turnout, failure = _turnout_failure("", cast, electorate, _threshold(turnout_threshold))
        if failure:
            return MajorityResult(False, failure, yes, no, spoilt, electorate, turnout)
    passed, reason = _decide("", yes, no, str(yes), str(no))
    return MajorityResult(passed, reason, yes, no, spoilt, electorate, turnout)


def _decide(label: str, yes, no, yes_text: str, no_text: str) -> tuple[bool, str]:
    if yes + no == 0:
        return False, f"there were no valid votes{label}, so the proposal does not carry"
    if yes > no:
        share = Fraction(yes) / (yes + no)
        return True, f"yes won{label}: {yes_text} for and {no_text} against ({_pct(share)} yes)"
    if yes == no:
        return False, f"a tie{label} ({yes_text} each way) does not carry the proposal"
    share = Fraction(yes) / (yes + no)
    return False, f"no won{label}: {yes_text} for and {no_text} against ({_pct(share)} yes)"


def _choice(choice, k: int) -> str:
    if choice is None:
        return "spoilt"
    if isinstance(choice, bool):
        return "yes" if choice else "no"
    word = str(choice).strip().lower()
    if word in YES_WORDS:
        return "yes"
    if word in NO_WORDS:
        return "no"
    if word in SPOILT_WORDS:
        return "spoilt"
    raise TallyError(f"ballot {k + 1}: the choice {choice!r} is not yes, no or spoilt")


def dual_majority(
    votes: Sequence[tuple[object, object]],
    *,
    electorate: int | None = None,
    electorate_weight: Fraction | int | str | None = None,
    turnout_threshold: Fraction | float | str | None = None,
) -> MajorityResult:
    """Carries only with a majority of valid votes by number AND by aggregate weight (rateable value).

    ``votes`` holds one ``(choice, weight)`` per ballot, where choice is yes/no (True/False, "yes"/"no",
    "for"/"against") or spoilt (None, "spoilt", "void", "").
    """
    yes = no = spoilt = 0
    yes_w = no_w = spoilt_w = Fraction(0)
    for k, item in enumerate(votes):
        try:
            choice, weight = item
        except (TypeError, ValueError):
            raise TallyError(f"ballot {k + 1} must be a (choice, weight) pair, not {item!r}") from None
        kind = _choice(choice, k)
        amount = _amount(weight, f"ballot {k + 1}: the weight")
        if kind == "yes":
            yes, yes_w = yes + 1, yes_w + amount
        elif kind == "no":
            no, no_w = no + 1, no_w + amount
        else:
            spoilt, spoilt_w = spoilt + 1, spoilt_w + amount
    cast, cast_w = yes + no + spoilt, yes_w + no_w + spoilt_w
    turnout = turnout_w = None
    if electorate is not None:
        electorate = _count(electorate, "the electorate")
        if cast > electorate:
            raise TallyError(f"{cast} ballots were cast but the electorate is only {electorate}")
        turnout = Fraction(cast, electorate) if electorate else Fraction(0)
    if electorate_weight is not None:
        electorate_weight = _amount(electorate_weight, "the electorate's total weight")
        if cast_w > electorate_weight:
            raise TallyError(
                f"the ballots cast carry a weight of {_money(cast_w)} but the electorate's total is only "
                f"{_money(electorate_weight)}"
            )
        turnout_w = cast_w / electorate_weight if electorate_weight else Fraction(0)
    figures = dict(
        yes=yes,
        no=no,
        spoilt=spoilt,
        electorate=electorate,
        turnout=turnout,
        yes_weight=yes_w,
        no_weight=no_w,
        spoilt_weight=spoilt_w,
        electorate_weight=electorate_weight,
        turnout_weight=turnout_w,
    )
    if turnout_threshold is not None:
        if electorate is None or electorate_weight is None:
            raise TallyError("a turnout threshold needs the electorate's size and its total weight")
        threshold = _threshold(turnout_threshold)
        for label, c, e in (("by number ", cast, electorate), ("by weight ", cast_w, electorate_weight)):
            _, failure = _turnout_failure(label, c, e, threshold)
            if failure:
                return MajorityResult(False, failure, **figures)
    ok_n, why_n = _decide(" by number", yes, no, str(yes), str(no))
    ok_w, why_w = _decide(" by weight", yes_w, no_w, _money(yes_w), _money(no_w))
    if ok_n and ok_w:
        reason = f"carried on both counts: {why_n}; {why_w}"
    elif not ok_n and not ok_w:
        reason = f"fails on both counts: {why_n}; {why_w}"
    else:
        failed = why_w if ok_n else why_n
        held = why_n if ok_n else why_w
        reason = f"fails because both majorities are needed: {held}, but {failed}"
    return MajorityResult(ok_n and ok_w, reason, **figures)


def _money(value: Fraction) -> str:
    if value.denominator == 1:
        return f"{int(value):,}"
    return f"{float(value):,.2f}"
