"""The residents' and staff pages: voting with and without htmx, adding and reporting statements, tags, the
findings page, open data downloads, and the staff set-up, moderation and analysis pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from localpower.conversations import analysis, services
from localpower.conversations.models import Conversation, StatementStatus, Tag, Vote
from localpower.conversations.tests.factories import make_conversation, make_statements, two_camps

pytestmark = pytest.mark.django_db


def url(name, conversation, *args):
    return reverse(f"conversations:{name}", args=[conversation.slug, *args])


def test_list_and_detail_show_the_question_and_the_next_statement(client, conversation, resident, borough):
    make_statements(conversation, ["Open the café all year round"])
    draft = make_conversation(borough["north"], "draft", title="Secret draft question")
    page = client.get(reverse("conversations:list")).content.decode()
    assert conversation.title in page and "Secret draft" not in page
    assert client.get(url("detail", draft)).status_code == 404
    anonymous = client.get(url("detail", conversation)).content.decode()
    assert "Sign in to vote" in anonymous and "Open the café" not in anonymous
    client.force_login(resident)
    page = client.get(url("detail", conversation)).content.decode()
    assert "Open the café all year round" in page and 'name="vote" value="agree"' in page


def test_voting_without_javascript_redirects_and_with_htmx_returns_the_next_card(
    client, conversation, resident
):
    a, b = make_statements(conversation, ["First statement to vote on", "Second statement to vote on"])
    client.force_login(resident)
    first = client.get(url("detail", conversation)).context["statement"]
    response = client.post(url("vote", conversation), {"statement": first.number, "vote": "agree"})
    assert response.status_code == 302 and response["Location"].endswith("#vote")
    second = client.get(url("detail", conversation)).context["statement"]
    assert second != first
    card = client.post(
        url("vote", conversation),
        {"statement": second.number, "vote": "pass"},
        headers={"HX-Request": "true"},
    )
    assert card.status_code == 200 and "You have voted on every statement" in card.content.decode()
    assert sorted(Vote.objects.values_list("value", flat=True)) == [0, 1]
    bad = client.post(
        url("vote", conversation), {"statement": 99, "vote": "agree"}, headers={"HX-Request": "true"}
    )
    assert bad.status_code == 200 and "not part of this conversation" in bad.content.decode()
    assert "govuk-error-summary" in bad.content.decode()


def test_adding_a_statement_keeps_the_text_on_error_and_says_it_waits(client, conversation, resident):
    client.force_login(resident)
    response = client.post(url("statement-new", conversation), {"text": "THIS PARK IS A TOTAL DISGRACE"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "govuk-error-summary" in page and "THIS PARK IS A TOTAL DISGRACE" in page
    # Too long: said so, and all of it comes back (no maxlength attribute cutting a pasted text short).
    long_text = "The park should have " + "many more benches and " * 10 + "bins."
    response = client.post(url("statement-new", conversation), {"text": long_text})
    page = response.content.decode()
    assert response.status_code == 400 and "140 characters or fewer" in page and long_text in page
    assert "maxlength" not in page.split('name="text"')[1].split(">")[0]
    assert 'data-module="govuk-character-count" data-maxlength="140"' in page  # counts down as they type
    response = client.post(
        url("statement-new", conversation), {"text": "The park needs a water fountain"}, follow=True
    )
    assert "waiting for a moderator" in response.content.decode()
    assert conversation.statements.get().status == StatementStatus.PENDING


def test_people_who_cannot_take_part_are_told_why(client, conversation, outsider):
    client.force_login(outsider)
    response = client.get(url("statement-new", conversation))
    assert response.status_code == 403 and "Only people who live in" in response.content.decode()


def test_report_and_tags(client, conversation, resident, officer):
    (statement,) = make_statements(conversation, ["Ban all cars from the park"])
    client.force_login(resident)
    response = client.post(url("report", conversation, statement.number), {"reason": ""})
    assert response.status_code == 400
    client.post(url("report", conversation, statement.number), {"reason": "Too extreme"})
    assert statement.reports.count() == 1
    assert client.get(url("about-you", conversation)).status_code == 404
    tags = services.set_conversation_tags(
        actor=officer, conversation=conversation, labels=["Under 25", "Dog owner"]
    )
    client.post(url("about-you", conversation), {"tags": [str(tags[1].pk)]})
    assert list(Tag.objects.filter(choices__participant__user=resident)) == [tags[1]]


def test_findings_page_shows_groups_consensus_map_and_a_table(client, conversation, officer):
    statements, people = two_camps(conversation)
    tag = Tag.objects.create(conversation=conversation, label="I run a local business")
    for p in people[:3]:
        p.tag_choices.create(tag=tag)
    analysis.refresh_analysis(conversation)
    page = client.get(url("results", conversation)).content.decode()
    assert "Group A: 12 people" in page and "Group B: 12 people" in page
    # Which way each group went is in words, not only in the numbers.
    assert "Most of the group agree" in page and "Most of the group disagree" in page
    assert "What people in every group agree on" in page and "Statement number 0 about the town" in page
    assert page.count('<path class="lp-opinion-map__g') >= 24
    assert "The groups on the map" in page and "I run a local business" in page
    assert "style=" not in page


def test_findings_say_when_there_is_not_enough_yet(client, conversation):
    page = client.get(url("results", conversation)).content.decode()
    assert "Nobody has voted yet" in page


def test_open_data_downloads(client, conversation):
    two_camps(conversation)
    response = client.get(url("open-data", conversation, "votes.csv"))
    assert response.status_code == 200 and response.content.startswith(
        b"timestamp,datetime,comment-id,voter-id,vote"
    )
    assert (
        client.get(url("open-data", conversation, f"{conversation.slug}.zip"))["Content-Type"]
        == "application/zip"
    )
    assert client.get(url("open-data", conversation, "secret.txt")).status_code == 404


def test_officer_sets_up_seeds_publishes_and_closes(client, officer, borough, immediate_tasks):
    client.force_login(officer)
    response = client.post(reverse("conversations:staff-new"), {"title": ""})
    assert response.status_code == 400 and "Enter the question" in response.content.decode()
    response = client.post(
        reverse("conversations:staff-new"),
        {
            "area": borough["north"].pk,
            "title": "How should we make the town centre better?",
            "opens_at_day": "1",
            "opens_at_month": "1",
            "opens_at_year": "2026",
            "moderation": "pre",
            "eligibility": "residents",
            "allow_statements": "on",
            "max_statement_length": "140",
            "tags": "Under 25\nI run a local business",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    conversation = Conversation.objects.get()
    assert response.status_code == 302 and conversation.slug == "how-should-we-make-the-town-centre-better"
    assert list(conversation.tags.values_list("label", flat=True)) == ["Under 25", "I run a local business"]
    client.post(url("staff-statements", conversation), {"text": "More seating in the square"})
    assert conversation.statements.get().is_seed
    client.post(url("staff-state", conversation), {"state": "published"})
    conversation.refresh_from_db()
    assert conversation.phase == "open"
    assert client.get(url("staff-edit", conversation)).status_code == 200
    client.post(url("staff-state", conversation), {"state": "closed"})
    conversation.refresh_from_db()
    assert conversation.phase == "closed"


def test_moderator_approves_and_hides_from_the_queue(client, conversation, resident, moderator):
    waiting = services.add_statement(
        actor=resident, conversation=conversation, text="Put a bandstand in the park"
    )
    client.force_login(moderator)
    assert waiting.text in client.get(url("staff-moderation", conversation)).content.decode()
    client.post(url("staff-moderate", conversation, waiting.number), {"action": "approve"})
    waiting.refresh_from_db()
    assert waiting.status == StatementStatus.APPROVED
    response = client.post(
        url("staff-moderate", conversation, waiting.number), {"action": "hide", "reason": ""}
    )
    assert response.status_code == 400
    client.post(
        url("staff-moderate", conversation, waiting.number), {"action": "hide", "reason": "Duplicate"}
    )
    waiting.refresh_from_db()
    assert waiting.status == StatementStatus.HIDDEN and waiting.hidden_reason == "Duplicate"


def test_staff_analysis_refresh_now(client, conversation, officer, moderator):
    two_camps(conversation)
    client.force_login(officer)
    page = client.get(url("staff-analysis", conversation)).content.decode()
    assert "has not been worked out yet" in page
    client.post(url("staff-analysis", conversation))
    assert conversation.analysis.groups == 2
    page = client.get(url("staff-analysis", conversation)).content.decode()
    assert "The analysis is up to date" in page and "0 votes" not in page
    client.force_login(moderator)
    assert client.post(url("staff-analysis", conversation)).status_code == 403
    assert client.get(url("staff-analysis", conversation)).status_code == 200


def test_no_page_shows_who_wrote_a_statement(client, conversation, resident, officer):
    resident.display_name = "Rosa Resident"
    resident.save()
    statement = services.add_statement(
        actor=resident, conversation=conversation, text="Longer opening hours please"
    )
    services.approve_statement(actor=officer, statement=statement)
    for name in ("detail", "results"):
        assert "Rosa" not in client.get(url(name, conversation)).content.decode()
    client.force_login(officer)
    for name in ("staff-statements", "staff-moderation", "staff-analysis"):
        assert "Rosa" not in client.get(url(name, conversation)).content.decode()
    assert b"Rosa" not in client.get(url("open-data", conversation, "comments.csv")).content


def test_open_conversations_are_on_have_your_say_and_the_area_pages(client, conversation, borough):
    draft = make_conversation(borough["north"], "draft", title="A draft nobody sees")
    page = client.get(reverse("core:have-your-say")).content.decode()
    assert conversation.title in page and draft.title not in page
    castle = client.get(reverse("places:area", args=[borough["castle"].slug])).content.decode()
    assert conversation.title in castle and "for all of North" in castle
    south = client.get(reverse("places:area", args=[borough["south"].slug])).content.decode()
    assert conversation.title not in south


def test_only_statements_with_open_reports_are_listed_as_reported(client, conversation, resident, moderator):
    quiet, reported, dealt_with = make_statements(
        conversation, ["Nobody minds this one", "Somebody reported this one", "A report was dealt with"]
    )
    services.report_statement(actor=resident, statement=reported, reason="Rude about my street")
    services.report_statement(actor=resident, statement=dealt_with, reason="Off topic")
    services.dismiss_reports(actor=moderator, statement=dealt_with)
    client.force_login(moderator)
    response = client.get(url("staff-moderation", conversation))
    assert [s.text for s in response.context["reported"]] == ["Somebody reported this one"]
    assert response.context["reported"][0].open_reports == 1
    page = response.content.decode()
    assert "Nobody minds this one" not in page and "A report was dealt with" not in page
    overview = client.get(url("staff-overview", conversation))
    assert overview.context["reported"] == 1


def test_open_data_times_are_days_and_votes_are_not_in_the_order_cast(
    client, conversation, resident, make_resident
):
    """Exact times would let someone who can read the audit log (it says when each person voted) match a
    participant number, and so all their votes, to a person."""
    from localpower.conversations.exports import DAY_MS

    first, second = make_statements(
        conversation, ["First statement about the park", "Second one on the park"]
    )
    other = make_resident()
    services.vote(actor=resident, statement=first, value=1)  # participant 0
    services.vote(actor=other, statement=first, value=-1)  # participant 1
    services.vote(actor=resident, statement=second, value=0)  # participant 0 again, last
    votes = client.get(url("open-data", conversation, "votes.csv")).content.decode().splitlines()[1:]
    rows = [line.split(",") for line in votes]
    assert [(r[2], r[3], r[4]) for r in rows] == [
        (str(first.number), "0", "1"),
        (str(second.number), "0", "0"),
        (str(first.number), "1", "-1"),
    ]
    assert all(int(r[0]) % DAY_MS == 0 and "00:00:00" in r[1] for r in rows)
    comments = client.get(url("open-data", conversation, "comments.csv")).content.decode().splitlines()[1:]
    assert comments and all(int(line.split(",")[0]) % DAY_MS == 0 for line in comments)


def test_the_audit_log_does_not_say_who_wrote_which_statement_or_who_voted(conversation, resident):
    """Statements and participants are numbered in order of arrival: an audit log naming who added or voted,
    in order, would tell staff who wrote which statement and which participant number is whose."""
    from localpower.core.models import AuditEntry

    statement = services.add_statement(
        actor=resident, conversation=conversation, text="A bandstand would bring people in"
    )
    voted_on = make_statements(conversation, ["Open the café all year round"])[0]
    services.vote(actor=resident, statement=voted_on, value=1)
    for action in ("conversations.statement.add", "conversations.vote"):
        entry = AuditEntry.objects.get(action=action)
        assert entry.actor_id is None and entry.ip_address in (None, ""), action
        assert resident.email not in entry.actor_label
    entry = AuditEntry.objects.get(action="conversations.statement.add")
    assert entry.object_id == str(conversation.pk) and statement.text not in entry.object_repr


def test_the_closing_date_is_the_last_day_people_can_take_part(client, officer, borough):
    """The pages say "Open until 14 December": so it must still be open all of that day."""
    import datetime

    from django.utils import timezone

    client.force_login(officer)
    response = client.post(
        reverse("conversations:staff-new"),
        {
            "area": borough["north"].pk,
            "title": "Should the market open on Sundays?",
            "opens_at_day": "1",
            "opens_at_month": "12",
            "opens_at_year": "2026",
            "closes_at_day": "14",
            "closes_at_month": "12",
            "closes_at_year": "2026",
            "moderation": "pre",
            "eligibility": "residents",
            "max_statement_length": "140",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    conversation = Conversation.objects.get(title="Should the market open on Sundays?")
    last_evening = timezone.make_aware(datetime.datetime(2026, 12, 14, 23, 59))
    conversation.state = "published"
    assert conversation.phase_at(last_evening) == "open"
    assert conversation.phase_at(last_evening + datetime.timedelta(minutes=1)) == "closed"
    detail = client.get(url("staff-overview", conversation)).content.decode()
    assert "14 December 2026" in detail


def test_the_list_separates_open_upcoming_and_closed(client, conversation, borough):
    soon = make_conversation(borough["north"], "upcoming", title="A question opening soon")
    done = make_conversation(borough["north"], "closed", title="A question that has closed")
    response = client.get(reverse("conversations:list"))
    assert response.context["open"] == [conversation]
    assert response.context["upcoming"] == [soon] and response.context["closed"] == [done]
    page = response.content.decode()
    assert page.index("Opening soon") < page.index(soon.title) < page.index("Closed") < page.index(done.title)
    assert 'class="govuk-breadcrumbs"' in page


def test_the_page_says_when_it_opens_or_closed_not_open_until(client, borough):
    import datetime

    soon = make_conversation(borough["north"], "upcoming", title="Opening soon question")
    done = make_conversation(
        borough["north"], "open", title="Closed question", closed_at=None, slug="closed-one"
    )
    done.state = "closed"
    done.closed_at = done.opens_at + datetime.timedelta(days=2)
    done.save()
    upcoming = client.get(url("detail", soon)).content.decode()
    assert "Opens on" in upcoming and "Open until" not in upcoming
    closed = client.get(url("detail", done)).content.decode()
    assert f"Closed on {done.closed_at:%-d %B %Y}" in closed and "Open until" not in closed


def test_have_your_say_shortens_the_background_at_a_word(client, borough):
    long = make_conversation(
        borough["north"],
        title="Long background question",
        description="The council is writing a plan for the town centre. " * 8,
    )
    page = client.get(reverse("core:have-your-say")).content.decode()
    assert long.title in page and "the town centre.…" in page  # 30 whole words, then an ellipsis
    assert "The council is writing a plan for the town centre. " * 8 not in page
