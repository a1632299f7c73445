"""Reading participatory budgeting data for pages, the API and notifications."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from localpower.accounts import roles
from localpower.accounts.models import RoleKind
from localpower.budgets.models import (
    Ballot,
    Delivery,
    Idea,
    Phase,
    Process,
    ProcessState,
    Result,
    VoterRecord,
)
from localpower.budgets.services.voting import current_ballot_id, normalise_receipt


def public_processes(area=None) -> QuerySet[Process]:
    """Processes the public can see (not drafts), for one area or all."""
    qs = Process.objects.exclude(state=ProcessState.DRAFT).select_related("area")
    return qs.filter(area=area) if area is not None else qs


def processes_for_resident(user) -> list[Process]:
    """Public processes of the areas of the person's verified home postcode."""
    area_ids = [a.pk for a in user.home_areas()] if getattr(user, "is_authenticated", False) else []
    return list(public_processes().filter(area_id__in=area_ids))


def processes_for_staff(user) -> QuerySet[Process]:
    """Processes in every area where the person is an officer or administrator (including areas inside)."""
    ids = roles.covered_area_ids(user, [RoleKind.OFFICER, RoleKind.ADMINISTRATOR])
    return Process.objects.filter(area_id__in=ids).select_related("area")


def processes_in_phase(phase: Phase) -> list[Process]:
    return [p for p in public_processes() if p.phase == phase]


def visible_ideas(process: Process) -> QuerySet[Idea]:
    """Ideas with their support counts; hidden ones stay listed (their reason is shown in their place)."""
    return (
        process.ideas.select_related("category", "author")
        .annotate(support_count=Count("supports", distinct=True))
        .order_by("-support_count", "-created_at")
    )


def open_reports(process: Process):
    from localpower.budgets.models import Report

    return Report.objects.filter(
        Q(idea__process=process) | Q(comment__idea__process=process), resolved_at__isnull=True
    ).select_related("idea", "comment")


def receipt_status(process: Process, receipt: str) -> str:
    """ "counted", "replaced" (a later ballot of the same voter counts instead) or "unknown"."""
    ballot = Ballot.objects.filter(process=process, receipt=normalise_receipt(receipt)).first()
    if ballot is None:
        return "unknown"
    return "counted" if ballot.superseded_on is None else "replaced"


def counted_receipts(process: Process) -> list[str]:
    """The receipt codes of every counted ballot, in alphabetical order, for the public "was my vote counted" list.

    Receipts are random, so alphabetical order says nothing about who voted or when.
    """
    return list(
        Ballot.objects.filter(process=process, superseded_on__isnull=True)
        .order_by("receipt")
        .values_list("receipt", flat=True)
    )


def turnout(process: Process) -> dict[str, int]:
    records = VoterRecord.objects.filter(process=process)
    return {
        "voters": records.count(),
        "online": records.filter(channel="online").count(),
        "paper_voters": records.filter(channel="paper").count(),
        "ballots_counted": Ballot.objects.filter(process=process, superseded_on__isnull=True).count(),
    }


def published_result(process: Process) -> Result | None:
    return process.results.filter(published=True).first()


def latest_result(process: Process) -> Result | None:
    return process.results.order_by("-version").first()


def deliveries(process: Process) -> QuerySet[Delivery]:
    return (
        Delivery.objects.filter(project__process=process)
        .select_related("project")
        .prefetch_related("milestones", "updates")
        .order_by("project__pk")
    )


def my_choices(user, process: Process) -> dict | None:
    """For a signed-in voter: which of their projects won in the published result, and why the others did not.

    The server finds the voter's own ballot through the sealed receipt (as when replacing a ballot); the join
    is made for this one person, shown only to them, and never stored. None when they did not vote online, or
    there is no published result.
    """
    from localpower.budgets.tally_adapter import explain_choices

    result = published_result(process)
    if result is None or not getattr(user, "is_authenticated", False):
        return None
    record = VoterRecord.objects.filter(process=process, user=user).first()
    if record is None:
        return None
    ballot_id = current_ballot_id(record)
    if ballot_id is None:
        return None
    content = Ballot.objects.values_list("content", flat=True).get(pk=ballot_id)
    return explain_choices(result, content)


def moderated_processes(user) -> QuerySet[Process]:
    """Processes whose ideas and comments the person may moderate: where they are a moderator or administrator
    (including areas inside); every process for superusers."""
    if user.is_active and user.is_superuser:
        return Process.objects.select_related("area")
    ids = roles.covered_area_ids(user, [RoleKind.MODERATOR, RoleKind.ADMINISTRATOR])
    return Process.objects.filter(area_id__in=ids).select_related("area")


MODERATION_VIEWS = ("reported", "recent", "hidden")


def moderation_queue(processes, *, show: str = "reported", since=None) -> list:
    """Ideas and comments for the moderators' queue, most reported first, then newest.

    ``show``: "reported" (open reports), "recent" (posted since ``since``) or "hidden". Each item has
    ``open_report_count`` and ``open_report_list`` (the open reports, oldest first, for their reasons) and
    ``kind`` ("idea" or "comment").
    """
    from django.db.models import Prefetch

    from localpower.budgets.models import Comment, Report

    open_reports_qs = Report.objects.filter(resolved_at__isnull=True).only(
        "id", "idea_id", "comment_id", "reason", "created_at"
    )
    counted = Count("reports", filter=Q(reports__resolved_at__isnull=True), distinct=True)
    ideas = (
        Idea.objects.filter(process__in=processes)
        .select_related("process__area", "author")
        .annotate(open_report_count=counted)
        .prefetch_related(Prefetch("reports", queryset=open_reports_qs, to_attr="open_report_list"))
    )
    comments = (
        Comment.objects.filter(idea__process__in=processes)
        .select_related("idea__process__area", "author")
        .annotate(open_report_count=counted)
        .prefetch_related(Prefetch("reports", queryset=open_reports_qs, to_attr="open_report_list"))
    )
    if show == "hidden":
        ideas, comments = ideas.filter(hidden_at__isnull=False), comments.filter(hidden_at__isnull=False)
    elif show == "recent":
        ideas, comments = ideas.filter(created_at__gte=since), comments.filter(created_at__gte=since)
    else:
        ideas, comments = ideas.filter(open_report_count__gt=0), comments.filter(open_report_count__gt=0)
    limit = 500  # a queue longer than this is worked through from the top; older items wait their turn
    items = []
    for kind, qs in (("idea", ideas), ("comment", comments)):
        for item in qs.order_by("-created_at")[:limit]:
            item.kind = kind
            if kind == "comment":
                item.process = item.idea.process
            items.append(item)
    items.sort(key=lambda i: (-i.open_report_count, -i.created_at.timestamp(), i.kind, -i.pk))
    return items
