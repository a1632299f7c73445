"""Moderation: the queue across budgets, hiding with a public reason, showing again, dismissing reports."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from localpower.budgets.models import Comment, Idea, Report
from localpower.budgets.services import comment_on_idea, hide, report, submit_idea, unhide
from localpower.budgets.services.ideas import dismiss_reports
from localpower.budgets.tests.factories import make_process
from localpower.core.models import AuditEntry

pytestmark = pytest.mark.django_db

QUEUE = reverse("budgets:staff-moderation")


@pytest.fixture
def process(borough):
    return make_process(borough["north"], "ideas", slug="north-ideas", title="North pot")


@pytest.fixture
def idea(process, resident):
    return submit_idea(
        actor=resident, process=process, title="Benches by the pond", description="Buy my benches!"
    )


@pytest.fixture
def reported(idea, make_resident):
    first, second = make_resident(), make_resident()
    report(actor=first, idea=idea, reason="It is an advert")
    report(actor=second, idea=idea, reason="Spam for a shop")
    return idea


def moderate_url(item) -> str:
    if isinstance(item, Idea):
        return reverse("budgets:staff-moderation-idea", args=[item.pk])
    return reverse("budgets:staff-moderation-comment", args=[item.pk])


class TestServices:
    def test_dismiss_closes_open_reports_and_is_audited(self, reported, moderator, resident):
        with pytest.raises(PermissionDenied):
            dismiss_reports(actor=resident, idea=reported)
        assert dismiss_reports(actor=moderator, idea=reported) == 2
        assert not Report.objects.filter(resolved_at__isnull=True).exists()
        assert Report.objects.filter(resolved_by=moderator).count() == 2
        assert AuditEntry.objects.filter(action="budgets.moderation.dismiss").count() == 1
        assert dismiss_reports(actor=moderator, idea=reported) == 0
        reported.refresh_from_db()
        assert not reported.is_hidden

    def test_unhide_restores_and_is_audited(self, idea, moderator, resident):
        hide(actor=moderator, idea=idea, reason="Advertising")
        with pytest.raises(PermissionDenied):
            unhide(actor=resident, idea=idea)
        unhide(actor=moderator, idea=idea)
        idea.refresh_from_db()
        assert not idea.is_hidden and idea.hidden_reason == ""
        entry = AuditEntry.objects.get(action="budgets.moderation.unhide")
        assert entry.changes["hidden_reason"]["from"] == "Advertising"

    def test_exactly_one_target(self, idea, moderator):
        with pytest.raises(ValidationError):
            dismiss_reports(actor=moderator)
        with pytest.raises(ValidationError):
            unhide(actor=moderator)

    def test_officer_cannot_hide(self, idea, officer):
        with pytest.raises(PermissionDenied):
            hide(actor=officer, idea=idea, reason="No")

    def test_author_is_told_the_idea_was_hidden(
        self, idea, moderator, immediate_tasks, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            hide(actor=moderator, idea=idea, reason="Advertising a shop")
        assert len(mail.outbox) == 1
        message = mail.outbox[0]
        assert message.to == [idea.author.email]
        assert "hidden by a moderator" in message.subject
        assert "Advertising a shop" in message.body
        assert "unsubscribe" in message.body.lower()

    def test_hiding_a_comment_sends_nothing(
        self, idea, moderator, make_resident, immediate_tasks, django_capture_on_commit_callbacks
    ):
        comment = comment_on_idea(actor=make_resident(), idea=idea, body="Rude words")
        with django_capture_on_commit_callbacks(execute=True):
            hide(actor=moderator, comment=comment, reason="Rude")
        assert mail.outbox == []

    def test_author_who_turned_off_idea_updates_hears_nothing(
        self, idea, moderator, immediate_tasks, django_capture_on_commit_callbacks
    ):
        from localpower.notifications.services import set_preferences

        set_preferences(user=idea.author, kinds=set())
        with django_capture_on_commit_callbacks(execute=True):
            hide(actor=moderator, idea=idea, reason="Advertising")
        assert mail.outbox == []


class TestWhoGetsIn:
    def test_anonymous_people_go_to_sign_in(self, client, idea):
        for url in (QUEUE, moderate_url(idea)):
            response = client.get(url)
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("accounts:sign-in"))

    @pytest.mark.parametrize("persona", ["resident", "officer", "councillor", "outsider"])
    def test_others_are_refused(self, client, idea, persona, request):
        client.force_login(request.getfixturevalue(persona))
        assert client.get(QUEUE).status_code == 403
        assert client.get(moderate_url(idea)).status_code == 403
        response = client.post(moderate_url(idea), {"action": "hide", "hidden_reason": "Gone"})
        assert response.status_code == 403
        idea.refresh_from_db()
        assert not idea.is_hidden

    @pytest.mark.parametrize("persona", ["moderator", "administrator", "superuser"])
    def test_moderators_and_administrators_get_in(self, client, reported, persona, request):
        client.force_login(request.getfixturevalue(persona))
        assert client.get(QUEUE).status_code == 200
        assert client.get(moderate_url(reported)).status_code == 200

    def test_moderator_of_another_area_cannot_act(self, client, borough, idea):
        from localpower.accounts.models import RoleKind
        from localpower.accounts.tests.factories import RoleFactory, UserFactory

        elsewhere = UserFactory()
        RoleFactory(user=elsewhere, kind=RoleKind.MODERATOR, area=borough["south"])
        client.force_login(elsewhere)
        assert client.get(QUEUE).status_code == 200
        assert "Benches by the pond" not in client.get(QUEUE + "?show=recent").content.decode()
        assert client.get(moderate_url(idea)).status_code == 403

    def test_staff_list_links_to_moderation_for_administrators_only(self, client, administrator, officer):
        client.force_login(administrator)
        assert QUEUE in client.get(reverse("budgets:staff-process-list")).content.decode()
        client.force_login(officer)
        assert QUEUE not in client.get(reverse("budgets:staff-process-list")).content.decode()


class TestQueue:
    def test_lists_reported_items_with_counts_and_reasons_but_no_reporters(
        self, client, reported, moderator, make_resident
    ):
        comment = comment_on_idea(actor=make_resident(), idea=reported, body="You are all idiots")
        reporter = make_resident(display_name="Nosy Parker")
        report(actor=reporter, comment=comment, reason="Insulting")
        client.force_login(moderator)
        page = client.get(QUEUE).content.decode()
        assert "Benches by the pond" in page and "You are all idiots" in page
        assert "It is an advert" in page and "Spam for a shop" in page and "Insulting" in page
        assert "3 open reports" in page
        assert page.index("Benches by the pond") < page.index("You are all idiots")  # most reported first
        assert "Nosy Parker" not in page and reporter.email not in page
        detail = client.get(moderate_url(comment)).content.decode()
        assert "Insulting" in detail and "Nosy Parker" not in detail

    def test_filters_by_process_and_view(self, client, reported, moderator, borough, make_resident):
        other = make_process(borough["south"], "ideas", slug="south-ideas", title="South pot")
        from localpower.accounts.tests.factories import UserFactory
        from localpower.places.tests.factories import SMALL_BOROUGH_POSTCODES

        southerner = UserFactory(verified_postcode=SMALL_BOROUGH_POSTCODES["riverside"])
        submit_idea(actor=southerner, process=other, title="Skate park", description="Ramps")
        client.force_login(moderator)
        assert "Skate park" not in client.get(QUEUE).content.decode()
        recent = client.get(QUEUE + "?show=recent").content.decode()
        assert "Skate park" in recent and "Benches by the pond" in recent
        only_south = client.get(QUEUE + "?show=recent&process=south-ideas").content.decode()
        assert "Skate park" in only_south and "Benches by the pond" not in only_south
        # Nonsense filters fall back to the defaults rather than failing.
        assert client.get(QUEUE + "?show=<script>&process=nope&page=zz").status_code == 200
        hide(actor=moderator, idea=reported, reason="Advert")
        hidden = client.get(QUEUE + "?show=hidden").content.decode()
        assert "Benches by the pond" in hidden
        assert "There are no open reports" in client.get(QUEUE).content.decode()


class TestActions:
    def test_hide_needs_a_reason_and_keeps_the_page(self, client, reported, moderator):
        client.force_login(moderator)
        response = client.post(moderate_url(reported), {"action": "hide", "hidden_reason": "  "})
        assert response.status_code == 400
        assert "Give the reason for hiding it" in response.content.decode()
        reported.refresh_from_db()
        assert not reported.is_hidden

    def test_hide_shows_the_reason_publicly_and_closes_reports(self, client, reported, moderator):
        client.force_login(moderator)
        response = client.post(
            moderate_url(reported), {"action": "hide", "hidden_reason": "Advertising a business"}
        )
        assert response.status_code == 302
        reported.refresh_from_db()
        assert reported.is_hidden and reported.hidden_by == moderator
        assert not Report.objects.filter(resolved_at__isnull=True).exists()
        assert AuditEntry.objects.filter(action="budgets.moderation.hide").exists()
        client.logout()
        public = client.get(
            reverse("budgets:idea-detail", args=[reported.process.slug, reported.pk])
        ).content.decode()
        assert "Advertising a business" in public and "Buy my benches!" not in public

    def test_restore_and_dismiss(self, client, reported, moderator, make_resident):
        client.force_login(moderator)
        assert client.post(moderate_url(reported), {"action": "dismiss"}).status_code == 302
        assert not Report.objects.filter(resolved_at__isnull=True).exists()
        reported.refresh_from_db()
        assert not reported.is_hidden
        comment = comment_on_idea(actor=make_resident(), idea=reported, body="Rude")
        client.post(moderate_url(comment), {"action": "hide", "hidden_reason": "Personal abuse"})
        assert Comment.objects.get(pk=comment.pk).is_hidden
        client.post(moderate_url(comment), {"action": "restore"})
        assert not Comment.objects.get(pk=comment.pk).is_hidden

    def test_unknown_action_changes_nothing(self, client, reported, moderator):
        client.force_login(moderator)
        response = client.post(moderate_url(reported), {"action": "explode"})
        assert response.status_code == 200
        assert Report.objects.filter(resolved_at__isnull=True).count() == 2

    def test_missing_items_are_404(self, client, moderator, db):
        client.force_login(moderator)
        assert client.get(reverse("budgets:staff-moderation-idea", args=[999999])).status_code == 404
        assert client.get(reverse("budgets:staff-moderation-comment", args=[999999])).status_code == 404


def test_view_moderation_permission(
    borough, resident, officer, councillor, moderator, administrator, outsider
):
    allowed = {
        name
        for name, person in {
            "resident": resident,
            "officer": officer,
            "councillor": councillor,
            "moderator": moderator,
            "administrator": administrator,
            "outsider": outsider,
        }.items()
        if person.has_perm("budgets.view_moderation")
    }
    assert allowed == {"moderator", "administrator"}


def test_the_queue_takes_the_same_few_queries_however_long_it_is(client, process, moderator, make_resident):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(moderator)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(QUEUE + "?show=recent").status_code == 200
        return len(queries)

    def add(n: int) -> None:
        for i in range(n):
            idea = submit_idea(actor=make_resident(), process=process, title=f"Idea {i}", description="D")
            comment = comment_on_idea(actor=make_resident(), idea=idea, body="Hmm")
            report(actor=make_resident(), idea=idea, reason="Spam")
            report(actor=make_resident(), comment=comment, reason="Rude")

    add(2)
    few = count()
    add(8)
    assert count() == few
