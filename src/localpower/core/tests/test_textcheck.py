"""The simple abuse and spam checks: what they catch, what they leave alone, and that the word list is a setting."""

from __future__ import annotations

import pytest

from localpower.core.textcheck import check_text


def codes(text, **kwargs):
    return [p.code for p in check_text(text, **kwargs)]


@pytest.mark.parametrize(
    "text",
    [
        "This is shit",
        "SHIT idea",
        "fuuuuck this",
        "5h1t parking",
        "what a f.u.c.k.i.n.g mess",
        "f u c k the bins",
        "sh-it",
        "you @ss",
        "sh!t",
        "just piss   off",
        "the council are wankers",
        "bloody twats",
        "Whores Lane",
    ],
)
def test_blocked_words_are_caught_even_when_disguised(text):
    assert "blocked_word" in codes(text)


@pytest.mark.parametrize(
    "text",
    [
        "Scunthorpe needs a new bus station",
        "A classic market square",
        "Pass the assessment of the cockpit",
        "Dickens Road needs lights",
        "Shitake mushrooms at the market",
        "We need 5 more benches and 1 bin",
        "Fag ends litter every bus stop",
        "Fence off the old slag heap",
        "The Dickens festival should come back",
        "Assess the asset register",
    ],
)
def test_innocent_words_that_contain_blocked_ones_pass(text):
    assert codes(text) == []


def test_the_word_list_is_a_setting(settings):
    settings.TEXTCHECK_BLOCKED_WORDS = ["rhubarb"]
    assert codes("Grow rhuuubarb in the park") == ["blocked_word"]
    assert codes("This is shit") == []
    settings.TEXTCHECK_BLOCKED_WORDS = []
    assert codes("rhubarb") == []


def test_links_shouting_repeats_and_duplicates(settings):
    assert codes("See https://example.org") == []
    assert codes("See https://example.org and www.spam.com") == ["too_many_links"]
    assert codes("buy now cheap-pills.com best-deals.co.uk") == ["too_many_links"]
    settings.TEXTCHECK_MAX_LINKS = 0
    assert codes("See example.org") == ["too_many_links"]
    assert codes("THE COUNCIL NEVER LISTENS TO US") == ["shouting"]
    assert codes("More CCTV near the ATM") == []  # a few capitals are fine
    assert codes("Yes!!!!!!!!!") == ["repeated_characters"]
    assert codes("Yes!!! Sooo good") == []
    assert codes("More trees, please.", recent=["more trees please"]) == ["duplicate"]
    assert codes("More trees on the high street", recent=["more trees please"]) == []


def test_each_problem_has_a_message_for_the_writer():
    text = "THIS IS SHIT AND THEY KNOW IT!!!!!!!! WWW.A.COM WWW.B.COM"
    problems = check_text(text, recent=[text.lower()])
    assert {p.code for p in problems} == {
        "blocked_word",
        "too_many_links",
        "shouting",
        "repeated_characters",
        "duplicate",
    }
    assert all(p.message and p.message[0].isupper() for p in problems)
