"""Template helpers for the budget pages."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import template

from localpower.budgets.ballots import money as _money

register = template.Library()


@register.filter
def money(amount, currency: str = "GBP") -> str:
    """An amount as residents read it: "£4,000" or "£12.50"."""
    if amount in (None, ""):
        return ""
    try:
        return _money(Decimal(str(amount)), currency or "GBP")
    except (InvalidOperation, ValueError):
        return str(amount)
