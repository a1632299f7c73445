import pytest
from django.core.exceptions import ValidationError

from localpower.accounts.validators import (
    normalise_charity_number,
    normalise_company_number,
    validate_charity_number,
    validate_company_number,
)


@pytest.mark.parametrize("value", ["123456", "1234567", "1234567-1", "SC012345", "NIC100002"])
def test_valid_charity_numbers(value):
    validate_charity_number(value)


@pytest.mark.parametrize("value", ["12345", "12345678", "1234567-", "SC12345", "NI100002", "charity"])
def test_invalid_charity_numbers_get_a_plain_message(value):
    with pytest.raises(ValidationError, match="Enter a charity number in the right format"):
        validate_charity_number(value)


@pytest.mark.parametrize("value", ["01234567", "SC123456", "OC301234", "NI012345", "R0000123"])
def test_valid_company_numbers(value):
    validate_company_number(value)


@pytest.mark.parametrize("value", ["1234567", "123456789", "S1234567", "SC1234567", "company"])
def test_invalid_company_numbers_get_a_plain_message(value):
    with pytest.raises(ValidationError, match="Enter a company number in the right format"):
        validate_company_number(value)


def test_normalising_register_numbers():
    assert normalise_company_number(" sc 123456 ") == "SC123456"
    assert normalise_company_number("1234567") == "01234567"
    assert normalise_charity_number(" sc012345") == "SC012345"
