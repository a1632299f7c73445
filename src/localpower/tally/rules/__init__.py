"""Registry of outcome rules by their command-line names.

Every rule has the signature ``rule(election, profile, *, sat="cost", completion="none", **options)``
and returns a :class:`localpower.tally.model.Outcome`.
"""

from __future__ import annotations

from collections.abc import Callable

from localpower.tally.model import Election, Outcome, Profile, TallyError
from localpower.tally.rules.greedy import greedy, greedy_no_skip, greedy_threshold
from localpower.tally.rules.mes import method_of_equal_shares
from localpower.tally.rules.phragmen import sequential_phragmen
from localpower.tally.rules.welfare import max_welfare

RULES: dict[str, Callable[..., Outcome]] = {
    "greedy": greedy,
    "greedy-no-skip": greedy_no_skip,
    "greedy-threshold": greedy_threshold,
    "mes": method_of_equal_shares,
    "phragmen": sequential_phragmen,
    "max-welfare": max_welfare,
}

# Rules the command line knows about, whether or not they are registered yet.
KNOWN_RULES = ("greedy", "greedy-no-skip", "greedy-threshold", "mes", "phragmen", "max-welfare")


def get_rule(name: str) -> Callable[..., Outcome]:
    """The rule registered under ``name``; TallyError with a plain message if there is none."""
    try:
        return RULES[name]
    except KeyError:
        available = ", ".join(sorted(RULES))
        raise TallyError(f"rule {name} is not available (available rules: {available})") from None


def run_rule(name: str, election: Election, profile: Profile, **options) -> Outcome:
    """Run the named rule; option values of None are left out so each rule's defaults apply."""
    rule = get_rule(name)
    return rule(election, profile, **{k: v for k, v in options.items() if v is not None})


__all__ = ["KNOWN_RULES", "RULES", "get_rule", "run_rule"]
