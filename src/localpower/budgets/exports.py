"""Anonymised exports of a process's ballots: Pabulib ``.pb`` text and CSV.

Both are built from ``tally_adapter.count_inputs``: current ballots only, sorted by content, voters numbered
1..n after sorting. Nothing in them identifies a person, a receipt, a time or a channel (see ``models.voting``).
"""

from __future__ import annotations

import csv
import io

import numpy as np

from localpower.budgets.models import Process
from localpower.budgets.tally_adapter import count_inputs, pabulib_text
from localpower.tally import model as tally


def export_pabulib(process: Process) -> str:
    """The Pabulib file of the process's current ballots (the same text the count's input hash is taken of)."""
    return pabulib_text(count_inputs(process))


def export_csv(process: Process) -> str:
    """One row per ballot: ``voter_id`` then one column per project (``project_<id>``).

    Values: 1/0 for approval ballots, points for cumulative ballots, the rank (1 = first choice, empty when
    not ranked) for ranked ballots. A second header-less section is not used; project details are in
    ``export_projects_csv``.
    """
    inputs = count_inputs(process)
    profile = inputs.profile
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["voter_id", *(f"project_{p.id}" for p in inputs.election.projects)])
    for voter_id, row_index in zip(profile.voter_ids, profile.voter_rows, strict=True):
        row = profile.ballots[row_index]
        if profile.kind is tally.BallotKind.APPROVAL:
            values = ["1" if v else "0" for v in row]
        elif profile.kind is tally.BallotKind.ORDINAL:
            values = [str(int(v)) if v else "" for v in row]
        else:
            values = [str(int(v)) if float(v).is_integer() else str(float(v)) for v in np.asarray(row)]
        writer.writerow([voter_id, *values])
    return out.getvalue()


def export_projects_csv(process: Process) -> str:
    """The projects on the ballot: id, title, cost, category."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["project_id", "title", "cost", "category"])
    for p in process.projects.select_related("category").order_by("pk"):
        writer.writerow([p.pk, p.title, p.cost, p.category.name if p.category_id else ""])
    return out.getvalue()
