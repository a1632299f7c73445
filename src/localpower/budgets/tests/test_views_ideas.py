"""Ideas pages: list with status and reasons, sharing, changing until review, support, comments, reports."""

from __future__ import annotations

import pytest
from django.urls import reverse

from localpower.budgets.models import Comment, Idea, IdeaStatus, IdeaSupport, Report
from localpower.budgets.services import hide, submit_idea
from localpower.budgets.tests.factories import make_process, move_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def process(borough):
    return make_process(borough["north"], "ideas", slug="north-ideas")


@pytest.fixture
def idea(process, resident):
    return submit_idea(
        actor=resident, process=process, title="Benches by the pond", description="Somewhere to sit."
    )


def test_resident_shares_an_idea(client, process, resident):
    client.force_login(resident)
    url = reverse("budgets:idea-new", args=[process.slug])
    assert client.get(url).status_code == 200
    bad = client.post(url, {"title": "", "description": "", "estimated_cost": "lots"})
    assert bad.status_code == 400
    text = bad.content.decode()
    assert "Enter a title for your idea." in text and "Enter the cost as a number" in text
    response = client.post(
        url,
        {
            "title": "Fix the swings",
            "description": "They squeak.",
            "estimated_cost": "1200",
            "location_text": "Castle Park",
        },
    )
    idea = Idea.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "budgets:idea-detail", args=[process.slug, idea.pk]
    )
    assert idea.author == resident and idea.estimated_cost == 1200
    page = client.get(response["Location"]).content.decode()
    assert "Fix the swings" in page and "£1,200" in page and "Castle Park" in page


def test_picture_needs_a_description(client, process, resident):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(resident)
    png = SimpleUploadedFile("p.png", b"\x89PNG\r\n\x1a\n" + b"0" * 100, content_type="image/png")
    response = client.post(
        reverse("budgets:idea-new", args=[process.slug]), {"title": "T", "description": "D", "image": png}
    )
    assert response.status_code == 400 and "Say what the picture shows" in response.content.decode()
    assert not Idea.objects.exists()


def test_idea_with_a_picture(client, process, resident, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    client.force_login(resident)
    url = reverse("budgets:idea-new", args=[process.slug])
    fake = SimpleUploadedFile("p.png", b"\xff\xd8\xff" + b"0" * 100, content_type="image/png")
    refused = client.post(url, {"title": "T", "description": "D", "image": fake, "image_alt": "A pond"})
    assert refused.status_code == 400 and "not the kind of picture its name says" in refused.content.decode()
    png = SimpleUploadedFile("pond.png", b"\x89PNG\r\n\x1a\n" + b"0" * 100, content_type="image/png")
    response = client.post(
        url, {"title": "Pond", "description": "D", "image": png, "image_alt": "The pond in spring"}
    )
    idea = Idea.objects.get()
    assert response.status_code == 302 and idea.image.name.endswith(".png")
    page = client.get(reverse("budgets:idea-detail", args=[process.slug, idea.pk])).content.decode()
    assert 'alt="The pond in spring"' in page
    picture_url = reverse("budgets:idea-picture", args=[process.slug, idea.pk])
    assert f'src="{picture_url}"' in page  # served by the site, not from an unserved media folder
    client.logout()
    picture = client.get(picture_url)
    assert picture.status_code == 200 and picture["Content-Type"] == "image/png"
    assert b"".join(picture.streaming_content).startswith(b"\x89PNG")


def test_a_hidden_ideas_picture_is_only_for_its_author_and_moderators(
    client, process, resident, moderator, outsider, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from localpower.budgets.services.ideas import hide

    settings.MEDIA_ROOT = tmp_path
    client.force_login(resident)
    png = SimpleUploadedFile("pond.png", b"\x89PNG\r\n\x1a\n" + b"0" * 100, content_type="image/png")
    client.post(
        reverse("budgets:idea-new", args=[process.slug]),
        {"title": "Pond", "description": "D", "image": png, "image_alt": "The pond"},
    )
    idea = Idea.objects.get()
    hide(actor=moderator, reason="Rude picture", idea=idea)
    picture_url = reverse("budgets:idea-picture", args=[process.slug, idea.pk])
    assert client.get(picture_url).status_code == 200  # the author
    client.force_login(moderator)
    assert client.get(picture_url).status_code == 200
    client.force_login(outsider)
    assert client.get(picture_url).status_code == 404
    client.logout()
    assert client.get(picture_url).status_code == 404


def test_others_cannot_share_ideas(client, process, outsider, other_resident):
    url = reverse("budgets:idea-new", args=[process.slug])
    assert client.get(url).status_code == 302  # anonymous: sign in first
    client.force_login(outsider)
    response = client.get(url)
    assert (
        response.status_code == 403 and "Confirm your home postcode to take part" in response.content.decode()
    )
    client.force_login(other_resident)
    assert client.post(url, {"title": "x", "description": "y"}).status_code == 403
    assert not Idea.objects.exists()


def test_list_shows_status_reasons_and_hidden_ideas(client, process, idea, moderator, resident):
    other = submit_idea(actor=resident, process=process, title="Rude idea", description="...")
    hide(actor=moderator, idea=other, reason="Offensive language")
    Idea.objects.filter(pk=idea.pk).update(
        status=IdeaStatus.NOT_FEASIBLE, public_reason="The pond is private land."
    )
    page = client.get(reverse("budgets:ideas", args=[process.slug])).content.decode()
    assert "Benches by the pond" in page and "Not feasible" in page and "The pond is private land." in page
    assert "Rude idea" not in page and "Offensive language" in page


def test_author_edits_until_review(client, process, idea, resident, make_resident):
    client.force_login(resident)
    url = reverse("budgets:idea-edit", args=[process.slug, idea.pk])
    assert "Benches by the pond" in client.get(url).content.decode()
    assert client.post(url, {"title": "Two benches", "description": "Somewhere to sit."}).status_code == 302
    idea.refresh_from_db()
    assert idea.title == "Two benches"
    client.force_login(make_resident())
    assert client.get(url).status_code == 403
    Idea.objects.filter(pk=idea.pk).update(status=IdeaStatus.UNDER_REVIEW)
    client.force_login(resident)
    assert client.get(url).status_code == 403


def test_support_and_withdraw(client, process, idea, make_resident, outsider):
    neighbour = make_resident()
    client.force_login(neighbour)
    url = reverse("budgets:idea-support", args=[process.slug, idea.pk])
    client.post(url)
    client.post(url)  # a double click is harmless
    assert IdeaSupport.objects.filter(idea=idea).count() == 1
    page = client.get(reverse("budgets:idea-detail", args=[process.slug, idea.pk])).content.decode()
    assert "Withdraw your support" in page
    client.post(url, {"action": "withdraw"})
    assert not IdeaSupport.objects.exists()
    client.force_login(outsider)
    page = client.post(url, follow=True).content.decode()
    assert "Only residents of the area can support ideas" in page
    assert not IdeaSupport.objects.exists()


def test_comment_and_report(client, process, idea, make_resident, outsider):
    neighbour = make_resident(display_name="Nia Neighbour")
    client.force_login(neighbour)
    comment_url = reverse("budgets:idea-comment", args=[process.slug, idea.pk])
    empty = client.post(comment_url, {"body": ""})
    assert empty.status_code == 400 and "Write your comment." in empty.content.decode()
    client.post(comment_url, {"body": "Great idea!"})
    page = client.get(reverse("budgets:idea-detail", args=[process.slug, idea.pk])).content.decode()
    assert "Great idea!" in page and "Nia Neighbour" in page
    comment = Comment.objects.get()
    client.force_login(outsider)  # verified e-mail: may report, may not comment
    assert client.post(comment_url, {"body": "Hello"}).status_code == 403
    report_url = reverse("budgets:idea-report", args=[process.slug, idea.pk])
    assert client.post(report_url, {"reason": ""}).status_code == 400
    client.post(report_url, {"reason": "Spam"})
    client.post(report_url + f"?comment={comment.pk}", {"reason": "Rude", "comment": comment.pk})
    assert (
        Report.objects.filter(idea=idea).count() == 1 and Report.objects.filter(comment=comment).count() == 1
    )


def test_after_ideas_close_no_new_ideas(client, process, resident):
    move_to(process, "voting")
    client.force_login(resident)
    assert client.get(reverse("budgets:idea-new", args=[process.slug])).status_code == 403
    assert "Share an idea" not in client.get(reverse("budgets:ideas", args=[process.slug])).content.decode()


def test_list_filters_by_status_and_pages(client, process, resident):
    from localpower.budgets.views.ideas import IDEAS_PER_PAGE

    for n in range(IDEAS_PER_PAGE + 2):
        submit_idea(actor=resident, process=process, title=f"Idea number {n}", description="D")
    Idea.objects.filter(title="Idea number 3").update(status=IdeaStatus.FEASIBLE)
    url = reverse("budgets:ideas", args=[process.slug])
    first = client.get(url).content.decode()
    assert first.count("Idea number") == IDEAS_PER_PAGE and "govuk-pagination" in first
    second = client.get(url, {"page": 2}).content.decode()
    assert second.count("Idea number") == 2
    feasible = client.get(url, {"status": "feasible"}).content.decode()
    assert feasible.count("Idea number") == 1 and "Idea number 3<" in feasible
    assert "No ideas have this status." in client.get(url, {"status": "merged"}).content.decode()
    assert client.get(url, {"status": "nonsense"}).content.decode().count("Idea number") == IDEAS_PER_PAGE


def test_author_removes_or_replaces_the_picture_when_editing(
    client, process, resident, settings, tmp_path, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    client.force_login(resident)

    def png(name):
        return SimpleUploadedFile(name, b"\x89PNG\r\n\x1a\n" + b"0" * 100, content_type="image/png")

    client.post(
        reverse("budgets:idea-new", args=[process.slug]),
        {"title": "Pond", "description": "D", "image": png("pond.png"), "image_alt": "The pond"},
    )
    idea = Idea.objects.get()
    first_file = tmp_path / idea.image.name
    assert first_file.exists()
    url = reverse("budgets:idea-edit", args=[process.slug, idea.pk])
    form_page = client.get(url).content.decode()
    assert "Remove the picture" in form_page and 'alt="The pond"' in form_page
    data = {"title": "Pond", "description": "D", "image_alt": "The pond"}
    both = client.post(url, data | {"remove_image": "on", "image": png("new.png")})
    assert both.status_code == 400 and "not both" in both.content.decode()
    kept = client.post(url, data | {"description": "Changed"})
    idea.refresh_from_db()
    assert kept.status_code == 302 and idea.image and idea.description == "Changed"
    with django_capture_on_commit_callbacks(execute=True):
        removed = client.post(url, data | {"remove_image": "on"})
    assert removed.status_code == 302
    idea.refresh_from_db()
    assert not idea.image and idea.image_alt == ""
    assert not first_file.exists()
    # An idea without a picture offers no "Remove the picture" box.
    assert "Remove the picture" not in client.get(url).content.decode()
