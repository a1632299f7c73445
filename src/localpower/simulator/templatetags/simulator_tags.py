"""Money and percentages as the simulator pages show them."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django import template

register = template.Library()


@register.filter
def pounds(value) -> str:
    """£1,234,567 (whole pounds, rounded half up); negative amounts with a minus sign."""
    if value is None or value == "":
        return ""
    amount = Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    text = f"£{abs(amount):,.0f}"
    return f"−{text}" if amount < 0 else text


@register.filter
def signed_pct(value) -> str:
    """+10%, −30%, 0% (one decimal place for a mean that is not whole)."""
    if value is None or value == "":
        return ""
    number = Decimal(value)
    if number == number.to_integral_value():
        text = f"{int(number):+d}%" if number else "0%"
    else:
        text = f"{number:+.1f}%"
    return text.replace("-", "−")


@register.filter
def plain(value) -> str:
    """A decimal as a plain string for data attributes (no thousands separators)."""
    return "" if value is None else format(Decimal(value), "f")


@register.filter
def width_class(percent) -> str:
    """One of 21 width classes (0, 5, ..., 100 percent) for a bar, so no inline style is needed."""
    try:
        number = Decimal(percent)
    except (TypeError, ValueError, ArithmeticError):
        return "lp-sim-bar--0"
    step = int((number / 5).quantize(Decimal(1), rounding=ROUND_HALF_UP)) * 5
    return f"lp-sim-bar--{max(0, min(100, step))}"
