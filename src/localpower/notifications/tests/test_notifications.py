"""Notification e-mails: who gets them, preferences, following areas, and the one-click unsubscribe link."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from localpower.accounts.tests.factories import PASSWORD, UserFactory
from localpower.budgets import services
from localpower.budgets.models import Idea, Process
from localpower.budgets.signals import phase_started
from localpower.budgets.tasks import announce_phase_task
from localpower.budgets.tests.factories import make_process, make_projects, move_to
from localpower.notifications import receivers
from localpower.notifications.models import AreaFollow, Preference
from localpower.notifications.tokens import make_unsubscribe_token, read_unsubscribe_token

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def other_resident(borough):
    """Lives in Riverside ward (South committee)."""
    from localpower.places.tests.factories import SMALL_BOROUGH_POSTCODES

    return UserFactory(email="riverside@example.org", verified_postcode=SMALL_BOROUGH_POSTCODES["riverside"])


@pytest.fixture
def make_resident(borough):
    from localpower.places.tests.factories import SMALL_BOROUGH_POSTCODES

    return lambda **kwargs: UserFactory(verified_postcode=SMALL_BOROUGH_POSTCODES["castle"], **kwargs)


def unsubscribe_link(message) -> str:
    return re.search(r"http://\S+/unsubscribe/\S+/", message.body).group(0)


def test_idea_author_hears_the_councils_decision(
    resident, officer, borough, django_capture_on_commit_callbacks
):
    process = make_process(borough["north"], "review")
    idea = Idea.objects.create(process=process, author=resident, title="Benches", description="Please")
    with django_capture_on_commit_callbacks(execute=True):
        services.assess_idea(actor=officer, idea=idea, status="not_feasible", public_reason="No space.")
    (message,) = mail.outbox
    assert message.to == [resident.email]
    assert message.subject == "Your idea “Benches”: not feasible"
    assert "The council's reason: No space." in message.body
    assert "/unsubscribe/" in message.body
    assert message.extra_headers["List-Unsubscribe"] == f"<{unsubscribe_link(message)}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_no_email_when_the_author_turned_idea_updates_off(
    resident, officer, borough, django_capture_on_commit_callbacks
):
    Preference.objects.create(user=resident, idea_updates=False)
    process = make_process(borough["north"], "review")
    idea = Idea.objects.create(process=process, author=resident, title="Benches", description="Please")
    with django_capture_on_commit_callbacks(execute=True):
        services.assess_idea(actor=officer, idea=idea, status="feasible")
    assert mail.outbox == []


def test_voting_opens_reaches_residents_and_followers_only(resident, other_resident, borough):
    process = make_process(borough["castle"], "voting")
    follower = UserFactory(email="follower@example.org")
    AreaFollow.objects.create(user=follower, area=borough["north"])  # follows the committee Castle is in
    unconfirmed = UserFactory(email="unconfirmed@example.org", email_verified_at=None)
    AreaFollow.objects.create(user=unconfirmed, area=borough["castle"])
    assert announce_phase_task.call(process.pk, "voting") is True
    assert sorted(m.to[0] for m in mail.outbox) == sorted([resident.email, follower.email])
    assert other_resident.email not in {m.to[0] for m in mail.outbox}
    assert all(m.subject == f"Voting has opened: {process.title}" for m in mail.outbox)
    assert all("/unsubscribe/" in m.body for m in mail.outbox)


def test_results_published_email_lists_funded_projects(resident, officer, borough, make_resident):
    process = make_process(borough["north"], "voting", budget=3000)
    a, b = make_projects(process, [2000, 2500])
    voter = make_resident()
    services.cast_ballot(actor=voter, process=process, content=[a.pk], confirmed_minimum_age=True)
    move_to(process, "counting")
    result = services.compute_result(actor=officer, process=process)
    Preference.objects.create(user=voter, results=False)
    mail.outbox.clear()
    receivers.on_results_published(sender=None, result=services.publish_result(actor=officer, result=result))
    assert [m.to[0] for m in mail.outbox] == [resident.email]
    assert f"- {a.title} (GBP 2,000.00)" in mail.outbox[0].body


def test_receivers_only_queue_tasks(resident, borough, settings):
    """With the database backend the receiver queues the task and nothing is sent yet."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from django_tasks_db.models import DBTaskResult

    process = make_process(borough["castle"], "voting")
    phase_started.send(sender=Process, process=process, phase="voting")
    assert mail.outbox == []
    assert DBTaskResult.objects.filter(task_path__endswith="send_phase_emails").count() == 1


def test_one_click_unsubscribe_without_signing_in(client, resident, borough):
    process = make_process(borough["castle"], "voting")
    announce_phase_task.call(process.pk, "voting")
    link = unsubscribe_link(mail.outbox[0]).removeprefix("http://127.0.0.1:8000")
    page = client.get(link)
    assert page.status_code == 200 and "Stop these e-mails" in page.content.decode()
    assert not Preference.objects.filter(user=resident, voting=False).exists()
    done = client.post(link)  # as a mail program does, without a CSRF token
    assert done.status_code == 200
    assert Preference.objects.get(user=resident).voting is False
    mail.outbox.clear()
    announce_phase_task.call(process.pk, "voting")
    assert mail.outbox == []


def test_altered_unsubscribe_links_are_refused(client, resident):
    token = make_unsubscribe_token(resident, "results")
    assert read_unsubscribe_token(token) == (resident.pk, "results")
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    response = client.post(reverse("notifications:unsubscribe", args=[tampered]))
    assert response.status_code == 404
    assert "This link does not work" in response.content.decode()
    assert not Preference.objects.exists()


def test_preferences_page(client, resident, borough):
    url = reverse("notifications:preferences")
    assert client.get(url).status_code == 302
    assert client.login(email=resident.email, password=PASSWORD)
    page = client.get(url).content.decode()
    assert (
        "Castle" in page
        and 'value="idea_updates" class="govuk-checkboxes__input" id="id_kinds_0" checked' in page
    )
    response = client.post(url, {"kinds": ["results"], "areas": [str(borough["south"].pk)]})
    assert response.status_code == 302
    preference = Preference.objects.get(user=resident)
    assert (preference.idea_updates, preference.voting, preference.results) == (False, False, True)
    assert list(AreaFollow.objects.filter(user=resident).values_list("area", flat=True)) == [
        borough["south"].pk
    ]
    client.post(url, {"kinds": [], "areas": []})
    assert not AreaFollow.objects.filter(user=resident).exists()
    bad = client.post(url, {"kinds": ["weekly"], "areas": ["999999"]})
    assert bad.status_code == 200 and "There is a problem" in bad.content.decode()


def test_follow_button_on_the_area_page(client, outsider, borough):
    north = borough["north"]
    area_url = reverse("places:area", args=[north.slug])
    assert client.login(email=outsider.email, password=PASSWORD)
    assert "Follow this area" not in client.get(area_url).content.decode()  # no budgets here yet
    make_process(borough["castle"], "ideas")
    assert "Follow this area" in client.get(area_url).content.decode()
    response = client.post(reverse("notifications:follow", args=[north.pk]), {"follow": "yes"}, follow=True)
    assert "You follow North Area Committee." in response.content.decode()
    assert "Stop following" in response.content.decode()
    assert AreaFollow.objects.filter(user=outsider, area=north).count() == 1
    client.post(reverse("notifications:follow", args=[north.pk]), {"follow": "no"})
    assert not AreaFollow.objects.filter(user=outsider).exists()
    client.logout()
    assert "Follow this area" not in client.get(area_url).content.decode()
    assert client.post(reverse("notifications:follow", args=[north.pk])).status_code == 302
    assert not AreaFollow.objects.exists()
