from django.conf import settings


def _darker(colour: str, factor: float = 0.6) -> str:
    digits = colour.removeprefix("#")
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    channels = [int(digits[i : i + 2], 16) for i in (0, 2, 4)]
    return "#" + "".join(f"{int(c * factor):02x}" for c in channels)


def council(request):
    """The council's name and branding, for the header, footer and page titles."""
    return {
        "council_name": settings.COUNCIL_NAME,
        "council_short_name": settings.COUNCIL_SHORT_NAME,
        "council_colour": settings.COUNCIL_COLOUR,
        "council_colour_accent": _darker(settings.COUNCIL_COLOUR),
        "council_logo_url": settings.COUNCIL_LOGO_URL,
        "council_contact_email": settings.COUNCIL_CONTACT_EMAIL,
        "service_name": settings.SERVICE_NAME,
        "csp_nonce": getattr(request, "csp_nonce", ""),
    }
