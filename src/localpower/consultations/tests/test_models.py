"""The database keeps consultations' data consistent whatever code writes it."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from localpower.consultations.models import Anonymity, Participation, Status
from localpower.consultations.tests.factories import make_consultation, make_response, make_survey


@pytest.fixture
def consultation(borough):
    return make_consultation(borough["north"], "open")


def test_status_follows_state_and_dates(borough):
    assert make_consultation(borough["north"], "draft").status == Status.DRAFT
    assert make_consultation(borough["north"], "upcoming").status == Status.UPCOMING
    assert make_consultation(borough["north"], "open").status == Status.OPEN
    assert make_consultation(borough["north"], "closed").status == Status.CLOSED


def test_closing_before_opening_is_refused_by_the_database(consultation):
    consultation.closes_at = consultation.opens_at
    with pytest.raises(IntegrityError), transaction.atomic():
        consultation.save()


def test_one_response_per_identified_respondent(consultation, resident):
    make_response(consultation, respondent=resident)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_response(consultation, respondent=resident)


def test_one_answer_per_question_and_points_need_both_coordinates(consultation):
    questions = make_survey(consultation)
    response = make_response(consultation, {questions["why"]: "More seats"})
    with pytest.raises(IntegrityError), transaction.atomic():
        response.answers.create(question=questions["why"], text="Again")
    with pytest.raises(IntegrityError), transaction.atomic():
        response.answers.create(question=questions["where"], latitude=51)


def test_a_sent_anonymous_participation_keeps_no_link_to_the_response(borough, resident):
    consultation = make_consultation(borough["north"], anonymity=Anonymity.ANONYMOUS)
    draft = make_response(consultation, submitted=False)
    with pytest.raises(IntegrityError), transaction.atomic():
        Participation.objects.create(
            consultation=consultation, user=resident, draft=draft, submitted_at=timezone.now()
        )
    Participation.objects.create(consultation=consultation, user=resident, draft=draft)
    with pytest.raises(IntegrityError), transaction.atomic():
        Participation.objects.create(consultation=consultation, user=resident)
