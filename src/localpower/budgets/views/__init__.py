"""Residents' pages for participatory budgets (staff pages are in ``views/staff*.py``)."""
