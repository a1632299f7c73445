"""Voting: the ballot (with a running total that works without JavaScript), review and confirm, the receipt,
and checking a receipt.

Privacy: the receipt is shown once. Between the confirm step and the receipt page it travels in a signed cookie
kept only in the voter's browser (for ten minutes, on the receipt page's path), never in the server's session
store, so the server keeps nothing that links the person to their receipt (see ``models/voting.py``).
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.signing import BadSignature
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from localpower.budgets import selectors
from localpower.budgets.ballots import ballot_project_ids, money
from localpower.budgets.forms.voting import BallotForm, ConfirmForm, ReceiptForm
from localpower.budgets.models import BallotKind, Phase, Process
from localpower.budgets.services import cast_ballot, new_idempotency_key
from localpower.budgets.services.voting import has_voted, ineligibility, normalise_receipt
from localpower.budgets.views._common import ballot_explanation, get_process, participation
from localpower.core.ratelimit import RateLimiter

RECEIPT_COOKIE = "lp_ballot_receipt"
RECEIPT_SALT = "localpower.budgets.receipt-page"
RECEIPT_MAX_AGE = 10 * 60
# Ballot submissions per person: generous for someone changing their mind, a wall for a script.
BALLOT_LIMITER = RateLimiter("budgets-ballot", limit=10, window=10 * 60)
RECEIPT_LIMITER = RateLimiter("budgets-receipt-check", limit=30, window=10 * 60)


def _projects(process: Process) -> list:
    return list(process.projects.select_related("category").order_by("title", "pk"))


def _not_open(request, process: Process, you, status: int = 200):
    if you.action not in ("vote", "voted") or not you.reason:
        you.reason = ineligibility(request.user, process) or you.reason
        you.fix_text = you.fix_url = ""
    return render(request, "budgets/vote_closed.html", {"process": process, "you": you}, status=status)


def _ballot_rows(form: BallotForm) -> list[dict]:
    """Each project with what the voter has chosen for it, for the hand-written ballot markup."""
    chosen = form.chosen_ids() if form.is_bound else set()
    rows = []
    for p in form.projects:
        row = {"project": p, "cost": money(p.cost, form.process.currency), "checked": p.pk in chosen}
        if f"points_{p.pk}" in form.fields:
            row["field"] = form[f"points_{p.pk}"]
        rows.append(row)
    return rows


@require_http_methods(["GET", "HEAD", "POST"])
def vote(request, slug: str):
    process = get_process(request, slug)
    you = participation(request.user, process)
    if process.phase == Phase.VOTING and not request.user.is_authenticated:
        return redirect(reverse("accounts:sign-in") + "?next=" + request.path)
    if you.action not in ("vote", "change-vote") or not you.can_act:
        return _not_open(request, process, you, status=403 if process.phase == Phase.VOTING else 200)
    projects = _projects(process)
    if request.method == "POST":
        form = BallotForm(request.POST, process=process, projects=projects)
        valid = form.is_valid()
        if valid and request.POST.get("action") != "update":
            confirm = ConfirmForm(
                initial={"ballot": json.dumps(form.content), "key": new_idempotency_key()}, process=process
            )
            return _review(request, process, form.content, confirm)
        updated = True
        if request.headers.get("HX-Request"):
            # The JavaScript enhancement: only the running total, refreshed as the voter ticks.
            return render(
                request,
                "budgets/includes/running_total.html",
                {"process": process, "total": form.running_total()},
            )
    else:
        form = BallotForm(process=process, projects=projects)
        updated = False
    return render(
        request,
        "budgets/vote.html",
        {
            "process": process,
            "form": form,
            "rows": _ballot_rows(form),
            "ranked": process.ballot_kind == BallotKind.RANKED,
            "cumulative": process.ballot_kind == BallotKind.CUMULATIVE,
            "total": form.running_total() if form.is_bound else None,
            "updated": updated,
            "explanation": ballot_explanation(process),
            "changing": you.action == "change-vote",
        },
        status=200 if not form.is_bound or not form.errors else 400,
    )


def _review(request, process: Process, content: dict, confirm: ConfirmForm, status: int = 200):
    projects = {p.pk: p for p in process.projects.all()}
    chosen = []
    for pid in ballot_project_ids(content):
        project = projects.get(pid)
        if project is None:
            continue
        entry = {"project": project, "cost": money(project.cost, process.currency)}
        if "points" in content:
            entry["points"] = content["points"].get(str(pid))
        chosen.append(entry)
    total = sum((c["project"].cost for c in chosen), 0)
    return render(
        request,
        "budgets/vote_check.html",
        {
            "process": process,
            "form": confirm,
            "chosen": chosen,
            "ranked": "ranking" in content,
            "points": "points" in content,
            "total": money(total, process.currency) if process.ballot_kind == BallotKind.KNAPSACK else None,
            "changing": has_voted(request.user, process),
        },
        status=status,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def vote_check(request, slug: str):
    """POST: confirm the reviewed ballot. GET has nothing to review, so it goes back to the ballot."""
    process = get_process(request, slug)
    if request.method != "POST":
        return redirect("budgets:vote", slug=process.slug)
    you = participation(request.user, process)
    if you.action not in ("vote", "change-vote") or not you.can_act:
        return _not_open(request, process, you, status=403)
    form = ConfirmForm(request.POST, process=process)
    if not form.is_valid():
        content = form.cleaned_data.get("ballot") if "ballot" in form.cleaned_data else None
        if content is None:
            messages.error(request, _("Your choices could not be read. Choose your projects again."))
            return redirect("budgets:vote", slug=process.slug)
        return _review(request, process, content, form, status=400)
    who = str(request.user.pk)
    if BALLOT_LIMITER.is_limited("user", who):
        form.add_error(
            None,
            _("You have sent your ballot too many times in a short while. Wait ten minutes and try again."),
        )
        return _review(request, process, form.cleaned_data["ballot"], form, status=429)
    BALLOT_LIMITER.hit("user", who)
    try:
        result = cast_ballot(
            actor=request.user,
            process=process,
            content=form.cleaned_data["ballot"],
            idempotency_key=form.cleaned_data["key"],
            confirmed_minimum_age=bool(form.cleaned_data.get("confirmed_minimum_age")),
            request=request,
        )
    except PermissionDenied as error:
        messages.error(request, str(error) or _("You cannot vote in this budget."))
        return redirect("budgets:detail", slug=process.slug)
    except ValidationError as error:
        if (
            hasattr(error, "error_dict")
            and "confirmed_minimum_age" in error.error_dict
            and "confirmed_minimum_age" in form.fields
        ):
            form.add_error("confirmed_minimum_age", error.error_dict["confirmed_minimum_age"])
        else:
            for message in error.messages:
                form.add_error(None, message)
        return _review(request, process, form.cleaned_data["ballot"], form, status=400)
    response = redirect("budgets:vote-done", slug=process.slug)
    response.set_signed_cookie(
        RECEIPT_COOKIE,
        json.dumps({"receipt": result.receipt, "replaced": result.replaced}),
        salt=RECEIPT_SALT + process.slug,
        max_age=RECEIPT_MAX_AGE,
        path=reverse("budgets:vote-done", args=[process.slug]),
        secure=request.is_secure(),
        httponly=True,
        samesite="Strict",
    )
    return response


@require_safe
def vote_done(request, slug: str):
    process = get_process(request, slug)
    try:
        data = json.loads(
            request.get_signed_cookie(
                RECEIPT_COOKIE, salt=RECEIPT_SALT + process.slug, max_age=RECEIPT_MAX_AGE
            )
        )
    except (KeyError, BadSignature, ValueError):
        data = None
    voted = request.user.is_authenticated and has_voted(request.user, process)
    response = render(
        request,
        "budgets/vote_done.html",
        {
            "process": process,
            "receipt": data.get("receipt") if isinstance(data, dict) else None,
            "replaced": bool(data.get("replaced")) if isinstance(data, dict) else False,
            "voted": voted,
            "check_url": reverse("budgets:receipt") + "?process=" + process.slug,
        },
    )
    response["Cache-Control"] = "no-store"
    return response


@require_safe
def receipt_check(request):
    processes = [
        p for p in selectors.public_processes().order_by("-voting_opens_at") if p.voting_has_opened()
    ]
    bound = "receipt" in request.GET
    initial = {"process": request.GET.get("process", "")}
    form = ReceiptForm(request.GET if bound else None, initial=initial, processes=processes)
    status = None
    process = None
    code = 200
    if bound and form.is_valid():
        who = request.META.get("REMOTE_ADDR", "")
        if RECEIPT_LIMITER.is_limited("ip", who):
            form.add_error(
                None, _("You have checked too many codes in a short while. Wait ten minutes and try again.")
            )
            code = 429
        else:
            RECEIPT_LIMITER.hit("ip", who)
            process = Process.objects.get(slug=form.cleaned_data["process"])
            status = selectors.receipt_status(process, form.cleaned_data["receipt"])
    elif bound:
        code = 400
    return render(
        request,
        "budgets/receipt.html",
        {
            "form": form,
            "status": status,
            "checked_process": process,
            "code": normalise_receipt(form.cleaned_data["receipt"]) if status else "",
        },
        status=code,
    )
