"""Ideas from residents, moderation, and the council's review into ballot projects."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from localpower.budgets.models import Idea, IdeaStatus, IdeaSupport, Report
from localpower.budgets.selectors import open_reports, visible_ideas
from localpower.budgets.services import (
    assess_idea,
    comment_on_idea,
    create_project,
    edit_idea,
    hide,
    merge_ideas,
    report,
    submit_idea,
    support_idea,
    update_project,
    withdraw_support,
)
from localpower.budgets.signals import idea_status_changed
from localpower.budgets.tests.factories import make_process, move_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def process(borough):
    return make_process(borough["north"], "ideas")


@pytest.fixture
def idea(process, resident):
    return submit_idea(
        actor=resident,
        process=process,
        title=" Benches by the pond ",
        description="Somewhere to sit.",
        estimated_cost=Decimal("800"),
    )


def test_resident_submits_and_edits_until_review(process, resident, officer, idea):
    assert idea.title == "Benches by the pond" and idea.status == IdeaStatus.SUBMITTED
    edit_idea(actor=resident, idea=idea, description="Three benches.")
    assert Idea.objects.get(pk=idea.pk).description == "Three benches."
    assess_idea(actor=officer, idea=idea, status=IdeaStatus.UNDER_REVIEW)
    with pytest.raises(PermissionDenied, match="only while it waits for review"):
        edit_idea(actor=resident, idea=idea, title="Changed")


def test_only_residents_of_the_area_submit_during_the_ideas_phase(
    process, other_resident, outsider, borough, resident
):
    for person in (other_resident, outsider):
        with pytest.raises(PermissionDenied, match="Only residents of North Area Committee"):
            submit_idea(actor=person, process=process, title="X", description="Y")
    move_to(process, "review")
    with pytest.raises(PermissionDenied):
        submit_idea(actor=resident, process=process, title="X", description="Y")


def test_other_people_cannot_edit_an_idea(idea, make_resident):
    with pytest.raises(PermissionDenied):
        edit_idea(actor=make_resident(), idea=idea, title="Mine now")


def test_support_is_once_per_person(idea, resident, make_resident):
    assert support_idea(actor=resident, idea=idea) is True
    assert support_idea(actor=resident, idea=idea) is False
    support_idea(actor=make_resident(), idea=idea)
    assert visible_ideas(idea.process).get(pk=idea.pk).support_count == 2
    assert withdraw_support(actor=resident, idea=idea) is True
    assert IdeaSupport.objects.filter(idea=idea).count() == 1


def test_comments_reports_and_hiding(idea, resident, make_resident, moderator, outsider):
    comment = comment_on_idea(actor=make_resident(), idea=idea, body="Great idea")
    with pytest.raises(PermissionDenied):
        comment_on_idea(actor=outsider, idea=idea, body="I don't live here")
    first = report(actor=resident, comment=comment, reason="Rude")
    assert report(actor=resident, comment=comment, reason="Rude again") == first
    assert open_reports(idea.process).count() == 1
    with pytest.raises(PermissionDenied, match="Only moderators"):
        hide(actor=resident, comment=comment, reason="I dislike it")
    with pytest.raises(ValidationError, match="Give the reason"):
        hide(actor=moderator, comment=comment, reason="  ")
    hide(actor=moderator, comment=comment, reason="Personal abuse")
    comment.refresh_from_db()
    assert comment.is_hidden and comment.hidden_reason == "Personal abuse"
    assert Report.objects.get(pk=first.pk).resolved_by == moderator
    hide(actor=moderator, idea=idea, reason="Advertising")
    with pytest.raises(ValidationError, match="hidden by a moderator"):
        support_idea(actor=resident, idea=idea)


def test_not_feasible_needs_a_public_reason_and_notifies(idea, officer):
    heard = []
    idea_status_changed.connect(lambda **kw: heard.append(kw["new_status"]), weak=False, dispatch_uid="t")
    try:
        with pytest.raises(ValidationError, match="Say why"):
            assess_idea(actor=officer, idea=idea, status=IdeaStatus.NOT_FEASIBLE)
        from django.test import TestCase

        with TestCase.captureOnCommitCallbacks(execute=True):
            assess_idea(
                actor=officer, idea=idea, status=IdeaStatus.NOT_FEASIBLE, public_reason="The land is private."
            )
    finally:
        idea_status_changed.disconnect(dispatch_uid="t")
    assert Idea.objects.get(pk=idea.pk).public_reason == "The land is private."
    assert heard == ["not_feasible"]


def test_residents_cannot_review(idea, resident, councillor):
    for person in (resident, councillor):
        with pytest.raises(PermissionDenied, match="Only council officers"):
            assess_idea(actor=person, idea=idea, status=IdeaStatus.FEASIBLE)


def test_merge_moves_supporters(process, idea, resident, officer, make_resident):
    other_author = make_resident()
    duplicate = submit_idea(
        actor=other_author, process=process, title="Seats at the pond", description="Seats"
    )
    fan = make_resident()
    support_idea(actor=fan, idea=duplicate)
    support_idea(actor=resident, idea=duplicate)
    support_idea(actor=resident, idea=idea)
    merge_ideas(actor=officer, duplicate=duplicate, into=idea)
    duplicate.refresh_from_db()
    assert duplicate.status == IdeaStatus.MERGED and duplicate.merged_into == idea
    assert "Benches by the pond" in duplicate.public_reason
    assert set(IdeaSupport.objects.filter(idea=idea).values_list("user_id", flat=True)) == {
        resident.pk,
        fan.pk,
    }
    with pytest.raises(ValidationError, match="cannot be merged with itself"):
        merge_ideas(actor=officer, duplicate=idea, into=idea)


def test_ideas_become_a_ballot_project(process, idea, officer, borough):
    move_to(process, "review")
    assess_idea(actor=officer, idea=idea, status=IdeaStatus.FEASIBLE, public_reason="Council land.")
    project = create_project(
        actor=officer, process=process, title="Pond benches", cost=Decimal("950"), ideas=[idea]
    )
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.ON_BALLOT and idea.project == project
    with pytest.raises(ValidationError, match="cannot become a ballot project"):
        create_project(actor=officer, process=process, title="Again", cost=Decimal("1"), ideas=[idea])
    update_project(actor=officer, project=project, cost=Decimal("1000"))
    move_to(process, "voting")
    with pytest.raises(PermissionDenied):
        update_project(actor=officer, project=project, cost=Decimal("1200"))
    other = make_process(borough["north"], "review")
    with pytest.raises(ValidationError, match="belongs to another budget"):
        create_project(
            actor=officer,
            process=other,
            title="Stolen",
            cost=Decimal("1"),
            ideas=[Idea.objects.get(pk=idea.pk)],
        )


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_an_idea_can_have_a_picture_with_a_description(process, resident, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    idea = submit_idea(
        actor=resident,
        process=process,
        title="Mural",
        description="A mural on the underpass.",
        image=SimpleUploadedFile("mural.png", PNG, content_type="image/png"),
        image_alt="A sketch of a river painted on a wall",
    )
    assert idea.image.name.startswith("budgets/ideas/") and (tmp_path / idea.image.name).read_bytes() == PNG
    with pytest.raises(ValidationError, match="Say what the picture shows"):
        submit_idea(
            actor=resident,
            process=process,
            title="M",
            description="D",
            image=SimpleUploadedFile("m.png", PNG),
        )
    with pytest.raises(ValidationError, match="not the kind of picture its name says"):
        submit_idea(
            actor=resident,
            process=process,
            title="M",
            description="D",
            image=SimpleUploadedFile("m.jpg", PNG),
            image_alt="x",
        )
    with pytest.raises(ValidationError, match="JPEG, PNG or WebP"):
        submit_idea(
            actor=resident,
            process=process,
            title="M",
            description="D",
            image=SimpleUploadedFile("m.svg", b"<svg/>"),
            image_alt="x",
        )
    assert Idea.objects.count() == 1
