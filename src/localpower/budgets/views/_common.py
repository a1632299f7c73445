"""Shared pieces of the residents' budget pages: finding a process, what a person can do, plain explanations."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from localpower.budgets.ballots import money
from localpower.budgets.models import BallotKind, Phase, Process
from localpower.budgets.services.voting import has_voted, ineligibility, is_resident


def get_process(request, slug: str) -> Process:
    """The process with this web address name, if the person may see it (drafts only for its staff)."""
    process = get_object_or_404(Process.objects.select_related("area"), slug=slug)
    if not request.user.has_perm("budgets.view_process", process):
        raise Http404
    return process


def when(value) -> str:
    return timezone.localtime(value).strftime("%-d %B %Y at %H:%M").replace("at 00:00", "").strip()


def ballot_explanation(process: Process) -> str:
    """How the ballot works, in plain English, with this process's numbers."""
    kind = process.ballot_kind
    if kind == BallotKind.APPROVAL:
        return _("Tick every project you would like to see funded. You can choose as many as you like.")
    if kind == BallotKind.K_APPROVAL:
        low = process.min_choices or 1
        return _(
            "Tick the projects you would like to see funded: at least %(min)d and no more than %(max)d."
        ) % {
            "min": low,
            "max": process.max_choices,
        }
    if kind == BallotKind.KNAPSACK:
        return _(
            "Tick the projects you would like to see funded. Their costs added together must not be more "
            "than %(limit)s."
        ) % {"limit": money(process.effective_max_cost, process.currency)}
    if kind == BallotKind.CUMULATIVE:
        text = ngettext(
            "You have %(points)d point to share out between the projects you like.",
            "You have %(points)d points to share out between the projects you like.",
            process.points_total or 0,
        ) % {"points": process.points_total or 0}
        if process.max_points_per_project:
            text += " " + _("You can give one project at most %(cap)d.") % {
                "cap": process.max_points_per_project
            }
        return text
    return ngettext(
        "Choose your favourite project.",
        "Put up to %(max)d projects in order, your favourite first.",
        process.max_choices or 1,
    ) % {"max": process.max_choices or 1}


RULE_EXPLANATIONS = {
    "mes": gettext_lazy(
        "The votes are counted with the Method of Equal Shares: the budget is shared equally between voters, and "
        "a project is funded when the people who want it can pay for it together from their shares. This makes "
        "sure that groups of voters get projects in proportion to their size, not only the largest group."
    ),
    "greedy": gettext_lazy(
        "The projects with the most votes are funded first. A project that no longer fits in what is left of the "
        "budget is skipped and the next one is tried."
    ),
    "greedy-no-skip": gettext_lazy(
        "The projects with the most votes are funded first, until the next project does not fit in what is left "
        "of the budget."
    ),
    "phragmen": gettext_lazy(
        "The votes are counted with Sequential Phragmén: voters earn money for the projects they support at the "
        "same rate, and a project is funded as soon as its supporters have earned its cost between them."
    ),
    "max-welfare": gettext_lazy(
        "The set of projects with the greatest total support that fits in the budget is funded."
    ),
}


@dataclass
class Participation:
    """What the person can do in the process now, or why they cannot."""

    action: str = ""  # "ideas", "support", "vote", "change-vote", "voted", "results", "" (nothing)
    can_act: bool = False
    reason: str = ""
    fix_text: str = ""
    fix_url: str = ""


def _resident_blocker(user, process: Process) -> tuple[str, str, str]:
    """(reason, fix text, fix url) when the person is not a verified resident of the area; empty when they are."""
    if not user.is_authenticated:
        return (
            _("Sign in to take part. Anyone who lives in %(area)s can take part.") % {"area": process.area},
            _("Sign in"),
            reverse("accounts:sign-in") + "?next=" + reverse("budgets:detail", args=[process.slug]),
        )
    if not user.email_verified_at:
        return (
            _("Confirm your e-mail address to take part: follow the link we sent you."),
            _("Go to your account to send the link again"),
            reverse("accounts:account"),
        )
    if is_resident(user, process.area):
        return "", "", ""
    if not user.home_postcode:
        return (
            _("Confirm your home postcode to take part. Only people who live in %(area)s can take part.")
            % {"area": process.area},
            _("Give your home postcode"),
            reverse("accounts:account-postcode"),
        )
    if not user.postcode_verified_at:
        return (
            _("The council is checking your home postcode. You can take part once it is confirmed."),
            "",
            "",
        )
    return (
        _("Only people who live in %(area)s can take part. Your home postcode is in another area.")
        % {"area": process.area},
        _("Change your home postcode"),
        reverse("accounts:account-postcode"),
    )


def participation(user, process: Process) -> Participation:
    phase = process.phase
    if phase == Phase.IDEAS:
        reason, fix_text, fix_url = _resident_blocker(user, process)
        return Participation("ideas", not reason, reason, fix_text, fix_url)
    if phase == Phase.REVIEW:
        reason, fix_text, fix_url = _resident_blocker(user, process)
        return Participation("support", not reason, reason, fix_text, fix_url)
    if phase == Phase.VOTING:
        if user.is_authenticated and has_voted(user, process):
            if process.allow_ballot_change:
                return Participation("change-vote", True)
            return Participation(
                "voted", False, _("You have voted. This budget does not let voters change their ballot.")
            )
        reason, fix_text, fix_url = _resident_blocker(user, process)
        if not reason:
            reason = ineligibility(user, process) or ""
        return Participation("vote", not reason, reason, fix_text, fix_url)
    if phase in (Phase.RESULTS, Phase.DELIVERY):
        return Participation("results", True)
    messages = {
        Phase.UPCOMING: _("This budget has not started yet. Ideas open on %(day)s.")
        % {"day": when(process.ideas_open_at)},
        Phase.COUNTING: _("Voting has closed. The votes are being counted; results are due by %(day)s.")
        % {"day": when(process.results_at)},
        Phase.PAUSED: _("The council has paused this budget. Nobody can share ideas or vote for now."),
        Phase.CANCELLED: _("This budget has been cancelled."),
        Phase.DRAFT: _("This budget is a draft and is not shown to the public."),
    }
    return Participation("", False, messages.get(phase, ""))


def timetable(process: Process) -> list[dict]:
    """The phases with their dates, marking the current one."""
    phase = process.phase
    rows = [
        (Phase.IDEAS, process.ideas_open_at, process.review_opens_at),
        (Phase.REVIEW, process.review_opens_at, process.voting_opens_at),
        (Phase.VOTING, process.voting_opens_at, process.voting_closes_at),
        (Phase.COUNTING, process.voting_closes_at, process.results_at),
        (Phase.RESULTS, process.results_at, process.delivery_starts_at),
        (Phase.DELIVERY, process.delivery_starts_at, None),
    ]
    return [
        {"phase": p, "label": p.label, "start": start, "end": end, "current": p == phase}
        for p, start, end in rows
    ]
