import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from localpower.places.postcodes import InvalidPostcode, is_postcode, normalise_postcode


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("sw1a1aa", "SW1A 1AA"),
        (" SW1A 1AA ", "SW1A 1AA"),
        ("Sw1a  1aa", "SW1A 1AA"),
        ("db1 2aa", "DB1 2AA"),
        ("m11aa", "M1 1AA"),
        ("M1\u00a01AA", "M1 1AA"),
        ("se1p5zz", "SE1P 5ZZ"),
        ("ab10 6sj", "AB10 6SJ"),
    ],
)
def test_any_spelling_becomes_capitals_with_one_space(typed, expected):
    assert normalise_postcode(typed) == expected


@pytest.mark.parametrize(
    "typed", ["not a postcode", "1AA AAA", "SW1A", "SW1A 1A", "SW1A 1AAA", "S@1 1AA", "123 456"]
)
def test_text_not_shaped_like_a_postcode_is_refused_with_a_plain_message(typed):
    with pytest.raises(InvalidPostcode) as caught:
        normalise_postcode(typed)
    assert str(caught.value) == "Enter a real postcode, like DB1 2AA"
    assert isinstance(caught.value, ValueError)
    assert not is_postcode(typed)


@pytest.mark.parametrize("typed", ["", "   ", None])
def test_empty_text_asks_for_a_postcode(typed):
    with pytest.raises(InvalidPostcode, match="Enter a postcode"):
        normalise_postcode(typed)


letters = st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
digits = st.sampled_from("0123456789")
outward = st.one_of(
    st.tuples(letters, digits),
    st.tuples(letters, digits, digits),
    st.tuples(letters, digits, letters),
    st.tuples(letters, letters, digits),
    st.tuples(letters, letters, digits, digits),
    st.tuples(letters, letters, digits, letters),
).map("".join)
inward = st.tuples(digits, letters, letters).map("".join)
spacing = st.text(alphabet=" \t\u00a0", max_size=3)


@settings(max_examples=200, deadline=None)
@given(outward, inward, spacing, spacing, spacing, st.booleans())
def test_any_spacing_and_case_of_a_well_formed_postcode_gives_the_same_result(
    out, inn, before, middle, after, lower
):
    canonical = f"{out} {inn}"
    typed = f"{before}{out}{middle}{inn}{after}"
    assert normalise_postcode(typed.lower() if lower else typed) == canonical
    assert normalise_postcode(canonical) == canonical
