"""Yes/no ballots: simple majority and the dual majority of Business Improvement District ballots."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from localpower.tally.majority import dual_majority, simple_majority
from localpower.tally.model import TallyError


def test_more_yes_than_no_carries():
    result = simple_majority(51, 49)
    assert result.passed
    assert result.reason == "yes won: 51 for and 49 against (51.0% yes)"


def test_a_tie_does_not_carry():
    result = simple_majority(10, 10)
    assert not result.passed
    assert "tie" in result.reason


def test_no_valid_votes_does_not_carry():
    result = simple_majority(0, 0, spoilt=3)
    assert not result.passed
    assert "no valid votes" in result.reason


def test_spoilt_ballots_count_for_turnout_but_not_for_the_majority():
    result = simple_majority(20, 19, spoilt=30, electorate=100, turnout_threshold=Fraction(1, 2))
    assert result.passed  # turnout 69/100 reaches one half; 20 > 19
    assert result.turnout == Fraction(69, 100)
    without_spoilt = simple_majority(20, 19, electorate=100, turnout_threshold="0.5")
    assert not without_spoilt.passed
    assert without_spoilt.reason.startswith("turnout was 39.0%, below the required 50.0%")


def test_turnout_equal_to_the_threshold_is_enough():
    assert simple_majority(13, 12, electorate=100, turnout_threshold="1/4").passed


def test_turnout_just_below_the_threshold_never_reads_as_meeting_it():
    result = simple_majority(2499, 0, electorate=10000, turnout_threshold="0.25")
    assert not result.passed
    assert "turnout was 24.9%" in result.reason


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: simple_majority(-1, 2), "cannot be negative"),
        (lambda: simple_majority(1.5, 2), "whole number"),
        (lambda: simple_majority(5, 5, electorate=8), "electorate is only 8"),
        (lambda: simple_majority(5, 5, turnout_threshold="0.3"), "needs the size of the electorate"),
        (lambda: simple_majority(5, 5, electorate=20, turnout_threshold="2"), "between 0 and 1"),
        (lambda: dual_majority([("maybe", 10)]), "ballot 1: the choice 'maybe'"),
        (lambda: dual_majority([("yes", -10)]), "cannot be negative"),
        (lambda: dual_majority([("yes", "lots")]), "is not a number"),
        (lambda: dual_majority(["yes"]), "must be a (choice, weight) pair"),
        (lambda: dual_majority([("yes", 1)], turnout_threshold="1/4", electorate=4), "total weight"),
    ],
)
def test_bad_figures_are_plain_errors(call, message):
    with pytest.raises(TallyError) as info:
        call()
    assert message in str(info.value)


# A small BID ballot: five businesses, rateable values in pounds.
SMALL_BID = [("yes", 10_000), ("yes", 12_500), ("yes", 8_000), ("no", 200_000), ("no", 15_000)]


def test_bid_needs_both_majorities():
    result = dual_majority(SMALL_BID)
    assert not result.passed
    assert (result.yes, result.no) == (3, 2)
    assert (result.yes_weight, result.no_weight) == (30_500, 215_000)
    assert result.reason.startswith("fails because both majorities are needed: yes won by number")
    assert "no won by weight: 30,500 for and 215,000 against" in result.reason


def test_bid_carries_with_both_majorities_and_spoilt_papers_do_not_count():
    votes = [("yes", 100_000), ("no", 20_000), ("yes", 5_000), (None, 900_000), ("spoilt", 1)]
    result = dual_majority(votes)
    assert result.passed
    assert result.spoilt == 2 and result.spoilt_weight == 900_001
    assert result.reason.startswith("carried on both counts")


def test_bid_weight_tie_fails():
    result = dual_majority([("yes", 500), ("yes", 500), ("no", 1000)])
    assert not result.passed
    assert "a tie by weight" in result.reason


def test_bid_accepts_booleans_words_and_pence():
    result = dual_majority([(True, "1,250.50"), ("For", Fraction(1)), (False, 1_251.49), ("against", "£0")])
    assert result.yes_weight == Fraction(125050, 100) + 1
    assert result.no_weight == Fraction(125149, 100)
    assert not result.passed  # 2 to 2 by number is a tie


def test_scottish_style_turnout_threshold_by_number_and_weight():
    votes = [("yes", 100), ("yes", 100), ("no", 50)]
    ok = dual_majority(votes, electorate=10, electorate_weight=1000, turnout_threshold="1/4")
    assert ok.passed and ok.turnout == Fraction(3, 10) and ok.turnout_weight == Fraction(1, 4)
    low = dual_majority(votes, electorate=10, electorate_weight=1001, turnout_threshold="1/4")
    assert not low.passed
    assert low.reason.startswith("turnout by weight was 24.9%")


def test_zero_turnout_fails_cleanly():
    result = dual_majority([], electorate=10, electorate_weight=1000)
    assert not result.passed
    assert result.turnout == 0
    assert "no valid votes by number" in result.reason


def test_result_as_dict_is_json_friendly():
    data = dual_majority(SMALL_BID, electorate=7, electorate_weight="300000").as_dict()
    assert data["passed"] is False
    assert data["turnout"] == "5/7"
    assert data["yes_weight"] == 30500


@given(st.lists(st.tuples(st.sampled_from(["yes", "no", None]), st.integers(0, 10**6)), max_size=40))
def test_dual_majority_agrees_with_two_simple_majorities(votes):
    result = dual_majority(votes)
    yes = sum(1 for c, _ in votes if c == "yes")
    no = sum(1 for c, _ in votes if c == "no")
    yes_w = sum(w for c, w in votes if c == "yes")
    no_w = sum(w for c, w in votes if c == "no")
    assert result.passed == (yes > no and yes_w > no_w)
    assert result.passed == (simple_majority(yes, no).passed and yes_w > no_w)
