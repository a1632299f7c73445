"""The arithmetic of a budget simulator, in plain Python (no Django): totals, the target, and the results.

Money is ``Decimal`` pounds; changes are whole percentages. Nothing is rounded before a comparison.

The target is linear. Whatever its kind, a budget is *balanced* when the total change (the sum over services of
spend × percent ÷ 100; negative is a saving) is at most ``allowed_change``:

* "save at least £X": ``allowed_change = −X``;
* "keep the total within £Y": ``allowed_change = Y − current total``.

The community budget
====================

What the community would choose, as one balanced budget on the levels residents could pick:

1. Start from each service's *median* choice (the lower median when the count is even, so it is always a level
   somebody chose and always on the step). The median is the level no majority wants to move away from: at
   least half the respondents chose it or less, and at least half chose it or more.
2. If those medians together meet the target, that is the community budget. (Medians need not add up to a
   balanced budget even though every response does: half might cut libraries hard and the other half parks.)
3. Otherwise cut further, one step at a time. Each step goes to the service where the most respondents chose
   that lower level or a lower one (the strongest support for going that far); ties go to the larger saving per
   step, then to the service listed first. Stop as soon as the target is met.

This always ends: every response is balanced, and no response can save more than every service at its biggest
cut, so all services at their biggest cut meets the target. (The mean of the responses is balanced too, because
the target is linear, but it usually falls between the levels residents could choose, so it is shown as a
statistic, not offered as the community budget.)
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal


def allowed_change(kind: str, amount: Decimal, current_total: Decimal) -> Decimal:
    """The largest total change (in pounds) a balanced budget may have; see the module docstring."""
    if kind == "save":
        return -Decimal(amount)
    return Decimal(amount) - Decimal(current_total)


def change(spend: Decimal, pct: int) -> Decimal:
    return Decimal(spend) * pct / 100


def total_change(spends: Sequence[Decimal], pcts: Sequence[int]) -> Decimal:
    return sum((change(s, p) for s, p in zip(spends, pcts, strict=True)), Decimal(0))


def is_balanced(total: Decimal, allowed: Decimal) -> bool:
    return total <= allowed


def median(values: Iterable[int]) -> int | None:
    """The lower median (a value somebody chose); None for no values."""
    ordered = sorted(values)
    if not ordered:
        return None
    return ordered[(len(ordered) - 1) // 2]


def mean(values: Iterable[int]) -> Decimal | None:
    values = list(values)
    if not values:
        return None
    return Decimal(sum(values)) / len(values)


def distribution(values: Iterable[int], levels: Sequence[int]) -> list[tuple[int, int]]:
    """How many chose each level, for every level (zero counts included), in level order."""
    counts = Counter(values)
    return [(level, counts.get(level, 0)) for level in levels]


@dataclass(frozen=True)
class ServiceLine:
    spend: Decimal
    min_pct: int
    step: int
    choices: tuple[int, ...]  # every respondent's choice for this service


def community_budget(lines: Sequence[ServiceLine], allowed: Decimal) -> list[int] | None:
    """The community budget's change for each service, in percent; None when there are no responses.

    See the module docstring for how and why.
    """
    if not lines or not lines[0].choices:
        return None
    pcts = [median(line.choices) for line in lines]
    total = total_change([line.spend for line in lines], pcts)
    while not is_balanced(total, allowed):
        best = None
        for index, line in enumerate(lines):
            lower = pcts[index] - line.step
            if lower < line.min_pct:
                continue
            support = sum(1 for c in line.choices if c <= lower)
            key = (support, line.spend, -index)
            if best is None or key > best[0]:
                best = (key, index)
        if best is None:  # every service at its biggest cut: only possible if responses were not balanced
            break
        index = best[1]
        pcts[index] -= lines[index].step
        total -= change(lines[index].spend, lines[index].step)
    return pcts
