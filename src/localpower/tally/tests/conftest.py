"""The counting engine's tests need no Django: they run with ``pytest -p no:django``.

The project's root conftest sets a fast password hasher through pytest-django's ``settings`` fixture
for every test; that fixture does not exist without the Django plugin, so it is replaced here by one
that does nothing (the counting engine never hashes passwords).
"""

import pytest


@pytest.fixture(autouse=True)
def _fast_password_hasher():
    yield
