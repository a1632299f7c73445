from __future__ import annotations

import pytest


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def other_resident(borough):
    """Lives in Riverside ward (South committee): a resident of another area than North."""
    from localpower.accounts.tests.factories import UserFactory
    from localpower.places.tests.factories import SMALL_BOROUGH_POSTCODES

    return UserFactory(email="riverside@example.org", verified_postcode=SMALL_BOROUGH_POSTCODES["riverside"])


@pytest.fixture
def make_resident(borough):
    """Make more verified residents of Castle ward (North)."""
    from localpower.accounts.tests.factories import UserFactory
    from localpower.places.tests.factories import SMALL_BOROUGH_POSTCODES

    def make(**kwargs):
        return UserFactory(verified_postcode=SMALL_BOROUGH_POSTCODES["castle"], **kwargs)

    return make
