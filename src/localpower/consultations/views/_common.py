"""Shared pieces of the consultation pages: finding a consultation, who can respond and why not, the person's
draft, and answers in words."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from localpower.consultations import selectors
from localpower.consultations.models import (
    Answer,
    Audience,
    Consultation,
    Question,
    QuestionKind,
    Response,
    ResponseStatus,
    Status,
)
from localpower.consultations.rules import lives_in


def get_consultation(request, slug: str) -> Consultation:
    """The consultation with this web address name, if the person may see it (drafts only for its staff)."""
    consultation = get_object_or_404(
        Consultation.objects.select_related("area").prefetch_related("documents"), slug=slug
    )
    if not request.user.has_perm("consultations.view_consultation", consultation):
        raise Http404
    return consultation


def when(value) -> str:
    """ "3 June 2027" at midnight, else "3 June 2027 at 5:30pm"."""
    local = timezone.localtime(value)
    if local.hour == 0 and local.minute == 0:
        return day(local)
    clock = local.strftime("%-I:%M%p").replace(":00", "").replace("AM", "am").replace("PM", "pm")
    return f"{day(local)} {_('at')} {clock}"


def day(value) -> str:
    return timezone.localtime(value).strftime("%-d %B %Y")


def last_day(consultation: Consultation) -> str:
    """The last day for responses (a consultation closes as the next day begins)."""
    closes = timezone.localtime(consultation.closes_at)
    if closes.hour == 0 and closes.minute == 0:
        return day(closes - datetime.timedelta(days=1)) + _(" (by midnight)")
    return when(closes)


def audience_text(consultation: Consultation) -> str:
    audience = consultation.audience
    if audience == Audience.EVERYONE:
        return _("Anyone can respond. You do not need an account.")
    if audience == Audience.SIGNED_IN:
        return _("Anyone with an account can respond.")
    if audience == Audience.RESIDENTS:
        return _(
            "People who live in %(area)s can respond. You need an account with a confirmed home postcode."
        ) % {"area": consultation.area.name}
    names = ", ".join(o.name for o in consultation.invited_organisations.all())
    return _("Members of the invited organisations can respond: %(names)s.") % {
        "names": names or _("none yet")
    }


@dataclass
class Blocker:
    reason: str
    fix_text: str = ""
    fix_url: str = ""


def blocker(request, consultation: Consultation) -> Blocker | None:
    """Why this person cannot respond now, with what they can do about it; None when they can."""
    status = consultation.status
    if status == Status.UPCOMING:
        return Blocker(_("This consultation opens on %(when)s.") % {"when": when(consultation.opens_at)})
    if status in (Status.CLOSED, Status.RESPONDED):
        return Blocker(
            _("This consultation closed on %(when)s. You can no longer respond.")
            % {"when": when(consultation.closes_at)}
        )
    if status == Status.WITHDRAWN:
        return Blocker(_("The council has withdrawn this consultation."))
    if status == Status.DRAFT:
        return Blocker(_("This consultation has not been published yet. Only council staff can see it."))
    user = request.user
    if consultation.audience == Audience.EVERYONE:
        return None
    if not user.is_authenticated:
        return Blocker(
            _("Sign in to respond. %(who)s") % {"who": audience_text(consultation)},
            _("Sign in"),
            reverse("accounts:sign-in")
            + "?next="
            + reverse("consultations:respond", args=[consultation.slug]),
        )
    if not user.email_verified_at:
        return Blocker(
            _("Confirm your e-mail address to respond: follow the link we sent you."),
            _("Go to your account to send the link again"),
            reverse("accounts:account"),
        )
    if request.user.has_perm("consultations.respond", consultation):
        return None
    if consultation.audience == Audience.RESIDENTS and not lives_in(user, consultation.area):
        if not user.home_postcode:
            return Blocker(
                _("Only people who live in %(area)s can respond. Give your home postcode so we can check.")
                % {"area": consultation.area.name},
                _("Give your home postcode"),
                reverse("accounts:account-postcode"),
            )
        if not user.postcode_verified_at:
            return Blocker(
                _("The council is checking your home postcode. You can respond once it is confirmed.")
            )
        return Blocker(
            _("Only people who live in %(area)s can respond. Your home postcode is in another area.")
            % {"area": consultation.area.name},
            _("Change your home postcode"),
            reverse("accounts:account-postcode"),
        )
    return Blocker(
        _("Only members of the organisations the council has invited can respond. %(who)s")
        % {"who": audience_text(consultation)}
    )


def session_key(consultation: Consultation) -> str:
    return f"lp_consultation_draft_{consultation.pk}"


def current_draft(request, consultation: Consultation) -> Response | None:
    """The draft this person is working on: one kept in their session (people without an account, or a return
    link), else the signed-in person's own."""
    pk = request.session.get(session_key(consultation))
    if pk:
        response = Response.objects.filter(
            pk=pk, consultation=consultation, status=ResponseStatus.DRAFT
        ).first()
        if response is not None:
            return response
        request.session.pop(session_key(consultation), None)
    response = selectors.response_of(request.user, consultation)
    if response is not None and not response.is_submitted:
        return response
    return None


def describe(question: Question, answer: Answer | None) -> list[str]:
    """The answer as lines of text for "check your answers" (empty when not answered)."""
    if answer is None:
        return []
    kind = question.kind
    if question.has_options:
        picked = list(answer.picked.all())
        if kind == QuestionKind.RANKING:
            return [f"{c.rank}. {c.option.text}" for c in sorted(picked, key=lambda c: c.rank or 0)]
        return [c.option.text for c in picked]
    if kind == QuestionKind.NUMBER:
        return [f"{answer.number.normalize():f}"] if answer.number is not None else []
    if kind == QuestionKind.FILE:
        return [answer.file.name.rsplit("/", 1)[-1]] if answer.file else []
    if kind == QuestionKind.MAP_POINT:
        lines = []
        if answer.latitude is not None:
            lines.append(
                _("Latitude %(lat)s, longitude %(lng)s")
                % {"lat": f"{answer.latitude.normalize():f}", "lng": f"{answer.longitude.normalize():f}"}
            )
        if answer.text:
            lines.append(answer.text)
        return lines
    return [answer.text] if answer.text else []
