"""CSV export of a simulator's responses: one row per budget sent, a column per service and one per comment.

Anonymous simulators: no names and no dates, and rows are sorted by their content and numbered 1..n after
sorting, so the file's order says nothing about the order people responded in (as budgets' ballot exports).
Identified simulators add the respondent's name and the day they responded.
"""

from __future__ import annotations

import csv
import io

from localpower.simulator import selectors
from localpower.simulator.models import Choice, Simulator

# Spreadsheet programs run cells starting with these as formulas; such cells get a leading apostrophe.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _safe(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def export_csv(simulator: Simulator, *, public: bool = False) -> str:
    """The responses as CSV. ``public``: the levels only, with no names, dates or comments (comments may identify
    people), for anyone to download once the results are public."""
    with_comments = not public
    services = selectors.services_of(simulator)
    rows: dict = {}
    for choice in Choice.objects.filter(submission__simulator=simulator).select_related("submission__user"):
        entry = rows.setdefault(
            choice.submission_id, {"submission": choice.submission, "pcts": {}, "comments": {}}
        )
        entry["pcts"][choice.service_id] = choice.change_pct
        entry["comments"][choice.service_id] = choice.comment
    identified = not simulator.anonymous and not public
    lines = []
    for entry in rows.values():
        submission = entry["submission"]
        values = [entry["pcts"].get(s.pk, "") for s in services]
        comments = [_safe(entry["comments"].get(s.pk, "")) for s in services]
        person = []
        if identified:
            user = submission.user
            person = [_safe(user.get_full_name() if user else ""), submission.submitted_on.isoformat()]
        lines.append((person, values, comments))
    lines.sort(key=lambda line: (line[0], [str(v) for v in line[1]], line[2]))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    header = ["response"]
    if identified:
        header += ["name", "date"]
    header += [f"{s.name} (change %)" for s in services]
    if with_comments:
        header += [f"{s.name} (comment)" for s in services]
    writer.writerow(header)
    for number, (person, values, comments) in enumerate(lines, start=1):
        writer.writerow([number, *person, *values, *(comments if with_comments else [])])
    return out.getvalue()


def results_csv(simulator: Simulator) -> str:
    """The results table: per service its spend, mean, median and community budget change, and how many people
    chose each level (blank where the level was not offered for that service)."""
    found = selectors.results(simulator)
    all_levels = sorted({d["level"] for row in found.services for d in row.distribution})
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        [
            "service",
            "current spend",
            "responses",
            "mean change %",
            "median change %",
            "community budget change %",
            "community budget spend",
            *(f"people choosing {level:+d}%" for level in all_levels),
        ]
    )
    for row in found.services:
        counts = {d["level"]: d["count"] for d in row.distribution}
        writer.writerow(
            [
                _safe(row.service.name),
                f"{row.service.current_spend:.2f}",
                row.count,
                "" if row.mean is None else f"{row.mean:.2f}",
                "" if row.median is None else row.median,
                "" if row.community is None else row.community,
                "" if row.community_spend is None else f"{row.community_spend:.2f}",
                *(counts.get(level, "") for level in all_levels),
            ]
        )
    return out.getvalue()
