"""Conversations in the JSON API: list, one conversation with its statements, the next statement for me, voting,
the analysis summary and the openData CSV files.

Reads go through ``localpower.conversations.selectors``; a vote goes through ``services.vote``, which checks who
may vote. A vote is a PUT: it sets your vote on a statement, so repeating it changes nothing (no idempotency key
is needed). Refusals keep their plain-English message: ``forbidden`` (403: not open, not eligible),
``validation_error`` (422: the statement is not open for votes) and ``rate_limited`` (429). No answer says who
wrote a statement or how anyone voted.
"""

from __future__ import annotations

import datetime
import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.urls import reverse
from ninja import Field, Query, Router, Schema

from localpower.api.auth import signed_in
from localpower.api.errors import ApiError
from localpower.api.schemas import AreaSummary, ErrorOut
from localpower.conversations.models import Conversation, Phase, StatementStatus

router = Router(tags=["Conversations"])

SLUG = re.compile(r"[-a-zA-Z0-9_]{1,120}")
ERRORS = {404: ErrorOut, 422: ErrorOut}
NO_CONVERSATION = "There is no conversation with that identifier. List them at /api/v1/conversations."
VOTES = {"agree": 1, "disagree": -1, "pass": 0}
VOTE_NAMES = {v: k for k, v in VOTES.items()}


class ConversationSummary(Schema):
    slug: str
    title: str = Field(description="The question.")
    area: AreaSummary
    phase: Phase = Field(description="draft, upcoming, open or closed, worked out from the state and dates.")
    opens_at: datetime.datetime
    closes_at: datetime.datetime | None
    url: str
    web_url: str

    @staticmethod
    def build(request, c: Conversation) -> dict:
        return {
            "slug": c.slug,
            "title": c.title,
            "area": AreaSummary.build(request, c.area),
            "phase": c.phase,
            "opens_at": c.opens_at,
            "closes_at": c.closes_at,
            "url": request.build_absolute_uri(reverse("api:conversation", kwargs={"slug": c.slug})),
            "web_url": request.build_absolute_uri(c.get_absolute_url()),
        }


class StatementOut(Schema):
    number: int = Field(
        description="The statement's number in this conversation (comment-id in the open data)."
    )
    text: str
    agrees: int
    disagrees: int
    passes: int
    seed: bool = Field(description="Written by the council to start the conversation.")


class ConversationDetail(ConversationSummary):
    description: str
    moderation: str = Field(
        description="pre: statements are checked before they are shown; post: afterwards."
    )
    eligibility: str = Field(
        description="signed_in: anyone signed in; residents: verified residents of the area."
    )
    allow_statements: bool
    max_statement_length: int
    statements: list[StatementOut]
    exports: dict[str, str] = Field(description="The openData CSV files.")


class NextOut(Schema):
    statement: StatementOut | None = Field(
        description="The next statement for you, or null when none is left."
    )
    voted: int
    total: int


class VoteIn(Schema):
    vote: str = Field(description="agree, disagree or pass", pattern="^(agree|disagree|pass)$")


class VoteOut(Schema):
    statement: int
    vote: str
    status: str = Field(description="created, replaced (you had voted differently) or unchanged.")


class GroupStatement(Schema):
    number: int
    text: str
    direction: str = Field(description="What most of the group think: agree or disagree.")
    agree_percent: int
    disagree_percent: int


class GroupOut(Schema):
    group: int = Field(description="Numbered from 0, largest first (group-id in participants-votes.csv).")
    size: int
    representative: list[GroupStatement]


class ConsensusOut(Schema):
    number: int
    text: str
    agree_percent_by_group: list[int]


class TagCountsOut(Schema):
    label: str
    counts_by_group: list[int]


class AnalysisOut(Schema):
    computed_at: datetime.datetime | None
    votes: int
    participants: int
    groups: list[GroupOut]
    consensus: list[ConsensusOut] = Field(description="Statements a majority agreed with in every group.")
    tags: list[TagCountsOut]
    note: str = Field(description="Why there are no groups yet, when there are none.")


def find_conversation(request, slug: str) -> Conversation:
    conversation = None
    if SLUG.fullmatch(slug):
        conversation = Conversation.objects.select_related("area").filter(slug=slug).first()
    if conversation is None or not request.user.has_perm("conversations.view_conversation", conversation):
        raise ApiError(404, NO_CONVERSATION)
    return conversation


def _statement(s) -> dict:
    return {
        "number": s.number,
        "text": s.text,
        "agrees": getattr(s, "agrees", 0),
        "disagrees": getattr(s, "disagrees", 0),
        "passes": getattr(s, "passes", 0),
        "seed": s.is_seed,
    }


class ConversationFilters(Schema):
    area: str | None = Field(None, max_length=120, description="Only conversations of this area (its slug).")
    phase: Phase | None = Field(None, description="Only conversations in this phase now, such as open.")


@router.get(
    "/conversations",
    response={200: list[ConversationSummary], **ERRORS},
    url_name="conversations",
    operation_id="listConversations",
    summary="List conversations",
)
def list_conversations(request, filters: Query[ConversationFilters]):
    """Conversations the public can see, newest first."""
    from localpower.api.areas import find_area
    from localpower.conversations.selectors import public_conversations

    found = public_conversations(find_area(filters.area) if filters.area else None)
    items = [c for c in found if not filters.phase or c.phase == filters.phase]
    return [ConversationSummary.build(request, c) for c in items]


@router.get(
    "/conversations/{slug}",
    response={200: ConversationDetail, **ERRORS},
    url_name="conversation",
    operation_id="getConversation",
    summary="A conversation and its statements",
)
def get_conversation(request, slug: str):
    """The question, its settings and every statement shown for voting, with its vote counts."""
    from localpower.conversations.exports import FILES
    from localpower.conversations.selectors import statement_totals

    c = find_conversation(request, slug)
    statements = statement_totals(c).filter(status=StatementStatus.APPROVED)
    return {
        **ConversationSummary.build(request, c),
        "description": c.description,
        "moderation": c.moderation,
        "eligibility": c.eligibility,
        "allow_statements": c.allow_statements,
        "max_statement_length": c.max_statement_length,
        "statements": [_statement(s) for s in statements],
        "exports": {
            name: request.build_absolute_uri(
                reverse("api:conversation-export", kwargs={"slug": c.slug, "name": name})
            )
            for name in FILES[:3]
        },
    }


@router.get(
    "/conversations/{slug}/next",
    response={200: NextOut, 401: ErrorOut, **ERRORS},
    auth=signed_in,
    url_name="conversation-next",
    operation_id="getNextStatement",
    summary="The next statement for me to vote on",
)
def next_for_me(request, slug: str):
    """The statement to show you next, in the same fair order as the website (fewest votes first)."""
    from localpower.conversations.selectors import next_statement, participant_of, progress

    c = find_conversation(request, slug)
    participant = participant_of(request.auth, c)
    statement = next_statement(c, participant)
    done = progress(c, participant)
    return {
        "statement": _statement(statement) if statement else None,
        "voted": done["done"],
        "total": done["total"],
    }


@router.put(
    "/conversations/{slug}/statements/{number}/vote",
    response={200: VoteOut, 401: ErrorOut, 403: ErrorOut, 429: ErrorOut, **ERRORS},
    auth=signed_in,
    url_name="conversation-vote",
    operation_id="voteOnStatement",
    summary="Agree, disagree or pass on a statement",
)
def vote(request, slug: str, number: int, body: VoteIn):
    """Set your vote on one statement. Voting again replaces your vote; repeating the same vote changes nothing."""
    from localpower.conversations.models import Vote
    from localpower.conversations.services import vote as cast

    c = find_conversation(request, slug)
    statement = c.statements.filter(number=number).first()
    if statement is None or statement.status != StatementStatus.APPROVED:
        raise ApiError(404, "There is no statement with that number open for votes in this conversation.")
    before = Vote.objects.filter(
        participant__conversation=c, participant__user=request.auth, statement=statement
    )
    before = before.values_list("value", flat=True).first()
    try:
        cast(actor=request.auth, statement=statement, value=VOTES[body.vote], request=request)
    except PermissionDenied as error:
        raise ApiError(403, str(error) or None) from None
    except ValidationError as error:
        if getattr(error, "code", None) == "rate_limited":
            raise ApiError(429, " ".join(error.messages)) from None
        raise ApiError(422, " ".join(error.messages)) from None
    status = "created" if before is None else "unchanged" if before == VOTES[body.vote] else "replaced"
    return {"statement": number, "vote": body.vote, "status": status}


@router.get(
    "/conversations/{slug}/analysis",
    response={200: AnalysisOut, **ERRORS},
    url_name="conversation-analysis",
    operation_id="getConversationAnalysis",
    summary="Opinion groups and bridging consensus",
)
def get_analysis(request, slug: str):
    """The stored analysis (updated in the background as votes arrive): groups with the statements that set them
    apart, statements agreed in every group, and what people said about themselves, as counts by group."""
    from localpower.conversations.analysis import current_analysis

    c = find_conversation(request, slug)
    analysis = current_analysis(c)
    texts = dict(c.statements.filter(status=StatementStatus.APPROVED).values_list("number", "text"))
    data = analysis.data if analysis else {}
    groups = [
        {
            "group": g,
            "size": group["size"],
            "representative": [
                {
                    "number": r["statement"],
                    "text": texts[r["statement"]],
                    "direction": r["direction"],
                    "agree_percent": r["agree"],
                    "disagree_percent": r["disagree"],
                }
                for r in group["representative"]
                if r["statement"] in texts
            ],
        }
        for g, group in enumerate(data.get("groups", []))
    ]
    consensus = [
        {
            "number": x["statement"],
            "text": texts[x["statement"]],
            "agree_percent_by_group": [g["agree"] for g in x["groups"]],
        }
        for x in data.get("consensus", [])
        if x["statement"] in texts
    ]
    return {
        "computed_at": analysis.computed_at if analysis else None,
        "votes": analysis.votes if analysis else 0,
        "participants": analysis.participants if analysis else 0,
        "groups": groups,
        "consensus": consensus,
        "tags": [{"label": t["label"], "counts_by_group": t["counts"]} for t in data.get("tags", [])],
        "note": (analysis.reason if analysis else "nobody has voted yet"),
    }


@router.get(
    "/conversations/{slug}/export/{name}",
    response={404: ErrorOut, 422: ErrorOut},
    url_name="conversation-export",
    operation_id="exportConversation",
    summary="Open data in the Pol.is openData layout",
    openapi_extra={
        "responses": {
            "200": {
                "description": "comments.csv, votes.csv or participants-votes.csv",
                "content": {"text/csv": {"schema": {"type": "string"}}},
            }
        }
    },
)
def export(request, slug: str, name: str):
    """`comments.csv`, `votes.csv` or `participants-votes.csv`: statements, votes by participant number, and each
    participant's group. Nobody is named. Reading them with Pol.is tools (or ``localpower-tally``) gives the
    same groups."""
    from localpower.conversations.exports import FILES, export_file

    c = find_conversation(request, slug)
    if name not in FILES:
        raise ApiError(404, f"Choose one of: {', '.join(FILES)}.")
    response = HttpResponse(
        export_file(c, name, request.build_absolute_uri(c.get_absolute_url())),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{c.slug}-{name}"'
    return response
