"""Postcode normalisation: whatever a person types becomes "SW1A 1AA", or a clear error."""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _

# Outward code: A9, A99, A9A, AA9, AA99 or AA9A; inward code: 9AA.
_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$")
_SPACES = re.compile(r"\s+")

INVALID_MESSAGE = _("Enter a real postcode, like DB1 2AA")
EMPTY_MESSAGE = _("Enter a postcode")


class InvalidPostcode(ValueError):
    """The text is not shaped like a UK postcode. ``str(error)`` is a message to show the person."""

    def __init__(self, message=INVALID_MESSAGE):
        super().__init__(str(message))
        self.message = message


def normalise_postcode(text: str) -> str:
    """Return the postcode in capitals with one space before the last three characters.

    ``" sw1a  1aa "`` becomes ``"SW1A 1AA"``. Raises ``InvalidPostcode`` for empty text or text that is not
    shaped like a postcode. A well-formed postcode may still not exist: that is for the lookup to say.
    """
    if text is None:
        raise InvalidPostcode(EMPTY_MESSAGE)
    compact = _SPACES.sub("", str(text)).upper()
    if not compact:
        raise InvalidPostcode(EMPTY_MESSAGE)
    match = _POSTCODE.match(compact)
    if match is None:
        raise InvalidPostcode(INVALID_MESSAGE)
    return f"{match.group(1)} {match.group(2)}"


def is_postcode(text: str) -> bool:
    try:
        normalise_postcode(text)
    except InvalidPostcode:
        return False
    return True
