"""Responding: one section per page, save and come back later, check your answers, send, confirmation.

Nothing is created on a GET: a draft starts when the person first saves a page. People without an account keep
their draft in their session; their return link's token is shown once it is made and stored only hashed.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from localpower.accounts import roles
from localpower.accounts.models import RoleKind
from localpower.consultations import selectors
from localpower.consultations.forms.responding import SaveForLaterForm, SectionAnswersForm, SubmitForm
from localpower.consultations.models import Anonymity, Participation, Response
from localpower.consultations.services import responding
from localpower.consultations.views._common import (
    blocker,
    current_draft,
    describe,
    get_consultation,
    last_day,
    session_key,
)
from localpower.core.audit import client_ip
from localpower.core.ratelimit import RateLimiter

# Sent responses and new drafts per address, for people without an account or in anonymous consultations.
SUBMIT_LIMITER = RateLimiter("consultation-submit", limit=20, window=60 * 60)
DRAFT_LIMITER = RateLimiter("consultation-draft", limit=40, window=60 * 60)
# Return links sent by e-mail, per address: enough for typing mistakes, too few to use us to send spam.
EMAIL_LIMITER = RateLimiter("consultation-return-link", limit=5, window=60 * 60)
TOKEN_KEY = "lp_consultation_token_{}"
DONE_KEY = "lp_consultation_done_{}"


def _respond_url(consultation) -> str:
    return reverse("consultations:respond", args=[consultation.slug])


def _section_url(consultation, section) -> str:
    return reverse("consultations:respond-section", args=[consultation.slug, section.pk])


def _check_url(consultation) -> str:
    return reverse("consultations:respond-check", args=[consultation.slug])


def _cannot(request, consultation, reason, status=200):
    return render(
        request,
        "consultations/respond_blocked.html",
        {"consultation": consultation, "blocker": reason},
        status=status,
    )


def _already(request, consultation):
    """The person has already sent their response."""
    if consultation.anonymity == Anonymity.IDENTIFIED:
        messages.info(request, _("You have already responded to this consultation. This is your response."))
        return redirect("consultations:respond-yours", consultation.slug)
    return render(request, "consultations/respond_already.html", {"consultation": consultation})


def _limited(request, consultation) -> bool:
    return not request.user.is_authenticated or consultation.anonymity == Anonymity.ANONYMOUS


@require_safe
def respond(request, slug: str):
    """The start: resume where the person left off, or the first page."""
    consultation = get_consultation(request, slug)
    reason = blocker(request, consultation)
    if reason is not None:
        return _cannot(request, consultation, reason, status=403 if consultation.is_open else 200)
    if selectors.has_taken_part(request.user, consultation) and current_draft(request, consultation) is None:
        return _already(request, consultation)
    sections = selectors.survey(consultation)
    if not sections:
        raise Http404
    draft = current_draft(request, consultation)
    picked = selectors.chosen_options(draft)
    visible = selectors.visible_sections(sections, picked)
    if draft is not None and draft.current_section_id:
        index = next((i for i, s in enumerate(visible) if s.pk == draft.current_section_id), None)
        if index is not None:
            following = visible[index + 1 :]
            return redirect(
                _section_url(consultation, following[0]) if following else _check_url(consultation)
            )
    return redirect(_section_url(consultation, visible[0]))


def _neighbours(visible, section):
    index = next((i for i, s in enumerate(visible) if s.pk == section.pk), None)
    if index is None:
        return None, None, None
    before = visible[index - 1] if index > 0 else None
    after = visible[index + 1] if index + 1 < len(visible) else None
    return index, before, after


@require_http_methods(["GET", "HEAD", "POST"])
def respond_section(request, slug: str, section_id: int):
    consultation = get_consultation(request, slug)
    reason = blocker(request, consultation)
    draft = current_draft(request, consultation)
    if reason is not None and request.method != "POST":
        return _cannot(request, consultation, reason, status=403 if consultation.is_open else 200)
    if draft is None and selectors.has_taken_part(request.user, consultation):
        return _already(request, consultation)
    sections = selectors.survey(consultation)
    section = next((s for s in sections if s.pk == section_id), None)
    if section is None:
        raise Http404
    visible = selectors.visible_sections(sections, selectors.chosen_options(draft))
    index, before, after = _neighbours(visible, section)
    if index is None:
        # Hidden by the person's answers: go on to the next page they should see.
        later = [
            s for s in visible if s.order > section.order or (s.order == section.order and s.pk > section.pk)
        ]
        return redirect(_section_url(consultation, later[0]) if later else _check_url(consultation))
    questions = list(section.questions.all())
    answers = selectors.answers_by_question(draft)
    changing = request.GET.get("change") == "1"
    form = SectionAnswersForm(questions=questions, answers=answers)
    if request.method == "POST":
        saving = request.POST.get("action") == "save"
        form = SectionAnswersForm(
            request.POST, request.FILES, questions=questions, answers=answers, enforce_required=not saving
        )
        if reason is not None:
            form.is_valid()
            form.add_error(None, reason.reason + " " + _("Nothing you typed on this page has been saved."))
        elif form.is_valid():
            try:
                draft = _draft(request, consultation, draft)
                responding.save_answers(response=draft, section=section, values=form.values)
            except responding.AlreadyResponded:
                return _already(request, consultation)
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    for field, errors in error.error_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    form.add_error(None, error.messages)
            except _Limited:
                form.add_error(
                    None, _("Too many responses have come from your connection. Try again in an hour.")
                )
            else:
                if saving:
                    return _saved_redirect(request, consultation, draft)
                if changing:
                    return redirect(_check_url(consultation))
                visible = selectors.visible_sections(sections, selectors.chosen_options(draft))
                _index, _before, after = _neighbours(visible, section)
                return redirect(_section_url(consultation, after) if after else _check_url(consultation))
    return render(
        request,
        "consultations/respond_section.html",
        {
            "consultation": consultation,
            "section": section,
            "form": form,
            "rows": form.rows(),
            "number": index + 1,
            "count": len(visible),
            "back_url": _section_url(consultation, before)
            if before
            else reverse("consultations:detail", args=[consultation.slug]),
            "has_files": any(q.kind == "file" for q in questions),
            "changing": changing,
            "preview": False,
        },
    )


class _Limited(Exception):
    pass


def _draft(request, consultation, draft: Response | None) -> Response:
    """The person's draft, started now if they have none."""
    if draft is not None:
        return draft
    if not request.user.is_authenticated:
        ip = client_ip(request)
        if DRAFT_LIMITER.is_limited("ip", ip):
            raise _Limited
        DRAFT_LIMITER.hit("ip", ip)
    draft = responding.start_response(consultation=consultation, user=request.user)
    if not request.user.is_authenticated:
        request.session[session_key(consultation)] = draft.pk
    return draft


def _saved_redirect(request, consultation, draft: Response):
    """Signed-in people find their draft again by signing in; anyone else needs a return link."""
    if not _found_by_account(request, draft):
        token = responding.issue_resume_token(response=draft)
        request.session[TOKEN_KEY.format(consultation.pk)] = token
    return redirect("consultations:respond-saved", consultation.slug)


def _found_by_account(request, draft: Response) -> bool:
    if not request.user.is_authenticated:
        return False
    if draft.respondent_id == request.user.pk:
        return True
    return Participation.objects.filter(draft=draft, user_id=request.user.pk).exists()


@require_http_methods(["GET", "HEAD", "POST"])
def saved(request, slug: str):
    """After "save and come back later": how to come back (a return link for people without an account)."""
    consultation = get_consultation(request, slug)
    draft = current_draft(request, consultation)
    if draft is None:
        return redirect("consultations:detail", consultation.slug)
    token = request.session.get(TOKEN_KEY.format(consultation.pk))
    link = (
        request.build_absolute_uri(reverse("consultations:resume", args=[consultation.slug, token]))
        if token
        else ""
    )
    form = SaveForLaterForm()
    sent_to = ""
    if request.method == "POST" and link:
        form = SaveForLaterForm(request.POST)
        if (
            form.is_valid()
            and form.cleaned_data["email"]
            and EMAIL_LIMITER.is_limited("ip", client_ip(request))
        ):
            form.add_error(
                "email", _("You have asked for the link too many times. Copy the link above instead.")
            )
        elif form.is_valid() and form.cleaned_data["email"]:
            EMAIL_LIMITER.hit("ip", client_ip(request))
            responding.email_return_link(
                consultation=consultation, email=form.cleaned_data["email"], link=link
            )
            sent_to = form.cleaned_data["email"]
            form = SaveForLaterForm()
        elif form.is_valid():
            form.add_error("email", _("Enter an e-mail address, like name@example.com"))
    return render(
        request,
        "consultations/respond_saved.html",
        {
            "consultation": consultation,
            "link": link,
            "form": form,
            "sent_to": sent_to,
            "closes": last_day(consultation),
        },
    )


@require_safe
def resume(request, slug: str, token: str):
    consultation = get_consultation(request, slug)
    draft = selectors.draft_for_token(consultation, token)
    if draft is None:
        return render(
            request, "consultations/respond_resume_failed.html", {"consultation": consultation}, status=404
        )
    request.session[session_key(consultation)] = draft.pk
    request.session[TOKEN_KEY.format(consultation.pk)] = token
    messages.success(request, _("Welcome back. Your saved answers are below."))
    return redirect(_respond_url(consultation))


def _organisations(request, consultation):
    if consultation.anonymity != Anonymity.IDENTIFIED or not request.user.is_authenticated:
        return []
    from localpower.accounts.models import Organisation

    ids = roles.organisation_ids(request.user, (RoleKind.ORGANISATION_MEMBER, RoleKind.ADMINISTRATOR))
    return list(Organisation.objects.filter(pk__in=ids).order_by("name"))


def _summary(consultation, response):
    sections = selectors.survey(consultation)
    answers = selectors.answers_by_question(response)
    visible = selectors.visible_sections(sections, selectors.chosen_options(response))
    return [
        {
            "section": section,
            "url": _section_url(consultation, section) + "?change=1",
            "rows": [
                {"question": q, "lines": describe(q, answers.get(q.pk))} for q in section.questions.all()
            ],
        }
        for section in visible
    ]


@require_http_methods(["GET", "HEAD", "POST"])
def check(request, slug: str):
    """Check your answers, then send."""
    consultation = get_consultation(request, slug)
    draft = current_draft(request, consultation)
    done = request.session.get(DONE_KEY.format(consultation.pk))
    if draft is None:
        if request.method == "POST" and done:
            return redirect("consultations:respond-done", consultation.slug)  # a second click
        return redirect(_respond_url(consultation))
    reason = blocker(request, consultation)
    organisations = _organisations(request, consultation)
    name = request.user.display_name if request.user.is_authenticated else ""
    form = SubmitForm(organisations=organisations, person_name=name)
    missing = []
    if request.method == "POST":
        form = SubmitForm(request.POST, organisations=organisations, person_name=name)
        if reason is not None:
            form.is_valid()
            form.add_error(None, reason.reason + " " + _("Your saved answers have been kept."))
        elif _limited(request, consultation) and SUBMIT_LIMITER.is_limited("ip", client_ip(request)):
            form.is_valid()
            form.add_error(
                None, _("Too many responses have come from your connection. Try again in an hour.")
            )
        elif form.is_valid():
            if _limited(request, consultation):
                SUBMIT_LIMITER.hit("ip", client_ip(request))
            try:
                sent = responding.submit(
                    response=draft,
                    user=request.user if request.user.is_authenticated else None,
                    organisation=form.chosen_organisation(),
                    request=request,
                )
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    ids = {
                        f"q{q.pk}"
                        for q in [q for s in selectors.survey(consultation) for q in s.questions.all()]
                    }
                    missing = [
                        msg for field, msgs in error.message_dict.items() if field in ids for msg in msgs
                    ]
                    for field, msgs in error.message_dict.items():
                        if field not in ids:
                            form.add_error(field if field in form.fields else None, msgs)
                else:
                    form.add_error(None, error.messages)
            else:
                request.session.pop(session_key(consultation), None)
                request.session.pop(TOKEN_KEY.format(consultation.pk), None)
                request.session[DONE_KEY.format(consultation.pk)] = sent.reference
                return redirect("consultations:respond-done", consultation.slug)
    summary = _summary(consultation, draft)
    missing_links = []
    if missing:
        by_question = {f"q{row['question'].pk}": block["url"] for block in summary for row in block["rows"]}
        for block in summary:
            for row in block["rows"]:
                if row["question"].required and not row["lines"]:
                    missing_links.append(
                        {
                            "url": by_question[f"q{row['question'].pk}"],
                            "text": _("Answer “%(text)s”") % {"text": row["question"].text},
                        }
                    )
    return render(
        request,
        "consultations/respond_check.html",
        {
            "consultation": consultation,
            "summary": summary,
            "form": form,
            "missing": missing_links,
            "anonymous": consultation.anonymity == Anonymity.ANONYMOUS,
            "back_url": _section_url(consultation, summary[-1]["section"])
            if summary
            else _respond_url(consultation),
        },
    )


@require_safe
def done(request, slug: str):
    consultation = get_consultation(request, slug)
    reference = request.session.get(DONE_KEY.format(consultation.pk))
    if not reference:
        return redirect("consultations:detail", consultation.slug)
    return render(
        request,
        "consultations/respond_done.html",
        {
            "consultation": consultation,
            "reference": reference,
            "anonymous": consultation.anonymity == Anonymity.ANONYMOUS,
        },
    )


@require_safe
def yours(request, slug: str):
    """A signed-in person's sent response to an identified consultation."""
    consultation = get_consultation(request, slug)
    if not request.user.is_authenticated:
        return redirect(reverse("accounts:sign-in") + "?next=" + request.path)
    response = (
        Response.objects.filter(consultation=consultation, respondent=request.user, status="submitted")
        .select_related("organisation")
        .first()
    )
    if response is None:
        return redirect("consultations:detail", consultation.slug)
    return render(
        request,
        "consultations/respond_yours.html",
        {"consultation": consultation, "response": response, "summary": _summary(consultation, response)},
    )
