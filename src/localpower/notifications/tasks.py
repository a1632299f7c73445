"""Background tasks (django-tasks) that decide who hears about a budget or consultation event, and send the
e-mails.

Each task takes ids and plain values, looks everything up again when it runs, and respects each person's
preferences at that moment. They are queued by ``receivers.py``.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django_tasks import task

from localpower.notifications import emails, selectors
from localpower.notifications.models import Kind


def _page(name: str, *args) -> str:
    """A link to a public budgets page, or the budgets list when that page does not exist."""
    for candidate, candidate_args in ((name, args), ("budgets:list", ())):
        try:
            return emails.absolute(reverse(candidate, args=candidate_args))
        except NoReverseMatch:
            continue
    return settings.SITE_URL + "/"


@task()
def send_idea_status_email(idea_id: int) -> int:
    """Tell an idea's author what the council decided. Returns the number of e-mails sent."""
    from localpower.budgets.models import Idea

    idea = (
        Idea.objects.select_related("author", "process", "merged_into", "project").filter(pk=idea_id).first()
    )
    if idea is None or idea.author is None or not selectors.wants(idea.author, Kind.IDEA_UPDATES):
        return 0
    message = emails.build(
        idea.author,
        kind=Kind.IDEA_UPDATES,
        subject=f"Your idea “{idea.title}”: {idea.get_status_display().lower()}",
        template="notifications/emails/idea_status.txt",
        context={
            "idea": idea,
            "process": idea.process,
            "link": _page("budgets:idea-detail", idea.process.slug, idea.pk),
        },
    )
    return emails.send_all([message])


@task()
def send_idea_hidden_email(idea_id: int) -> int:
    """Tell an idea's author that a moderator hid it, and why (nothing if it was shown again meanwhile)."""
    from localpower.budgets.models import Idea

    idea = Idea.objects.select_related("author", "process").filter(pk=idea_id).first()
    if idea is None or not idea.is_hidden or idea.author is None:
        return 0
    if not selectors.wants(idea.author, Kind.IDEA_UPDATES):
        return 0
    message = emails.build(
        idea.author,
        kind=Kind.IDEA_UPDATES,
        subject=f"Your idea “{idea.title}” has been hidden by a moderator",
        template="notifications/emails/idea_hidden.txt",
        context={
            "idea": idea,
            "process": idea.process,
            "link": _page("budgets:idea-detail", idea.process.slug, idea.pk),
        },
    )
    return emails.send_all([message])


PHASE_SUBJECTS = {"voting": "Voting has opened: {title}", "counting": "Voting has closed: {title}"}


@task()
def send_phase_emails(process_id: int, phase: str) -> int:
    """Voting opened (``phase="voting"``) or closed (``"counting"``): tell the area's residents and followers."""
    from localpower.budgets.models import Process

    process = Process.objects.select_related("area").filter(pk=process_id).first()
    if process is None or phase not in PHASE_SUBJECTS:
        return 0
    link = _page("budgets:vote" if phase == "voting" else "budgets:detail", process.slug)
    messages = [
        emails.build(
            person,
            kind=Kind.VOTING,
            subject=PHASE_SUBJECTS[phase].format(title=process.title),
            template="notifications/emails/phase.txt",
            context={"process": process, "phase": phase, "link": link},
        )
        for person in selectors.audience(process.area, Kind.VOTING)
    ]
    return emails.send_all(messages)


@task()
def send_results_emails(result_id: int) -> int:
    """A result was published: tell the area's residents and followers which projects are funded."""
    from localpower.budgets.models import Project, Result

    result = Result.objects.select_related("process__area").filter(pk=result_id, published=True).first()
    if result is None:
        return 0
    process = result.process
    funded = list(Project.objects.filter(pk__in=result.selected_ids))
    funded.sort(key=lambda p: result.selected_ids.index(p.pk))
    link = _page("budgets:results", process.slug)
    messages = [
        emails.build(
            person,
            kind=Kind.RESULTS,
            subject=f"Results: {process.title}",
            template="notifications/emails/results.txt",
            context={"process": process, "result": result, "funded": funded, "link": link},
        )
        for person in selectors.audience(process.area, Kind.RESULTS)
    ]
    return emails.send_all(messages)


@task()
def send_outcome_emails(outcome_id: int) -> int:
    """The council published "You said, we did" for a consultation: tell the area's residents and followers,
    and the people who sent an identified response (never anyone from an anonymous consultation's
    participation records). Each person once, and only if they want these e-mails."""
    from django.contrib.auth import get_user_model

    from localpower.consultations.models import Anonymity, Outcome, ResponseStatus

    outcome = (
        Outcome.objects.select_related("consultation__area")
        .filter(pk=outcome_id, published_at__isnull=False)
        .first()
    )
    if outcome is None:
        return 0
    consultation = outcome.consultation
    people = {person.pk: person for person in selectors.audience(consultation.area, Kind.CONSULTATIONS)}
    if consultation.anonymity == Anonymity.IDENTIFIED:
        respondents = get_user_model().objects.filter(
            consultation_responses__consultation=consultation,
            consultation_responses__status=ResponseStatus.SUBMITTED,
        )
        for person in respondents.exclude(pk__in=people).order_by("pk"):
            if selectors.wants(person, Kind.CONSULTATIONS):
                people[person.pk] = person
    link = emails.absolute(reverse("consultations:summary", args=[consultation.slug]))
    messages = [
        emails.build(
            person,
            kind=Kind.CONSULTATIONS,
            subject=f"You said, we did: {consultation.title}",
            template="notifications/emails/outcome.txt",
            context={"consultation": consultation, "outcome": outcome, "link": link},
        )
        for person in people.values()
    ]
    return emails.send_all(messages)
