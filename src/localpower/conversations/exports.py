"""Open data: a conversation in the Pol.is openData layout, so other tools can re-analyse it.

* ``comments.csv``: ``timestamp, datetime, comment-id, author-id, agrees, disagrees, moderated, comment-body``;
  statements shown (moderated 1) or hidden by a moderator (-1, with the text left out); statements still waiting
  for a moderator are not published. ``author-id`` is left empty: no export says who wrote what.
* ``votes.csv``: ``timestamp, datetime, comment-id, voter-id, vote``: each participant's current vote on each
  statement (1 agree, -1 disagree, 0 pass), in the order they were cast; ``voter-id`` is the participant's number
  in this conversation, never linked to an account.
* ``participants-votes.csv``: ``participant, group-id, n-comments, n-votes, n-agree, n-disagree`` then one column
  per statement (blank: no vote); ``group-id`` is the opinion group in the stored analysis (blank: none);
  ``n-comments`` is left empty, for the same reason as ``author-id``.
* ``summary.csv``: the question, address, counts and description.

Times are given to the day only (midnight UTC, in milliseconds as Pol.is writes them), and votes within a day
are listed by participant and statement, not in the order they were cast. The audit log records when each
person voted or added a statement; exact times here would let anyone who can read both match a participant
number (and so all of their votes) or a statement to a person. Each pair has one current vote, so nothing that
re-analyses the files needs the order.

``localpower.tally.opinion.polis_io.read_conversation`` reads these files back into the same vote matrix the
analysis used.
"""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import UTC, datetime

from localpower.conversations.models import Analysis, Conversation, StatementStatus
from localpower.conversations.selectors import DAY_MS, published_vote_rows, statement_totals

FILES = ("comments.csv", "votes.csv", "participants-votes.csv", "summary.csv")


def _day(ms: int) -> int:
    """Milliseconds since 1970 at the start of the (UTC) day of ``ms``."""
    return ms - ms % DAY_MS


def _when(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, tz=UTC).strftime("%a %b %d %H:%M:%S UTC %Y")


def _write(rows) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def _published_statements(conversation: Conversation):
    return statement_totals(conversation).exclude(status=StatementStatus.PENDING)


def comments_csv(conversation: Conversation) -> str:
    rows = [
        [
            "timestamp",
            "datetime",
            "comment-id",
            "author-id",
            "agrees",
            "disagrees",
            "moderated",
            "comment-body",
        ]
    ]
    for s in _published_statements(conversation):
        ms = _day(int(s.created_at.timestamp() * 1000))
        hidden = s.status == StatementStatus.HIDDEN
        rows.append(
            [
                ms,
                _when(ms),
                s.number,
                "",
                s.agrees,
                s.disagrees,
                -1 if hidden else 1,
                "" if hidden else s.text,
            ]
        )
    return _write(rows)


def votes_csv(conversation: Conversation) -> str:
    rows = [["timestamp", "datetime", "comment-id", "voter-id", "vote"]]
    rows += [[day, _when(day), s, p, v] for day, p, s, v in published_vote_rows(conversation)]
    return _write(rows)


def participants_votes_csv(conversation: Conversation) -> str:
    numbers = [s.number for s in _published_statements(conversation)]
    column = {n: i for i, n in enumerate(numbers)}
    analysis = Analysis.objects.filter(conversation=conversation).first()
    groups = analysis.data.get("participant_groups", {}) if analysis else {}
    by_participant: dict[int, list] = {}
    for _, p, s, v in published_vote_rows(conversation):
        by_participant.setdefault(p, [""] * len(numbers))[column[s]] = v
    rows = [["participant", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree", *numbers]]
    for p in sorted(by_participant):
        cells = by_participant[p]
        votes = [c for c in cells if c != ""]
        group = groups.get(str(p))
        rows.append(
            [
                p,
                "" if group is None else group,
                "",
                len(votes),
                sum(1 for c in votes if c == 1),
                sum(1 for c in votes if c == -1),
                *cells,
            ]
        )
    return _write(rows)


def summary_csv(conversation: Conversation, url: str = "") -> str:
    analysis = Analysis.objects.filter(conversation=conversation).first()
    voters = conversation.participants.filter(votes__isnull=False).distinct().count()
    rows = [
        ["topic", conversation.title],
        ["url", url],
        ["voters", voters],
        ["comments", _published_statements(conversation).count()],
        ["groups", analysis.groups if analysis else 0],
        ["conversation-description", conversation.description],
    ]
    return _write(rows)


def export_file(conversation: Conversation, name: str, url: str = "") -> str:
    if name == "comments.csv":
        return comments_csv(conversation)
    if name == "votes.csv":
        return votes_csv(conversation)
    if name == "participants-votes.csv":
        return participants_votes_csv(conversation)
    if name == "summary.csv":
        return summary_csv(conversation, url)
    raise KeyError(name)


def export_zip(conversation: Conversation, url: str = "") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in FILES:
            archive.writestr(f"{conversation.slug}/{name}", export_file(conversation, name, url))
    return buffer.getvalue()
