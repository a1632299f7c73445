"""Staff page for paper ballots: two officers type each paper in, and it counts only when both entries match."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from localpower.budgets import services
from localpower.budgets.forms.staff_paper import PaperBallotForm, PaperVoterForm
from localpower.budgets.models import PaperBallotEntry, PaperEntryStatus, Process
from localpower.budgets.views.staff_base import add_service_error, process_staff_page


def describe(content: dict, titles: dict[int, str]) -> list[str]:
    """A paper entry's choices in words, for officers comparing entries."""
    if "points" in content:
        return [f"{titles.get(int(pk), pk)}: {points}" for pk, points in content["points"].items()]
    if "ranking" in content:
        return [f"{rank}. {titles.get(int(pk), pk)}" for rank, pk in enumerate(content["ranking"], start=1)]
    return [titles.get(int(pk), str(pk)) for pk in content.get("projects", [])] or [_("No projects marked")]


@process_staff_page
@require_http_methods(["GET", "POST"])
def paper_ballots(request, process: Process):
    form = PaperBallotForm(request.POST or None, process=process)
    return _page(request, process, form, PaperVoterForm())


def _page(request, process: Process, form, voter_form):
    mismatch = None
    if request.method == "POST" and form.is_valid():
        try:
            outcome = services.enter_paper_ballot(
                actor=request.user,
                process=process,
                paper_number=form.cleaned_data["paper_number"],
                content=form.content(),
                request=request,
            )
        except (ValidationError, PermissionDenied) as error:
            add_service_error(form, error)
        else:
            if outcome.status != PaperEntryStatus.MISMATCH:
                messages.success(request, outcome.message)
                return redirect("budgets:staff-paper", slug=process.slug)
            mismatch = {"message": outcome.message, "number": outcome.entry.paper_number}
            form = PaperBallotForm(process=process)
    titles = {p.pk: p.title for p in form.projects}
    entries = list(PaperBallotEntry.objects.filter(process=process).select_related("entered_by"))
    for entry in entries:
        entry.choices = describe(entry.content, titles)
        entry.mine = entry.entered_by_id == request.user.pk
    if mismatch is not None:
        mismatch["entries"] = [e for e in entries if e.paper_number == mismatch["number"]]
    return render(
        request,
        "budgets/staff/paper.html",
        {
            "process": process,
            "form": form,
            "can_enter": request.user.has_perm("budgets.enter_paper_ballots", process),
            "mismatch": mismatch,
            "pending": [e for e in entries if e.status != PaperEntryStatus.CONFIRMED],
            "confirmed": sorted({e.paper_number for e in entries if e.status == PaperEntryStatus.CONFIRMED}),
            "voter_form": voter_form,
            "paper_voters": process.voter_records.filter(channel="paper").count(),
        },
        status=400 if form.errors or voter_form.errors else 200,
    )


@process_staff_page
@require_POST
def paper_voter(request, process: Process):
    voter_form = PaperVoterForm(request.POST)
    if voter_form.is_valid():
        try:
            services.mark_paper_voter(
                actor=request.user,
                process=process,
                user=voter_form.cleaned_data["user"],
                paper_reference=voter_form.cleaned_data["paper_reference"].strip(),
                request=request,
            )
        except (ValidationError, PermissionDenied) as error:
            add_service_error(voter_form, error)
        else:
            messages.success(
                request, _("The paper voter is recorded. They cannot vote again, online or on paper.")
            )
            return redirect("budgets:staff-paper", slug=process.slug)
    return _page(request, process, PaperBallotForm(process=process), voter_form)
