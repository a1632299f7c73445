"""The stored opinion map of a conversation: groups, representative statements, bridging consensus, the tag mix
of each group and the participants' positions, computed with ``localpower.tally.opinion``.

Pages never compute it. Each vote asks for a refresh (``request_refresh``), which queues the background task
only when the stored analysis is *stale*: at least ``STALE_VOTES`` votes were cast or changed since it was
computed, or any were and it is ``STALE_SECONDS`` old. Pages showing the analysis ask too, so a quiet
conversation catches up. Officers can force a refresh, and closing a conversation forces one.

The vote matrix is built exactly as ``localpower.tally.opinion.polis_io`` reads our openData export (the same
statement order, hidden statements and vote order: ``selectors.published_vote_rows``), so re-analysing the
export gives the same groups.
"""

from __future__ import annotations

import logging

import numpy as np
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from localpower.conversations.models import Analysis, Conversation, ParticipantTag, StatementStatus
from localpower.conversations.selectors import published_vote_rows
from localpower.tally.opinion import OpinionGroups, VoteMatrix, compute_groups

log = logging.getLogger(__name__)

STALE_VOTES = 10
STALE_SECONDS = 60
MIN_PARTICIPANTS_TO_SHOW = 10  # fewer than this in groups: the public page says there is not enough yet
LOCK_SECONDS = 60


def matrix_for(conversation: Conversation) -> VoteMatrix:
    """Participants x statements, as the openData export would be read back."""
    statements = list(
        conversation.statements.exclude(status=StatementStatus.PENDING)
        .order_by("number")
        .values_list("number", "status")
    )
    hidden = [str(n) for n, status in statements if status == StatementStatus.HIDDEN]
    events = ((str(p), str(s), v) for _, p, s, v in published_vote_rows(conversation))
    return VoteMatrix.from_votes(events, statements=[str(n) for n, _ in statements], hidden=hidden)


def _percent(part: float, whole: float) -> int:
    return int(round(100 * part / whole)) if whole else 0


def summarise(result: OpinionGroups, tag_choices: dict[str, list[int]], tags: list[tuple[int, str]]) -> dict:
    """The analysis as JSON-friendly data (statement and participant numbers as ints)."""
    data: dict = {"groups": [], "consensus": [], "points": [], "participant_groups": {}, "tags": []}
    gv = result.group_votes
    index = {s: j for j, s in enumerate(result.statements)}
    for g in range(result.k):
        reps = []
        for rep in result.representative[g]:
            j = index[rep.statement]
            seen = float(gv.seen[g, j])
            reps.append(
                {
                    "statement": int(rep.statement),
                    "direction": rep.direction,
                    "agree": _percent(gv.agree[g, j], seen),
                    "disagree": _percent(gv.disagree[g, j], seen),
                    "votes": int(seen),
                }
            )
        data["groups"].append({"size": int((result.labels == g).sum()), "representative": reps})
    for statement in result.consensus:
        j = index[statement]
        data["consensus"].append(
            {
                "statement": int(statement),
                "groups": [
                    {"agree": _percent(gv.agree[g, j], gv.seen[g, j]), "votes": int(gv.seen[g, j])}
                    for g in range(result.k)
                ],
            }
        )
    for p, (x, y), label, clustered in zip(
        result.participants, result.positions, result.labels, result.clustered, strict=True
    ):
        if clustered and label >= 0:
            data["points"].append([round(float(x), 4), round(float(y), 4), int(label)])
            data["participant_groups"][p] = int(label)
    for tag_id, label in tags:
        counts = [0] * result.k
        for p in tag_choices.get(tag_id, []):
            g = data["participant_groups"].get(str(p))
            if g is not None:
                counts[g] += 1
        data["tags"].append({"tag": tag_id, "label": label, "counts": counts, "total": sum(counts)})
    return data


@transaction.atomic
def refresh_analysis(conversation: Conversation) -> Analysis:
    """Compute the opinion map from all the votes and store it (replacing the last one)."""
    conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
    events_now = conversation.vote_events
    matrix = matrix_for(conversation)
    result = compute_groups(matrix)
    tag_choices: dict[int, list[int]] = {}
    for tag_id, number in ParticipantTag.objects.filter(participant__conversation=conversation).values_list(
        "tag_id", "participant__number"
    ):
        tag_choices.setdefault(tag_id, []).append(number)
    tags = list(conversation.tags.values_list("pk", "label"))
    data = summarise(result, tag_choices, tags)
    analysis, _ = Analysis.objects.update_or_create(
        conversation=conversation,
        defaults={
            "computed_at": timezone.now(),
            "vote_events": events_now,
            "votes": int(matrix.seen.sum()),
            "participants": matrix.n_participants,
            "groups": result.k,
            "reason": result.reason or "",
            "data": data,
        },
    )
    return analysis


def is_stale(conversation: Conversation, analysis: Analysis | None, *, now=None) -> bool:
    if analysis is None:
        return conversation.vote_events > 0 or conversation.statements.exists()
    new = conversation.vote_events - analysis.vote_events
    if new <= 0:
        return False
    if new >= STALE_VOTES:
        return True
    return ((now or timezone.now()) - analysis.computed_at).total_seconds() >= STALE_SECONDS


def current_analysis(conversation: Conversation) -> Analysis | None:
    """The stored analysis (possibly a little behind); asks for a refresh in the background if it is stale."""
    analysis = Analysis.objects.filter(conversation=conversation).first()
    if is_stale(conversation, analysis):
        request_refresh(conversation)
    return analysis


def request_refresh(conversation: Conversation, *, force: bool = False) -> bool:
    """Queue a refresh if the analysis is stale (or ``force``); at most one queued at a time per conversation.

    Returns True when a refresh was queued."""
    from localpower.conversations.tasks import refresh_analysis_task

    if not force:
        conversation = Conversation.objects.filter(pk=conversation.pk).first()
        if conversation is None:
            return False
        analysis = Analysis.objects.filter(conversation=conversation).first()
        if not is_stale(conversation, analysis):
            return False
    key = f"conversations:refresh-queued:{conversation.pk}"
    if not force and not cache.add(key, 1, LOCK_SECONDS):
        return False
    try:
        refresh_analysis_task.enqueue(conversation.pk)
    except Exception:  # the queue being down must not lose the vote
        log.exception("Could not queue the analysis of conversation %s", conversation.pk)
        cache.delete(key)
        return False
    return True


def map_points(analysis: Analysis, size: int = 400, margin: int = 20) -> list[dict]:
    """Participants' positions scaled into a ``size`` x ``size`` picture, the same scale on both axes so
    distances are true (SVG coordinates: y grows down)."""
    points = np.array([p[:2] for p in analysis.data.get("points", [])], dtype=float)
    if not len(points):
        return []
    low, high = points.min(axis=0), points.max(axis=0)
    span = float((high - low).max()) or 1.0
    inner = size - 2 * margin
    centre = (low + high) / 2
    scaled = (points - centre) / span * inner + size / 2
    return [
        {"x": round(float(x), 1), "y": round(float(size - y), 1), "group": p[2]}
        for (x, y), p in zip(scaled, analysis.data["points"], strict=True)
    ]
