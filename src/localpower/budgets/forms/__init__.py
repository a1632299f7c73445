"""Residents' forms for participatory budgets (staff forms are in ``forms/staff*.py``)."""
