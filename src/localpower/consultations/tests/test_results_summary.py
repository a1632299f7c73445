"""The summary of every question, checked by hand on a small set of responses."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from localpower.consultations.results_maths import number_stats
from localpower.consultations.selectors_results import ResultFilters, summarise
from localpower.consultations.tests.factories import make_consultation, make_response, make_survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(borough):
    consultation = make_consultation(borough["north"], "closed", slug="library-hours")
    q = make_survey(consultation)
    make_response(
        consultation,
        {
            q["use"]: ["Yes"],
            q["postcode"]: "tb2 1aa",
            q["why"]: "More seats",
            q["rating"]: ["Good"],
            q["services"]: ["Books", "Computers"],
            q["order"]: ["Longer hours", "More books", "Better building"],
            q["visits"]: 10,
            q["where"]: (51.5, -0.12),
        },
    )
    make_response(
        consultation,
        {
            q["use"]: ["Yes"],
            q["postcode"]: "TB1 1AA",
            q["rating"]: ["Very good"],
            q["services"]: ["Books"],
            q["order"]: ["More books", "Longer hours"],
            q["visits"]: 20,
        },
    )
    make_response(consultation, {q["use"]: ["No"], q["postcode"]: "ZZ99 9ZZ", q["why"]: "Parking"})
    old = make_response(
        consultation,
        {
            q["use"]: ["Yes"],
            q["postcode"]: "not a postcode",
            q["rating"]: ["Poor"],
            q["services"]: ["Study space"],
            q["visits"]: 30,
        },
    )
    old.submitted_at = timezone.now() - datetime.timedelta(days=10)
    old.save()
    # A draft is never counted.
    make_response(consultation, {q["use"]: ["Yes"], q["rating"]: ["Very poor"]}, submitted=False)
    return consultation, q


def by_question(summary):
    return {s.question.pk: s for s in summary.questions}


def rows(summary_of_question):
    return [(r.label, r.count, r.percent) for r in summary_of_question.rows]


def test_single_choice_counts_every_sent_response(survey):
    consultation, q = survey
    summary = summarise(consultation)
    assert summary.total == 4
    use = by_question(summary)[q["use"].pk]
    assert (use.shown, use.answered) == (4, 4)
    assert rows(use) == [("Yes", 3, 75.0), ("No", 1, 25.0)]


def test_conditional_section_counts_only_those_shown_it(survey):
    consultation, q = survey
    found = by_question(summarise(consultation))
    services = found[q["services"].pk]
    # Only the three library users were asked: the one who said "No" is not in the denominator.
    assert (services.shown, services.answered) == (3, 3)
    assert rows(services) == [
        ("Books", 2, 66.7),
        ("Computers", 1, 33.3),
        ("Children's activities", 0, 0.0),
        ("Study space", 1, 33.3),
    ]
    order = found[q["order"].pk]
    assert (order.shown, order.answered, order.not_answered) == (3, 2, 1)


def test_scale_distribution_mean_and_net_score(survey):
    consultation, q = survey
    rating = by_question(summarise(consultation))[q["rating"].pk]
    assert [r.count for r in rating.rows] == [0, 1, 0, 1, 1]
    assert rating.rows[1].percent == 33.3
    # Positions: Poor = 2, Good = 4, Very good = 5 -> mean 11 / 3.
    assert rating.stats["mean"] == 3.67
    # Good or very good: 2 of 3; poor or very poor: 1 of 3 -> net +33.3 points.
    assert rating.stats["net"] == 33.3
    assert rating.stats["upper_labels"] == ["Good", "Very good"]
    assert rating.stats["lower_labels"] == ["Very poor", "Poor"]


def test_ranking_mean_rank_first_choices_and_points(survey):
    consultation, q = survey
    order = by_question(summarise(consultation))[q["order"].pk]
    table = {
        r.label: (r.count, r.extra["first"], r.extra["mean_rank"], r.extra["points"]) for r in order.rows
    }
    # Three options: first place earns 3 points, second 2, third 1.
    assert table == {
        "Longer hours": (2, 1, 1.5, 5),
        "More books": (2, 1, 1.5, 5),
        "Better building": (1, 0, 3.0, 1),
    }
    assert [r.label for r in order.rows] == ["Longer hours", "More books", "Better building"]


def test_number_statistics_and_histogram(survey):
    consultation, q = survey
    visits = by_question(summarise(consultation))[q["visits"].pk]
    stats = visits.stats
    assert (stats["count"], stats["mean"], stats["median"], stats["min"], stats["max"]) == (3, 20, 20, 10, 30)
    assert sum(b["count"] for b in stats["bins"]) == 3
    assert stats["bins"][0]["label"] == "10 to 11"
    assert stats["bins"][-1]["label"].endswith("to 30")


def test_number_histogram_of_small_whole_numbers_has_one_bar_per_number():
    stats = number_stats([1, 2, 2, 3, 3, 3])
    assert [(b["label"], b["count"]) for b in stats["bins"]] == [("1", 1), ("2", 2), ("3", 3)]
    assert number_stats([])["count"] == 0
    assert number_stats([5, 5])["bins"] == [{"label": "5", "count": 2, "percent": 100.0}]
    spread = number_stats([0.5, 1.25, 9.75])
    assert len(spread["bins"]) == 10 and sum(b["count"] for b in spread["bins"]) == 3


def test_postcodes_are_counted_by_ward(survey):
    consultation, q = survey
    postcode = by_question(summarise(consultation))[q["postcode"].pk]
    assert rows(postcode) == [
        ("Abbey", 1, 25.0),
        ("Castle", 1, 25.0),
        ("Outside the council's area or not recognised", 2, 50.0),
    ]


def test_points_files_and_text_are_counted(survey):
    consultation, q = survey
    found = by_question(summarise(consultation))
    assert found[q["why"].pk].answered == 2
    assert found[q["name"].pk].answered == 0
    where = found[q["where"].pk]
    assert where.answered == 1 and len(where.items) == 1
    assert float(where.items[0]["latitude"]) == 51.5


def test_filter_by_an_answer_and_by_dates(survey):
    consultation, q = survey
    yes = q["use"].options.get(text="Yes")
    only_users = summarise(consultation, ResultFilters(option=yes))
    assert (only_users.total, only_users.all_sent) == (3, 4)
    assert rows(by_question(only_users)[q["use"].pk]) == [("Yes", 3, 100.0), ("No", 0, 0.0)]

    today = timezone.localdate()
    recent = summarise(consultation, ResultFilters(since=today - datetime.timedelta(days=5)))
    assert recent.total == 3
    older = summarise(consultation, ResultFilters(until=today - datetime.timedelta(days=5)))
    assert older.total == 1
    assert rows(by_question(older)[q["services"].pk])[3] == ("Study space", 1, 100.0)


def test_public_summary_has_no_free_text_postcodes_points_or_files(survey):
    consultation, q = survey
    kinds = {s.question.kind for s in summarise(consultation, public=True).questions}
    assert kinds == {"single_choice", "multiple_choice", "scale", "ranking", "number"}


def test_summary_takes_the_same_number_of_queries_for_more_responses(survey):
    consultation, q = survey
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        summarise(consultation)
    for i in range(20):
        make_response(
            consultation,
            {q["use"]: ["Yes"], q["rating"]: ["Good"], q["order"]: ["More books"], q["visits"]: i},
        )
    with CaptureQueriesContext(connection) as many:
        summarise(consultation)
    assert len(many) == len(few) <= 16


def test_written_answers_show_their_tags_in_the_summary(survey, officer):
    from localpower.consultations.services.results import add_tag

    consultation, q = survey
    for answer in q["why"].answers.all():
        add_tag(actor=officer, answer=answer, name="Space")
    first = q["why"].answers.get(text="More seats")
    add_tag(actor=officer, answer=first, name="Seating")
    why = by_question(summarise(consultation))[q["why"].pk]
    assert rows(why) == [("Space", 2, 100.0), ("Seating", 1, 50.0)]
    # Filters apply: of the library users, only one wrote an answer.
    yes = q["use"].options.get(text="Yes")
    filtered = by_question(summarise(consultation, ResultFilters(option=yes)))[q["why"].pk]
    assert rows(filtered) == [("Seating", 1, 100.0), ("Space", 1, 100.0)]


def test_points_are_plotted_to_scale_with_north_at_the_top():
    from localpower.consultations.results_maths import plot_points

    plotted = plot_points([(51.50, -0.10), (51.52, -0.10), (51.50, -0.10)])
    assert len(plotted) == 2
    south, north = sorted(plotted, key=lambda p: -p["y"])
    assert south["count"] == 2 and north["count"] == 1
    assert north["y"] < south["y"] and north["x"] == south["x"] == 50
    assert all(5 <= p["x"] <= 95 and 5 <= p["y"] <= 95 for p in plotted)
    assert plot_points([]) == []
    assert plot_points([(51.5, 0.0)]) == [{"x": 50.0, "y": 50.0, "count": 1}]


def test_responses_are_counted_by_day(survey):
    from localpower.consultations.selectors_results import responses_by_day

    consultation, _q = survey
    days = responses_by_day(consultation)
    assert [d["count"] for d in days] == [1, 3]
    assert days[0]["day"] == timezone.localdate() - datetime.timedelta(days=10)
    assert [d["percent"] for d in days] == [33.3, 100.0]
