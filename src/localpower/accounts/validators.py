"""Formats of the public registers' numbers an organisation may give."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Charity Commission for England and Wales: 6 or 7 digits, a linked charity adds "-1" and so on. Scottish (OSCR)
# numbers are SC and 6 digits; Northern Ireland's are NIC and 6 digits.
CHARITY_NUMBER_PATTERN = r"^([0-9]{6,7}(-[0-9]{1,2})?|SC[0-9]{6}|NIC[0-9]{6})$"
# Companies House: 8 characters, either 8 digits or a 2-letter prefix (SC, NI, OC, ...) and 6 digits, or R and 7.
COMPANY_NUMBER_PATTERN = r"^([0-9]{8}|[A-Z]{2}[0-9]{6}|R[0-9]{7})$"


def normalise_charity_number(text: str) -> str:
    return re.sub(r"\s+", "", text or "").upper()


def normalise_company_number(text: str) -> str:
    value = re.sub(r"\s+", "", text or "").upper()
    # People often leave out the leading zeros of an all-digit company number.
    if value.isdigit() and len(value) < 8:
        value = value.zfill(8)
    return value


def validate_charity_number(value: str) -> None:
    if value and not re.match(CHARITY_NUMBER_PATTERN, value):
        raise ValidationError(
            _("Enter a charity number in the right format, like 1234567, 1234567-1, SC012345 or NIC100002"),
            code="invalid_charity_number",
        )


def validate_company_number(value: str) -> None:
    if value and not re.match(COMPANY_NUMBER_PATTERN, value):
        raise ValidationError(
            _("Enter a company number in the right format, 8 characters like 01234567 or SC123456"),
            code="invalid_company_number",
        )
