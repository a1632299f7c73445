"""What the stored analysis says, ready for a page: groups with their statements, consensus, the map and the
tag mix. Nothing here computes the analysis (see analysis.py)."""

from __future__ import annotations

import string

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from localpower.conversations.analysis import MIN_PARTICIPANTS_TO_SHOW, map_points
from localpower.conversations.models import Analysis, Conversation, StatementStatus

SHAPES = ("circle", "square", "triangle", "diamond", "cross")
SHAPE_LABELS = {
    "circle": gettext_lazy("circle"),
    "square": gettext_lazy("square"),
    "triangle": gettext_lazy("triangle"),
    "diamond": gettext_lazy("diamond"),
    "cross": gettext_lazy("cross"),
}


MAP_SIZE = 400


def shape_path(shape: str, x: float, y: float, r: float = 4) -> str:
    """An SVG path for a small mark of ``shape`` centred on (x, y), so groups differ by shape, not only colour."""
    if shape == "circle":
        return f"M{x - r:.1f},{y:.1f}a{r},{r} 0 1,0 {2 * r},0a{r},{r} 0 1,0 {-2 * r},0z"
    if shape == "square":
        return f"M{x - r:.1f},{y - r:.1f}h{2 * r}v{2 * r}h{-2 * r}z"
    if shape == "triangle":
        return f"M{x:.1f},{y - r:.1f}l{r},{2 * r}h{-2 * r}z"
    if shape == "diamond":
        return f"M{x:.1f},{y - r:.1f}l{r},{r}l{-r},{r}l{-r},{-r}z"
    w = r / 3
    return (
        f"M{x - w:.1f},{y - r:.1f}h{2 * w}v{r - w}h{r - w}v{2 * w}h{w - r}v{r - w}h{-2 * w}v{w - r}h{w - r}"
        f"v{-2 * w}h{r - w}z"
    )


def _where(x: float, y: float) -> str:
    third = MAP_SIZE / 3
    across = _("left") if x < third else _("right") if x > 2 * third else _("middle")
    down = _("top") if y < third else _("bottom") if y > 2 * third else _("middle")
    if across == down:
        return _("in the middle")
    return _("%(down)s %(across)s") % {"down": down, "across": across}


def group_name(g: int) -> str:
    return _("Group %(letter)s") % {"letter": string.ascii_uppercase[g % 26]}


def findings(conversation: Conversation, analysis: Analysis | None) -> dict:
    """``ready`` is False (with ``why``) until there are groups with enough people to show."""
    if analysis is None or analysis.votes == 0:
        return {"ready": False, "why": _("Nobody has voted yet."), "analysis": analysis}
    data = analysis.data or {}
    in_groups = sum(g["size"] for g in data.get("groups", []))
    if analysis.groups < 2 or in_groups < MIN_PARTICIPANTS_TO_SHOW:
        why = _(
            "Not enough people have voted yet to find groups of opinion. We need at least %(count)d people who have "
            "each voted on several statements."
        ) % {"count": MIN_PARTICIPANTS_TO_SHOW}
        if analysis.groups == 0 and analysis.reason.startswith("everyone who voted"):
            why = _("Everyone who has voted so far holds much the same views, so there is only one group.")
        return {"ready": False, "why": why, "analysis": analysis}
    texts = dict(
        conversation.statements.filter(status=StatementStatus.APPROVED).values_list("number", "text")
    )
    groups = []
    for g, group in enumerate(data["groups"]):
        statements = [
            dict(r, text=texts[r["statement"]]) for r in group["representative"] if r["statement"] in texts
        ]
        groups.append(
            {
                "index": g,
                "name": group_name(g),
                "size": group["size"],
                "shape": SHAPES[g % len(SHAPES)],
                "shape_label": SHAPE_LABELS[SHAPES[g % len(SHAPES)]],
                "statements": statements,
            }
        )
    consensus = [
        {
            "text": texts[c["statement"]],
            "groups": [dict(v, name=group_name(g)) for g, v in enumerate(c["groups"])],
        }
        for c in data.get("consensus", [])
        if c["statement"] in texts
    ]
    tags = [t for t in data.get("tags", []) if t["total"]]
    points = map_points(analysis, size=MAP_SIZE)
    for p in points:
        p["d"] = shape_path(SHAPES[p["group"] % len(SHAPES)], p["x"], p["y"])
    for group in groups:
        mine = [p for p in points if p["group"] == group["index"]]
        if mine:
            group["where"] = _where(
                sum(p["x"] for p in mine) / len(mine), sum(p["y"] for p in mine) / len(mine)
            )
        group["legend"] = shape_path(group["shape"], 8, 8, 6)
    return {
        "ready": True,
        "analysis": analysis,
        "groups": groups,
        "consensus": consensus,
        "tags": tags,
        "points": points,
        "in_groups": in_groups,
    }
